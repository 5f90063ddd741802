// Callbacks come from triggers, each made exactly once: (kind, trigger_key) is unique and every insert is
// `on conflict do nothing`, so a sweep run twice, by two processes, or after a crash makes no second callback.
// - from ended calls (swept from call_record): a queued callback the caller asked for in the IVR (tags
//   callbackNumber / callbackPlace: their place in the queue is kept), a call abandoned in the queue (漏接回拨),
//   a voicemail (留言, with the recording), a dissatisfied rating (不满意回访, for supervisors);
// - from a work order: the lawyer's promise to call back (约定回拨), owned by that lawyer (首问负责).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CallbackKind } from '../entities/callback.js';
import type { CallbackTimes } from './policy.js';

const PHONE = /^\+?[0-9]{3,20}$/;

interface EndedCall {
  call_id: string; caller_number: string | null; service_line: string | null; legal_topic: string | null; priority: number;
  ended_at: Date; end_reason: string | null; voicemail_recording: string | null; survey_rating: number | null;
  queued_at: Date | null; tags: Record<string, unknown>; agent: string | null;
}

export interface NewCallback {
  kind: CallbackKind; triggerKey: string; originCallId: string | null; workOrderId: string | null; number: string;
  line: string; topic: string | null; priority: number; place: number; mode: 'auto' | 'task'; team: 'lawyers' | 'supervisors';
  ownerStaffNo: string | null; dueAt: Date; deadlineAt: Date; maxAttempts: number; recording: string | null; note: string | null;
}

const micros = (d: Date) => d.getTime() * 1000;

/** What an ended call asks for (none, one or two callbacks). */
export function triggersOf(c: EndedCall, times: CallbackTimes, policy: { missedDelayMs: number; maxAttempts: number }): NewCallback[] {
  const out: NewCallback[] = [];
  const base = {
    originCallId: c.call_id, workOrderId: null, line: c.service_line ?? 'operator', topic: c.legal_topic, priority: c.priority,
    maxAttempts: policy.maxAttempts, recording: null, note: null, ownerStaffNo: null,
  };
  const requested = typeof c.tags.callbackNumber === 'string' ? c.tags.callbackNumber : undefined;
  if (requested && PHONE.test(requested)) {
    const place = Number(c.tags.callbackPlace);
    const due = times.open(c.ended_at);
    out.push({ ...base, kind: 'queued', triggerKey: c.call_id, number: requested, mode: 'auto', team: 'lawyers',
      place: Number.isFinite(place) && place > 0 ? place : micros(c.queued_at ?? c.ended_at), dueAt: due, deadlineAt: times.deadline(due) });
  }
  const own = c.caller_number && PHONE.test(c.caller_number) ? c.caller_number : undefined;
  if (own && !requested && c.end_reason === 'abandoned_in_queue') {
    const due = times.open(new Date(c.ended_at.getTime() + policy.missedDelayMs));
    // Behind the callers already waiting when it becomes due: a missed call does not jump the live queue.
    out.push({ ...base, kind: 'missed', triggerKey: c.call_id, number: own, mode: 'auto', team: 'lawyers', place: micros(due),
      dueAt: due, deadlineAt: times.deadline(due) });
  }
  if (own && c.voicemail_recording) {
    const due = times.open(c.ended_at);
    out.push({ ...base, kind: 'voicemail', triggerKey: c.call_id, number: own, mode: 'task', team: 'lawyers', place: micros(due),
      dueAt: due, deadlineAt: times.deadline(due), recording: c.voicemail_recording });
  }
  if (own && c.survey_rating === 3) {
    const due = times.open(c.ended_at);
    out.push({ ...base, kind: 'dissatisfied', triggerKey: c.call_id, number: own, mode: 'task', team: 'supervisors', place: micros(due),
      dueAt: due, deadlineAt: times.deadline(due), note: c.agent ? `服务律师：${c.agent}` : null });
  }
  return out;
}

export async function insertCallbacks(em: EntityManager, rows: NewCallback[]): Promise<string[]> {
  if (!rows.length) return [];
  const res = await em.getConnection().execute<Array<{ id: string }>>(
    `insert into callback (kind, trigger_key, origin_call_id, work_order_id, number, line, topic, priority, place, mode, team,
                           owner_staff_no, due_at, deadline_at, next_attempt_at, max_attempts, recording, note)
     select x->>'kind', x->>'triggerKey', x->>'originCallId', (x->>'workOrderId')::bigint, x->>'number', x->>'line', x->>'topic',
            (x->>'priority')::int, (x->>'place')::bigint, x->>'mode', x->>'team', x->>'ownerStaffNo', (x->>'dueAt')::timestamptz,
            (x->>'deadlineAt')::timestamptz, (x->>'dueAt')::timestamptz, (x->>'maxAttempts')::int, x->>'recording', x->>'note'
       from jsonb_array_elements(?::jsonb) as x
     on conflict (kind, trigger_key) do nothing
     returning id`,
    [JSON.stringify(rows)], 'all', em.getTransactionContext(),
  );
  return res.map((r) => String(r.id));
}

/** Creates the callbacks of calls that ended within `windowMs` before `now`. Returns the new ids. */
export async function callbacksFromCalls(em: EntityManager, times: CallbackTimes, policy: { missedDelayMs: number; maxAttempts: number }, now: Date, windowMs = 2 * 86_400_000): Promise<string[]> {
  const calls = await em.getConnection().execute<EndedCall[]>(
    `select c.call_id, c.caller_number, c.service_line, c.legal_topic, c.priority, c.ended_at, c.end_reason, c.voicemail_recording,
            c.survey_rating, c.queued_at, c.tags, c.agent
       from call_record c
      where c.ended_at > ? and c.ended_at <= ?
        and coalesce(c.tags->>'direction', '') <> 'callback'
        and (c.tags->>'callbackNumber' is not null or c.end_reason = 'abandoned_in_queue' or c.voicemail_recording is not null or c.survey_rating = 3)
        and not exists (select 1 from callback b where b.origin_call_id = c.call_id)`,
    [new Date(now.getTime() - windowMs), now],
  );
  const rows = calls.flatMap((c) => triggersOf({ ...c, ended_at: new Date(c.ended_at) }, times, policy));
  return insertCallbacks(em, rows);
}

/**
 * A work order's promise (约定回拨) as a callback task of its owner: made when the promise is given, moved when it
 * changes, cancelled when it is withdrawn — while nobody has called yet. Runs in the work order's transaction.
 */
export async function syncPromise(em: EntityManager, w: { id: string; staffNo: string; callerNumber?: string | null; serviceLine: string; legalTopic?: string | null; callbackAt?: Date | null }, times: CallbackTimes, maxAttempts: number): Promise<void> {
  const key = `wo:${w.id}`;
  const conn = em.getConnection();
  const ctx = em.getTransactionContext();
  if (!w.callbackAt) {
    await conn.execute(`update callback set status = 'cancelled', updated_at = now() where kind = 'promised' and trigger_key = ? and status = 'pending' and attempts = 0`, [key], 'run', ctx);
    return;
  }
  if (!w.callerNumber || !PHONE.test(w.callerNumber)) return;
  const due = times.open(w.callbackAt);
  const moved = await conn.execute<Array<{ id: string }>>(
    `update callback set due_at = ?, next_attempt_at = ?, deadline_at = ?, owner_staff_no = ?, status = 'pending', updated_at = now()
      where kind = 'promised' and trigger_key = ? and status in ('pending', 'cancelled') and attempts = 0 returning id`,
    [due, due, times.deadline(due), w.staffNo, key], 'all', ctx);
  if (moved.length) return;
  await insertCallbacks(em, [{
    kind: 'promised', triggerKey: key, originCallId: null, workOrderId: w.id, number: w.callerNumber, line: w.serviceLine,
    topic: w.legalTopic ?? null, priority: 0, place: due.getTime() * 1000, mode: 'task', team: 'lawyers', ownerStaffNo: w.staffNo,
    dueAt: due, deadlineAt: times.deadline(due), maxAttempts, recording: null, note: null,
  }]);
}
