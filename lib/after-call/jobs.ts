// The after-call jobs on BullMQ, in their own queue (`<prefix>-after-call`; callbacks of issue 5 have theirs):
// - sweep (repeating): re-reads stored holiday years, plans today's reminder calls, alerts overdue legal-aid steps,
//   escalates overdue tickets, and queues the ticket callbacks written on the desk (ticket_event rows: an outbox, so
//   a dead Redis delays a callback and loses none);
// - reminder: the call the working day before an appointment, inside opening hours, outcome on the appointment;
// - ticket-callback: the reply call to a complainant (TicketCallbacks), outcome on the ticket.
// Job ids come from the appointment / ticket, so a sweep run twice (or by two processes) queues each call once.
import type { Job } from 'bullmq';
import { JobQueue } from '../jobs.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { beijingTime, civilDate, type WorkingCalendar } from '../calendar/index.js';
import { Appointment, AppointmentService, Ticket, TicketEvent } from '../entities/after-call.js';
import { counter } from '../../ivr/records/metrics.js';
import { datePrompts, timePrompts } from '../../prompts/say.js';
import { refreshCalendar } from './calendar-store.js';
import { remindersDueToday } from './appointments.js';
import { sql } from './db.js';
import { LegalAid } from './legal-aid.js';
import type { OutboundCaller } from './outbound.js';
import { Tickets, type TicketCallbacks } from './tickets.js';

export interface AfterCallJobsOptions {
  orm: MikroORM;
  redisUrl: string;
  /** The hotline's key prefix; the queue is named `<prefix>-after-call`. */
  prefix: string;
  calendar: WorkingCalendar;
  /** Places the calls; without it reminders and callbacks are recorded as failed ('no outbound line'). */
  outbound?: OutboundCaller;
  log: Logger;
  now?: () => Date;
  sweepEveryMs?: number;
}

export interface SweepReport { reminders: string[]; overdueApplications: string[]; escalatedTickets: string[]; callbacks: string[] }

const outcomes = () => counter('hotline_after_call_calls_total', 'Reminder and ticket-callback calls placed (see logs for the outcome)');
const alerts = () => counter('hotline_after_call_overdue_total', 'Legal-aid steps and tickets found past their deadline');

export class AfterCallJobs extends JobQueue implements TicketCallbacks {
  private readonly now: () => Date;

  constructor(private readonly o: AfterCallJobsOptions) {
    super(o, 'after-call');
    this.now = o.now ?? (() => new Date());
  }

  async start(): Promise<void> {
    this.startWorker(4);
    await this.queue.upsertJobScheduler('sweep', { every: this.o.sweepEveryMs ?? 60_000 }, { name: 'sweep' });
  }

  protected async run(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'sweep': return this.sweep();
      case 'reminder': return this.remind(String(job.data.appointmentId));
      case 'ticket-callback': return this.ticketCallback(String(job.data.ticketId), String(job.data.number));
      default: throw new Error(`unknown after-call job ${job.name}`);
    }
  }

  /** One pass over what is due now; safe to run any number of times. */
  async sweep(): Promise<SweepReport> {
    const { orm, calendar, log } = this.o;
    const now = this.now();
    await refreshCalendar(orm, calendar, now).catch((err: Error) => log.warn({ err: err.message }, 'calendar refresh failed'));
    const report: SweepReport = { reminders: [], overdueApplications: [], escalatedTickets: [], callbacks: [] };

    for (const { appointment, at } of await remindersDueToday(orm.em.fork(), calendar, now)) {
      const day = civilDate(at);
      await this.queue.add('reminder', { appointmentId: appointment.id }, {
        jobId: `reminder-${appointment.id}-${day}`, delay: Math.max(0, at.getTime() - now.getTime()), removeOnComplete: 1000, removeOnFail: 1000,
      });
      await sql(orm.em.fork(), `update appointment set reminder_status = 'planned', reminder_at = ? where id = ? and reminder_status is null`, [at, appointment.id]);
      report.reminders.push(appointment.id);
    }

    for (const a of await new LegalAid(calendar).alertOverdue(orm.em.fork(), now)) {
      alerts().inc();
      log.warn({ application: a.id, caseNumber: a.caseNumber, status: a.status, due: a.stepDue }, 'legal aid: step overdue');
      report.overdueApplications.push(a.id);
    }
    for (const t of await new Tickets(calendar).escalateOverdue(orm.em.fork(), now)) {
      alerts().inc();
      log.warn({ ticket: t.id, due: t.dueDate, to: t.escalatedTo }, 'ticket overdue: escalated to a supervisor');
      report.escalatedTickets.push(t.id);
    }

    const em = orm.em.fork();
    const requested = await em.find(TicketEvent, { kind: 'callback_requested' }, { orderBy: { id: 'asc' } });
    for (const e of requested.filter((x) => !x.details?.queued)) {
      const d = e.details as { number: string; dueAt: string };
      await this.request(e.ticketId, d.number, new Date(d.dueAt));
      e.details = { ...d, queued: true };
      report.callbacks.push(e.ticketId);
    }
    await em.flush();
    return report;
  }

  /** TicketCallbacks: ring the caller back at `dueAt` or at the next opening after it. */
  async request(ticketId: string, number: string, dueAt: Date): Promise<void> {
    const now = this.now();
    const at = this.o.calendar.nextOpening(new Date(Math.max(dueAt.getTime(), now.getTime())));
    await this.queue.add('ticket-callback', { ticketId, number }, {
      jobId: `ticket-callback-${ticketId}-${dueAt.getTime()}`, delay: Math.max(0, at.getTime() - now.getTime()), removeOnComplete: 1000, removeOnFail: 1000,
    });
  }

  /** The prompts of an appointment's reminder: the time (date, weekday, time of day) and the place. */
  static reminderPrompts(a: Pick<Appointment, 'startsAt'>, placePrompt: string | null | undefined): string[] {
    const t = beijingTime(a.startsAt);
    return ['appointment-reminder', ...datePrompts(t.date), ...timePrompts(t.minute),
      ...(placePrompt ? ['appointment-reminder-place', placePrompt] : []), 'appointment-reminder-end'];
  }

  private async remind(id: string): Promise<string> {
    const { orm, calendar, log } = this.o;
    const em = orm.em.fork();
    const a = await em.findOne(Appointment, { id });
    if (!a || a.status !== 'booked') return 'skipped: not booked';
    const now = this.now();
    // Only inside opening hours on a working day: a job delayed past closing (a worker down all day) is not made up
    // in the evening; the appointment shows the reminder failed.
    if (!calendar.isOpen(now) || civilDate(now) !== calendar.addWorkingDays(civilDate(a.startsAt), -1)) {
      await sql(em, `update appointment set reminder_status = 'failed' where id = ?`, [id]);
      log.warn({ appointment: id }, 'reminder: outside its working day or opening hours; not called');
      return 'failed: outside hours';
    }
    const service = await em.findOne(AppointmentService, { code: a.service });
    const prompts = AfterCallJobs.reminderPrompts(a, service?.placePrompt);
    const r = this.o.outbound ? await this.o.outbound.place(a.callerNumber, prompts, 'reminder', id) : { outcome: 'failed' as const, detail: 'no outbound line' };
    outcomes().inc();
    await sql(em, 'update appointment set reminder_status = ?, reminder_at = ? where id = ?', [r.outcome, now, id]);
    log.info({ appointment: id, outcome: r.outcome, detail: r.detail }, 'reminder call');
    return r.outcome;
  }

  private async ticketCallback(ticketId: string, number: string): Promise<string> {
    const { orm, log } = this.o;
    const t = await orm.em.fork().findOne(Ticket, { id: ticketId });
    if (!t || t.status === 'closed') return 'skipped: closed';
    const r = this.o.outbound
      ? await this.o.outbound.place(number, ['callback-intro', 'ticket-reply-callback'], 'ticket', ticketId)
      : { outcome: 'failed' as const, detail: 'no outbound line' };
    outcomes().inc();
    await new Tickets(this.o.calendar).callbackResult(orm.em.fork(), ticketId, r.outcome, this.now());
    log.info({ ticket: ticketId, outcome: r.outcome, detail: r.detail }, 'ticket callback');
    return r.outcome;
  }
}
