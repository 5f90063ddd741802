import t from 'tap';
import { hangup } from '../flows/nodes/hangup.js';
import { FakePort, hangsUp, runNode } from './fixtures/flows/harness.js';

t.test('done: hangs up, and the outcome ends the flow', async (t) => {
  const port = new FakePort();
  t.same((await runNode(hangup, {}, port)).result, { outcome: 'done' });
  t.same(port.calls('hangup'), [undefined]);
  t.same(hangup.ends, ['done']);
});

t.test('the caller was faster: HangupError propagates', async (t) => {
  const port = new FakePort();
  port.hangupResult = 'hangup';
  await hangsUp(t, runNode(hangup, {}, port));
});

t.test('no params', async (t) => {
  t.notOk(hangup.schema.safeParse({ prompts: ['bye'] }).success);
});
