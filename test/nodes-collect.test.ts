import t from 'tap';
import { collect } from '../flows/nodes/collect.js';
import { FakePort, hangsUp, runNode } from './fixtures/flows/harness.js';

const params = {
  prompts: ['enter-staff-number'],
  into: 'staffNumber',
  minDigits: 4,
  maxDigits: 6,
  terminator: '#',
  firstDigitTimeoutMs: 5000,
  interDigitTimeoutMs: 3000,
  pattern: '[0-9]+',
  retries: 2,
  invalidPrompts: ['invalid-number'],
  timeoutPrompts: ['no-key'],
};

t.test('ok: ended by the terminator, which is not part of the value', async (t) => {
  const port = new FakePort();
  port.caller = ['1024#'];
  const { result, vars, elapsedMs } = await runNode(collect, params, port);
  t.same(result, { outcome: 'ok', entries: ['1024'] });
  t.same(vars, { staffNumber: '1024' });
  t.equal(elapsedMs, 200 + 4 * 150, 'done at the # press');
  t.equal(port.clock.size, 0);
});

t.test('ok: ended by maxDigits', async (t) => {
  const port = new FakePort();
  port.caller = ['1234567'];
  const { result, vars } = await runNode(collect, params, port);
  t.same(result.outcome, 'ok');
  t.equal(vars.staffNumber, '123456');
});

t.test('ok: ended by the inter-digit timeout after minDigits', async (t) => {
  const port = new FakePort();
  port.caller = ['10245'];
  const { result, vars, elapsedMs } = await runNode(collect, params, port);
  t.same(result.outcome, 'ok');
  t.equal(vars.staffNumber, '10245');
  t.equal(elapsedMs, 200 + 4 * 150 + 3000, 'last key, then the 3 s pause');
});

t.test('timeout: silence on every attempt, first-digit timeout each time', async (t) => {
  const port = new FakePort();
  const { result, vars, elapsedMs } = await runNode(collect, params, port);
  t.same(result, { outcome: 'timeout', entries: ['', ''] });
  t.same(vars, {});
  t.equal(elapsedMs, 10000);
  t.same(port.heard, ['enter-staff-number', 'no-key', 'enter-staff-number']);
});

t.test('nomatch: too short (pause), terminator alone, pattern failure', async (t) => {
  let port = new FakePort();
  port.caller = ['12', '#'];
  t.same((await runNode(collect, params, port)).result, { outcome: 'nomatch', entries: ['12', ''] });
  t.same(port.heard, ['enter-staff-number', 'invalid-number', 'enter-staff-number']);
  port = new FakePort();
  port.caller = ['12*4#', '1*34#'];
  t.same((await runNode(collect, params, port)).result, { outcome: 'nomatch', entries: ['12*4', '1*34'] });
});

t.test('a slow caller: a gap longer than the inter-digit timeout ends the entry', async (t) => {
  const port = new FakePort();
  port.caller = [{ keys: '1024', gapMs: 3500 }, '1024#'];
  const { result } = await runNode(collect, params, port);
  t.same(result, { outcome: 'ok', entries: ['1', '1024'] });
});

t.test('retry then ok', async (t) => {
  const port = new FakePort();
  port.caller = ['silence', '2048#'];
  const { result, vars } = await runNode(collect, params, port);
  t.same(result, { outcome: 'ok', entries: ['', '2048'] });
  t.equal(vars.staffNumber, '2048');
});

t.test('type-ahead starts the entry: no prompt replay, the caller gets the inter-digit timeout', async (t) => {
  let port = new FakePort();
  port.typeAhead = '10';
  port.caller = [{ keys: '24#', afterMs: 500 }];
  let r = await runNode(collect, params, port);
  t.same(r.result, { outcome: 'ok', entries: ['1024'] });
  const c = port.calls('collect')[0] as { prompts: unknown[]; maxDigits: number; firstDigitTimeoutMs: number };
  t.same(c.prompts, []);
  t.equal(c.maxDigits, 4);
  t.equal(c.firstDigitTimeoutMs, 3000);
  port = new FakePort();
  port.typeAhead = '2048#9';
  r = await runNode(collect, params, port);
  t.same(r.result, { outcome: 'ok', entries: ['2048'] }, 'complete type-ahead needs no collect');
  t.same(port.calls('collect'), []);
  port = new FakePort();
  port.typeAhead = '1234567';
  r = await runNode(collect, params, port);
  t.equal(r.vars.staffNumber, '123456');
  port = new FakePort();
  port.typeAhead = '10';
  port.caller = ['error'];
  t.same((await runNode(collect, params, port)).result.outcome, 'error');
});

t.test('error: the port cannot collect', async (t) => {
  const port = new FakePort();
  port.caller = ['error'];
  t.same((await runNode(collect, params, port)).result, { outcome: 'error', entries: [] });
});

t.test('hang-up propagates, mid-entry or during the retry prompt', async (t) => {
  let port = new FakePort();
  port.caller = ['hangup'];
  await hangsUp(t, runNode(collect, params, port));
  port = new FakePort();
  port.caller = ['12#'];
  port.plays = ['hangup'];
  await hangsUp(t, runNode(collect, params, port));
});

t.test('schema', async (t) => {
  t.notOk(collect.schema.safeParse({ ...params, minDigits: 7 }).success, 'min > max');
  t.notOk(collect.schema.safeParse({ ...params, pattern: '(' }).success, 'bad regex');
  t.notOk(collect.schema.safeParse({ ...params, into: '1x' }).success, 'bad variable');
  t.notOk(collect.schema.safeParse({ ...params, terminator: '##' }).success);
  const p = collect.schema.parse({ prompts: ['p'], into: 'x', maxDigits: 3 });
  t.equal(p.minDigits, 1);
  t.equal(p.firstDigitTimeoutMs, 5000);
  t.equal(p.interDigitTimeoutMs, 3000);
});
