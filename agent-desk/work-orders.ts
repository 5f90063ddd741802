// Ledger work orders: who may see and write which, the ledger's own rules (a resolved matter has an answer, a
// referral names where to, a risk flag has a reason, a declined name stays empty), and the search behind the list,
// the CSV export and the screen pop's history.
import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CallRecord } from '../lib/entities/call-record.js';
import { WorkOrder, type Disposition } from '../lib/entities/work-order.js';
import type { ServiceLine } from '../ivr/records/events.js';
import type { DeskUser } from './access.js';
import { DeskError, forbidden, notFound, type FieldProblem } from './errors.js';
import type { Handling } from './handling.js';
import type { WorkOrderView } from './schemas.js';
import { timeRange } from './time.js';

/** Everything (supervisors), or a lawyer's own work orders plus those of the callers they are handling now. */
export type Scope = { all: true } | { all: false; staffNo: string; callers: string[]; callIds: string[] };

export async function scopeOf(user: DeskUser, handling: Handling): Promise<Scope> {
  if (user.role === 'supervisor') return { all: true };
  const calls = await handling.calls(user.staffNo);
  return { all: false, staffNo: user.staffNo, callers: [...new Set(calls.map((c) => c.callerNumber))], callIds: calls.map((c) => c.callId) };
}

export interface WorkOrderInput {
  serviceLine: ServiceLine;
  legalTopic?: string | null;
  callerName?: string | null;
  callerDeclinedName?: boolean;
  matter: string;
  answer?: string;
  referral?: string | null;
  disposition: Disposition;
  riskFlag?: boolean;
  riskReason?: string | null;
  /** 约定回拨时间 (ISO 8601 with a zone); null withdraws the promise. */
  callbackAt?: string | null;
}

type Content = Required<{ [K in keyof Omit<WorkOrderInput, 'callbackAt'>]: Exclude<WorkOrderInput[K], undefined> }> & { callbackAt: Date | null };

/**
 * Keeps the promised callback (约定回拨) in step with the work order, in the work order's transaction
 * (lib/callbacks/create.ts syncPromise, with the centre's calendar).
 */
export type PromiseSync = (em: EntityManager, w: WorkOrder) => Promise<void>;

/** How far ahead a promise may be made: further than this is a typo, not a plan. */
const PROMISE_HORIZON_MS = 366 * 86_400_000;
/** A promise saved a little late (the form was open for a while) is still taken. */
const PROMISE_SLACK_MS = 5 * 60_000;
const PHONE = /^\+?[0-9]{3,20}$/;

/** Blank optional text is stored as null, so "no referral" has one spelling. */
const blank = (s: string | null | undefined) => (s === undefined || s === null || s.trim() === '' ? null : s.trim());

function normalise(i: WorkOrderInput): Content {
  return {
    serviceLine: i.serviceLine,
    legalTopic: i.legalTopic ?? null,
    callerName: blank(i.callerName),
    callerDeclinedName: i.callerDeclinedName ?? false,
    matter: i.matter.trim(),
    answer: (i.answer ?? '').trim(),
    referral: blank(i.referral),
    disposition: i.disposition,
    riskFlag: i.riskFlag ?? false,
    riskReason: blank(i.riskReason),
    callbackAt: i.callbackAt ? new Date(i.callbackAt) : null,
  };
}

/** A new or moved promise must be a real moment, not in the past, and the caller must have a number to call. */
function promiseProblems(next: Date | null, before: Date | null, callerNumber: string | null | undefined, now = new Date()): FieldProblem[] {
  if (!next) return [];
  if (Number.isNaN(next.getTime())) return [{ field: 'callbackAt', message: 'is not a valid date' }];
  if (before && before.getTime() === next.getTime()) return [];
  if (next.getTime() < now.getTime() - PROMISE_SLACK_MS) return [{ field: 'callbackAt', message: 'must not be in the past' }];
  if (next.getTime() > now.getTime() + PROMISE_HORIZON_MS) return [{ field: 'callbackAt', message: 'must be within a year' }];
  if (!callerNumber || !PHONE.test(callerNumber)) return [{ field: 'callbackAt', message: 'the call has no caller number to call back' }];
  return [];
}

/** The ledger's rules across fields; every broken one is reported, each naming its field. */
export function ledgerProblems(c: Content): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (!c.matter) p.push({ field: 'matter', message: 'is required' });
  if (c.callerDeclinedName && c.callerName) p.push({ field: 'callerName', message: 'must be empty when the caller declined to give a name' });
  if (c.disposition === 'resolved' && !c.answer) p.push({ field: 'answer', message: 'is required when the matter is resolved' });
  if (c.disposition === 'referred' && !c.referral) p.push({ field: 'referral', message: 'is required when the matter is referred' });
  if (c.riskFlag && !c.riskReason) p.push({ field: 'riskReason', message: 'is required when the risk flag is set' });
  return p;
}

function check(c: Content, extra: FieldProblem[] = []): void {
  const problems = [...ledgerProblems(c), ...extra];
  if (problems.length) {
    throw new DeskError(400, 'bad_request', 'invalid body: ' + problems.map((x) => `${x.field} ${x.message}`).join('; '), problems);
  }
}

export function toView(w: WorkOrder): WorkOrderView {
  return {
    id: w.id, callId: w.callId, staffNo: w.staffNo, callerNumber: w.callerNumber ?? null,
    serviceLine: w.serviceLine, legalTopic: w.legalTopic ?? null, callerName: w.callerName ?? null,
    callerDeclinedName: w.callerDeclinedName, matter: w.matter, answer: w.answer, referral: w.referral ?? null,
    disposition: w.disposition, riskFlag: w.riskFlag, riskReason: w.riskReason ?? null,
    callbackAt: w.callbackAt ? w.callbackAt.toISOString() : null, updatedBy: w.updatedBy,
    createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString(),
  };
}

function visible(scope: Scope, w: Pick<WorkOrder, 'staffNo' | 'callerNumber'>): boolean {
  return scope.all || w.staffNo === scope.staffNo || (!!w.callerNumber && scope.callers.includes(w.callerNumber));
}

export async function createWorkOrder(
  em: EntityManager, user: DeskUser, handling: Handling, input: WorkOrderInput & { callId: string }, promises?: PromiseSync,
): Promise<WorkOrderView> {
  const content = normalise(input);
  check(content);
  const call = await em.findOne(CallRecord, { callId: input.callId });
  // A lawyer writes the work order of a call they took; asking about any other call id tells them nothing.
  if (user.role !== 'supervisor') {
    const mine = call?.agent === user.staffNo || (await handling.handles(user.staffNo, input.callId));
    if (!mine) throw forbidden('you can only write the work order of a call you handled');
  }
  if (!call) {
    throw new DeskError(404, 'not_found', 'callId: no such call (its record may still be on its way; try again shortly)',
      [{ field: 'callId', message: 'no such call' }]);
  }
  if (await em.count(WorkOrder, { callId: input.callId })) throw duplicate();
  check(content, promiseProblems(content.callbackAt, null, call.callerNumber));
  const w = em.create(WorkOrder, {
    ...content,
    callId: input.callId,
    staffNo: user.role === 'supervisor' ? (call.agent ?? user.staffNo) : user.staffNo,
    callerNumber: call.callerNumber ?? null,
    updatedBy: user.staffNo,
  });
  try {
    await inTransaction(em, async () => {
      await em.flush();
      if (promises && w.callbackAt) await promises(em, w);
    });
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw duplicate();
    throw e;
  }
  await handling.done(w.staffNo, w.callId);
  return toView(w);
}

/** The work order and its promised callback are written together or not at all. */
async function inTransaction(em: EntityManager, work: () => Promise<void>): Promise<void> {
  await em.begin();
  try {
    await work();
    await em.commit();
  } catch (e) {
    await em.rollback();
    throw e;
  }
}

const duplicate = () =>
  new DeskError(409, 'conflict', 'callId: this call already has a work order; edit that one',
    [{ field: 'callId', message: 'already has a work order' }]);

/**
 * Owners and supervisors edit, and so does a lawyer handling that very call now (it was transferred to them: one
 * work order per call, still owned by the lawyer who took it first). A lawyer who may only see it is refused.
 */
export async function updateWorkOrder(
  em: EntityManager, user: DeskUser, scope: Scope, id: string, patch: Partial<WorkOrderInput>, promises?: PromiseSync,
): Promise<WorkOrderView> {
  const w = await em.findOne(WorkOrder, { id });
  if (!w || !visible(scope, w)) throw notFound('work order');
  const handlingIt = !scope.all && scope.callIds.includes(w.callId);
  if (user.role !== 'supervisor' && w.staffNo !== user.staffNo && !handlingIt) {
    throw forbidden('only the owner, the lawyer handling the call or a supervisor may edit this work order');
  }
  const merged = normalise({ ...(toView(w) as WorkOrderInput), ...patch });
  const before = w.callbackAt ?? null;
  check(merged, promiseProblems(merged.callbackAt, before, w.callerNumber));
  em.assign(w, { ...merged, updatedBy: user.staffNo });
  const promiseChanged = (before?.getTime() ?? null) !== (merged.callbackAt?.getTime() ?? null);
  await inTransaction(em, async () => {
    await em.flush();
    if (promises && promiseChanged) await promises(em, w);
  });
  return toView(w);
}

export async function getWorkOrder(em: EntityManager, scope: Scope, id: string): Promise<WorkOrderView> {
  const w = await em.findOne(WorkOrder, { id });
  if (!w || !visible(scope, w)) throw notFound('work order');
  return toView(w);
}

export interface WorkOrderQuery {
  caller?: string; callId?: string; from?: string; to?: string; line?: ServiceLine; staffNo?: string;
  disposition?: Disposition; risk?: boolean; limit?: number; offset?: number;
}

export function workOrderFilter(scope: Scope, q: WorkOrderQuery): FilterQuery<WorkOrder> {
  const and: FilterQuery<WorkOrder>[] = [];
  if (q.caller) and.push({ callerNumber: q.caller });
  if (q.callId) and.push({ callId: q.callId });
  const range = timeRange(q.from, q.to);
  if (range.from) and.push({ createdAt: { $gte: range.from } });
  if (range.to) and.push({ createdAt: { $lt: range.to } });
  if (q.line) and.push({ serviceLine: q.line });
  if (q.staffNo) and.push({ staffNo: q.staffNo });
  if (q.disposition) and.push({ disposition: q.disposition });
  if (q.risk !== undefined) and.push({ riskFlag: q.risk });
  if (!scope.all) {
    const mine: FilterQuery<WorkOrder>[] = [{ staffNo: scope.staffNo }];
    if (scope.callers.length) mine.push({ callerNumber: { $in: scope.callers } });
    and.push({ $or: mine });
  }
  return and.length ? { $and: and } : {};
}

export async function searchWorkOrders(em: EntityManager, scope: Scope, q: WorkOrderQuery) {
  const [rows, total] = await em.findAndCount(WorkOrder, workOrderFilter(scope, q), {
    orderBy: { createdAt: 'desc', id: 'desc' }, limit: q.limit ?? 50, offset: q.offset ?? 0,
  });
  return { total, items: rows.map(toView) };
}

/** The caller's earlier work orders for the screen pop, newest first. */
export async function callerHistory(em: EntityManager, callerNumber: string, limit = 10): Promise<WorkOrderView[]> {
  const rows = await em.find(WorkOrder, { callerNumber }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  return rows.map(toView);
}
