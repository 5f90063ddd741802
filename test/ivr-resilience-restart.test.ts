// Restarting the controller mid-call (controller.stop(), then a new one in the same process, as after a crash or a
// deploy): calls stay in Stasis and the new controller adopts them — resuming at the saved node, or with an apology
// and the operator queue when the saved state is gone — and closes the records of calls that ended meanwhile.
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

const stateKey = (id: string) => `${h.prefix}:session:${id}`;

/** Stops the running controller; checks it let go of everything without closing records or dropping state. */
async function stop(t: Test, id: string): Promise<void> {
  const old = h.controller;
  await old.stop();
  t.equal(old.calls.size, 0, 'the stopped controller holds no session');
  await until(() => old.waiters.size === 0, 'its waiters released');
  t.notOk((await h.record(id, 300).catch(() => undefined))?.ended_at, 'the record stays open');
}

async function checkRecord(t: Test, c: Controller, id: string, reason: string) {
  const r = await h.record(id);
  t.equal((await records(h, id)).length, 1, 'one record');
  t.equal(r.end_reason, reason, 'end reason');
  await until(() => !c.calls.has(id), 'session over');
  t.equal(c.calls.size, 0, 'no session left');
  t.equal(c.waiters.size, 0, 'no waiter left');
  t.equal(await h.redis.exists(stateKey(id)), 0, 'saved state dropped');
  return r;
}

t.test('restart in a menu: the call resumes at that menu, the caller goes on to the queue', async (t) => {
  const id = await dial(t, '13800000021');
  await h.press(id, '1');
  await h.waitHeard(id, 'consultation-menu');
  let arrivedAt = '';
  await until(async () => { arrivedAt = String((await h.sql('select arrived_at from call_record where call_id = ?', [id]))[0]?.arrived_at ?? ''); return !!arrivedAt; }, 'the record written');
  await stop(t, id);
  t.equal(await h.redis.exists(stateKey(id)), 1, 'the saved state is kept for the next controller');
  const c = await h.startController();
  await h.waitHeard(id, 'consultation-menu', 2);
  const heard = (await h.state(id)).heard.filter((x) => x.media === 'sound:consultation-menu');
  t.ok(heard[0].finishedAt, "the old controller's prompt was stopped before the menu started again");
  await h.press(id, '2');
  await h.waitHeard(id, 'moh:default');
  await h.hangup(id);
  const r = await checkRecord(t, c, id, 'abandoned_in_queue');
  t.equal(r.service_line, 'consultation');
  t.equal(r.legal_topic, 'labour-wages');
  t.equal(String(r.arrived_at), arrivedAt, 'arrived_at is the first arrival');
  const steps = r.path as Array<{ node: string; outcome: string }>;
  t.same(steps.filter((s) => s.node === 'consultation-menu').map((s) => s.outcome), ['interrupted', 'chosen'], 'the menu, interrupted then answered');
  t.same(pathNodes(r).slice(-2), ['topic-labour', 'queue-line']);
  guard.check(t);
});

t.test('restart while queued: the caller stays in the queue (music, announcements) and the wait keeps its start', async (t) => {
  const id = await dial(t, '13800000022');
  await h.press(id, '3');
  await h.waitHeard(id, 'moh:default');
  let queuedAt = '';
  await until(async () => { queuedAt = String((await h.sql('select queued_at from call_record where call_id = ?', [id]))[0]?.queued_at ?? ''); return !!queuedAt; }, 'queued_at');
  await stop(t, id);
  const c = await h.startController();
  await until(() => c.calls.get(id)?.session.current === 'queue-line', 'resumed in the queue');
  await h.waitHeard(id, 'moh:default', 2);
  await h.waitHeard(id, 'queue-apology');
  await h.hangup(id);
  const r = await checkRecord(t, c, id, 'abandoned_in_queue');
  t.equal(String(r.queued_at), queuedAt, 'queued_at is the first time in the queue');
  t.equal(r.service_line, 'appointment');
  guard.check(t);
});

t.test('restart with the saved state gone: an apology, then the operator queue', async (t) => {
  const id = await dial(t, '13800000023');
  await h.waitHeard(id, 'main-menu');
  await stop(t, id);
  await h.redis.del(stateKey(id));
  const c = await h.startController();
  await h.waitHeard(id, 'error-apology');
  await h.waitHeard(id, 'moh:default');
  await h.waitHeard(id, 'queue-apology'); // the operator queue's announcement: held, not in silence
  const heard = await h.heard(id);
  t.ok(heard.indexOf('error-apology') > heard.indexOf('main-menu'), `apology after the menu (${heard.join(', ')})`);
  await h.hangup(id);
  const r = await checkRecord(t, c, id, 'abandoned_in_queue');
  t.equal(r.service_line, 'operator');
  t.ok(r.queued_at, 'queued');
  t.equal(r.caller_number, '13800000023', 'the record of the call goes on (not a new arrival)');
  t.equal(r.tags.adoptedWithoutState, true);
  guard.check(t);
});

t.test('restart after the caller hung up while no controller ran: the record is closed as controller_lost', async (t) => {
  const id = await dial(t, '13800000024');
  await h.waitHeard(id, 'main-menu');
  await stop(t, id);
  await h.hangup(id);
  await h.waitEnded(id);
  const c = await h.startController();
  const r = await checkRecord(t, c, id, 'controller_lost');
  t.equal(pathNodes(r).at(-1), 'main-menu', 'the path ends where the caller was last seen');
  t.equal(c.calls.size, 0, 'nothing adopted');
  guard.check(t);
});

t.test('two calls, one restart: each is adopted once and both reach the queue', async (t) => {
  const a = await dial(t, '13800000025');
  const b = await dial(t, '13800000026');
  await h.waitHeard(a, 'main-menu');
  await h.waitHeard(b, 'main-menu');
  await h.press(b, '1');
  await h.waitHeard(b, 'consultation-menu');
  await stop(t, a);
  const c = await h.startController();
  await until(() => c.calls.size === 2, 'both adopted');
  await h.waitHeard(a, 'main-menu', 2);
  await h.waitHeard(b, 'consultation-menu', 2);
  await h.press(a, '5');
  await h.press(b, '6');
  await h.waitHeard(a, 'moh:default');
  await h.waitHeard(b, 'moh:default');
  await h.hangup(a);
  await h.hangup(b);
  t.equal((await checkRecord(t, c, a, 'abandoned_in_queue')).service_line, 'complaint');
  t.equal((await checkRecord(t, c, b, 'abandoned_in_queue')).legal_topic, 'other');
  guard.check(t);
});

t.test('restart while ARI fails the first requests: the adoption is retried and the call goes on', async (t) => {
  const id = await dial(t, '13800000027');
  await h.waitHeard(id, 'main-menu');
  await stop(t, id);
  await call(h.sim, 'POST', '/sim/faults/rest', { failNext: 1 }); // GET /applications/hotline of the new controller
  const c = await h.startController();
  await until(() => c.calls.has(id), 'adopted on the retry', 5000);
  await h.waitHeard(id, 'main-menu', 2);
  await h.press(id, '2');
  await h.waitHeard(id, 'application-menu');
  await h.hangup(id);
  t.equal((await checkRecord(t, c, id, 'caller_hangup')).service_line, 'application');
  guard.check(t);
});
