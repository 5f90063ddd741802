import t from 'tap';
import { voicemail } from '../flows/nodes/voicemail.js';
import { FakePort, hangsUp, runNode } from './fixtures/flows/harness.js';

t.test('recorded: prompt, then the recording, named on the call', async (t) => {
  const port = new FakePort();
  const { result, vars } = await runNode(voicemail, { prompts: ['leave-message'] }, port, { nodeId: 'message' });
  t.same(result, { outcome: 'recorded' });
  t.same(port.calls('play'), [{ prompts: ['leave-message'], interruptible: false }]);
  t.same(port.calls('record'), [{
    name: 'voicemail-1700000000.42-message', maxDurationMs: 120000, maxSilenceMs: 5000, beep: true, terminateOn: '#',
  }]);
  t.equal(vars.voicemail, 'voicemail-1700000000.42-message');
  t.same(port.tags, { voicemail: 'voicemail-1700000000.42-message', voicemailMs: 12000 });
});

t.test('error: the recording failed', async (t) => {
  const port = new FakePort();
  port.records = [{ reason: 'error', message: 'disk full' }];
  const { result, vars } = await runNode(voicemail, { into: 'msg' }, port);
  t.same(result, { outcome: 'error' });
  t.same(vars, {});
  t.same(port.calls('play'), [], 'no prompt given, none played');
});

t.test('hanging up to end the message propagates, and the record still names the message', async (t) => {
  const port = new FakePort();
  port.records = ['hangup'];
  await hangsUp(t, runNode(voicemail, {}, port));
  t.equal(port.tags.voicemail, 'voicemail-1700000000.42-n1');
});

t.test('hang-up during the prompt', async (t) => {
  const port = new FakePort();
  port.plays = ['hangup'];
  await hangsUp(t, runNode(voicemail, { prompts: ['leave-message'] }, port));
  t.same(port.calls('record'), []);
});
