// Waiting in the ACD's queue on pbx-sim: music on hold with position and estimated-wait announcements (the music is
// interrupted for them and resumes), overflow to the flow's message after the maximum wait, a caller hanging up
// while waiting (an abandoned call) or while a lawyer's phone rings (the phone stops ringing, the lawyer is ready
// again), and no timer or event listener left behind.
import t from 'tap';
import {
  consult, deskEvent, legOwner, line, phone, presenceIs, startAcdHotline, type AcdHotline,
} from './helpers/acd.js';
import { call, until } from './helpers/sim.js';

let a: AcdHotline;
// Announcements every 20 s of simulated time (1 s here); the flow's maximum wait is 120 s (6 s here).
t.before(async () => { a = await startAcdHotline({ announceEveryMs: 20_000, averageHandleMs: 180_000 }); });
t.teardown(() => a.close());

const idle = () => until(() => {
  const s = a.acd.stats();
  return s.timers === 0 && s.watched === 0 && a.timers.pending === 0 && Object.keys(s.waiting).length === 0;
}, 'the ACD to hold nothing', 5000);

t.test('abandoned while waiting: recorded abandoned_in_queue, nothing left behind', async (t) => {
  const id = await consult(a.h, '13900000201', '2');
  await a.h.waitHeard(id, 'moh:default');
  t.same(a.acd.stats().waiting, { consultation: 1 });
  await a.h.hangup(id);
  const rec = await a.h.record(id);
  t.match(rec, { end_reason: 'abandoned_in_queue', answered_at: null, service_line: 'consultation', legal_topic: 'labour-wages' });
  await idle();
});

t.test('hang-up while the lawyer’s phone rings: the leg is hung up at once and the lawyer is ready again', async (t) => {
  await phone(a.h, 'PJSIP/8001', 'no-answer');
  await a.presence.setState('101', 'ready');
  const idleBefore = (await a.presence.get('101')).idle;
  const id = await consult(a.h, '13900000202', '2');
  const offered = await deskEvent(a, (e) => e.type === 'offered' && e.callId === id, 'offered');
  t.equal(offered.staffNo, '101');
  await presenceIs(a, '101', 'ringing');
  let channels: string[] = [];
  await until(async () => {
    const eps = (await call(a.h.sim, 'GET', '/sim/endpoints')).body as Array<{ resource: string; channel_ids: string[] }>;
    channels = eps.find((e) => e.resource === '8001')!.channel_ids;
    return channels.length === 1;
  }, 'the phone to ring');
  t.equal(legOwner(channels[0]), '101');
  await a.h.hangup(id);
  await until(async () => {
    const eps = (await call(a.h.sim, 'GET', '/sim/endpoints')).body as Array<{ resource: string; channel_ids: string[] }>;
    return eps.find((e) => e.resource === '8001')!.channel_ids.length === 0;
  }, 'the phone to stop ringing');
  // Hung up by us, not ended by the ring timeout: the lawyer is ready again, not marked not_ready (no-answer).
  await presenceIs(a, '101', 'ready');
  t.notOk(a.changes.some((c) => c.staffNo === '101' && c.state === 'not_ready'), 'not counted as a ring nobody answered');
  t.equal((await a.presence.get('101')).idle, idleBefore, 'keeps its place in the idle order');
  await deskEvent(a, (e) => e.type === 'ended' && e.callId === id, 'screen pop closed');
  t.notOk(a.desk.some((e) => e.type === 'missed' && e.callId === id), 'not a missed call for the lawyer');
  t.match(await a.h.record(id), { end_reason: 'abandoned_in_queue', answered_at: null });
  await idle();
  await a.presence.setState('101', 'offline');
  await phone(a.h, 'PJSIP/8001', 'answer');
});

t.test('position and estimated wait every so often over music on hold; overflow after the maximum wait', async (t) => {
  const first = await line(a.h, '13900000211', '3');
  await a.h.waitHeard(first, 'moh:default');
  const second = await line(a.h, '13900000212', '3');
  await a.h.waitHeard(second, 'moh:default');
  await a.h.waitHeard(second, 'queue-wait-after');
  await a.h.waitHeard(second, 'moh:default', 2);
  const heard2 = await a.h.heard(second);
  const i = heard2.indexOf('queue-apology');
  // 1 ahead; 3 min a conversation, nobody staffed counts as one lawyer: 3 minutes.
  t.equal(heard2[i - 1], 'moh:default', 'music before the announcement');
  t.same(heard2.slice(i, i + 9), ['queue-apology', 'queue-callback-offer', 'queue-position-before', 'number-1', 'queue-position-after', 'queue-wait-before', 'number-3', 'queue-wait-after', 'moh:default']);
  const heard1 = await a.h.heard(first);
  const j = heard1.indexOf('queue-apology');
  t.same(heard1.slice(j, j + 4), ['queue-apology', 'queue-callback-offer', 'queue-next', 'moh:default'], 'the first caller is next');
  const st = (await a.h.state(second)).heard;
  t.ok(st.filter((x) => x.media === 'moh:default').slice(0, -1).every((x) => x.finishedAt), 'MOH stopped for each announcement');
  // Later announcements leave out the apology.
  await a.h.waitHeard(second, 'queue-position-before', 2);
  t.equal((await a.h.heard(second)).filter((m) => m === 'queue-apology').length, 1);
  // 120 s of waiting (6 s here): the flow's overflow branch, a message.
  await a.h.waitHeard(first, 'leave-message', 1, 10_000);
  await a.h.waitHeard(second, 'leave-message', 1, 10_000);
  await a.h.hangup(first);
  await a.h.hangup(second);
  const rec = await a.h.record(first);
  t.ok((rec.path as Array<{ node: string; outcome: string | null }>).some((s) => s.node === 'queue-line' && s.outcome === 'overflow'), 'overflow branch');
  await idle();
});
