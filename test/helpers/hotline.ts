// The whole call path for tests: pbx-sim (sped up), the controller on the real 12348 flow, call records through
// real Redis into a fresh PostgreSQL database. Callers are driven through the simulator's /sim/ API.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm, migrateUp } from '../../lib/db.js';
import { dropPostgresDatabase, ensurePostgresDatabase } from '../../lib/services.js';
import { scaledTimers } from '../../flows/timers.js';
import type { Calendar } from '../../flows/types.js';
import { Controller } from '../../ivr/controller.js';
import { FlowStore } from '../../ivr/flow-store.js';
import { databaseLookups } from '../../ivr/lookups.js';
import { startCallRecordApplier } from '../../ivr/records/applier.js';
import { CallEventSink } from '../../ivr/records/emitter.js';
import { CallEvents } from '../../ivr/records/recorder.js';
import type { Acd } from '../../ivr/session/ari-port.js';
import type { Sim } from '../../pbx-sim/server.js';
import { call, ROOT, testSim, until } from './sim.js';

export const DB_BASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface HotlineOptions {
  timeScale?: number;
  /** Business hours answer; a function is asked at each hours node. */
  open?: boolean | (() => boolean);
  acd?: Acd;
  flowFile?: string;
}

export interface Heard { media: string; startedAt: string; finishedAt?: string }

export class TestHotline {
  controller!: Controller;
  /** The latest controller's call recorder (facts only the ACD knows, e.g. answered, go through it). */
  recorder!: CallEvents;
  private controllers: Controller[] = [];

  constructor(
    readonly sim: Sim, readonly orm: MikroORM, readonly dbUrl: string, readonly prefix: string,
    readonly redis: Redis, readonly sink: CallEventSink, readonly flows: FlowStore,
    private readonly stopApplier: () => Promise<void>, readonly scale: number, private readonly opts: HotlineOptions,
  ) {}

  /** A controller on the simulator; a second call makes a new one (a restarted process). */
  async startController(): Promise<Controller> {
    const open = this.opts.open ?? true;
    const calendar: Calendar = { isOpen: () => (typeof open === 'function' ? open() : open) };
    const c = new Controller({
      ari: { url: this.sim.url, user: 'hotline', password: 'hotline', app: 'hotline' },
      log: pino({ level: process.env.TEST_LOG ?? 'silent' }), flows: this.flows, recorder: (this.recorder = new CallEvents(this.sink)), calendar,
      redis: this.redis, keyPrefix: this.prefix, lookups: databaseLookups(this.orm), timers: scaledTimers(this.scale), acd: this.opts.acd,
    });
    c.start();
    await until(() => c.conn.connected, 'controller connected');
    this.controller = c;
    this.controllers.push(c);
    return c;
  }

  async dial(from = '13800138000'): Promise<string> {
    const r = await call(this.sim, 'POST', '/sim/calls', { from, to: '12348' });
    if (r.status !== 201) throw new Error(`dial failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id;
  }

  /** A caller hung up when test `t` ends whatever happened, so that a failure does not leak into the next test. */
  async dialFor(t: { teardown(fn: () => unknown): void }, from: string): Promise<string> {
    const id = await this.dial(from);
    t.teardown(() => this.hangup(id));
    return id;
  }

  async press(id: string, digits: string): Promise<void> {
    await call(this.sim, 'POST', `/sim/calls/${id}/dtmf`, { digits, durationMs: 100, gapMs: 100 });
  }

  async say(id: string, ms: number): Promise<void> { await call(this.sim, 'POST', `/sim/calls/${id}/say`, { durationMs: ms }); }
  async hangup(id: string): Promise<void> { await call(this.sim, 'POST', `/sim/calls/${id}/hangup`); }
  async state(id: string) { return (await call(this.sim, 'GET', `/sim/calls/${id}`)).body as { heard: Heard[]; hungUp: boolean; inStasis: boolean; bridgedWith: string[] }; }
  async heard(id: string): Promise<string[]> { return (await this.state(id)).heard.map((h) => h.media.replace(/^sound:/, '')); }

  /** Waits until the caller has started hearing `media` (the n-th time). */
  async waitHeard(id: string, media: string, nth = 1, timeoutMs = 15000): Promise<void> {
    await until(async () => (await this.heard(id)).filter((m) => m === media).length >= nth, `${id} to hear ${media} (#${nth})`, timeoutMs);
  }

  /** Waits until the caller has heard `media` to its end (or it was cut by a key). */
  async waitFinished(id: string, media: string, timeoutMs = 15000): Promise<void> {
    await until(async () => (await this.state(id)).heard.some((h) => h.media === `sound:${media}` && !!h.finishedAt), `${id} to finish ${media}`, timeoutMs);
  }

  async waitEnded(id: string, timeoutMs = 15000): Promise<void> {
    await until(async () => (await this.state(id)).hungUp, `${id} to end`, timeoutMs);
  }

  /** The call's row once the call has ended (written from call events via Redis). */
  async record(id: string, timeoutMs = 15000): Promise<Record<string, any>> {
    let row: Record<string, any> | undefined;
    await until(async () => {
      const rows = await this.orm.em.fork().getConnection().execute('select * from call_record where call_id = ?', [id]);
      row = rows[0];
      return !!row?.ended_at;
    }, `the call record of ${id}`, timeoutMs);
    return row!;
  }

  async ledger(id: string): Promise<Record<string, any> | undefined> {
    return (await this.orm.em.fork().getConnection().execute('select * from call_ledger where call_id = ?', [id]))[0];
  }

  async sql(q: string, params: unknown[] = []) { return this.orm.em.fork().getConnection().execute(q, params); }

  async close(): Promise<void> {
    for (const c of this.controllers) await c.stop();
    this.flows.stop();
    await this.sink.close(2000);
    await this.stopApplier();
    await this.sim.close();
    this.redis.disconnect();
    await this.orm.close(true);
    await dropPostgresDatabase(this.dbUrl).catch(() => undefined);
  }
}

/** A hotline on its own database and Redis key prefix, so test files can run side by side. */
export async function startHotline(opts: HotlineOptions = {}): Promise<TestHotline> {
  const scale = opts.timeScale ?? 20;
  const tag = randomBytes(4).toString('hex');
  const u = new URL(DB_BASE);
  u.pathname = `/hotline_t_${tag}`;
  const dbUrl = u.toString();
  const log = pino({ level: 'silent' });
  await ensurePostgresDatabase(dbUrl, log);
  const orm = await createOrm(dbUrl);
  await migrateUp(orm);
  const prefix = `t-${tag}`;
  const applier = startCallRecordApplier({ orm, redisUrl: REDIS_URL, keyPrefix: prefix, log, blockMs: 100 });
  const sink = new CallEventSink({ redisUrl: REDIS_URL, keyPrefix: prefix, log });
  const flows = new FlowStore(orm, '12348', log);
  await flows.start(opts.flowFile ?? path.join(ROOT, 'flows', '12348.yaml'));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const sim = await testSim({ timeScale: scale, soundsDirs: [path.join(ROOT, 'sounds')] });
  const h = new TestHotline(sim, orm, dbUrl, prefix, redis, sink, flows, async () => {
    await applier.stop();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }, scale, opts);
  await h.startController();
  return h;
}
