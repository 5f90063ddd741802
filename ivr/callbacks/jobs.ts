// Callbacks on BullMQ (queue `<prefix>-callbacks`). PostgreSQL holds every callback; BullMQ times and runs them:
// - sweep (repeating): turns ended calls into callbacks (lib/callbacks/create.ts), then schedules each due automatic
//   callback's next attempt as a delayed job. Job ids carry the callback, the attempt and its time, so a sweep run
//   twice or by two processes schedules it once;
// - attempt: claims the attempt in PostgreSQL (lib/callbacks/attempts.ts) — a job run twice dials once — checks the
//   centre is open (else it waits for the next opening, the attempt unused), then waits in the queue for a lawyer
//   and places the call (dialler.ts); the outcome goes on the callback and the attempt's row;
// - dial: a lawyer's click-to-call of a task callback (voicemail, dissatisfied, promised), same claim and record.
// A worker that dies mid-job: BullMQ hands the job to another worker once its lock runs out, and the claim's lease
// (renewed while the job runs) runs out too, so the same attempt is claimed again — nothing lost, nothing doubled.
import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { JobQueue } from '../../lib/jobs.js';
import type { Logger } from 'pino';
import type { WorkingCalendar } from '../../lib/calendar/index.js';
import { answeredSince, attemptEnded, attemptStarted, claimAttempt, closeAsResolved, releaseClaim, renewLease, type ClaimedCallback } from '../../lib/callbacks/attempts.js';
import { callbacksFromCalls } from '../../lib/callbacks/create.js';
import { CallbackTimes, DEFAULT_POLICY, type CallbackPolicy } from '../../lib/callbacks/policy.js';
import type { CallbackDialler, CallbackToPlace } from './dialler.js';

export interface CallbackJobsOptions {
  orm: MikroORM;
  redisUrl: string;
  prefix: string;
  calendar: WorkingCalendar;
  policy?: Partial<CallbackPolicy>;
  /** Places the calls; a process without one only sweeps and schedules (a desk, say). */
  dialler?: CallbackDialler;
  log: Logger;
  now?: () => Date;
  sweepEveryMs?: number;
  leaseMs?: number;
  /** How many callbacks one process may have waiting for a lawyer or ringing at once. */
  concurrency?: number;
  /** BullMQ's lock on a running job and how often stalled jobs (a dead worker's) are looked for. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export type AttemptReport = 'skipped' | 'closed' | 'released' | 'completed' | 'failed' | 'retry' | 'lawyer-busy';

export class CallbackJobs extends JobQueue {
  readonly times: CallbackTimes;
  readonly policy: CallbackPolicy;
  private readonly now: () => Date;
  /** Holds this process's claims (callback.lease_by). */
  readonly id = `w${randomBytes(4).toString('hex')}`;
  private watchdog?: NodeJS.Timeout;
  private readonly stopping = new AbortController();

  constructor(private readonly o: CallbackJobsOptions) {
    super(o, 'callbacks');
    this.now = o.now ?? (() => new Date());
    this.policy = { ...DEFAULT_POLICY, ...o.policy };
    this.times = new CallbackTimes(o.calendar, this.policy);
  }

  async start(opts: { worker?: boolean } = {}): Promise<void> {
    if (opts.worker !== false) {
      this.startWorker(this.o.concurrency ?? 50, {
        ...(this.o.lockDurationMs ? { lockDuration: this.o.lockDurationMs } : {}),
        ...(this.o.stalledIntervalMs ? { stalledInterval: this.o.stalledIntervalMs } : {}),
      });
    }
    const every = this.o.sweepEveryMs ?? 5000;
    await this.queue.upsertJobScheduler('sweep', { every }, { name: 'sweep' });
    // Should Redis come back without its data (no persistence, a failover), the schedule is put back: PostgreSQL
    // still has every callback, and the next sweep schedules them again.
    this.watchdog = setInterval(() => {
      void this.queue.upsertJobScheduler('sweep', { every }, { name: 'sweep' }).catch(() => undefined);
    }, Math.max(1000, every * 3));
    this.watchdog.unref();
  }

  override async stop(): Promise<void> {
    clearInterval(this.watchdog);
    this.stopping.abort();
    await super.stop();
  }

  protected async run(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'sweep': return this.sweep();
      case 'attempt': return this.attempt(String(job.data.id), Number(job.data.attempt));
      case 'dial': return this.dial(String(job.data.id), Number(job.data.attempt), String(job.data.staffNo));
      default: throw new Error(`unknown callback job ${job.name}`);
    }
  }

  /** New callbacks from ended calls, and the next attempts of automatic ones as delayed jobs. Safe to repeat. */
  async sweep(): Promise<{ created: string[]; scheduled: string[] }> {
    const now = this.now();
    const created = await callbacksFromCalls(this.o.orm.em.fork(), this.times, this.policy, now);
    if (created.length) this.o.log.info({ created: created.length }, 'callbacks created');
    const due = await this.o.orm.em.fork().getConnection().execute<Array<{ id: string; attempts: number; next_attempt_at: Date }>>(
      `select id, attempts, next_attempt_at from callback
        where mode = 'auto' and (status = 'pending' or (status = 'dialling' and lease_until < now())) and next_attempt_at <= ?
        order by place limit 500`,
      [new Date(now.getTime() + 60_000)],
    );
    const scheduled: string[] = [];
    for (const d of due) {
      const at = new Date(d.next_attempt_at);
      const attempt = Number(d.attempts) + 1;
      await this.ensure('attempt', { id: String(d.id), attempt }, `cb-${d.id}-a${attempt}-${at.getTime()}`, Math.max(0, at.getTime() - now.getTime()));
      scheduled.push(String(d.id));
    }
    return { created, scheduled };
  }

  /**
   * Adds a job once per id. A job that failed for good (PostgreSQL was down through all its retries) is retried
   * rather than left: the callback is still open in PostgreSQL, so it must still be attempted.
   */
  private async ensure(name: string, data: Record<string, unknown>, jobId: string, delay: number): Promise<void> {
    const existing = await this.queue.getJob(jobId);
    if (existing && (await existing.isFailed())) { await existing.retry(); return; }
    await this.queue.add(name, data, {
      jobId, delay, attempts: 8, backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 86_400 }, removeOnFail: { age: 7 * 86_400 },
    });
  }

  /**
   * Click-to-call from the desk: the next attempt of a task callback, by `staffNo`. A finished job of the same id
   * (the lawyer was busy, so the attempt was given back unused) would make BullMQ ignore the new click: it is removed
   * first. A waiting or running one is the same click again and stays as it is.
   */
  async requestDial(id: string, attempt: number, staffNo: string): Promise<string> {
    const jobId = `dial-${id}-a${attempt}`;
    const old = await this.queue.getJob(jobId);
    if (old && ((await old.isCompleted()) || (await old.isFailed()))) await old.remove();
    await this.ensure('dial', { id, attempt, staffNo }, jobId, 0);
    return jobId;
  }

  private place(cb: ClaimedCallback, attempt: number): CallbackToPlace {
    return { callbackId: cb.id, kind: cb.kind, attempt, number: cb.number, line: cb.line, topic: cb.topic, priority: cb.priority, place: cb.place };
  }

  /** Keeps the claim's lease alive while `work` runs; aborts the wait when the lease is lost or the worker stops. */
  private async leased<T>(id: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const leaseMs = this.o.leaseMs ?? 60_000;
    const lost = new AbortController();
    const onStop = () => lost.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const timer = setInterval(() => {
      void renewLease(this.o.orm.em.fork(), id, this.id, leaseMs).then((ok) => { if (!ok) lost.abort(); }, () => undefined);
    }, Math.max(1000, Math.floor(leaseMs / 3)));
    try {
      return await work(lost.signal);
    } finally {
      clearInterval(timer);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }

  async attempt(id: string, attempt: number): Promise<AttemptReport> {
    const em = () => this.o.orm.em.fork();
    const cb = await claimAttempt(em(), id, attempt, this.id, this.o.leaseMs ?? 60_000);
    if (!cb) return 'skipped';
    const now = this.now();
    if (!this.times.isOpen(now)) { await releaseClaim(em(), id, this.id, this.times.open(now)); return 'released'; }
    if (cb.kind === 'missed' && (await answeredSince(em(), cb.number, cb.createdAt))) {
      await closeAsResolved(em(), id, this.id, 'called_again');
      return 'closed';
    }
    if (!this.o.dialler) { await releaseClaim(em(), id, this.id, now); return 'released'; }
    const dialler = this.o.dialler;
    const r = await this.leased(id, (signal) => dialler.waitAndConnect(this.place(cb, attempt), async () => undefined, signal));
    return this.record(cb, attempt, r);
  }

  async dial(id: string, attempt: number, staffNo: string): Promise<AttemptReport> {
    const em = () => this.o.orm.em.fork();
    const cb = await claimAttempt(em(), id, attempt, this.id, this.o.leaseMs ?? 60_000);
    if (!cb) return 'skipped';
    if (!this.o.dialler) { await releaseClaim(em(), id, this.id, this.now()); return 'released'; }
    const dialler = this.o.dialler;
    const r = await this.leased(id, () => dialler.direct(this.place(cb, attempt), staffNo, async () => undefined));
    if (r.kind === 'lawyer-busy') { await releaseClaim(em(), id, this.id, this.now()); return 'lawyer-busy'; }
    return this.record(cb, attempt, r);
  }

  private async record(cb: ClaimedCallback, attempt: number, r: Awaited<ReturnType<CallbackDialler['waitAndConnect']>>): Promise<AttemptReport> {
    const em = this.o.orm.em.fork();
    if (r.kind === 'aborted' || r.kind === 'lawyer-failed') {
      await releaseClaim(em, cb.id, this.id, this.now());
      return 'released';
    }
    await attemptStarted(em, cb.id, attempt, r.staffNo, r.callId);
    const next = await attemptEnded(em, this.times, cb, attempt, r.outcome, { by: this.id, staffNo: r.staffNo, callId: r.callId, detail: r.detail, now: this.now() });
    this.o.log.info({ callback: cb.id, kind: cb.kind, attempt, outcome: r.outcome, next }, 'callback attempt');
    return next;
  }
}
