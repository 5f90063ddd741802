// Walks the 12348 flow through pbx-sim and ari-client as a caller would, and checks the call record each path leaves.
import t from 'tap';
import { startHotline, type TestHotline } from './helpers/hotline.js';

let h: TestHotline;
t.before(async () => { h = await startHotline(); });
t.teardown(() => h.close());

t.test('consultation, labour topic: the caller reaches the queue and the record names line and topic', async (t) => {
  const id = await h.dial('13800000001');
  await h.waitHeard(id, 'main-menu');
  await h.press(id, '1');
  await h.waitHeard(id, 'consultation-menu');
  await h.press(id, '2');
  await h.waitHeard(id, 'queue-apology');
  await h.hangup(id);
  const r = await h.record(id);
  t.equal(r.caller_number, '13800000001');
  t.equal(r.service_line, 'consultation');
  t.equal(r.legal_topic, 'labour-wages');
  t.equal(r.end_reason, 'abandoned_in_queue', JSON.stringify(r));
  t.ok(r.queued_at, 'queued_at set');
  t.equal(r.flow_revision, h.flows.current().revision);
  const heard = await h.heard(id);
  t.same(heard.slice(0, 5), ['greeting', 'recording-notice', 'green-channel-offer', 'main-menu', 'consultation-menu']);
  const path = (r.path as Array<{ node: string; digits?: string }>).map((p) => p.node);
  t.ok(path.includes('main-menu') && path.includes('consultation-menu') && path.includes('topic-labour'), `path ${path.join(' > ')}`);
});
