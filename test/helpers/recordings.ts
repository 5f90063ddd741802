// Recordings on the whole call path for tests: the ACD hotline (pbx-sim, controller, Redis, a fresh PostgreSQL) with
// call capture wired in, a filesystem store in a temporary folder, a random key, and the recordings worker (started
// when a test says so, so a test can look at what Asterisk holds before it is taken away).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { scaledTimers } from '../../flows/timers.js';
import { ariBinding } from '../../ivr/acd/ari-ops.js';
import { CallCapture } from '../../ivr/recording/capture.js';
import { commandChannel as commandsChannel } from '../../ivr/acd/commands.js';
import { ariFiles, type AsteriskFiles } from '../../recordings-store/asterisk.js';
import { KeyRing } from '../../recordings-store/crypto.js';
import { recordingJobs } from '../../recordings-store/jobs.js';
import { FsBlobStore, type BlobStore } from '../../recordings-store/storage.js';
import { RecordingsWorker, type RecordingsWorkerOptions } from '../../recordings-store/worker.js';
import { SCALE, startAcdHotline, type AcdHotline, type AcdHotlineOptions } from './acd.js';
import { REDIS_URL } from './hotline.js';
import { call, until } from './sim.js';

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface RecordingHotline {
  a: AcdHotline;
  capture: CallCapture;
  keys: KeyRing;
  storeDir: string;
  store: BlobStore;
  connection: Redis;
  worker?: RecordingsWorker;
  startWorker(o?: Partial<RecordingsWorkerOptions>): Promise<RecordingsWorker>;
  /** The simulator's own copy of a stored recording (its spool), or undefined once deleted. */
  simFile(name: string): Buffer | undefined;
  asteriskHas(name: string): Promise<boolean>;
  row(name: string): Promise<Record<string, any> | undefined>;
  rowsOf(callId: string): Promise<Array<Record<string, any>>>;
  command(action: 'pause' | 'resume', callId: string, staffNo: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRecordingHotline(o: AcdHotlineOptions = {}): Promise<RecordingHotline> {
  const late: { capture?: CallCapture } = {};
  const a = await startAcdHotline({ ...o, onBridged: (info) => late.capture?.onBridged(info) });
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const jobs = recordingJobs(connection, a.h.prefix);
  const capture = late.capture = new CallCapture({
    binding: ariBinding(a.h.controller), jobs, redis: a.h.redis, keyPrefix: a.h.prefix, log, timers: scaledTimers(SCALE),
    onFailed: (callId, cause) => a.h.recorder.tagged(callId, 'recordingFailed', cause),
  });
  await capture.start();
  const keys = new KeyRing({ id: 'test-1', key: randomBytes(32) });
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'rec-store-'));
  const store = new FsBlobStore(storeDir);
  const simDir = a.h.sim.engine.w.stored.dir;
  const conn = () => a.h.orm.em.fork().getConnection();
  const r: RecordingHotline = {
    a, capture, keys, storeDir, store, connection,
    async startWorker(extra = {}) {
      const asterisk: AsteriskFiles = ariFiles({ url: a.h.sim.url, user: 'hotline', password: 'hotline' });
      const w = new RecordingsWorker({
        connection, keyPrefix: a.h.prefix, orm: a.h.orm, store, keys, asterisk, log,
        retention: { callDays: 1095, voicemailDays: 1095 }, retryBaseMs: 50, retryMaxMs: 400, ...extra,
      });
      await w.start();
      r.worker = w;
      return w;
    },
    simFile(name) {
      try { return readFileSync(path.join(simDir, `${name}.wav`)); } catch { return undefined; }
    },
    async asteriskHas(name) {
      return (await call(a.h.sim, 'GET', `/ari/recordings/stored/${encodeURIComponent(name)}`)).status === 200;
    },
    async row(name) { return (await conn().execute('select * from recording where name = ?', [name]))[0]; },
    async rowsOf(callId) { return conn().execute('select * from recording where call_id = ? order by id', [callId]); },
    async command(action, callId, staffNo) {
      await a.h.redis.publish(commandsChannel(a.h.prefix), JSON.stringify({ type: 'recording', action, callId, staffNo }));
    },
    async close() {
      await r.worker?.stop();
      await capture.stop();
      await jobs.close();
      const keysLeft = await connection.keys(`${a.h.prefix}:bull:*`);
      if (keysLeft.length) await connection.del(...keysLeft);
      connection.disconnect();
      await a.close();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
  return r;
}

/** Waits until Asterisk (the simulator) lists a finished recording of `callId`; returns its name. */
export async function finishedOnAsterisk(r: RecordingHotline, callId: string, timeoutMs = 10_000): Promise<string> {
  let name: string | undefined;
  await until(async () => {
    const list = (await call(r.a.h.sim, 'GET', '/ari/recordings/stored')).body as Array<{ name: string }>;
    name = list.find((x) => x.name.startsWith(`call-${callId}-`))?.name;
    return !!name && !r.a.h.sim.engine.w.liveRecordings.has(name);
  }, `a finished recording of ${callId} on Asterisk`, timeoutMs);
  return name!;
}
