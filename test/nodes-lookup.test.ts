import t from 'tap';
import { lookup } from '../flows/nodes/lookup.js';
import { FakePort, hangsUp, runNode } from './fixtures/flows/harness.js';

const params = {
  function: 'applicationStatus',
  args: { caseNumber: { var: 'caseNumber' }, caller: { call: 'callerNumber' }, district: { attr: 'district' }, source: 'ivr', n: 2 },
  into: 'application',
};

t.test('found: arguments from variables, call, attributes and literals; scalar results into variables', async (t) => {
  const port = new FakePort();
  port.call.attributes.district = '城关';
  port.lookups = [{ reason: 'found', value: { status: 'accepted', statusPrompt: 'status-accepted', days: 3, ok: true, lawyer: { name: '李' }, none: null } }];
  const { result, vars } = await runNode(lookup, params, port, { vars: { caseNumber: '2025001' } });
  t.same(result, { outcome: 'found' });
  t.same(port.calls('lookup'), [{
    name: 'applicationStatus',
    args: { caseNumber: '2025001', caller: '13800138000', district: '城关', source: 'ivr', n: 2 },
  }]);
  t.same(vars, {
    caseNumber: '2025001', 'application.status': 'accepted', 'application.statusPrompt': 'status-accepted',
    'application.days': 3, 'application.ok': true, 'application.lawyer': '{"name":"李"}',
  });
});

t.test('notFound and error leave the variables alone', async (t) => {
  let port = new FakePort();
  port.lookups = [{ reason: 'notFound' }];
  let r = await runNode(lookup, params, port, { vars: {} });
  t.same(r.result, { outcome: 'notFound' });
  t.same(r.vars, {});
  port = new FakePort();
  port.lookups = [{ reason: 'error', message: 'timeout' }];
  r = await runNode(lookup, params, port);
  t.same(r.result, { outcome: 'error' });
});

t.test('hang-up propagates', async (t) => {
  const port = new FakePort();
  port.lookups = ['hangup'];
  await hangsUp(t, runNode(lookup, params, port));
});

t.test('schema', async (t) => {
  t.notOk(lookup.schema.safeParse({ ...params, function: 'a b' }).success);
  t.notOk(lookup.schema.safeParse({ ...params, args: { x: { var: 'a', attr: 'b' } } }).success);
  t.notOk(lookup.schema.safeParse({ ...params, args: { x: { call: 'secret' } } }).success);
  t.notOk(lookup.schema.safeParse({ ...params, args: { x: null } }).success);
  t.notOk(lookup.schema.safeParse({ function: 'f' }).success, 'into is required');
});
