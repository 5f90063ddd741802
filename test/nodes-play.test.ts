import t from 'tap';
import { play } from '../flows/nodes/play.js';
import { FakePort, hangsUp, runNode } from './fixtures/flows/harness.js';

t.test('done: plays the prompts, interruptible by default', async (t) => {
  const port = new FakePort();
  const { result } = await runNode(play, { prompts: ['welcome-12348', { digits: '12348' }] }, port);
  t.same(result, { outcome: 'done' });
  t.same(port.calls('play'), [{ prompts: ['welcome-12348', { digits: '12348' }], interruptible: true }]);
});

t.test('a key during the prompt is done, and the key waits as type-ahead', async (t) => {
  const port = new FakePort();
  port.plays = [{ reason: 'interrupted', digit: '1' }];
  const { result } = await runNode(play, { prompts: ['menu-main'] }, port);
  t.same(result, { outcome: 'done' });
  t.equal(port.takeTypeAhead(), '1');
});

t.test('interruptible: false is passed on', async (t) => {
  const port = new FakePort();
  await runNode(play, { prompts: ['after-hours-notice'], interruptible: false }, port);
  t.same(port.calls('play'), [{ prompts: ['after-hours-notice'], interruptible: false }]);
});

t.test('error: a prompt that cannot play', async (t) => {
  const port = new FakePort();
  port.plays = [{ reason: 'error', message: 'no such sound' }];
  const { result } = await runNode(play, { prompts: ['missing'] }, port);
  t.same(result, { outcome: 'error' });
});

t.test('variable prompts: read from vars, skipped when missing or unusable', async (t) => {
  const port = new FakePort();
  const vars = { status: 'status-accepted', n: '42', case: '2025001', bad: 'not a prompt' };
  await runNode(play, {
    prompts: [{ var: 'status' }, { var: 'n', as: 'number' }, { var: 'case', as: 'digits' }, { var: 'missing' }, { var: 'bad' }, { var: 'status', as: 'number' }],
  }, port, { vars });
  t.same(port.heard, ['status-accepted', { number: 42 }, { digits: '2025001' }]);
});

t.test('nothing left to play is done without touching the port', async (t) => {
  const port = new FakePort();
  const { result } = await runNode(play, { prompts: [{ var: 'missing' }] }, port);
  t.same(result, { outcome: 'done' });
  t.same(port.log, []);
});

t.test('hang-up propagates', async (t) => {
  const port = new FakePort();
  port.plays = ['hangup'];
  await hangsUp(t, runNode(play, { prompts: ['welcome-12348'] }, port));
});
