// The agent desk for tests: its own PostgreSQL database (migrated) and Redis key prefix, so test files run side by
// side; log lines are kept so tests can read what the desk wrote.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../config/index.js';
import { deskChannel, type DeskEvent } from '../../ivr/acd/types.js';
import { createOrm, migrateUp } from '../../lib/db.js';
import { dropPostgresDatabase, ensurePostgresDatabase } from '../../lib/services.js';
import { buildDesk, type DeskApp, type DeskOptions } from '../../agent-desk/app.js';
import { SESSION_COOKIE, SessionStore } from '../../agent-desk/sessions.js';
import { createStaff, type StaffInput } from '../../agent-desk/staff.js';
import { until } from './sim.js';

export const DB_BASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PASSWORD = 'demo12348';

export interface CallRow {
  callId: string; callerNumber?: string | null; agent?: string | null; line?: string | null; topic?: string | null;
  arrivedAt?: Date; answered?: boolean; endReason?: string | null; priority?: number;
}

export class TestDesk {
  constructor(
    readonly app: DeskApp, readonly orm: MikroORM, readonly redis: Redis, readonly prefix: string,
    readonly dbUrl: string, readonly logs: string[],
  ) {}

  async staff(input: Partial<StaffInput> & { staffNo: string; role: StaffInput['role'] }): Promise<void> {
    await createStaff(this.orm.em.fork(), { name: input.staffNo, password: PASSWORD, ...input });
  }

  /** A session cookie without the cost of argon2 (the login route itself is tested separately). */
  async cookie(staffNo: string): Promise<string> {
    const token = await new SessionStore(this.redis, this.prefix).create(staffNo);
    return `${SESSION_COOKIE}=${token}`;
  }

  async login(staffNo: string, password = PASSWORD, remoteAddress = '127.0.0.1') {
    return this.app.inject({ method: 'POST', url: '/api/login', payload: { staffNo, password }, remoteAddress });
  }

  async req(method: string, url: string, cookie?: string, payload?: unknown) {
    const r = await this.app.inject({
      method: method as 'GET', url, ...(cookie ? { headers: { cookie } } : {}), ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    let body: any;
    try { body = r.json(); } catch { body = r.body; }
    return { status: r.statusCode, body, headers: r.headers, text: r.body };
  }

  async insertCall(c: CallRow): Promise<void> {
    const arrived = c.arrivedAt ?? new Date();
    await this.orm.em.fork().getConnection().execute(
      `insert into call_record (call_id, caller_number, agent, service_line, legal_topic, arrived_at, answered_at, ended_at, end_reason, priority)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [c.callId, c.callerNumber ?? null, c.agent ?? null, c.line ?? null, c.topic ?? null, arrived,
        c.answered === false || !c.agent ? null : new Date(arrived.getTime() + 5000), new Date(arrived.getTime() + 60000),
        c.endReason ?? (c.agent ? 'completed' : 'abandoned_in_queue'), c.priority ?? 0],
    );
  }

  /** Publishes a DeskEvent as the ACD does and waits until this desk has handled it. */
  async publish(ev: DeskEvent): Promise<void> {
    const before = this.app.deskLive.idle();
    await this.redis.publish(deskChannel(this.prefix), JSON.stringify(ev));
    // The hub's chain changes when the message arrives; then wait for it to settle.
    await until(() => this.app.deskLive.idle() !== before, 'the desk to receive the event');
    await this.app.deskLive.idle();
  }

  async close(): Promise<void> {
    await this.app.close();
    const keys = await this.redis.keys(`${this.prefix}:*`);
    if (keys.length) await this.redis.del(...keys);
    this.redis.disconnect();
    await this.orm.close(true);
    await dropPostgresDatabase(this.dbUrl).catch(() => undefined);
  }
}

export async function startDesk(opts: DeskOptions = {}): Promise<TestDesk> {
  const tag = randomBytes(4).toString('hex');
  const u = new URL(DB_BASE);
  u.pathname = `/hotline_desk_${tag}`;
  const dbUrl = u.toString();
  await ensurePostgresDatabase(dbUrl, pino({ level: 'silent' }));
  const orm = await createOrm(dbUrl);
  await migrateUp(orm);
  const prefix = `t-desk-${tag}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const config = loadConfig({ KEY_PREFIX: prefix, DATABASE_URL: dbUrl, REDIS_URL, LOG_LEVEL: 'info' });
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const log = pino({ level: process.env.TEST_LOG ?? 'info' }, sink);
  const app = buildDesk({ config, orm, redis, log }, opts);
  await app.ready();
  return new TestDesk(app, orm, redis, prefix, dbUrl, logs);
}
