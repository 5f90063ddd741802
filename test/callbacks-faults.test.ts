// Callbacks survive their infrastructure failing: a worker killed (SIGKILL) while its callback waits for a lawyer,
// Redis restarted (with append-only persistence, as production must run it — and once without its data), and
// PostgreSQL unreachable for a while. Each time the callback is still made, exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createOrm } from '../lib/db.js';
import { loadCalendar } from '../lib/calendar/index.js';
import { CallbackJobs } from '../ivr/callbacks/jobs.js';
import type { CallbackDialler } from '../ivr/callbacks/dialler.js';
import type { DeskEvent } from '../ivr/acd/types.js';
import { phone, phoneAction, startAcdHotline } from './helpers/acd.js';
import { ALWAYS_OPEN, callbackRig } from './helpers/callbacks.js';
import { REDIS_URL, startDesk } from './helpers/desk.js';
import { sleep, until } from './helpers/sim.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const log = pino({ level: process.env.TEST_LOG ?? 'silent' });

/** A due automatic callback straight into the table (its creation is tested elsewhere). */
async function dueCallback(sql: (q: string, p?: unknown[]) => Promise<unknown>, key: string, number: string, dueInMs = 0): Promise<string> {
  const due = new Date(Date.now() + dueInMs);
  const rows = await sql(`insert into callback (kind, trigger_key, number, line, place, mode, team, due_at, deadline_at, next_attempt_at)
    values ('missed', ?, ?, 'consultation', ?, 'auto', 'lawyers', ?, ?, ?) returning id`,
  [key, number, Date.now() * 1000, due, new Date(due.getTime() + 3600_000), due]) as Array<{ id: string }>;
  return String(rows[0].id);
}

/** Stands in for the dialler where no telephony is needed: every attempt reaches the caller, and is counted. */
function countingDialler(): { dialler: CallbackDialler; placed: string[] } {
  const placed: string[] = [];
  const dialler = {
    async waitAndConnect(cb: { callbackId: string }) {
      placed.push(cb.callbackId);
      return { kind: 'attempt', outcome: 'answered', staffNo: '101', callId: `fake-${cb.callbackId}-${placed.length}` };
    },
    async direct() { return { kind: 'lawyer-busy' }; },
  } as unknown as CallbackDialler;
  return { dialler, placed };
}

t.test('a worker killed mid-job: another worker takes the same attempt over and the caller is called once', async (t) => {
  const a = await startAcdHotline({ lawyers: [{ staffNo: '101', endpoint: 'PJSIP/8001' }], wrapUpMs: 2000 });
  t.teardown(() => a.close());
  await phone(a.h, 'PJSIP/13900000901', 'answer', 300);
  const id = await dueCallback((q, p) => a.h.sql(q, p as unknown[]), 'kill-1', '13900000901');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/callback-worker-child.ts')], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, CB_PREFIX: a.h.prefix, CB_DATABASE_URL: a.h.dbUrl, CB_REDIS_URL: REDIS_URL, CB_ARI_URL: a.h.sim.url, CB_LEASE_MS: '1500', CB_LOCK_MS: '1500' },
  });
  t.teardown(() => { child.kill('SIGKILL'); });
  const childId = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => { out += b; const m = /ready (\S+)/.exec(out); if (m) resolve(m[1]); });
    child.once('exit', (code) => reject(new Error(`worker child exited ${code}`)));
  });
  // Only a scheduler here at first: the child's worker takes the job and waits (no lawyer is ready).
  const scheduler = new CallbackJobs({ orm: a.h.orm, redisUrl: REDIS_URL, prefix: a.h.prefix, calendar: loadCalendar({ hours: ALWAYS_OPEN }), log, sweepEveryMs: 3_600_000 });
  await scheduler.start({ worker: false });
  t.teardown(() => scheduler.stop());
  await scheduler.sweep();
  await until(async () => (await a.h.sql('select lease_by from callback where id = ?', [id]))[0].lease_by === childId, 'the child holds the callback', 15_000);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  // A worker in this process (short locks, so BullMQ finds the dead worker's job stalled quickly).
  const rig = await callbackRig(a, { leaseMs: 1500, lockMs: 1000 });
  t.teardown(() => rig.close());
  await until(() => rig.dialler.waiting === 1, 'the same attempt waiting here, once the lease ran out', 20_000);
  const row = (await a.h.sql('select status, attempts, lease_by from callback where id = ?', [id]))[0];
  t.match(row, { status: 'dialling', attempts: 0 }, 'still attempt 1');
  t.not(row.lease_by, childId);
  await a.presence.setState('101', 'ready');
  await until(() => a.desk.some((e) => e.type === 'answered'), 'lawyer and caller talking', 20_000);
  await phoneAction(a.h, 'PJSIP/8001', 'hangup');
  await until(async () => (await a.h.sql('select status from callback where id = ?', [id]))[0].status === 'completed', 'called back', 20_000);
  t.same(await a.h.sql('select attempt, outcome from callback_attempt where callback_id = ?', [id]), [{ attempt: 1, outcome: 'answered' }]);
  const offers = a.desk.filter((e): e is Extract<DeskEvent, { type: 'offered' }> => e.type === 'offered' && e.callerNumber === '13900000901');
  t.equal(offers.length, 1, 'the lawyer was rung once, so the caller was dialled once');
});

/** A private redis-server that keeps its data in an append-only file, restartable on the same port and folder. */
function persistentRedis(dir: string, port: number) {
  let proc: ChildProcess | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = spawn('redis-server', ['--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
      const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
      probe.on('error', () => undefined);
      await probe.connect().catch(() => undefined);
      await until(async () => (await probe.ping().catch(() => '')) === 'PONG', 'redis-server up', 10_000);
      probe.disconnect();
    },
    async stop() {
      const p = proc;
      if (!p) return;
      p.kill('SIGTERM');
      await new Promise((r) => p.once('exit', r));
      proc = undefined;
    },
  };
}

const freePort = () => new Promise<number>((resolve) => { const s = net.createServer().listen(0, () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });

t.test('Redis restarted (persistence on), then restarted empty: every callback made, none twice', async (t) => {
  const d = await startDesk();
  t.teardown(() => d.close());
  const sql = (q: string, p: unknown[] = []) => d.orm.em.fork().getConnection().execute(q, p);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cb-redis-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const redis = persistentRedis(dir, await freePort());
  await redis.start();
  t.teardown(() => redis.stop());
  const { dialler, placed } = countingDialler();
  const jobs = new CallbackJobs({ orm: d.orm, redisUrl: redis.url, prefix: d.prefix, calendar: loadCalendar({ hours: ALWAYS_OPEN }), dialler, log, sweepEveryMs: 500 });
  await jobs.start();
  // Due in 3 s: scheduled as a delayed job, then Redis goes down and comes back from its append-only file.
  const first = await dueCallback(sql, 'redis-1', '13900000911', 3000);
  await until(async () => (await jobs.queue.getDelayedCount()) >= 1, 'the attempt scheduled');
  await redis.stop();
  await sleep(500);
  await redis.start();
  await until(async () => (await sql('select status from callback where id = ?', [first]))[0].status === 'completed', 'made after the restart', 20_000);
  // Now Redis loses everything (a restart without its files): PostgreSQL still knows the callback.
  const second = await dueCallback(sql, 'redis-2', '13900000912', 2000);
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  const fresh = mkdtempSync(path.join(os.tmpdir(), 'cb-redis-'));
  t.teardown(() => rmSync(fresh, { recursive: true, force: true }));
  const empty = persistentRedis(fresh, Number(new URL(redis.url).port));
  await empty.start();
  t.teardown(() => empty.stop());
  await until(async () => (await sql('select status from callback where id = ?', [second]))[0].status === 'completed', 'made from what PostgreSQL kept', 30_000);
  t.same(placed.sort(), [first, second].sort(), 'each callback placed exactly once');
  await jobs.stop(); // while its Redis still runs
});

t.test('PostgreSQL unreachable for a while: the callback waits, then is made once', async (t) => {
  const d = await startDesk();
  t.teardown(() => d.close());
  const sql = (q: string, p: unknown[] = []) => d.orm.em.fork().getConnection().execute(q, p);
  // The jobs reach PostgreSQL through a proxy the test can cut.
  const target = new URL(d.dbUrl);
  const sockets = new Set<net.Socket>();
  let up = true;
  const proxy = net.createServer((client) => {
    if (!up) { client.destroy(); return; }
    const server = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, server]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => undefined); }
    client.pipe(server).pipe(client);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => new Promise<void>((r) => proxy.close(() => r())));
  const via = new URL(d.dbUrl);
  via.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  const orm = await createOrm(via.toString(), { pool: { min: 0, max: 4, idleTimeoutMillis: 500 } } as never);
  t.teardown(() => orm.close(true));
  const { dialler, placed } = countingDialler();
  const jobs = new CallbackJobs({ orm, redisUrl: REDIS_URL, prefix: `${d.prefix}-pg`, calendar: loadCalendar({ hours: ALWAYS_OPEN }), dialler, log, sweepEveryMs: 500 });
  up = false;
  for (const s of sockets) s.destroy();
  await jobs.start();
  t.teardown(async () => { await jobs.stop(); const keys = await d.redis.keys(`bull:${d.prefix}-pg-callbacks:*`); if (keys.length) await d.redis.del(...keys); });
  const id = await dueCallback(sql, 'pg-1', '13900000921');
  await sleep(2500); // several sweeps fail meanwhile
  t.equal(placed.length, 0, 'nothing placed while the database is away');
  t.match((await sql('select status, attempts from callback where id = ?', [id]))[0], { status: 'pending', attempts: 0 }, 'nothing lost');
  up = true;
  await until(async () => (await sql('select status from callback where id = ?', [id]))[0].status === 'completed', 'made once the database is back', 30_000);
  t.same(placed, [id], 'exactly once');
});
