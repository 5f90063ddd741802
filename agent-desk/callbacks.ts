// Callbacks on the desk (issue 5): who sees which, who may dial which, and what a work order shows of them.
// - a lawyer: their own tasks (首问负责: a promise on their work order is theirs alone) and the lawyers' team's
//   unowned ones; never the supervisors' items (不满意回访 concerns the lawyers themselves);
// - a supervisor: everything open, and the failed ones (invalid number, attempts used up) to decide on.
// PostgreSQL is the record; a click only adds a BullMQ 'dial' job (ivr/callbacks/jobs.ts), and the controller that
// runs it claims the attempt there, so a double click or two supervisors at once dial once.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { Type, type Static } from 'typebox';
import { ATTEMPT_OUTCOMES, CALLBACK_KINDS, CALLBACK_STATUSES } from '../lib/entities/callback.js';
import type { DeskUser } from './access.js';
import { DeskError, forbidden, notFound } from './errors.js';
import { literals, Timestamp } from './schemas.js';

/** What the desk needs of the callback jobs (ivr/callbacks/jobs.ts CallbackJobs fits). */
export interface DeskCallbacks {
  requestDial(id: string, attempt: number, staffNo: string): Promise<string>;
  /** The queue the dial jobs go to (`<prefix>-callbacks`). */
  queue: Queue;
}

export const CALLBACK_VIEWS = ['mine', 'team', 'failed'] as const;
export type CallbackListView = (typeof CALLBACK_VIEWS)[number];

const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const CallbackView = Type.Object({
  id: Type.String(),
  kind: literals(CALLBACK_KINDS, 'queued 排队回拨 · missed 漏接回拨 · voicemail 留言回拨 · dissatisfied 不满意回访 · promised 约定回拨'),
  mode: literals(['auto', 'task'] as const, 'auto: the system dials the next free lawyer; task: a person clicks to call'),
  team: literals(['lawyers', 'supervisors'] as const),
  status: literals(CALLBACK_STATUSES),
  number: Type.String(),
  line: Type.String(),
  topic: N(Type.String()),
  ownerStaffNo: N(Type.String()),
  dueAt: Timestamp,
  deadlineAt: Timestamp,
  /** Still open (pending or dialling) past its deadline. */
  overdue: Type.Boolean(),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lastOutcome: N(Type.String({ description: `${ATTEMPT_OUTCOMES.join(' | ')} | called_again | cancelled` })),
  failureReason: N(Type.String()),
  note: N(Type.String()),
  /** The voicemail's recording name, and its id when the recording is on file. */
  recording: N(Type.String()),
  recordingId: N(Type.String()),
  workOrderId: N(Type.String()),
  originCallId: N(Type.String()),
  resultCallId: N(Type.String()),
  completedBy: N(Type.String()),
  completedAt: N(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** This user may click to call it now. */
  dialable: Type.Boolean(),
});
export type CallbackView = Static<typeof CallbackView>;

export const AttemptView = Type.Object({
  attempt: Type.Integer(),
  staffNo: N(Type.String()),
  callId: N(Type.String()),
  startedAt: Timestamp,
  endedAt: N(Timestamp),
  outcome: N(literals(ATTEMPT_OUTCOMES)),
  detail: N(Type.String()),
});

export const CallbackDetail = Type.Intersect([CallbackView, Type.Object({ history: Type.Array(AttemptView) })]);
export type CallbackDetail = Static<typeof CallbackDetail>;

interface Row {
  id: string; kind: string; mode: string; team: string; status: string; number: string; line: string; topic: string | null;
  owner_staff_no: string | null; due_at: Date; deadline_at: Date; attempts: number; max_attempts: number; last_outcome: string | null;
  failure_reason: string | null; note: string | null; recording: string | null; recording_id: string | null; work_order_id: string | null;
  origin_call_id: string | null; result_call_id: string | null; completed_by: string | null; completed_at: Date | null;
  created_at: Date; updated_at: Date;
}

const OPEN = `b.status in ('pending', 'dialling')`;
const SELECT = `select b.*, (select r.id from recording r where r.name = b.recording order by r.id desc limit 1) as recording_id from callback b`;
/** How long a closed callback stays on "my callbacks": the day's results stay in sight. */
const RECENT_MS = 24 * 3600_000;

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Why `user` may not click to call `c` now (undefined: they may). */
function refusal(user: DeskUser, c: Pick<Row, 'status' | 'mode' | 'team' | 'owner_staff_no'>): DeskError | undefined {
  const supervisor = user.role === 'supervisor';
  if (c.status === 'dialling') return new DeskError(409, 'conflict', 'this callback is being dialled now');
  if (c.status === 'failed') return supervisor ? undefined : forbidden('a failed callback is for a supervisor to decide on');
  if (c.status !== 'pending') return new DeskError(409, 'conflict', `this callback is ${c.status}`);
  if (c.mode === 'auto') return new DeskError(409, 'conflict', 'automatic callbacks are dialled by the system as lawyers become free');
  if (supervisor) return undefined;
  if (c.owner_staff_no && c.owner_staff_no !== user.staffNo) return forbidden(`this callback belongs to ${c.owner_staff_no} (首问负责)`);
  if (c.team !== 'lawyers') return forbidden('not a lawyers\' callback');
  return undefined;
}

function view(user: DeskUser, r: Row, now: Date): CallbackView {
  const open = r.status === 'pending' || r.status === 'dialling';
  return {
    id: String(r.id), kind: r.kind as CallbackView['kind'], mode: r.mode as CallbackView['mode'], team: r.team as CallbackView['team'],
    status: r.status as CallbackView['status'], number: r.number, line: r.line, topic: r.topic, ownerStaffNo: r.owner_staff_no,
    dueAt: iso(r.due_at)!, deadlineAt: iso(r.deadline_at)!, overdue: open && new Date(r.deadline_at).getTime() < now.getTime(),
    attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts), lastOutcome: r.last_outcome, failureReason: r.failure_reason,
    note: r.note, recording: r.recording, recordingId: r.recording_id == null ? null : String(r.recording_id),
    workOrderId: r.work_order_id == null ? null : String(r.work_order_id), originCallId: r.origin_call_id, resultCallId: r.result_call_id,
    completedBy: r.completed_by, completedAt: iso(r.completed_at), createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!,
    dialable: !refusal(user, r),
  };
}

/** A lawyer sees their own callbacks, the ones they dialled, and the lawyers' team's; supervisors see all. */
function visibleTo(user: DeskUser): { sql: string; params: unknown[] } {
  if (user.role === 'supervisor') return { sql: 'true', params: [] };
  return {
    sql: `(b.owner_staff_no = ? or (b.team = 'lawyers' and b.owner_staff_no is null)
           or exists (select 1 from callback_attempt a where a.callback_id = b.id and a.staff_no = ?))
          and (b.team = 'lawyers' or b.owner_staff_no = ?)`,
    params: [user.staffNo, user.staffNo, user.staffNo],
  };
}

async function rows(em: EntityManager, where: string, params: unknown[], tail = ''): Promise<Row[]> {
  return em.getConnection().execute<Row[]>(`${SELECT} where ${where} ${tail}`, params);
}

/**
 * mine: open callbacks I own, and those I own or dialled that closed in the last day (their outcome);
 * team: the lawyers' team's unowned open callbacks (a supervisor: every open one); failed: supervisors only.
 * Open first, the nearest deadline first.
 */
export async function listCallbacks(em: EntityManager, user: DeskUser, which: CallbackListView, now = new Date()): Promise<CallbackView[]> {
  const me = user.staffNo;
  let where: string;
  let params: unknown[];
  if (which === 'mine') {
    where = `(b.owner_staff_no = ? and ${OPEN})
      or (not ${OPEN} and b.updated_at > ? and (b.owner_staff_no = ? or b.completed_by = ?
          or exists (select 1 from callback_attempt a where a.callback_id = b.id and a.staff_no = ?)))`;
    params = [me, new Date(now.getTime() - RECENT_MS), me, me, me];
  } else if (which === 'team') {
    where = user.role === 'supervisor' ? OPEN : `${OPEN} and b.team = 'lawyers' and b.owner_staff_no is null`;
    params = [];
  } else {
    if (user.role !== 'supervisor') throw forbidden('the failed callbacks are for supervisors');
    where = `b.status = 'failed'`;
    params = [];
  }
  const v = visibleTo(user);
  const found = await rows(em, `(${where}) and ${v.sql}`, [...params, ...v.params],
    `order by (b.status in ('pending', 'dialling')) desc, b.deadline_at asc, b.id asc limit 200`);
  return found.map((r) => view(user, r, now));
}

async function history(em: EntityManager, ids: string[]): Promise<Map<string, Static<typeof AttemptView>[]>> {
  const out = new Map<string, Static<typeof AttemptView>[]>();
  if (!ids.length) return out;
  const found = await em.getConnection().execute<Array<{ callback_id: string; attempt: number; staff_no: string | null; call_id: string | null;
    started_at: Date; ended_at: Date | null; outcome: string | null; detail: string | null }>>(
    `select * from callback_attempt where callback_id in (${ids.map(() => '?').join(', ')}) order by callback_id, attempt`, ids);
  for (const a of found) {
    const list = out.get(String(a.callback_id)) ?? [];
    list.push({ attempt: Number(a.attempt), staffNo: a.staff_no, callId: a.call_id, startedAt: iso(a.started_at)!, endedAt: iso(a.ended_at),
      outcome: a.outcome as Static<typeof AttemptView>['outcome'], detail: a.detail });
    out.set(String(a.callback_id), list);
  }
  return out;
}

async function withHistory(em: EntityManager, user: DeskUser, found: Row[], now: Date): Promise<CallbackDetail[]> {
  const h = await history(em, found.map((r) => String(r.id)));
  return found.map((r) => ({ ...view(user, r, now), history: h.get(String(r.id)) ?? [] }));
}

async function visibleRow(em: EntityManager, user: DeskUser, id: string): Promise<Row> {
  const v = visibleTo(user);
  const [r] = await rows(em, `b.id = ? and ${v.sql}`, [id, ...v.params]);
  if (!r) throw notFound('callback');
  return r;
}

export async function getCallback(em: EntityManager, user: DeskUser, id: string, now = new Date()): Promise<CallbackDetail> {
  return (await withHistory(em, user, [await visibleRow(em, user, id)], now))[0];
}

/**
 * The callbacks a work order carries: its promise, those from its call (a voicemail, a missed call), and the one
 * whose call it is (a callback call gets a work order of its own). Lawyers do not see supervisors' 回访 items.
 */
export async function callbacksOfWorkOrder(em: EntityManager, user: DeskUser, wo: { id: string; callId: string }, now = new Date()): Promise<CallbackDetail[]> {
  const found = await rows(em,
    `(b.work_order_id = ? or b.origin_call_id = ? or b.result_call_id = ?
      or exists (select 1 from callback_attempt a where a.callback_id = b.id and a.call_id = ?))
     and (? or b.team = 'lawyers')`,
    [wo.id, wo.callId, wo.callId, wo.callId, user.role === 'supervisor'], 'order by b.id');
  return withHistory(em, user, found, now);
}

/**
 * Checks that `user` may click to call callback `id` and returns the attempt to request. A failed callback a
 * supervisor dials again becomes their task (the system stops trying it by itself) with one more attempt allowed.
 */
export async function prepareDial(em: EntityManager, user: DeskUser, id: string): Promise<{ attempt: number }> {
  const r = await visibleRow(em, user, id);
  const why = refusal(user, r);
  if (why) throw why;
  if (r.status === 'failed') {
    const [reopened] = await em.getConnection().execute<Array<{ attempts: number }>>(
      `update callback set status = 'pending', mode = 'task', owner_staff_no = ?, failure_reason = null, next_attempt_at = now(),
              max_attempts = greatest(max_attempts, attempts + 1), updated_at = now()
        where id = ? and status = 'failed' and attempts < 10 returning attempts`, [user.staffNo, id]);
    if (!reopened) throw new DeskError(409, 'conflict', 'this callback can be tried no more (10 attempts)');
    return { attempt: Number(reopened.attempts) + 1 };
  }
  return { attempt: Number(r.attempts) + 1 };
}

/** Adds the click-to-call job (ivr/callbacks/jobs.ts requestDial); returns its id. */
export async function requestDial(callbacks: DeskCallbacks, id: string, attempt: number, staffNo: string): Promise<string> {
  return callbacks.requestDial(id, attempt, staffNo);
}

/** A supervisor takes a callback off the lists (a pending one nobody should call, or a failed one decided on). */
export async function cancelCallback(em: EntityManager, user: DeskUser, id: string, reason: string): Promise<CallbackDetail> {
  const r = await visibleRow(em, user, id);
  const [done] = await em.getConnection().execute<unknown[]>(
    `update callback set status = 'cancelled', last_outcome = 'cancelled', completed_by = ?, completed_at = now(), updated_at = now(),
            note = case when note is null then ? else note || E'\\n' || ? end
      where id = ? and status in ('pending', 'failed') returning id`,
    [user.staffNo, `取消原因：${reason}`, `取消原因：${reason}`, id]);
  if (!done) throw new DeskError(409, 'conflict', `this callback is ${r.status}; only a pending or failed one can be cancelled`);
  return getCallback(em, user, id);
}
