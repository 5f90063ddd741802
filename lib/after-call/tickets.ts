// Complaint and supervision tickets (投诉 / 政务监督): category, whom it concerns, a deadline in working days, a
// handler, forwarding to another department with a note, the reply to the caller by callback, closure with the
// caller's rating, and escalation to a supervisor when overdue. A complaint about a named lawyer goes to a
// supervisor and never to that lawyer (checked here and by a table constraint).
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { civilDate, type WorkingCalendar } from '../calendar/index.js';
import { Staff } from '../entities/staff.js';
import { RATINGS, Ticket, TicketEvent, TICKET_EVENT_KINDS } from '../entities/after-call.js';

export class TicketRuleError extends Error {
  constructor(readonly field: string, message: string, readonly status: 400 | 404 | 409 = 400) { super(`${field}: ${message}`); }
}

export type Rating = (typeof RATINGS)[number];
type EventKind = (typeof TICKET_EVENT_KINDS)[number];

export interface TicketInput {
  kind: 'complaint' | 'supervision';
  category: string;
  concernsStaffNo?: string | null;
  concernsDepartment?: string | null;
  summary: string;
  callerNumber?: string | null;
  callerName?: string | null;
  callId?: string | null;
  workOrderId?: string | null;
  department: string;
  handler?: string | null;
  deadlineDays: number;
}

/** The reply to a caller by callback; issue 5 owns callbacks, this is the seam between the two. */
export interface TicketCallbacks {
  request(ticketId: string, number: string, dueAt: Date): Promise<void>;
}

function event(em: EntityManager, ticketId: string, kind: EventKind, by: string, note = '', details: Record<string, unknown> | null = null): void {
  em.create(TicketEvent, { ticketId, kind, by, note, details });
}

/** The first active supervisor who is not `except` (the lawyer a complaint is about). */
async function aSupervisor(em: EntityManager, except?: string | null): Promise<string> {
  const s = await em.findOne(Staff, { role: 'supervisor', active: true, ...(except ? { staffNo: { $ne: except } } : {}) }, { orderBy: { staffNo: 'asc' } });
  if (!s) throw new TicketRuleError('handler', 'no active supervisor to take this ticket', 409);
  return s.staffNo;
}

async function checkHandler(em: EntityManager, t: { concernsStaffNo?: string | null }, handler: string): Promise<void> {
  const s = await em.findOne(Staff, { staffNo: handler, active: true });
  if (!s || s.role === 'admin') throw new TicketRuleError('handler', 'no such active lawyer or supervisor');
  if (t.concernsStaffNo) {
    if (handler === t.concernsStaffNo) throw new TicketRuleError('handler', 'a complaint about a lawyer is never handled by that lawyer');
    if (s.role !== 'supervisor') throw new TicketRuleError('handler', 'a complaint about a named lawyer goes to a supervisor');
  }
}

export class Tickets {
  constructor(private readonly calendar: WorkingCalendar) {}

  async create(em: EntityManager, i: TicketInput, by: string, now = new Date()): Promise<Ticket> {
    return em.transactional(async (tx) => {
      if (i.concernsStaffNo && !(await tx.count(Staff, { staffNo: i.concernsStaffNo }))) {
        throw new TicketRuleError('concernsStaffNo', 'no such lawyer');
      }
      let handler = i.handler ?? null;
      if (handler) await checkHandler(tx, i, handler);
      else if (i.concernsStaffNo) handler = await aSupervisor(tx, i.concernsStaffNo);
      const t = tx.create(Ticket, {
        kind: i.kind, category: i.category, concernsStaffNo: i.concernsStaffNo ?? null, concernsDepartment: i.concernsDepartment ?? null,
        summary: i.summary.trim(), callerNumber: i.callerNumber ?? null, callerName: i.callerName ?? null, callId: i.callId ?? null,
        workOrderId: i.workOrderId ?? null, department: i.department, handler, deadlineDays: i.deadlineDays,
        dueDate: this.calendar.addWorkingDays(civilDate(now), i.deadlineDays), status: handler ? 'in_progress' : 'open', createdBy: by,
      });
      await tx.flush();
      event(tx, t.id, 'created', by, '', { department: t.department, dueDate: t.dueDate });
      if (handler) event(tx, t.id, 'assigned', by, '', { handler });
      return t;
    });
  }

  private async open(tx: EntityManager, id: string): Promise<Ticket> {
    const t = await tx.findOne(Ticket, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!t) throw new TicketRuleError('id', 'no such ticket', 404);
    if (t.status === 'closed') throw new TicketRuleError('status', 'the ticket is closed', 409);
    return t;
  }

  async assign(em: EntityManager, id: string, handler: string, by: string): Promise<Ticket> {
    return em.transactional(async (tx) => {
      const t = await this.open(tx, id);
      await checkHandler(tx, t, handler);
      tx.assign(t, { handler, status: t.status === 'open' ? 'in_progress' : t.status });
      event(tx, t.id, 'assigned', by, '', { handler });
      return t;
    });
  }

  /** To another department with a note; the new department's handler is assigned there (a supervisor keeps a named-lawyer complaint). */
  async forward(em: EntityManager, id: string, department: string, note: string, by: string): Promise<Ticket> {
    return em.transactional(async (tx) => {
      const t = await this.open(tx, id);
      if (department === t.department) throw new TicketRuleError('department', 'the ticket is already with this department');
      const from = t.department;
      tx.assign(t, { department, handler: t.concernsStaffNo ? t.handler : null, status: t.concernsStaffNo ? t.status : 'open' });
      event(tx, t.id, 'forwarded', by, note, { from, to: department });
      return t;
    });
  }

  /** The handler's reply is written, and the caller is to be rung back with it. */
  async requestCallback(em: EntityManager, id: string, o: { reply: string; number: string; dueAt: Date; by: string }): Promise<Ticket> {
    return em.transactional(async (tx) => {
      const t = await this.open(tx, id);
      tx.assign(t, { reply: o.reply.trim() });
      event(tx, t.id, 'callback_requested', o.by, '', { number: o.number, dueAt: o.dueAt.toISOString() });
      return t;
    });
  }

  /** What the callback call came to; an answered one is the reply given. */
  async callbackResult(em: EntityManager, id: string, outcome: string, now = new Date()): Promise<Ticket | null> {
    return em.transactional(async (tx) => {
      const t = await tx.findOne(Ticket, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!t) return null;
      event(tx, t.id, 'callback_result', 'system', '', { outcome });
      if (outcome === 'answered' && t.status !== 'closed') {
        tx.assign(t, { status: 'replied', repliedAt: now });
        event(tx, t.id, 'replied', 'system', 'by callback');
      }
      return t;
    });
  }

  async close(em: EntityManager, id: string, rating: Rating, note: string, by: string, now = new Date()): Promise<Ticket> {
    return em.transactional(async (tx) => {
      const t = await this.open(tx, id);
      if (!t.reply) throw new TicketRuleError('reply', 'reply to the caller before closing the ticket', 409);
      tx.assign(t, { status: 'closed', rating, closedAt: now, closedOnTime: civilDate(now) <= t.dueDate, repliedAt: t.repliedAt ?? now });
      event(tx, t.id, 'closed', by, note, { rating });
      return t;
    });
  }

  /** Overdue tickets (today past the due date) go up to a supervisor, once each. */
  async escalateOverdue(em: EntityManager, now = new Date()): Promise<Ticket[]> {
    const today = civilDate(now);
    return em.transactional(async (tx) => {
      const due = await tx.find(Ticket, { status: { $ne: 'closed' }, dueDate: { $lt: today }, escalatedAt: null },
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { dueDate: 'asc', id: 'asc' } });
      for (const t of due) {
        const to = await aSupervisor(tx, t.concernsStaffNo);
        tx.assign(t, { escalatedAt: now, escalatedTo: to });
        event(tx, t.id, 'escalated', 'system', `已超过办理期限 ${t.dueDate}`, { to });
      }
      return due;
    });
  }
}
