// An attempt to reach a caller, claimed in PostgreSQL before anybody is dialled. The claim is one UPDATE that moves the
// callback to `dialling` for attempt N only if N-1 attempts were made and nobody holds a live lease on it: a job that
// runs twice (added again, a worker restarted mid-job, two workers) gets the claim once. A worker that dies leaves a
// lease that runs out, and the same attempt is claimed again — not counted twice, not lost.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttemptOutcome } from '../entities/callback.js';
import type { CallbackTimes } from './policy.js';

export interface ClaimedCallback {
  id: string; kind: string; number: string; line: string; topic: string | null; priority: number; place: number;
  mode: 'auto' | 'task'; team: string; ownerStaffNo: string | null; attempts: number; maxAttempts: number;
  originCallId: string | null; workOrderId: string | null; createdAt: Date;
}

const exec = async <T = unknown[]>(em: EntityManager, q: string, p: unknown[]): Promise<T> =>
  (await em.getConnection().execute(q, p, 'all', em.getTransactionContext())) as T;

/** Claims attempt number `attempt` (1-based) for `leaseMs`; undefined when it is not this caller's to make. */
export async function claimAttempt(em: EntityManager, id: string, attempt: number, by: string, leaseMs: number): Promise<ClaimedCallback | undefined> {
  const rows = await exec<Array<Record<string, unknown>>>(em,
    `update callback set status = 'dialling', lease_until = now() + (? * interval '1 millisecond'), lease_by = ?, updated_at = now()
      where id = ? and attempts = ? and (status = 'pending' or (status = 'dialling' and lease_until < now()))
      returning id, kind, number, line, topic, priority, place, mode, team, owner_staff_no, attempts, max_attempts, origin_call_id, work_order_id, created_at`,
    [leaseMs, by, id, attempt - 1]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: String(r.id), kind: String(r.kind), number: String(r.number), line: String(r.line), topic: (r.topic as string | null) ?? null,
    priority: Number(r.priority), place: Number(r.place), mode: r.mode as 'auto' | 'task', team: String(r.team),
    ownerStaffNo: (r.owner_staff_no as string | null) ?? null, attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
    originCallId: (r.origin_call_id as string | null) ?? null, workOrderId: r.work_order_id == null ? null : String(r.work_order_id),
    createdAt: new Date(r.created_at as string),
  };
}

/** Keeps the claim while the callback waits for a lawyer or is being dialled. False: the lease was lost. */
export async function renewLease(em: EntityManager, id: string, by: string, leaseMs: number): Promise<boolean> {
  const rows = await exec<unknown[]>(em,
    `update callback set lease_until = now() + (? * interval '1 millisecond') where id = ? and status = 'dialling' and lease_by = ? returning id`,
    [leaseMs, id, by]);
  return rows.length > 0;
}

/** Gives the claim back without using the attempt (no lawyer answered, the centre closed, shutting down). */
export async function releaseClaim(em: EntityManager, id: string, by: string, nextAt: Date): Promise<void> {
  await exec(em, `update callback set status = 'pending', lease_until = null, lease_by = null, next_attempt_at = ?, updated_at = now()
                   where id = ? and status = 'dialling' and lease_by = ?`, [nextAt, id, by]);
}

/** The caller is being dialled: the attempt is on record (once, whatever happens next). */
export async function attemptStarted(em: EntityManager, id: string, attempt: number, staffNo: string | null, callId: string): Promise<void> {
  await exec(em, `insert into callback_attempt (callback_id, attempt, staff_no, call_id) values (?, ?, ?, ?)
                   on conflict (callback_id, attempt) do nothing`, [id, attempt, staffNo, callId]);
}

/**
 * How attempt `attempt` ended. Answered completes the callback; an invalid number fails it for a supervisor to look
 * at; anything else is tried again later (inside opening hours) until the attempts run out.
 */
export async function attemptEnded(em: EntityManager, times: CallbackTimes, cb: { id: string; maxAttempts: number }, attempt: number,
  outcome: AttemptOutcome, o: { by: string; staffNo?: string | null; callId?: string | null; detail?: string; now?: Date }): Promise<'completed' | 'failed' | 'retry'> {
  const now = o.now ?? new Date();
  await exec(em, `insert into callback_attempt (callback_id, attempt, staff_no, call_id, ended_at, outcome, detail)
                   values (?, ?, ?, ?, ?, ?, ?)
                   on conflict (callback_id, attempt) do update set ended_at = excluded.ended_at, outcome = excluded.outcome,
                     detail = excluded.detail, staff_no = coalesce(excluded.staff_no, callback_attempt.staff_no)`,
  [cb.id, attempt, o.staffNo ?? null, o.callId ?? null, now, outcome, o.detail ?? null]);
  let next: 'completed' | 'failed' | 'retry';
  if (outcome === 'answered') next = 'completed';
  else if (outcome === 'invalid_number' || attempt >= cb.maxAttempts) next = 'failed';
  else next = 'retry';
  await exec(em,
    `update callback set attempts = ?, last_outcome = ?, lease_until = null, lease_by = null, updated_at = now(),
            status = ?, next_attempt_at = ?, completed_at = ?, completed_by = ?, result_call_id = ?, failure_reason = ?
      where id = ? and status = 'dialling' and lease_by = ?`,
    [attempt, outcome, next === 'retry' ? 'pending' : next, next === 'retry' ? times.retryAt(now, attempt) : now,
      next === 'completed' ? now : null, next === 'completed' ? (o.staffNo ?? null) : null, next === 'completed' ? (o.callId ?? null) : null,
      next === 'failed' ? (outcome === 'invalid_number' ? 'invalid_number' : 'unreachable') : null, cb.id, o.by]);
  return next;
}

/** A later call from the same number was answered: nothing left to call back about. */
export async function answeredSince(em: EntityManager, number: string, since: Date): Promise<boolean> {
  const rows = await exec<unknown[]>(em,
    `select 1 from call_record where caller_number = ? and answered_at > ? and coalesce(tags->>'direction', '') <> 'callback' limit 1`, [number, since]);
  return rows.length > 0;
}

export async function closeAsResolved(em: EntityManager, id: string, by: string, reason: string): Promise<void> {
  await exec(em, `update callback set status = 'completed', completed_at = now(), last_outcome = ?, lease_until = null, lease_by = null, updated_at = now()
                   where id = ? and status = 'dialling' and lease_by = ?`, [reason, id, by]);
}
