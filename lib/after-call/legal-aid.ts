// Legal-aid applications taken on the desk during a call: intake, the status flow received -> under review ->
// approved / refused -> lawyer assigned with a deadline clock per step in working days, the overdue alert, and the
// status the IVR reads by case number (case_status, written in the same transaction as every change).
//
// Deadlines (DOMAIN.md, older procedure rules): decide within 7 working days of receipt; assign a lawyer within 3
// working days of approval. The centre's own rule that review starts within 2 working days is configurable. The
// receipt day itself is not counted (calendar.addWorkingDays).
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { civilDate, type WorkingCalendar } from '../calendar/index.js';
import { LegalAidApplication, LegalAidEvent, type LegalAidStatus } from '../entities/after-call.js';
import { sql } from './db.js';

export interface LegalAidDeadlines { reviewStartDays: number; decisionDays: number; assignDays: number }
export const DEFAULT_DEADLINES: LegalAidDeadlines = { reviewStartDays: 2, decisionDays: 7, assignDays: 3 };

/** Legal Aid Law art. 42: who needs no means test. */
export const EXEMPT_GROUPS = {
  minor_no_income: '无固定生活来源的未成年人',
  elderly_no_income: '无固定生活来源的老年人',
  disabled_no_income: '无固定生活来源的残疾人',
  assistance_recipient: '社会救助、司法救助或者优抚对象',
  migrant_worker_wages: '请求支付劳动报酬或工伤赔偿的农民工',
  other_rule: '法律法规规章规定的其他人员',
} as const;
export type ExemptGroup = keyof typeof EXEMPT_GROUPS;

export const NEXT: Record<LegalAidStatus, readonly LegalAidStatus[]> = {
  received: ['under_review'],
  under_review: ['approved', 'refused'],
  approved: ['lawyer_assigned'],
  refused: [],
  lawyer_assigned: [],
};

export class LegalAidRuleError extends Error {
  constructor(readonly field: string, message: string, readonly conflict = false) { super(`${field}: ${message}`); }
}

export interface LegalAidInput {
  callId?: string | null;
  workOrderId?: string | null;
  applicantName: string;
  applicantIdNumber?: string | null;
  applicantPhone?: string | null;
  matterType: string;
  matter?: string;
  opposingParty?: string | null;
  exemptGroup?: ExemptGroup | null;
  hardshipDeclaration?: boolean;
  documentsMissing?: string[];
}

/** How the means test is met: exempt group, the hardship declaration (告知承诺), or documents still to bring. */
export function meansTest(a: Pick<LegalAidApplication, 'exemptGroup' | 'hardshipDeclaration'>): 'exempt' | 'declaration' | 'documents' {
  return a.exemptGroup ? 'exempt' : a.hardshipDeclaration ? 'declaration' : 'documents';
}

/** The deadline of the step an application enters at `on` (null: nothing left to do). */
export function stepDue(cal: WorkingCalendar, d: LegalAidDeadlines, status: LegalAidStatus, on: string, receivedOn: string): string | null {
  switch (status) {
    case 'received': return cal.addWorkingDays(receivedOn, d.reviewStartDays);
    case 'under_review': return cal.addWorkingDays(receivedOn, d.decisionDays);
    case 'approved': return cal.addWorkingDays(on, d.assignDays);
    default: return null;
  }
}

async function writeCaseStatus(em: EntityManager, caseNumber: string, status: LegalAidStatus): Promise<void> {
  await sql(em, `insert into case_status (case_number, kind, status, updated_at) values (?, 'legal_aid', ?, now())
    on conflict (case_number) do update set status = excluded.status, updated_at = now()`, [caseNumber, status]);
}

export class LegalAid {
  constructor(private readonly calendar: WorkingCalendar, private readonly deadlines: LegalAidDeadlines = DEFAULT_DEADLINES) {}

  async create(em: EntityManager, input: LegalAidInput, by: string, now: Date = new Date()): Promise<LegalAidApplication> {
    if (input.exemptGroup && !(input.exemptGroup in EXEMPT_GROUPS)) throw new LegalAidRuleError('exemptGroup', 'is not a known exempt group');
    return em.transactional(async (tx) => {
      const receivedOn = civilDate(now);
      const [{ n }] = await sql<{ n: string }>(tx, `select nextval('legal_aid_case_seq') as n`);
      const caseNumber = `${receivedOn.slice(0, 4)}${String(n).padStart(6, '0')}`;
      const due = stepDue(this.calendar, this.deadlines, 'received', receivedOn, receivedOn);
      const a = tx.create(LegalAidApplication, {
        caseNumber, callId: input.callId ?? null, workOrderId: input.workOrderId ?? null,
        applicantName: input.applicantName.trim(), applicantIdNumber: input.applicantIdNumber ?? null, applicantPhone: input.applicantPhone ?? null,
        matterType: input.matterType, matter: (input.matter ?? '').trim(), opposingParty: input.opposingParty ?? null,
        exemptGroup: input.exemptGroup ?? null, hardshipDeclaration: input.hardshipDeclaration ?? false,
        documentsMissing: input.documentsMissing ?? [], status: 'received', statusSince: now, receivedOn,
        stepDue: due, decisionDue: this.calendar.addWorkingDays(receivedOn, this.deadlines.decisionDays), createdBy: by,
      });
      await tx.flush();
      tx.create(LegalAidEvent, { applicationId: a.id, kind: 'status', fromStatus: null, toStatus: 'received', stepDue: due, by, note: '' });
      await writeCaseStatus(tx, caseNumber, 'received');
      return a;
    });
  }

  /** Moves an application one step; the row is locked so two supervisors cannot both decide it. */
  async changeStatus(
    em: EntityManager, id: string, to: LegalAidStatus, o: { by: string; note?: string; lawyer?: string; reason?: string }, now: Date = new Date(),
  ): Promise<LegalAidApplication | null> {
    return em.transactional(async (tx) => {
      const a = await tx.findOne(LegalAidApplication, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!a) return null;
      const from = a.status as LegalAidStatus;
      if (!NEXT[from].includes(to)) {
        throw new LegalAidRuleError('to', `cannot go from ${from} to ${to} (next: ${NEXT[from].join(', ') || 'none'})`, true);
      }
      if (to === 'lawyer_assigned' && !o.lawyer?.trim()) throw new LegalAidRuleError('lawyer', 'is required to assign a lawyer');
      if (to === 'refused' && !o.reason?.trim()) throw new LegalAidRuleError('reason', 'is required to refuse an application');
      const on = civilDate(now);
      const due = stepDue(this.calendar, this.deadlines, to, on, a.receivedOn);
      tx.assign(a, {
        status: to, statusSince: now, stepDue: due, overdueAlertedOn: null,
        ...(to === 'approved' || to === 'refused' ? { decidedOn: on } : {}),
        ...(to === 'lawyer_assigned' ? { lawyer: o.lawyer!.trim() } : {}),
        ...(to === 'refused' ? { refusalReason: o.reason!.trim() } : {}),
      });
      tx.create(LegalAidEvent, { applicationId: a.id, kind: 'status', fromStatus: from, toStatus: to, stepDue: due, by: o.by, note: o.note ?? '' });
      await writeCaseStatus(tx, a.caseNumber, to);
      return a;
    });
  }

  /**
   * Applications whose current step is past its deadline (today > stepDue) and not yet alerted for it: each is
   * marked and gets an 'overdue' event. Returns them, for the log, the metric and the desk.
   */
  async alertOverdue(em: EntityManager, now: Date = new Date()): Promise<LegalAidApplication[]> {
    const today = civilDate(now);
    return em.transactional(async (tx) => {
      const due = await tx.find(LegalAidApplication, {
        status: { $in: ['received', 'under_review', 'approved'] }, stepDue: { $lt: today }, overdueAlertedOn: null,
      }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { stepDue: 'asc', id: 'asc' } });
      for (const a of due) {
        a.overdueAlertedOn = today;
        tx.create(LegalAidEvent, {
          applicationId: a.id, kind: 'overdue', fromStatus: a.status, toStatus: a.status, stepDue: a.stepDue ?? null, by: 'system',
          note: `${a.status} 已超过期限 ${a.stepDue}`,
        });
      }
      return due;
    });
  }
}

/** Whether an application is late now: its step is past due (decided ones are judged by decidedOn <= decisionDue). */
export function isOverdue(a: Pick<LegalAidApplication, 'stepDue'>, now: Date = new Date()): boolean {
  return !!a.stepDue && civilDate(now) > a.stepDue;
}
