// Callbacks on the full call path for tests: an ACD hotline (pbx-sim, controller, real ACD) plus the callback
// dialler on the controller's ARI and callback jobs on real Redis (BullMQ) and PostgreSQL.
import pino from 'pino';
import { loadCalendar } from '../../lib/calendar/index.js';
import { CallbackDialler } from '../../ivr/callbacks/dialler.js';
import { CallbackJobs } from '../../ivr/callbacks/jobs.js';
import { ariBinding } from '../../ivr/acd/ari-ops.js';
import { StaffDirectory } from '../../ivr/acd/directory.js';
import { countingTimers, SCALE, type AcdHotline } from './acd.js';
import { REDIS_URL } from './hotline.js';

/** Open every day, all day (holidays included): these tests are about order and duplicates, not hours. */
export const ALWAYS_OPEN = 'mon-sun 00:00-24:00; holiday 00:00-24:00';

export interface CallbackRig { dialler: CallbackDialler; jobs: CallbackJobs; close(): Promise<void> }

export async function callbackRig(a: AcdHotline, o: { worker?: boolean; leaseMs?: number; hours?: string; lockMs?: number; callerFirst?: boolean } = {}): Promise<CallbackRig> {
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const dialler = new CallbackDialler({
    binding: ariBinding(a.h.controller), app: 'hotline', presence: a.presence, directory: StaffDirectory.fromOrm(a.h.orm, log, { ttlMs: 200 }),
    redis: a.h.redis, keyPrefix: a.h.prefix, log, timers: countingTimers(SCALE), recorder: a.h.recorder,
    dialString: (n) => { if (!/^[0-9]{3,20}$/.test(n)) throw new Error('not a number'); return `PJSIP/${n}`; },
    callerId: '12348', lawyerRingMs: 15_000, callerRingMs: 20_000, tickMs: 500, callerFirst: o.callerFirst,
  });
  await dialler.start();
  const jobs = new CallbackJobs({
    orm: a.h.orm, redisUrl: REDIS_URL, prefix: a.h.prefix, calendar: loadCalendar({ hours: o.hours ?? ALWAYS_OPEN }), dialler, log,
    sweepEveryMs: 60_000, leaseMs: o.leaseMs ?? 60_000, policy: { missedDelayMs: 0, retryMs: 60_000 },
    ...(o.lockMs ? { lockDurationMs: o.lockMs, stalledIntervalMs: o.lockMs } : {}),
  });
  await jobs.start({ worker: o.worker ?? true });
  return { dialler, jobs, async close() { await jobs.stop(); await dialler.stop(); } };
}
