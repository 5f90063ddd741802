import t from 'tap';
import { transfer } from '../flows/nodes/transfer.js';
import { FakePort, hangsUp, runNode } from './fixtures/flows/harness.js';

t.test('transferred (ends the flow) and failed', async (t) => {
  let port = new FakePort();
  t.same((await runNode(transfer, { target: 'PJSIP/12345' }, port)).result, { outcome: 'transferred' });
  t.same(port.calls('transfer'), ['PJSIP/12345']);
  t.same(transfer.ends, ['transferred']);
  port = new FakePort();
  port.transfers = [{ reason: 'failed', message: 'busy' }];
  t.same((await runNode(transfer, { target: '12345' }, port)).result, { outcome: 'failed' });
});

t.test('target from a variable; a missing one fails without dialling', async (t) => {
  let port = new FakePort();
  await runNode(transfer, { targetVar: 'dest' }, port, { vars: { dest: 'PJSIP/8002' } });
  t.same(port.calls('transfer'), ['PJSIP/8002']);
  port = new FakePort();
  t.same((await runNode(transfer, { targetVar: 'dest' }, port)).result, { outcome: 'failed' });
  t.same(port.calls('transfer'), []);
});

t.test('hang-up propagates', async (t) => {
  const port = new FakePort();
  port.transfers = ['hangup'];
  await hangsUp(t, runNode(transfer, { target: '12345' }, port));
});

t.test('schema: exactly one of target, targetVar', async (t) => {
  t.notOk(transfer.schema.safeParse({}).success);
  t.notOk(transfer.schema.safeParse({ target: 'x', targetVar: 'y' }).success);
  t.notOk(transfer.schema.safeParse({ target: 'a b' }).success);
});
