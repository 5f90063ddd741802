// Queued callbacks on pbx-sim, the real 12348 flow, the ACD and the callback dialler: a caller who presses 1 while
// waiting keeps their place — served after the caller who was waiting before them and before the one who came after
// — the lawyer is rung first, then the caller; a callback is dialled once however often its job runs; a caller
// who does not answer is tried again later.
import t from 'tap';
import type { DeskEvent } from '../ivr/acd/types.js';
import { deskEvent, line, phone, phoneAction, SCALE, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { callbackRig, type CallbackRig } from './helpers/callbacks.js';
import { sleep, until } from './helpers/sim.js';

let a: AcdHotline;
let rig: CallbackRig;
t.before(async () => {
  a = await startAcdHotline({ lawyers: [{ staffNo: '101', name: '张律师', endpoint: 'PJSIP/8001' }], wrapUpMs: 2000, announceEveryMs: 600_000 });
  rig = await callbackRig(a);
});
t.teardown(async () => { await rig.close(); await a.close(); });

const offers = () => a.desk.filter((e): e is Extract<DeskEvent, { type: 'offered' }> => e.type === 'offered');
const cbRow = async (originCallId: string) => (await a.h.sql('select * from callback where origin_call_id = ?', [originCallId]))[0];

/** A caller waiting on line 5 (complaints) who presses 1, keeps their own number (1) and hangs up as told. */
async function askForCallback(from: string): Promise<string> {
  const id = await line(a.h, from, '5');
  await a.h.waitHeard(id, 'moh:default');
  await a.h.press(id, '1');
  await a.h.waitHeard(id, 'callback-confirm-after');
  await a.h.press(id, '1');
  await a.h.waitHeard(id, 'queue-callback-accepted');
  await until(async () => (await a.h.state(id)).hungUp, `${id} hung up by the IVR`);
  return id;
}

t.test('a queued callback keeps its place: after the earlier caller, before the later one; lawyer first, then the caller', async (t) => {
  await phone(a.h, 'PJSIP/8001', 'answer', 500);
  await phone(a.h, 'PJSIP/13900000802', 'answer', 500);
  const before = await line(a.h, '13900000801', '5');
  await a.h.waitHeard(before, 'moh:default');
  const asked = await askForCallback('13900000802');
  const rec = await a.h.record(asked);
  t.match(rec.tags, { callbackNumber: '13900000802' }, 'the request is on the call record');
  t.equal(rec.end_reason, 'completed', 'not an abandoned call');
  const after = await line(a.h, '13900000803', '5');
  await a.h.waitHeard(after, 'moh:default');

  const { created } = await rig.jobs.sweep();
  t.equal(created.length, 1, 'one queued callback');
  const cb = await cbRow(asked);
  t.match(cb, { kind: 'queued', number: '13900000802', mode: 'auto', status: 'pending' });
  t.ok(Number(cb.place) < Number(rec.ended_at ? new Date(rec.ended_at).getTime() * 1000 : Infinity), 'its place is from when the caller queued');
  // The sweep again, and the same attempt run by hand twice more: the callback still waits once.
  await rig.jobs.sweep();
  await until(() => rig.dialler.waiting === 1, 'the callback waiting in the dialler');
  t.same(await Promise.all([rig.jobs.attempt(String(cb.id), 1), rig.jobs.attempt(String(cb.id), 1)]), ['skipped', 'skipped'], 'a second run of the same attempt does nothing');
  t.equal(rig.dialler.waiting, 1);

  await a.presence.setState('101', 'ready');
  const served: string[] = [];
  for (let i = 0; i < 3; i++) {
    const ev = await deskEvent(a, (e) => e.type === 'answered' && !served.includes(e.callId), `answer #${i + 1}`, 20_000);
    served.push(ev.callId);
    const offer = offers().find((o) => o.callId === ev.callId)!;
    if (offer.callerNumber === '13900000802') {
      t.match(offer.ivrPath, [{ node: '排队回拨（第1次）' }], 'the screen pop says it is a callback');
    }
    await phoneAction(a.h, 'PJSIP/8001', 'hangup');
  }
  t.same(served.map((id) => offers().find((o) => o.callId === id)!.callerNumber), ['13900000801', '13900000802', '13900000803'], 'served in place order');
  t.equal(offers().filter((o) => o.callerNumber === '13900000802').length, 1, 'the callback was offered (and dialled) once');
  await until(async () => (await cbRow(asked)).status === 'completed', 'callback completed');
  const done = await cbRow(asked);
  t.match(done, { status: 'completed', attempts: 1, last_outcome: 'answered', completed_by: '101' });
  const attempts = await a.h.sql('select * from callback_attempt where callback_id = ?', [done.id]);
  t.match(attempts, [{ attempt: 1, outcome: 'answered', staff_no: '101', call_id: done.result_call_id }]);
  const call = await a.h.record(done.result_call_id);
  t.match(call, { agent: '101', caller_number: '13900000802', end_reason: 'completed', tags: { direction: 'callback', callbackId: String(done.id) } });
  for (const id of [before, after]) if (!(await a.h.state(id)).hungUp) await a.h.hangup(id);
  await until(async () => (await a.presence.setState('101', 'offline')).changed, 'offline');
  a.desk.length = 0;
});

t.test('a caller who does not answer: the attempt is recorded and the next one scheduled', async (t) => {
  await phone(a.h, 'PJSIP/13900000812', 'no-answer');
  const asked = await askForCallback('13900000812');
  await a.h.record(asked);
  await rig.jobs.sweep();
  const cb = await cbRow(asked);
  await a.presence.setState('101', 'ready');
  await until(async () => (await cbRow(asked)).attempts === 1, 'the first attempt ended', 20_000);
  const after = await cbRow(asked);
  t.match(after, { status: 'pending', attempts: 1, last_outcome: 'no_answer' });
  t.ok(new Date(after.next_attempt_at).getTime() > Date.now() + 30_000, 'tried again later, not at once');
  t.match(await a.h.sql('select attempt, outcome from callback_attempt where callback_id = ?', [cb.id]), [{ attempt: 1, outcome: 'no_answer' }]);
  const rec = await a.h.record(after.result_call_id ?? (await a.h.sql('select call_id from callback_attempt where callback_id = ?', [cb.id]))[0].call_id);
  t.match(rec, { end_reason: 'not_reached', tags: { direction: 'callback' } }, 'the unanswered callback call keeps its record and reason');
  await until(async () => (await a.presence.get('101')).state !== 'on_call', 'lawyer free');
});

t.test('a long callback conversation keeps the lawyer on call past the presence lease', async (t) => {
  // Nobody free while the caller asks for the callback (the lawyer may be back from the last call's wrap-up).
  await until(async () => (await a.presence.setState('101', 'offline')).changed, 'lawyer offline');
  await phone(a.h, 'PJSIP/13900000822', 'answer', 300);
  const asked = await askForCallback('13900000822');
  await a.h.record(asked);
  await rig.jobs.sweep();
  await until(async () => (await a.presence.setState('101', 'ready')).changed, 'lawyer ready', 20_000);
  await deskEvent(a, (e) => e.type === 'answered' && a.desk.some((o) => o.type === 'offered' && o.callId === e.callId && o.callerNumber === '13900000822'), 'callback answered', 20_000);
  await sleep((a.presence.leaseMs / SCALE) * 1.5);
  t.equal((await a.presence.get('101')).state, 'on_call', 'still on call after the lease time (renewed during a callback too)');
  await phoneAction(a.h, 'PJSIP/8001', 'hangup');
  await until(async () => (await cbRow(asked)).status === 'completed', 'completed');
});
