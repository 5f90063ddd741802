// A stored recording made directly (no call): a real WAV from the simulator's generator, encrypted into a store,
// with its recording row — for desk tests that need something to play.
import type { MikroORM } from '@mikro-orm/postgresql';
import { recordingWav } from '../../pbx-sim/media/wav.js';
import { encrypt, type KeyRing } from '../../recordings-store/crypto.js';
import { objectKey, type BlobStore } from '../../recordings-store/storage.js';
import { createHash } from 'node:crypto';

export interface Seed { name: string; callId: string; staffNo: string | null; durationMs?: number; finishedAt?: Date; kind?: 'call' | 'voicemail' }

/** Returns the recording id and the plaintext WAV. */
export async function seedRecording(orm: MikroORM, store: BlobStore, keys: KeyRing, s: Seed): Promise<{ id: string; wav: Buffer }> {
  const durationMs = s.durationMs ?? 4000;
  const wav = recordingWav({ durationMs, speech: [{ startMs: 200, endMs: durationMs / 2 - 300 }, { startMs: durationMs / 2 + 300, endMs: durationMs - 200 }] });
  const at = s.finishedAt ?? new Date();
  const key = objectKey(s.name, at);
  await store.put(key, encrypt(wav, keys.current));
  const [row] = await orm.em.fork().getConnection().execute(`insert into recording (name, call_id, kind, staff_no, status, started_at, finished_at,
    reported_duration_s, duration_ms, size_bytes, sha256, key_id, storage_backend, storage_path, stored_at, asterisk_deleted_at)
    values (?, ?, ?, ?, 'stored', ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now()) returning id`, [s.name, s.callId, s.kind ?? 'call', s.staffNo,
    new Date(at.getTime() - durationMs), at, Math.floor(durationMs / 1000), durationMs, wav.length, createHash('sha256').update(wav).digest('hex'), keys.current.id, store.backend, key]);
  return { id: String(row.id), wav };
}
