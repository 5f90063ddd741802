// Taking a finished recording off Asterisk: download it over ARI, verify it (size, WAV header, duration), hash it,
// encrypt it, store it, read the stored copy back and check it decrypts to the same hash, write its metadata to
// PostgreSQL — and only then delete it from Asterisk. Every step can be repeated: a job that dies anywhere runs
// again from the top and finds its earlier work done (the row says stored; the object is simply written again).
import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
// The simulator's WAV parser is a plain RIFF reader with no simulator state; one parser keeps both sides agreeing.
import { parseWav } from '../pbx-sim/media/wav.js';
import type { AsteriskFiles } from './asterisk.js';
import { decrypt, encrypt, type KeyRing } from './crypto.js';
import { objectKey, type BlobStore } from './storage.js';
import type { RecordingKind } from '../lib/entities/recording.js';

export interface RecordingFacts {
  name: string;
  callId: string;
  kind: RecordingKind;
  staffNo?: string;
  startedAt?: string;
  finishedAt?: string;
  /** RecordingFinished's whole seconds. */
  reportedDurationS?: number;
}

export interface IngestDeps {
  orm: MikroORM;
  store: BlobStore;
  keys: KeyRing;
  asterisk: AsteriskFiles;
  log: Logger;
  /** After this many attempts a file that fails verification is declared failed (and left on Asterisk). */
  verifyAttempts?: number;
}

/** A recording that cannot become usable by retrying (it stays flagged as failed, the file stays on Asterisk). */
export class PermanentIngestError extends Error {}

export interface Verified { durationMs: number; sizeBytes: number; sha256: string }

/** Checks the downloaded bytes are a complete 8 kHz 16-bit mono PCM WAV of about the length Asterisk reported. */
export function verifyWav(bytes: Buffer, contentLength: number | undefined, reportedDurationS: number | undefined): Verified {
  if (contentLength !== undefined && contentLength !== bytes.length) {
    throw new Error(`download incomplete: ${bytes.length} of ${contentLength} bytes`);
  }
  const w = parseWav(bytes);
  if (w.format !== 1 || w.bitsPerSample !== 16 || w.channels !== 1) {
    throw new PermanentIngestError(`not 16-bit mono PCM (format ${w.format}, ${w.bitsPerSample} bits, ${w.channels} channels)`);
  }
  if (w.dataOffset + w.dataBytes !== bytes.length) throw new Error(`WAV data size ${w.dataBytes} does not match the file (${bytes.length} bytes)`);
  // RecordingFinished truncates to whole seconds: the file is that long or up to a second longer.
  if (reportedDurationS !== undefined && (w.durationMs < reportedDurationS * 1000 - 50 || w.durationMs >= (reportedDurationS + 1) * 1000 + 50)) {
    throw new Error(`WAV lasts ${Math.round(w.durationMs)} ms but Asterisk reported ${reportedDurationS} s`);
  }
  return { durationMs: Math.round(w.durationMs), sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

type Row = { id: string; name: string; call_id: string; kind: RecordingKind; status: string; finished_at: Date | null;
  started_at: Date | null; reported_duration_s: number | null; storage_path: string | null; asterisk_deleted_at: Date | null; attempts: number };

/** Creates or completes the row (facts arrive from the capture side, the voicemail sweep, or a retried job). */
export async function upsertRecording(orm: MikroORM, f: RecordingFacts, status: 'recording' | 'finished'): Promise<Row> {
  const rows = await orm.em.fork().getConnection().execute(`
    insert into recording (name, call_id, kind, staff_no, status, started_at, finished_at, reported_duration_s)
    values (?, ?, ?, ?, ?, ?, ?, ?)
    on conflict (name) do update set
      staff_no = coalesce(recording.staff_no, excluded.staff_no),
      started_at = coalesce(recording.started_at, excluded.started_at),
      finished_at = coalesce(recording.finished_at, excluded.finished_at),
      reported_duration_s = coalesce(recording.reported_duration_s, excluded.reported_duration_s),
      status = case when recording.status = 'recording' and excluded.status = 'finished' then 'finished' else recording.status end,
      updated_at = now()
    returning *`, [f.name, f.callId, f.kind, f.staffNo ?? null, status, f.startedAt ?? null, f.finishedAt ?? null, f.reportedDurationS ?? null]);
  return rows[0] as Row;
}

/** The recording cannot be had: flagged on the call (never silently missing). */
export async function markFailed(orm: MikroORM, f: Pick<RecordingFacts, 'name' | 'callId' | 'kind' | 'staffNo'>, failure: string): Promise<void> {
  await orm.em.fork().getConnection().execute(`
    insert into recording (name, call_id, kind, staff_no, status, failure) values (?, ?, ?, ?, 'failed', ?)
    on conflict (name) do update set status = 'failed', failure = excluded.failure, updated_at = now()
      where recording.status in ('recording', 'finished')`, [f.name, f.callId, f.kind, f.staffNo ?? null, failure.slice(0, 1000)]);
}

export async function noteAttempt(orm: MikroORM, name: string, error: string): Promise<void> {
  await orm.em.fork().getConnection().execute(
    'update recording set attempts = attempts + 1, last_error = ?, updated_at = now() where name = ?', [error.slice(0, 1000), name]);
}

export type IngestOutcome = 'stored' | 'already-stored' | 'failed' | 'skipped';

export async function ingestRecording(d: IngestDeps, f: RecordingFacts, attempt = 1): Promise<IngestOutcome> {
  const row = await upsertRecording(d.orm, f, 'finished');
  if (row.status === 'failed' || row.status === 'purged') return 'skipped';
  if (row.status === 'stored') {
    // A copy exists and was verified: the Asterisk file may still be there if the last run died before deleting it.
    if (!row.asterisk_deleted_at) await deleteFromAsterisk(d, row.name);
    return 'already-stored';
  }
  const got = await d.asterisk.fetch(f.name);
  if (got === 'missing') {
    await markFailed(d.orm, f, 'Asterisk has no such recording (nothing was recorded, or the file was lost)');
    d.log.error({ recording: f.name, call: f.callId }, 'recording missing on Asterisk: flagged on the call');
    return 'failed';
  }
  let v: Verified;
  try {
    v = verifyWav(got.bytes, got.contentLength, row.reported_duration_s ?? f.reportedDurationS);
  } catch (err) {
    const msg = (err as Error).message;
    if (err instanceof PermanentIngestError || attempt >= (d.verifyAttempts ?? 5)) {
      await markFailed(d.orm, f, `verification failed: ${msg}`);
      d.log.error({ recording: f.name, call: f.callId, err: msg }, 'recording failed verification: flagged, left on Asterisk');
      return 'failed';
    }
    throw err;
  }
  const key = objectKey(f.name, new Date(row.finished_at ?? row.started_at ?? Date.now()));
  const sealed = encrypt(got.bytes, d.keys.current);
  await d.store.put(key, sealed);
  // Read the copy back through the store: only a copy that decrypts to the same hash lets the original go.
  const size = await d.store.size(key);
  if (size !== sealed.length) throw new Error(`stored copy of ${f.name} has ${size} bytes, expected ${sealed.length}`);
  const back = await decrypt(await d.store.read(key, 0, size), d.keys);
  const backHash = createHash('sha256').update(back).digest('hex');
  if (backHash !== v.sha256) throw new Error(`stored copy of ${f.name} does not decrypt to the downloaded file`);
  await d.orm.em.fork().getConnection().execute(`
    update recording set status = 'stored', duration_ms = ?, size_bytes = ?, sha256 = ?, key_id = ?, storage_backend = ?,
      storage_path = ?, stored_at = now(), last_error = null, updated_at = now(),
      work_order_id = coalesce(work_order_id, (select id from work_order where work_order.call_id = recording.call_id))
    where name = ? and status in ('recording', 'finished')`,
  [v.durationMs, v.sizeBytes, v.sha256, d.keys.current.id, d.store.backend, key, f.name]);
  await deleteFromAsterisk(d, f.name);
  d.log.info({ recording: f.name, call: f.callId, bytes: v.sizeBytes, ms: v.durationMs }, 'recording stored');
  return 'stored';
}

async function deleteFromAsterisk(d: IngestDeps, name: string): Promise<void> {
  await d.asterisk.remove(name);
  await d.orm.em.fork().getConnection().execute(
    'update recording set asterisk_deleted_at = coalesce(asterisk_deleted_at, now()), updated_at = now() where name = ?', [name]);
}
