// The recordings queue (BullMQ). The call path never writes PostgreSQL or the store itself: it adds jobs here, so a
// dead PostgreSQL, store or Asterisk only delays them. Job ids come from the recording's name, so a fact reported
// twice (a retry, two controllers) is one job. Ingest jobs retry until they succeed, backing off to a ceiling.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { RecordingKind } from '../lib/entities/recording.js';
import type { RecordingFacts } from './ingest.js';

export const QUEUE_NAME = 'recordings';
/** Queue keys carry the hotline's key prefix, so hotlines (and tests) sharing a Redis never see each other's jobs. */
export const bullPrefix = (keyPrefix: string) => `${keyPrefix}:bull`;

export type RecordingJob =
  | { name: 'started'; data: RecordingFacts }
  | { name: 'ingest'; data: RecordingFacts }
  | { name: 'failed'; data: { name: string; callId: string; kind: RecordingKind; staffNo?: string; failure: string } }
  | { name: 'pause'; data: { name: string; callId: string; staffNo: string; action: 'pause' | 'resume'; offsetMs: number; at: string } }
  | { name: 'sweep'; data: Record<string, never> }
  | { name: 'purge'; data: Record<string, never> };

/** Retry for as long as it takes: a recording is never given up because Asterisk or the store was down for a day. */
export const FOREVER: JobsOptions = { attempts: Number.MAX_SAFE_INTEGER, backoff: { type: 'capped' } };

const safeId = (s: string) => s.replace(/:/g, '_');

/** What the capture side and the voicemail sweep need: add facts about recordings. */
export interface RecordingJobs {
  started(f: RecordingFacts): Promise<void>;
  finished(f: RecordingFacts): Promise<void>;
  failed(f: { name: string; callId: string; kind: RecordingKind; staffNo?: string; failure: string }): Promise<void>;
  paused(p: { name: string; callId: string; staffNo: string; action: 'pause' | 'resume'; offsetMs: number; at: string }): Promise<void>;
  close(): Promise<void>;
}

export function recordingJobs(connection: ConnectionOptions, keyPrefix: string): RecordingJobs & { queue: Queue } {
  const queue = new Queue(QUEUE_NAME, {
    connection, prefix: bullPrefix(keyPrefix),
    // Completed jobs go at once, so the sweep can add a job of the same id again should a row be left behind.
    defaultJobOptions: { removeOnComplete: true, removeOnFail: 5000 },
  });
  const add = async (name: RecordingJob['name'], data: unknown, jobId: string, opts: JobsOptions = {}) => {
    await queue.add(name, data, { ...FOREVER, jobId: safeId(jobId), ...opts });
  };
  return {
    queue,
    started: (f) => add('started', f, `started-${f.name}`),
    finished: (f) => add('ingest', f, `ingest-${f.name}`),
    failed: (f) => add('failed', f, `failed-${f.name}`),
    paused: (p) => add('pause', p, `pause-${p.name}-${p.action}-${p.offsetMs}`),
    close: () => queue.close(),
  };
}
