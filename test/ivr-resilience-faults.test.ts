// ARI requests failing mid-call (pbx-sim's /sim/faults/rest) and bad frames on the events socket during a call:
// a failed answer ends the session cleanly, a failed play is an `error` outcome and the call goes on, a queue whose
// music fails still holds the caller — never an unhandled rejection, never a caller left in silence.
import t, { type Test } from 'tap';
import type { Controller } from '../ivr/controller.js';
import { startHotline, type TestHotline } from './helpers/hotline.js';
import { guardProcess, pathNodes, records } from './helpers/ivr-probe.js';
import { call, until } from './helpers/sim.js';

const guard = guardProcess(t);
let h: TestHotline;
t.before(async () => { h = await startHotline(); });
t.teardown(() => h?.close());

const dial = (t: Test, from: string) => h.dialFor(t, from);

async function failNext(n: number) {
  await call(h.sim, 'POST', '/sim/faults/rest', { failNext: n, status: 500 });
}

async function checkRecord(t: Test, c: Controller, id: string, reason: string) {
  const r = await h.record(id);
  t.equal((await records(h, id)).length, 1, 'one record');
  t.equal(r.end_reason, reason, 'end reason');
  await until(() => !c.calls.has(id), 'session over');
  t.equal(c.calls.size, 0, 'no session left');
  t.equal(c.waiters.size, 0, 'no waiter left');
  t.equal(await h.redis.exists(`${h.prefix}:session:${id}`), 0, 'saved state dropped');
  return r;
}

t.afterEach(async () => { await call(h.sim, 'DELETE', '/sim/faults'); });

t.test('the answer fails: the call is hung up, the session ends, the record says error', async (t) => {
  const c = h.controller;
  await failNext(1); // the next ARI request is the answer of the new call
  const id = await dial(t, '13800000031');
  await h.waitEnded(id);
  const r = await checkRecord(t, c, id, 'error');
  t.same(await h.heard(id), [], 'nothing was played to an unanswered call');
  t.same(pathNodes(r), [], 'no node was run');
  guard.check(t);
});

t.test('the answer and the first hang-up fail: the hang-up is retried', async (t) => {
  const c = h.controller;
  await failNext(2);
  const id = await dial(t, '13800000032');
  await h.waitEnded(id, 5000);
  await checkRecord(t, c, id, 'error');
  guard.check(t);
});

t.test('a play node whose play fails: error outcome, the flow goes on to the queue', async (t) => {
  const c = h.controller;
  const id = await dial(t, '13800000033');
  await h.waitFinished(id, 'main-menu'); // the menu now only waits for a key: no request in flight
  await failNext(1); // line-supervision is a set node; the next request is supervision-intro's play
  await h.press(id, '4');
  await h.waitHeard(id, 'moh:default');
  t.notOk((await h.heard(id)).includes('supervision-intro'), 'the failed prompt was not heard');
  await h.hangup(id);
  const r = await checkRecord(t, c, id, 'abandoned_in_queue');
  const step = (r.path as Array<{ node: string; outcome: string }>).find((s) => s.node === 'supervision-intro');
  t.equal(step?.outcome, 'error', 'the play node took its error outcome');
  t.equal(r.service_line, 'supervision');
  guard.check(t);
});

t.test("a menu whose prompt fails still listens: the caller's key is taken", async (t) => {
  const c = h.controller;
  const id = await dial(t, '13800000034');
  await h.waitFinished(id, 'main-menu');
  await failNext(1); // consultation-menu's prompt
  await h.press(id, '1');
  await until(() => c.calls.get(id)?.session.current === 'consultation-menu', 'in the topic menu');
  await h.press(id, '3');
  await h.waitHeard(id, 'moh:default');
  t.notOk((await h.heard(id)).includes('consultation-menu'));
  await h.hangup(id);
  const r = await checkRecord(t, c, id, 'abandoned_in_queue');
  t.equal(r.legal_topic, 'contract-debt');
  guard.check(t);
});

t.test('several requests fail at the queue: the caller is still held and hears the announcement', async (t) => {
  const c = h.controller;
  const id = await dial(t, '13800000035');
  await h.waitFinished(id, 'main-menu');
  await failNext(2); // the queue's MOH start, then the next one
  await h.press(id, '3');
  await until(() => c.calls.get(id)?.session.current === 'queue-line', 'queued');
  await h.waitHeard(id, 'queue-apology');
  await h.hangup(id);
  await checkRecord(t, c, id, 'abandoned_in_queue');
  guard.check(t);
});

t.test('every request slow and some failing: the call still gets through to the queue', async (t) => {
  const c = h.controller;
  const id = await dial(t, '13800000036');
  await h.waitHeard(id, 'main-menu');
  await call(h.sim, 'POST', '/sim/faults/rest', { failNext: 1, delayMs: 30 });
  await h.press(id, '0');
  await h.waitHeard(id, 'moh:default');
  await h.hangup(id);
  const r = await checkRecord(t, c, id, 'abandoned_in_queue');
  t.equal(r.service_line, 'operator');
  guard.check(t);
});

t.test('a non-JSON frame and an unknown event during a call are skipped; the call goes on', async (t) => {
  const c = h.controller;
  const id = await dial(t, '13800000037');
  await h.waitHeard(id, 'main-menu');
  const skipped = c.conn.stats.skippedFrames;
  for (const frame of ['{not json', JSON.stringify({ type: 'NoSuchEvent', channel: { id } }), '']) {
    t.equal((await call(h.sim, 'POST', '/sim/faults/frame', { frame, app: 'hotline' })).body.affected, 1);
  }
  await until(() => c.conn.stats.skippedFrames === skipped + 3, 'three frames skipped');
  t.ok(c.conn.connected, 'still connected');
  await h.press(id, '1');
  await h.waitHeard(id, 'consultation-menu');
  await h.hangup(id);
  await checkRecord(t, c, id, 'caller_hangup');
  guard.check(t);
});
