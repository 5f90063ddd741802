import t from 'tap';
import { MAX_REPEATS } from '../flows/nodes/common.js';
import { menu } from '../flows/nodes/menu.js';
import { FakePort, hangsUp, runNode } from './fixtures/flows/harness.js';

const params = {
  prompts: ['menu-main'],
  options: { '1': 'consult', '2': 'apply', '0': 'operator' },
  timeoutMs: 5000,
  retries: 3,
  invalidPrompts: ['invalid-key'],
  timeoutPrompts: ['no-key'],
  repeatKey: '9',
};

t.test('chosen: the key names the option', async (t) => {
  const port = new FakePort();
  port.caller = ['2'];
  const { result, elapsedMs } = await runNode(menu, params, port);
  t.same(result, { outcome: 'chosen', option: '2', entries: ['2'] });
  t.equal(elapsedMs, 200, 'answered as soon as the key came');
  const c = port.calls('collect')[0] as { maxDigits: number; firstDigitTimeoutMs: number; prompts: unknown[] };
  t.equal(c.maxDigits, 1);
  t.equal(c.firstDigitTimeoutMs, 5000);
  t.same(c.prompts, ['menu-main']);
  t.equal(port.clock.size, 0, 'no timer left behind');
});

t.test('type-ahead answers without replaying the menu', async (t) => {
  const port = new FakePort();
  port.typeAhead = '0';
  const { result } = await runNode(menu, params, port);
  t.same(result, { outcome: 'chosen', option: '0', entries: ['0'] });
  t.same(port.calls('collect'), []);
});

t.test('timeout: after `retries` silent attempts, with the timeout prompt between them', async (t) => {
  const port = new FakePort();
  const { result, elapsedMs } = await runNode(menu, params, port);
  t.same(result, { outcome: 'timeout', entries: ['', '', ''] });
  t.equal(elapsedMs, 15000, 'three 5 s timeouts');
  t.same(port.heard, ['menu-main', 'no-key', 'menu-main', 'no-key', 'menu-main']);
});

t.test('nomatch: wrong keys, with the invalid prompt between attempts', async (t) => {
  const port = new FakePort();
  port.caller = ['7', '8', '#'];
  const { result } = await runNode(menu, params, port);
  t.same(result, { outcome: 'nomatch', entries: ['7', '8', '#'] });
  t.same(port.heard, ['menu-main', 'invalid-key', 'menu-main', 'invalid-key', 'menu-main']);
});

t.test('the last failure decides the branch; a good key after failures is chosen', async (t) => {
  let port = new FakePort();
  port.caller = ['7', 'silence', 'silence'];
  t.same((await runNode(menu, params, port)).result.outcome, 'timeout');
  port = new FakePort();
  port.caller = ['silence', 'silence', '5'];
  t.same((await runNode(menu, params, port)).result.outcome, 'nomatch');
  port = new FakePort();
  port.caller = ['silence', '7', '1'];
  t.same((await runNode(menu, params, port)).result, { outcome: 'chosen', option: '1', entries: ['', '7', '1'] });
});

t.test('a key pressed during the invalid prompt answers the next attempt', async (t) => {
  const port = new FakePort();
  port.caller = ['7'];
  port.plays = [{ reason: 'interrupted', digit: '1' }];
  const { result } = await runNode(menu, params, port);
  t.same(result, { outcome: 'chosen', option: '1', entries: ['7', '1'] });
  t.equal(port.calls('collect').length, 1);
});

t.test('retries: 1 means one try', async (t) => {
  const port = new FakePort();
  const { result } = await runNode(menu, { ...params, retries: 1 }, port);
  t.same(result, { outcome: 'timeout', entries: [''] });
  t.same(port.calls('play'), [], 'no "no key" prompt when no retry follows');
});

t.test('the repeat key replays the menu without counting as a failure, up to a limit', async (t) => {
  let port = new FakePort();
  port.caller = ['9', '9', '1'];
  t.same((await runNode(menu, { ...params, retries: 1 }, port)).result, { outcome: 'chosen', option: '1', entries: ['9', '9', '1'] });
  t.same(port.heard, ['menu-main', 'menu-main', 'menu-main']);
  port = new FakePort();
  port.caller = Array(MAX_REPEATS + 1).fill('9');
  t.same((await runNode(menu, { ...params, retries: 1 }, port)).result.outcome, 'nomatch', 'holding 9 forever ends as a wrong key');
});

t.test('error: the port cannot collect', async (t) => {
  const port = new FakePort();
  port.caller = ['error'];
  t.same((await runNode(menu, params, port)).result, { outcome: 'error', entries: [] });
});

t.test('hang-up propagates, during the menu or during the invalid prompt', async (t) => {
  let port = new FakePort();
  port.caller = ['hangup'];
  await hangsUp(t, runNode(menu, params, port));
  port = new FakePort();
  port.caller = ['7'];
  port.plays = ['hangup'];
  await hangsUp(t, runNode(menu, params, port));
  t.equal(port.clock.size, 0);
});

t.test('schema: defaults, options, repeat key', async (t) => {
  const p = menu.schema.parse({ prompts: ['m'], options: { '1': 'x' } });
  t.equal(p.timeoutMs, 5000);
  t.equal(p.retries, 3);
  t.notOk(menu.schema.safeParse({ prompts: ['m'], options: {} }).success);
  t.notOk(menu.schema.safeParse({ prompts: ['m'], options: { '1': 'x' }, repeatKey: '1' }).success);
  t.notOk(menu.schema.safeParse({ prompts: [], options: { '1': 'x' } }).success);
});
