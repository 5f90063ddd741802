// The daily QA sample on BullMQ, in its own queue `<prefix>-qa`. A repeating tick (every 15 minutes) checks whether
// today is a working day and past the settling time (01:00 Beijing: calls ending around midnight are recorded by
// then); if so it queues the sample of the window before today with a job id made from that window's date, so the
// draw is queued once a day however many ticks, processes or restarts there are. The two windows before it are
// queued too: after a day with the worker down, the missed sample is drawn late rather than never. The draw itself
// is idempotent as well (lib/qa/sample.ts), so a job that did run is harmless to run again.
import type { Job } from 'bullmq';
import { JobQueue } from '../jobs.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { beijingTime, civilDate, type CivilDate, type WorkingCalendar } from '../calendar/index.js';
import { refreshCalendar } from '../after-call/calendar-store.js';
import { sampleDay, windowBefore, type SampleReport } from './sample.js';

export interface QaJobsOptions {
  orm: MikroORM;
  redisUrl: string;
  /** The hotline's key prefix; the queue is named `<prefix>-qa`. */
  prefix: string;
  calendar: WorkingCalendar;
  /** Share of answered calls sampled (QA_SAMPLE_RATE). */
  rate: number;
  log: Logger;
  now?: () => Date;
  random?: () => number;
  /** 0 leaves the tick unscheduled (tests call tick() themselves). */
  tickEveryMs?: number;
  /** Minute of the Beijing day before which today's sample is not drawn. */
  settleMinute?: number;
  /** Windows queued per tick: today's and the ones before it (catch-up after an outage). */
  catchUp?: number;
}

const DAY_MS = 86_400_000;

export class QaJobs extends JobQueue {
  private readonly now: () => Date;

  constructor(private readonly o: QaJobsOptions) {
    super(o, 'qa');
    this.now = o.now ?? (() => new Date());
  }

  async start(): Promise<void> {
    this.startWorker(1);
    const every = this.o.tickEveryMs ?? 15 * 60_000;
    if (every > 0) await this.queue.upsertJobScheduler('qa-tick', { every }, { name: 'tick', opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  protected async run(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'tick': return this.tick();
      case 'sample': return this.sample(String(job.data.date));
      default: throw new Error(`unknown qa job ${job.name}`);
    }
  }

  /** Queues the samples due now; returns the window dates queued (none on a non-working day or before settling). */
  async tick(): Promise<CivilDate[]> {
    const { orm, calendar, log } = this.o;
    const now = this.now();
    await refreshCalendar(orm, calendar, now).catch((err: Error) => log.warn({ err: err.message }, 'qa: stored holiday years not read'));
    const today = civilDate(now);
    if (!calendar.isWorkingDay(today) || beijingTime(now).minute < (this.o.settleMinute ?? 60)) return [];
    const dates: CivilDate[] = [];
    for (let day = today, i = 0; i < (this.o.catchUp ?? 3); i++) {
      const w = windowBefore(calendar, day);
      dates.push(w.date);
      day = w.date;
    }
    for (const date of dates) {
      // Kept (not removed) for a week after completion: that is what makes the job id a once-a-day guard.
      await this.queue.add('sample', { date }, {
        jobId: `sample-${date}`, attempts: 1000, backoff: { type: 'fixed', delay: 60_000 },
        removeOnComplete: { age: (7 * DAY_MS) / 1000 }, removeOnFail: { age: (7 * DAY_MS) / 1000 },
      });
    }
    return dates;
  }

  /** Draws one window's sample (the job's work; tests call it directly). */
  sample(date: CivilDate): Promise<SampleReport> {
    return sampleDay(this.o.orm, this.o.calendar, date, { rate: this.o.rate, random: this.o.random, log: this.o.log });
  }
}
