// The recordings worker: one BullMQ worker for every recordings job — facts from the capture side, ingest, the
// voicemail sweep and the retention purge (the last two repeat on a schedule). A failing job is retried with a
// backoff that doubles to a ceiling and never gives up. Below the store's free-space floor nothing is written: an
// alarm is raised once (system_event + an error log), the jobs wait, the files stay on Asterisk, and writing
// resumes by itself once there is room again.
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { recordSystemEvent } from '../lib/db.js';
import type { AsteriskFiles } from './asterisk.js';
import type { KeyRing } from './crypto.js';
import { ingestRecording, markFailed, noteAttempt, upsertRecording, type RecordingFacts } from './ingest.js';
import { bullPrefix, QUEUE_NAME, recordingJobs, type RecordingJob } from './jobs.js';
import { purgeExpired, type RetentionPolicy } from './retention.js';
import { DiskFloorError, type BlobStore } from './storage.js';
import { sweep } from './sweep.js';

export interface RecordingsWorkerOptions {
  connection: ConnectionOptions;
  keyPrefix: string;
  orm: MikroORM;
  store: BlobStore;
  keys: KeyRing;
  asterisk: AsteriskFiles;
  log: Logger;
  retention: RetentionPolicy;
  /** The purge's idea of now (a fake clock in tests). */
  clock?: () => Date;
  /** Backoff: first retry after `retryBaseMs`, doubling to `retryMaxMs`. Defaults 1 s and 5 min. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How often the sweep and the purge run; 0 leaves them unscheduled (tests run them by hand). */
  sweepEveryMs?: number;
  purgeEveryMs?: number;
  concurrency?: number;
}

export class RecordingsWorker {
  readonly jobs: ReturnType<typeof recordingJobs>;
  private worker?: Worker;
  private diskLow = false;

  constructor(private readonly o: RecordingsWorkerOptions) {
    this.jobs = recordingJobs(o.connection, o.keyPrefix);
  }

  /** The store is below its floor (capture to disk paused). */
  get paused(): boolean { return this.diskLow; }

  async start(): Promise<void> {
    const base = this.o.retryBaseMs ?? 1000, max = this.o.retryMaxMs ?? 300_000;
    this.worker = new Worker(QUEUE_NAME, (job) => this.process(job), {
      connection: this.o.connection, prefix: bullPrefix(this.o.keyPrefix), concurrency: this.o.concurrency ?? 2,
      settings: { backoffStrategy: (attemptsMade: number) => Math.min(max, base * 2 ** Math.min(30, Math.max(0, attemptsMade - 1))) },
    });
    this.worker.on('failed', (job, err) => {
      this.o.log.warn({ job: job?.id, attempt: job?.attemptsMade, err: err.message }, 'recordings job failed; will retry');
    });
    this.worker.on('error', (err) => this.o.log.warn({ err: err.message }, 'recordings worker: redis error'));
    const q = this.jobs.queue;
    if (this.o.sweepEveryMs) await q.upsertJobScheduler('sweep', { every: this.o.sweepEveryMs }, { name: 'sweep', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
    if (this.o.purgeEveryMs) await q.upsertJobScheduler('purge', { every: this.o.purgeEveryMs }, { name: 'purge', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.jobs.close();
  }

  private async process(job: Job): Promise<unknown> {
    const j = { name: job.name, data: job.data } as RecordingJob;
    switch (j.name) {
      case 'started': return upsertRecording(this.o.orm, j.data, 'recording').then(() => 'ok');
      case 'failed': return markFailed(this.o.orm, j.data, j.data.failure).then(() => 'ok');
      case 'pause':
        await this.o.orm.em.fork().getConnection().execute(`insert into recording_pause (recording_name, call_id, staff_no, action, offset_ms, at)
          values (?, ?, ?, ?, ?, ?) on conflict do nothing`, [j.data.name, j.data.callId, j.data.staffNo, j.data.action, j.data.offsetMs, j.data.at]);
        return 'ok';
      case 'ingest': return this.ingest(j.data, job.attemptsMade + 1);
      case 'sweep': return sweep({ orm: this.o.orm, jobs: this.jobs, log: this.o.log });
      case 'purge': return purgeExpired({ orm: this.o.orm, store: this.o.store, log: this.o.log }, this.o.retention, (this.o.clock ?? (() => new Date()))());
      default: throw new Error(`unknown recordings job ${(j as { name: string }).name}`);
    }
  }

  private async ingest(f: RecordingFacts, attempt: number): Promise<string> {
    try {
      const r = await ingestRecording({ orm: this.o.orm, store: this.o.store, keys: this.o.keys, asterisk: this.o.asterisk, log: this.o.log }, f, attempt);
      if (this.diskLow && r === 'stored') await this.alarm(false, {});
      return r;
    } catch (err) {
      if (err instanceof DiskFloorError) await this.alarm(true, { freeBytes: err.freeBytes, floorBytes: err.floorBytes });
      await noteAttempt(this.o.orm, f.name, (err as Error).message).catch(() => undefined);
      throw err;
    }
  }

  private async alarm(low: boolean, details: Record<string, unknown>): Promise<void> {
    if (this.diskLow === low) return;
    this.diskLow = low;
    if (low) this.o.log.error(details, 'ALARM: recordings store below its free-space floor; storing paused, recordings kept on Asterisk');
    else this.o.log.warn('recordings store has room again; storing resumed');
    await recordSystemEvent(this.o.orm, 'recordings', low ? 'disk_floor_reached' : 'disk_floor_cleared', details)
      .catch((err: Error) => this.o.log.error({ err: err.message }, 'could not record the disk alarm'));
  }
}
