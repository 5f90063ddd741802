// The recordings store beyond capture: voicemails and after-hours messages ingested from the call records; retention
// per kind with a fake clock; legal holds on a call and on a caller's number; the purge written to the audit log,
// which PostgreSQL keeps append-only; the free-space floor (alarm, storing paused, nothing lost, resumes); seeking
// into the middle of an encrypted file; keys rotated.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import pino from 'pino';
import { ariFiles } from '../recordings-store/asterisk.js';
import { decrypt, encrypt, EncryptedReader, KeyRing } from '../recordings-store/crypto.js';
import { purgeExpired } from '../recordings-store/retention.js';
import { FsBlobStore, DiskFloorError } from '../recordings-store/storage.js';
import { sweep } from '../recordings-store/sweep.js';
import { recordingJobs } from '../recordings-store/jobs.js';
import { RecordingsWorker } from '../recordings-store/worker.js';
import { Redis } from 'ioredis';
import { REDIS_URL, startHotline, type TestHotline } from './helpers/hotline.js';
import { speak, voicemailName, waitRecording } from './helpers/paths.js';
import { sha256 } from './helpers/recordings.js';
import { until } from './helpers/sim.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let h: TestHotline;
let dir: string;
let store: FsBlobStore;
const keys = new KeyRing({ id: 'k2', key: randomBytes(32) }, [{ id: 'k1', key: randomBytes(32) }]);
const DAY = 86_400_000;

t.before(async () => {
  h = await startHotline({ open: false });
  dir = mkdtempSync(path.join(os.tmpdir(), 'rec-ret-'));
  store = new FsBlobStore(dir);
});
t.teardown(async () => { await h.close(); rmSync(dir, { recursive: true, force: true }); });

const sql = (q: string, p: unknown[] = []) => h.sql(q, p);

/** A stored recording made directly (its call record too), finished at `finishedAt`. */
async function stored(name: string, callId: string, caller: string, kind: 'call' | 'voicemail', finishedAt: Date): Promise<string> {
  await sql(`insert into call_record (call_id, caller_number, arrived_at, ended_at) values (?, ?, ?, ?) on conflict do nothing`, [callId, caller, finishedAt, finishedAt]);
  const key = `test/${name}.hrec`;
  await store.put(key, encrypt(Buffer.from(`RIFF-${name}`), keys.current));
  await sql(`insert into recording (name, call_id, kind, status, finished_at, sha256, key_id, storage_backend, storage_path, stored_at)
    values (?, ?, ?, 'stored', ?, 'x', 'k2', 'fs', ?, now())`, [name, callId, kind, finishedAt, key]);
  return key;
}

t.test('voicemails and after-hours messages are found from the call records and stored', async (t) => {
  const id = await h.dial('13700000001');
  const name = voicemailName(id, 'after-hours-message');
  await h.waitHeard(id, 'leave-message');
  await waitRecording(h, name);
  await speak(h, id, 2000);
  await h.hangup(id);
  const rec = await h.record(id);
  t.equal(rec.voicemail_recording, name);
  const original = h.sim.engine.w.stored.exists(name) ? (await h.sim.engine.w.stored.file(name)).bytes : undefined;
  t.ok(original, 'the message is on Asterisk');
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const jobs = recordingJobs(connection, h.prefix);
  t.same(await sweep({ orm: h.orm, jobs, log }), { voicemails: 1, requeued: 0 }, 'the sweep finds it');
  const worker = new RecordingsWorker({
    connection, keyPrefix: h.prefix, orm: h.orm, store, keys, log, retryBaseMs: 50, retryMaxMs: 200,
    asterisk: ariFiles({ url: h.sim.url, user: 'hotline', password: 'hotline' }), retention: { callDays: 1095, voicemailDays: 1095 },
  });
  await worker.start();
  t.teardown(async () => { await worker.stop(); await jobs.close(); connection.disconnect(); });
  await until(async () => (await sql('select status from recording where name = ?', [name]))[0]?.status === 'stored', 'voicemail stored', 10_000);
  const [row] = await sql('select * from recording where name = ?', [name]);
  t.match(row, { kind: 'voicemail', call_id: id, staff_no: null, sha256: sha256(original!) });
  t.equal(sha256(await decrypt(await store.read(row.storage_path, 0, (await store.size(row.storage_path))!), keys)), sha256(original!), 'round trip');
  t.notOk(h.sim.engine.w.stored.exists(name), 'deleted from Asterisk after the verified copy');
  t.same(await sweep({ orm: h.orm, jobs, log }), { voicemails: 0, requeued: 0 }, 'nothing left for the next sweep');
});

t.test('retention per kind with a fake clock; legal holds on a call and on a caller; the purge is audited', async (t) => {
  const t0 = new Date('2020-01-10T02:00:00Z');
  const kCall = await stored('ret-call', 'ret-c1', '13600000001', 'call', t0);
  const kVm = await stored('ret-vm', 'ret-c2', '13600000002', 'voicemail', t0);
  const kHeldCall = await stored('ret-held-call', 'ret-c3', '13600000003', 'call', t0);
  const kHeldCaller = await stored('ret-held-caller', 'ret-c4', '13600000004', 'call', t0);
  await sql(`insert into legal_hold (call_id, reason, created_by) values ('ret-c3', '诉讼保全', 'sup1')`);
  const [hold] = await sql(`insert into legal_hold (caller_number, reason, created_by) values ('13600000004', '信访调查', 'sup1') returning id`);
  const policy = { callDays: 1095, voicemailDays: 365 };
  const d = { orm: h.orm, store, log };

  t.same(await purgeExpired(d, policy, new Date(t0.getTime() + 364 * DAY)), { purged: 0, held: 0 }, 'nothing before a year');
  t.same(await purgeExpired(d, policy, new Date(t0.getTime() + 366 * DAY)), { purged: 1, held: 0 }, 'voicemail after its year');
  t.equal(await store.size(kVm), undefined, 'the voicemail file is gone');
  t.ok(await store.size(kCall), 'the call recording is kept (three years)');
  t.same(await purgeExpired(d, policy, new Date(t0.getTime() + 1094 * DAY)), { purged: 0, held: 0 });
  const later = new Date(t0.getTime() + 1096 * DAY);
  t.same(await purgeExpired(d, policy, later), { purged: 1, held: 2 }, 'after three years: the call goes, the held two stay');
  t.equal(await store.size(kCall), undefined);
  t.ok(await store.size(kHeldCall), 'held by call');
  t.ok(await store.size(kHeldCaller), 'held by caller number');
  await sql(`update legal_hold set released_at = now(), released_by = 'sup1' where id = ?`, [hold.id]);
  t.same(await purgeExpired(d, policy, later), { purged: 1, held: 1 }, 'released hold: purged at the next run');
  t.ok(await store.size(kHeldCall), 'the other hold still stands');

  const audit = await sql(`select actor, action, call_id, details from recording_audit where action = 'purge' order by id`);
  t.same(audit.map((a: any) => [a.actor, a.call_id, a.details.name, a.details.retentionDays]), [
    ['system:purge', 'ret-c2', 'ret-vm', 365], ['system:purge', 'ret-c1', 'ret-call', 1095], ['system:purge', 'ret-c4', 'ret-held-caller', 1095],
  ], 'every purge written to the audit log');
  const rows = await sql(`select name, status, purged_at from recording where name like 'ret-%' order by name`);
  t.same(rows.map((r: any) => [r.name, r.status]), [['ret-call', 'purged'], ['ret-held-call', 'stored'], ['ret-held-caller', 'purged'], ['ret-vm', 'purged']]);

  await t.rejects(sql(`update recording_audit set actor = 'someone' where action = 'purge'`), /append-only/, 'the audit log cannot be edited');
  await t.rejects(sql(`delete from recording_audit`), /append-only/, 'nor deleted from');
  await t.rejects(sql(`truncate recording_audit`), /append-only/, 'nor truncated');
});

t.test('the purge runs as a repeatable job on its own, with the worker’s clock', async (t) => {
  const t0 = new Date('2020-02-01T00:00:00Z');
  const k = await stored('ret-job', 'ret-c5', '13600000005', 'call', t0);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new RecordingsWorker({
    connection, keyPrefix: `${h.prefix}-purge`, orm: h.orm, store, keys, log, purgeEveryMs: 100, clock: () => new Date(t0.getTime() + 1100 * DAY),
    asterisk: ariFiles({ url: h.sim.url, user: 'hotline', password: 'hotline' }), retention: { callDays: 1095, voicemailDays: 1095 },
  });
  await worker.start();
  t.teardown(async () => {
    await worker.stop();
    const left = await connection.keys(`${h.prefix}-purge:*`);
    if (left.length) await connection.del(...left);
    connection.disconnect();
  });
  await until(async () => (await store.size(k)) === undefined, 'purged by the scheduled job', 10_000);
  await until(async () => (await sql(`select 1 from recording_audit where call_id = 'ret-c5'`)).length === 1, 'audited');
  t.pass('purged and audited');
});

t.test('the free-space floor: alarm, nothing written, the file stays on Asterisk; storing resumes with room', async (t) => {
  const full = new FsBlobStore(dir, { minFreeBytes: Number.MAX_SAFE_INTEGER });
  await t.rejects(full.put('x/y.hrec', Buffer.alloc(10)), DiskFloorError, 'refuses to write below the floor');
  t.equal(await full.size('x/y.hrec'), undefined);

  const name = 'floor-test';
  h.sim.engine.w.stored.writeSync(name, 'wav', 1500, [{ startMs: 0, endMs: 1000 }]);
  await sql(`insert into call_record (call_id, arrived_at) values ('floor-call', now())`);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `${h.prefix}-floor`;
  const jobs = recordingJobs(connection, prefix);
  const make = (s: FsBlobStore) => new RecordingsWorker({
    connection, keyPrefix: prefix, orm: h.orm, store: s, keys, log, retryBaseMs: 50, retryMaxMs: 200,
    asterisk: ariFiles({ url: h.sim.url, user: 'hotline', password: 'hotline' }), retention: { callDays: 1095, voicemailDays: 1095 },
  });
  let worker = make(full);
  await worker.start();
  t.teardown(async () => {
    await worker.stop(); await jobs.close();
    const left = await connection.keys(`${prefix}:*`);
    if (left.length) await connection.del(...left);
    connection.disconnect();
  });
  await jobs.finished({ name, callId: 'floor-call', kind: 'call', finishedAt: new Date().toISOString(), reportedDurationS: 1 });
  await until(async () => worker.paused, 'the alarm', 10_000);
  await until(async () => (await sql(`select 1 from system_event where source = 'recordings' and kind = 'disk_floor_reached'`)).length === 1, 'alarm recorded');
  await until(async () => ((await sql('select attempts from recording where name = ?', [name]))[0]?.attempts ?? 0) >= 2, 'retrying');
  t.ok(h.sim.engine.w.stored.exists(name), 'the recording stays on Asterisk');
  t.equal((await sql('select status from recording where name = ?', [name]))[0].status, 'finished', 'not stored, not failed: waiting');
  // Room again (the floor lowered): the same job goes through.
  await worker.stop();
  worker = make(store);
  await worker.start();
  await until(async () => (await sql('select status from recording where name = ?', [name]))[0]?.status === 'stored', 'stored once there is room', 10_000);
  t.notOk(h.sim.engine.w.stored.exists(name), 'then deleted from Asterisk');
});

t.test('seeking: a range in the middle decrypts only its chunks; rotated keys still read; tampering is caught', async (t) => {
  const plain = randomBytes(300_000);
  const oldSealed = encrypt(plain, { id: 'k1', key: (keys as any).get('k1') }, 4096);
  const r = await EncryptedReader.open(async (o, l) => oldSealed.subarray(o, o + l), keys);
  t.equal(r.size, plain.length);
  const parts: Buffer[] = [];
  for await (const p of r.range(150_001, 160_000)) parts.push(p);
  t.ok(Buffer.concat(parts).equals(plain.subarray(150_001, 160_001)), 'the middle range, exactly');
  t.ok((await decrypt(oldSealed, keys)).equals(plain), 'a file under the rotated-out key k1 still reads');
  const cut = oldSealed.subarray(0, oldSealed.length - 4096 - 16);
  await t.rejects(decrypt(cut, keys), /truncated|authentication/, 'a file cut short does not pass as complete');
  await t.rejects(decrypt(oldSealed, new KeyRing({ id: 'k2', key: randomBytes(32) })), /no key with id k1/);
});
