// After the call (issue 8): appointments, legal-aid applications, complaint and supervision tickets, and the holiday
// years an admin loads. Tables: migrations/Migration20261126110000_after_call.ts. Each matter keeps the call that
// started it (`callId`) and, when one existed then, its work order.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

const created = () => p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date());
const updated = () => created().onUpdate(() => new Date());
const civilDate = () => p.string().columnType('date');

export const HolidayCalendarYear = defineEntity({
  name: 'HolidayCalendarYear',
  tableName: 'holiday_calendar',
  properties: {
    year: p.integer().primary().autoincrement(false),
    /** `{ holidays, workdays }` as in lib/calendar/holidays-cn.json, checked before it is saved. */
    data: p.json<{ holidays: unknown[]; workdays: string[] }>().columnType('jsonb'),
    source: p.text(),
    loadedBy: p.text(),
    loadedAt: created(),
  },
});
export type HolidayCalendarYear = InferEntity<typeof HolidayCalendarYear>;

export const AppointmentService = defineEntity({
  name: 'AppointmentService',
  tableName: 'appointment_service',
  properties: {
    code: p.text().primary(),
    name: p.text(),
    place: p.text(),
    /** The prompt that says the place in the reminder call. */
    placePrompt: p.text().nullable(),
    rooms: p.json<string[]>().columnType('jsonb'),
    slotMinutes: p.integer(),
    capacity: p.integer(),
    /** Opening hours of this service when they differ from the centre's (`mon-fri 09:00-11:30`). */
    hours: p.text().nullable(),
    active: p.boolean().default(true),
  },
});
export type AppointmentService = InferEntity<typeof AppointmentService>;

export const AppointmentSlot = defineEntity({
  name: 'AppointmentSlot',
  tableName: 'appointment_slot',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    service: p.text(),
    room: p.text(),
    startsAt: p.datetime().columnType('timestamptz'),
    endsAt: p.datetime().columnType('timestamptz'),
    capacity: p.integer(),
    /** Changed only by atomic SQL (appointments.ts), never through the unit of work. */
    booked: p.integer().default(0),
  },
});
export type AppointmentSlot = InferEntity<typeof AppointmentSlot>;

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'kept', 'no_show'] as const;
export const REMINDER_STATUSES = ['planned', 'answered', 'no_answer', 'busy', 'failed'] as const;

export const Appointment = defineEntity({
  name: 'Appointment',
  tableName: 'appointment',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    slotId: p.bigint('string'),
    service: p.text(),
    room: p.text(),
    startsAt: p.datetime().columnType('timestamptz'),
    callerNumber: p.text(),
    callerName: p.text().nullable(),
    note: p.text().default(''),
    status: p.enum([...APPOINTMENT_STATUSES]).columnType('text').default('booked'),
    channel: p.enum(['desk', 'ivr'] as const).columnType('text'),
    callId: p.text().nullable(),
    workOrderId: p.bigint('string').nullable(),
    bookedBy: p.text(),
    moves: p.integer().default(0),
    reminderStatus: p.enum([...REMINDER_STATUSES]).columnType('text').nullable(),
    reminderAt: p.datetime().columnType('timestamptz').nullable(),
    createdAt: created(),
    updatedAt: updated(),
  },
});
export type Appointment = InferEntity<typeof Appointment>;

export const LEGAL_AID_STATUSES = ['received', 'under_review', 'approved', 'refused', 'lawyer_assigned'] as const;
export type LegalAidStatus = (typeof LEGAL_AID_STATUSES)[number];

export const LegalAidApplication = defineEntity({
  name: 'LegalAidApplication',
  tableName: 'legal_aid_application',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    caseNumber: p.text().unique(),
    callId: p.text().nullable(),
    workOrderId: p.bigint('string').nullable(),
    applicantName: p.text(),
    applicantIdNumber: p.text().nullable(),
    applicantPhone: p.text().nullable(),
    matterType: p.text(),
    matter: p.text().default(''),
    opposingParty: p.text().nullable(),
    /** Legal Aid Law art. 42: a group exempt from the means test; null when none applies. */
    exemptGroup: p.text().nullable(),
    /** 告知承诺: the applicant declares hardship instead of bringing proof of it. */
    hardshipDeclaration: p.boolean().default(false),
    documentsMissing: p.json<string[]>().columnType('jsonb'),
    status: p.enum([...LEGAL_AID_STATUSES]).columnType('text').default('received'),
    statusSince: p.datetime().columnType('timestamptz'),
    receivedOn: civilDate(),
    /** The current step's deadline (a Beijing date, inclusive); null once decided and assigned. */
    stepDue: civilDate().nullable(),
    decisionDue: civilDate(),
    decidedOn: civilDate().nullable(),
    lawyer: p.text().nullable(),
    refusalReason: p.text().nullable(),
    /** When the overdue alert for the current step fired (once per step). */
    overdueAlertedOn: civilDate().nullable(),
    createdBy: p.text(),
    createdAt: created(),
    updatedAt: updated(),
  },
});
export type LegalAidApplication = InferEntity<typeof LegalAidApplication>;

export const LegalAidEvent = defineEntity({
  name: 'LegalAidEvent',
  tableName: 'legal_aid_event',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    applicationId: p.bigint('string'),
    kind: p.enum(['status', 'overdue'] as const).columnType('text'),
    fromStatus: p.text().nullable(),
    toStatus: p.text().nullable(),
    stepDue: civilDate().nullable(),
    by: p.text(),
    note: p.text().default(''),
    at: created(),
  },
});
export type LegalAidEvent = InferEntity<typeof LegalAidEvent>;

export const TICKET_STATUSES = ['open', 'in_progress', 'replied', 'closed'] as const;
export const TICKET_EVENT_KINDS = ['created', 'assigned', 'forwarded', 'callback_requested', 'callback_result', 'replied', 'escalated', 'closed'] as const;
export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;

export const Ticket = defineEntity({
  name: 'Ticket',
  tableName: 'ticket',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    kind: p.enum(['complaint', 'supervision'] as const).columnType('text'),
    category: p.text(),
    /** A named lawyer the complaint is about: the ticket then goes to a supervisor, never to them. */
    concernsStaffNo: p.text().nullable(),
    concernsDepartment: p.text().nullable(),
    summary: p.text(),
    callerNumber: p.text().nullable(),
    callerName: p.text().nullable(),
    callId: p.text().nullable(),
    workOrderId: p.bigint('string').nullable(),
    department: p.text(),
    handler: p.text().nullable(),
    deadlineDays: p.integer(),
    dueDate: civilDate(),
    status: p.enum([...TICKET_STATUSES]).columnType('text').default('open'),
    escalatedAt: p.datetime().columnType('timestamptz').nullable(),
    escalatedTo: p.text().nullable(),
    reply: p.text().nullable(),
    repliedAt: p.datetime().columnType('timestamptz').nullable(),
    rating: p.enum([...RATINGS]).columnType('text').nullable(),
    closedAt: p.datetime().columnType('timestamptz').nullable(),
    closedOnTime: p.boolean().nullable(),
    createdBy: p.text(),
    createdAt: created(),
    updatedAt: updated(),
  },
});
export type Ticket = InferEntity<typeof Ticket>;

export const TicketEvent = defineEntity({
  name: 'TicketEvent',
  tableName: 'ticket_event',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    ticketId: p.bigint('string'),
    kind: p.enum([...TICKET_EVENT_KINDS]).columnType('text'),
    by: p.text(),
    note: p.text().default(''),
    details: p.json<Record<string, unknown>>().columnType('jsonb').nullable(),
    at: created(),
  },
});
export type TicketEvent = InferEntity<typeof TicketEvent>;

export const afterCallEntities = [
  HolidayCalendarYear, AppointmentService, AppointmentSlot, Appointment, LegalAidApplication, LegalAidEvent, Ticket, TicketEvent,
];
