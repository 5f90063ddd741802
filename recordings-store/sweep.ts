// The safety net that makes "never silently missing" hold when a message was lost: voicemails and after-hours
// messages are found from the call records (call_record.voicemail_recording of ended calls) and ingested; rows left
// waiting (an ingest job lost with a Redis that lost its data, a controller that died before RecordingFinished) are
// queued again. Adding a job whose id is already queued does nothing, so the sweep can run as often as it likes.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { RecordingJobs } from './jobs.js';

export interface SweepOptions {
  orm: MikroORM;
  jobs: RecordingJobs;
  log: Logger;
  /** A row still 'recording' this long after it started: its RecordingFinished was lost. Default 6 h. */
  staleRecordingMs?: number;
  batch?: number;
}

export async function sweep(o: SweepOptions): Promise<{ voicemails: number; requeued: number }> {
  const conn = o.orm.em.fork().getConnection();
  const limit = o.batch ?? 500;
  const voicemails = (await conn.execute(`
    select c.call_id, c.voicemail_recording, c.ended_at from call_record c
    where c.voicemail_recording is not null and c.ended_at is not null
      and not exists (select 1 from recording r where r.name = c.voicemail_recording)
    order by c.ended_at limit ?`, [limit])) as Array<{ call_id: string; voicemail_recording: string; ended_at: Date }>;
  for (const v of voicemails) {
    await o.jobs.finished({ name: v.voicemail_recording, callId: v.call_id, kind: 'voicemail', finishedAt: new Date(v.ended_at).toISOString() });
  }
  const stale = new Date(Date.now() - (o.staleRecordingMs ?? 6 * 3600_000));
  const waiting = (await conn.execute(`
    select name, call_id, kind, staff_no, started_at, finished_at, reported_duration_s from recording
    where status = 'finished' or (status = 'recording' and coalesce(started_at, created_at) < ?)
    order by created_at limit ?`, [stale, limit])) as Array<{ name: string; call_id: string; kind: 'call' | 'voicemail'; staff_no: string | null;
    started_at: Date | null; finished_at: Date | null; reported_duration_s: number | null }>;
  for (const r of waiting) {
    await o.jobs.finished({
      name: r.name, callId: r.call_id, kind: r.kind, staffNo: r.staff_no ?? undefined,
      startedAt: r.started_at ? new Date(r.started_at).toISOString() : undefined,
      finishedAt: new Date(r.finished_at ?? Date.now()).toISOString(), reportedDurationS: r.reported_duration_s ?? undefined,
    });
  }
  if (voicemails.length || waiting.length) o.log.info({ voicemails: voicemails.length, requeued: waiting.length }, 'recordings sweep queued work');
  return { voicemails: voicemails.length, requeued: waiting.length };
}
