// A callback worker in a process of its own, for the test that kills one mid-job (SIGKILL: no clean-up at all). It
// connects to the simulator as its own ARI application, runs the callback dialler and a BullMQ worker with short
// locks, and prints `ready <workerId>` once the worker runs. Everything comes from the environment.
import pino from 'pino';
import { Redis } from 'ioredis';
import { createOrm } from '../../lib/db.js';
import { loadCalendar } from '../../lib/calendar/index.js';
import { AriConnection } from '../../ivr/ari/connection.js';
import { StaffDirectory } from '../../ivr/acd/directory.js';
import { Presence } from '../../ivr/acd/presence.js';
import { CallbackDialler } from '../../ivr/callbacks/dialler.js';
import { CallbackJobs } from '../../ivr/callbacks/jobs.js';
import { realTimers } from '../../flows/timers.js';

const env = (k: string) => { const v = process.env[k]; if (!v) throw new Error(`${k} is not set`); return v; };
const log = pino({ level: process.env.TEST_LOG ?? 'silent' }, pino.destination(2));
const prefix = env('CB_PREFIX');
const orm = await createOrm(env('CB_DATABASE_URL'));
const redis = new Redis(env('CB_REDIS_URL'), { maxRetriesPerRequest: 1 });
const conn = new AriConnection({ url: env('CB_ARI_URL'), user: 'hotline', password: 'hotline', app: 'hotline-cb', log });
conn.start();
while (!conn.connected) await new Promise((r) => setTimeout(r, 20));
const presence = new Presence({ redis, keyPrefix: prefix, log });
const noop = () => undefined;
const dialler = new CallbackDialler({
  binding: { client: () => conn.client, events: conn }, app: 'hotline-cb', presence, directory: StaffDirectory.fromOrm(orm, log, { ttlMs: 200 }),
  redis, keyPrefix: prefix, log, timers: realTimers,
  recorder: { arrived: noop, tagged: noop, queued: noop, answered: noop, ended: noop },
  dialString: (n) => `PJSIP/${n}`, callerId: '12348', tickMs: 300,
});
await dialler.start();
const jobs = new CallbackJobs({
  orm, redisUrl: env('CB_REDIS_URL'), prefix, calendar: loadCalendar({ hours: 'mon-sun 00:00-24:00; holiday 00:00-24:00' }), dialler, log,
  sweepEveryMs: 3_600_000, leaseMs: Number(env('CB_LEASE_MS')), lockDurationMs: Number(env('CB_LOCK_MS')), stalledIntervalMs: Number(env('CB_LOCK_MS')),
});
await jobs.start();
process.stdout.write(`ready ${jobs.id}\n`);
