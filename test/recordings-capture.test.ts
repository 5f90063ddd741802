// Call recordings end to end on pbx-sim, real Redis and PostgreSQL: an answered call is recorded on its bridge; the
// file goes through the store (download, verify, hash, encrypt, store, read back) and decrypts to exactly the WAV
// the simulator made; pause/resume from the desk leaves silence of the paused length in place; Asterisk or the
// store failing during ingest is retried, nothing is lost and nothing is deleted from Asterisk early; a recording
// Asterisk refuses is flagged on the call.
import t from 'tap';
import { decodePcm16, parseWav } from '../pbx-sim/media/wav.js';
import { decrypt, KeyRing } from '../recordings-store/crypto.js';
import { ingestRecording } from '../recordings-store/ingest.js';
import type { BlobStore } from '../recordings-store/storage.js';
import { ariFiles } from '../recordings-store/asterisk.js';
import { bridged, consult, phoneAction, presenceIs, SCALE } from './helpers/acd.js';
import { finishedOnAsterisk, sha256, startRecordingHotline, type RecordingHotline } from './helpers/recordings.js';
import { call, sleep, until } from './helpers/sim.js';
import pino from 'pino';

let r: RecordingHotline;
t.before(async () => { r = await startRecordingHotline(); await r.a.presence.setState('101', 'ready'); });
t.teardown(() => r.close());

/** A caller reaches lawyer 101 and talks; returns the call id once bridged. */
async function talkingCall(from: string, sayMs: number): Promise<string> {
  await presenceIs(r.a, '101', 'ready');
  const id = await consult(r.a.h, from, '2');
  await bridged(r.a.h, id);
  await until(async () => (await r.rowsOf(id)).length > 0 || r.capture.active > 0, 'capture to start');
  await r.a.h.say(id, sayMs);
  return id;
}

t.test('a call with a lawyer is recorded, stored encrypted, and decrypts to exactly the simulator’s WAV', async (t) => {
  const id = await talkingCall('13900000101', 3000);
  await sleep((3000 / SCALE) + 100);
  await phoneAction(r.a.h, 'PJSIP/8001', 'hangup');
  const name = await finishedOnAsterisk(r, id);
  const original = r.simFile(name);
  t.ok(original, 'the simulator wrote the file');
  const wav = parseWav(original!);
  await r.startWorker();
  await until(async () => (await r.row(name))?.status === 'stored', 'stored', 10_000);
  const row = (await r.row(name))!;
  t.match(row, { call_id: id, kind: 'call', staff_no: '101', status: 'stored', key_id: 'test-1', storage_backend: 'fs' });
  t.equal(row.sha256, sha256(original!), 'the stored hash is the simulator file’s');
  t.equal(Number(row.size_bytes), original!.length);
  t.equal(row.duration_ms, Math.round(wav.durationMs), 'duration from the WAV');
  t.ok(Math.abs(row.duration_ms - row.reported_duration_s * 1000) < 1000, 'agrees with what Asterisk reported');
  t.ok(row.duration_ms >= 3000, 'at least the time the caller talked');
  await until(async () => !!(await r.row(name))!.asterisk_deleted_at, 'deletion noted');
  t.notOk(await r.asteriskHas(name), 'deleted from Asterisk');

  const sealed = await r.store.read(row.storage_path, 0, (await r.store.size(row.storage_path))!);
  const plain = await decrypt(sealed, r.keys);
  t.equal(sha256(plain), sha256(original!), 'round trip through the store: the same bytes');
  t.notOk(sealed.includes(original!.subarray(44, 44 + 64)), 'no plaintext audio in the stored file');
  t.notOk(sealed.includes(Buffer.from('RIFF')), 'no WAV header in the stored file');
  await t.rejects(decrypt(sealed, new KeyRing({ id: 'test-1', key: Buffer.alloc(32, 7) })), /failed authentication/, 'unreadable without the key');
});

t.test('pause/resume from the desk: silence of the paused length, in place; the pause is logged', async (t) => {
  const id = await talkingCall('13900000102', 20_000);
  await sleep(150);
  await r.command('pause', id, '101');
  await sleep(200);
  await r.command('resume', id, '101');
  await sleep((20_000 / SCALE) - 350 + 100);
  await phoneAction(r.a.h, 'PJSIP/8001', 'hangup');
  const name = await finishedOnAsterisk(r, id);
  await until(async () => (await r.row(name))?.status === 'stored', 'stored', 10_000);
  const pauses = await r.a.h.sql('select action, offset_ms, staff_no from recording_pause where recording_name = ? order by offset_ms', [name]);
  t.same(pauses.map((p: any) => [p.action, p.staff_no]), [['pause', '101'], ['resume', '101']], 'pause and resume logged');
  const logged = pauses[1].offset_ms - pauses[0].offset_ms;
  const row = (await r.row(name))!;
  const pcm = decodePcm16(await decrypt(await r.store.read(row.storage_path, 0, (await r.store.size(row.storage_path))!), r.keys));
  // The longest run of exact zeros with sound on both sides: the muted stretch inside the caller's speech.
  let best = { start: 0, len: 0 };
  const firstSound = pcm.findIndex((s) => s !== 0);
  for (let i = firstSound, run = -1; i < pcm.length; i++) {
    if (pcm[i] === 0) { if (run < 0) run = i; continue; }
    if (run >= 0 && i - run > best.len) best = { start: run, len: i - run };
    run = -1;
  }
  const silenceMs = (best.len / 8000) * 1000;
  const startMs = (best.start / 8000) * 1000;
  t.comment(`silence ${silenceMs.toFixed(0)} ms at ${startMs.toFixed(0)} ms; logged pause ${logged} ms at ${pauses[0].offset_ms} ms`);
  t.ok(silenceMs > 2000, 'a real stretch of silence inside the speech');
  t.ok(Math.abs(silenceMs - logged) < 400, 'as long as the logged pause (within scheduling jitter at 20x)');
  t.ok(Math.abs(startMs - pauses[0].offset_ms) < 600, 'where the log says it started');
  t.ok(row.duration_ms >= 20_000, 'no time was cut out: the file still covers all the speech');
});

t.test('Asterisk down during the fetch: retried, nothing lost, nothing deleted early', async (t) => {
  await r.worker!.stop();
  r.worker = undefined;
  const id = await talkingCall('13900000103', 2000);
  await sleep(2000 / SCALE + 50);
  await phoneAction(r.a.h, 'PJSIP/8001', 'hangup');
  const name = await finishedOnAsterisk(r, id);
  const original = r.simFile(name)!;
  await presenceIs(r.a, '101', 'ready', 15_000);
  // Every ARI request fails with 500 for a while: the worker's downloads among them.
  t.equal((await call(r.a.h.sim, 'POST', '/sim/faults/rest', { failNext: 4, status: 500 })).status, 200);
  await r.startWorker();
  await until(async () => ((await r.row(name))?.attempts ?? 0) >= 2, 'failed attempts', 10_000);
  // Read from the simulator's disk: an ARI request would itself be failed by the fault.
  const midway = await r.row(name);
  t.ok(midway!.status === 'stored' || r.simFile(name)?.equals(original), 'still on Asterisk while it cannot be copied');
  await until(async () => (await r.row(name))?.status === 'stored', 'stored after the retries', 15_000);
  const row = (await r.row(name))!;
  t.ok(row.attempts >= 2, `retried (${row.attempts} failed attempts)`);
  t.equal(row.last_error, null, 'the last error is cleared');
  t.equal(row.sha256, sha256(original), 'the same bytes');
});

t.test('the store failing or returning a bad copy: the file stays on Asterisk until a verified copy exists', async (t) => {
  await presenceIs(r.a, '101', 'ready', 15_000);
  const id = await talkingCall('13900000104', 1000);
  await sleep(1000 / SCALE + 50);
  await phoneAction(r.a.h, 'PJSIP/8001', 'hangup');
  const name = await finishedOnAsterisk(r, id);
  await until(async () => (await r.row(name))?.status === 'stored', 'stored by the worker', 10_000);
  // A fresh name: the same bytes re-made on the simulator under a new name, ingested by hand through broken stores.
  const copy = `${name}-copy`;
  await r.a.h.sim.engine.w.stored.writeSync(copy, 'wav', 2000, [{ startMs: 100, endMs: 1500 }]);
  const facts = { name: copy, callId: id, kind: 'call' as const, staffNo: '101', finishedAt: new Date().toISOString(), reportedDurationS: 2 };
  const deps = { orm: r.a.h.orm, keys: r.keys, asterisk: ariFiles({ url: r.a.h.sim.url, user: 'hotline', password: 'hotline' }), log: pino({ level: 'silent' }) };
  const down: BlobStore = { backend: 'fs', put: async () => { throw new Error('store unavailable'); }, read: r.store.read.bind(r.store), size: r.store.size.bind(r.store), remove: r.store.remove.bind(r.store) };
  await t.rejects(ingestRecording({ ...deps, store: down }, facts), /store unavailable/);
  t.ok(await r.asteriskHas(copy), 'kept on Asterisk when the store is down');
  const corrupt: BlobStore = { ...down, put: async (k, data) => { const bad = Buffer.from(data); bad[bad.length - 1] ^= 1; await r.store.put(k, bad); } };
  await t.rejects(ingestRecording({ ...deps, store: corrupt }, facts), /failed authentication|does not decrypt/);
  t.ok(await r.asteriskHas(copy), 'kept on Asterisk when the copy does not verify');
  t.equal((await r.row(copy))!.status, 'finished', 'not marked stored');
  t.equal(await ingestRecording({ ...deps, store: r.store }, facts), 'stored');
  t.notOk(await r.asteriskHas(copy), 'deleted once a verified copy exists');
  t.equal(await ingestRecording({ ...deps, store: r.store }, facts), 'already-stored', 'idempotent');
});

t.test('a recording that fails is flagged on the call, never silently missing', async (t) => {
  await presenceIs(r.a, '101', 'ready', 15_000);
  // Asterisk refuses the record request (here: no such bridge): flagged at once.
  await r.capture.onBridged({ callId: 'no-bridge-call', staffNo: '101', bridgeId: 'no-such-bridge' });
  await until(async () => (await r.rowsOf('no-bridge-call'))[0]?.status === 'failed', 'flagged', 10_000);
  t.match((await r.rowsOf('no-bridge-call'))[0], { status: 'failed', failure: /ARI refused the recording: .*not found/i, kind: 'call', staff_no: '101' });

  // Asterisk accepts, then reports RecordingFailed (as it does for a channel recorded while bridged, BEHAVIOUR j).
  const id = await talkingCall('13900000105', 1000);
  let name = '';
  await until(async () => !!(name = (await r.rowsOf(id))[0]?.name ?? ''), 'the recording row');
  (r.a.h.controller.conn as unknown as { emit(e: string, ev: unknown): void }).emit('event', {
    type: 'RecordingFailed', recording: { name, format: 'wav', state: 'failed', target_uri: 'bridge:x', cause: 'disk write error' },
  });
  await until(async () => (await r.row(name))?.status === 'failed', 'flagged on RecordingFailed', 10_000);
  t.match(await r.row(name), { status: 'failed', failure: 'RecordingFailed: disk write error', call_id: id });
  await r.a.h.hangup(id);
  const rec = await r.a.h.record(id);
  t.equal(rec.tags.recordingFailed, 'RecordingFailed: disk write error', 'the call record carries the flag too');
});
