// Caller-first callbacks (CALLBACK_CALLER_FIRST) on pbx-sim: the caller is rung before the lawyer. Shown twice: when
// both answer, they are bridged and the callback completes; when the lawyer's phone is not answered, the caller was
// nevertheless reached (which a lawyer-first callback would never do) and the attempt ends as lawyer_unavailable,
// to be tried again.
import t from 'tap';
import { deskEvent, phone, phoneAction, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { callbackRig, type CallbackRig } from './helpers/callbacks.js';
import { until } from './helpers/sim.js';

let a: AcdHotline;
let rig: CallbackRig;
t.before(async () => {
  a = await startAcdHotline({ lawyers: [{ staffNo: '101', endpoint: 'PJSIP/8001' }], wrapUpMs: 2000 });
  rig = await callbackRig(a, { callerFirst: true });
});
t.teardown(async () => { await rig.close(); await a.close(); });

async function dueCallback(key: string, number: string): Promise<string> {
  const [r] = await a.h.sql(`insert into callback (kind, trigger_key, number, line, place, mode, team, due_at, deadline_at, next_attempt_at)
    values ('missed', ?, ?, 'consultation', ?, 'auto', 'lawyers', now(), now() + interval '2 hours', now()) returning id`, [key, number, Date.now() * 1000]);
  return String(r.id);
}
const row = async (id: string) => (await a.h.sql('select * from callback where id = ?', [id]))[0];

t.test('both answer: caller first, then the lawyer, bridged; the callback completes', async (t) => {
  await phone(a.h, 'PJSIP/13900000961', 'answer', 300);
  const id = await dueCallback('cf-1', '13900000961');
  await a.presence.setState('101', 'ready');
  await rig.jobs.sweep();
  const answered = await deskEvent(a, (e) => e.type === 'answered', 'talking', 20_000);
  t.match(a.desk.find((e) => e.type === 'offered' && e.callId === answered.callId), { callerNumber: '13900000961', ivrPath: [{ node: '漏接回拨（第1次，先呼来电人）' }] });
  await phoneAction(a.h, 'PJSIP/8001', 'hangup');
  await until(async () => (await row(id)).status === 'completed', 'completed', 15_000);
  t.match(await row(id), { attempts: 1, last_outcome: 'answered', completed_by: '101' });
  t.match(await a.h.record(answered.callId), { agent: '101', end_reason: 'completed', tags: { direction: 'callback' } });
  await until(async () => (await a.presence.setState('101', 'offline')).changed, 'offline');
  a.desk.length = 0;
});

t.test('the lawyer does not answer: the caller was reached first, hears the apology, and is called again later', async (t) => {
  await phone(a.h, 'PJSIP/13900000962', 'answer', 300);
  await phone(a.h, 'PJSIP/8001', 'no-answer');
  const id = await dueCallback('cf-2', '13900000962');
  await a.presence.setState('101', 'ready');
  await rig.jobs.sweep();
  await until(async () => (await row(id)).attempts === 1, 'the attempt ended', 30_000);
  const r = await row(id);
  t.match(r, { status: 'pending', last_outcome: 'lawyer_unavailable' }, 'to be tried again');
  const [attempt] = await a.h.sql('select * from callback_attempt where callback_id = ?', [id]);
  t.equal(attempt.outcome, 'lawyer_unavailable');
  const rec = await a.h.record(attempt.call_id);
  t.match(rec, { caller_number: '13900000962', end_reason: 'not_reached', answered_at: null }, 'an attempt on record: the caller was reached before any lawyer (lawyer-first would have made none)');
  t.match(await a.presence.get('101'), { state: 'not_ready', reason: 'no-answer' }, 'the lawyer who did not answer goes not ready');
  await phone(a.h, 'PJSIP/8001', 'answer');
});
