// Against the real services: DATABASE_URL / REDIS_URL when given (scripts/test.ts and CI set them),
// else the PostgreSQL on 127.0.0.1:5432 (db `test`) and Redis on 127.0.0.1:6379 of the dev machine.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import pino from 'pino';
import {
  ServiceError,
  dropPostgresDatabase,
  ensureDatabase,
  ensureRedis,
  pgQuery,
  pingRedis,
} from '../lib/services.js';
import { pickPort } from '../lib/proc.js';

const log = pino({ level: 'silent' });
const DB = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const withDb = (name: string) => {
  const u = new URL(DB);
  u.pathname = `/${name}`;
  return u.toString();
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

t.test('a given DATABASE_URL is used as is', async (t) => {
  const svc = await ensureDatabase({ databaseUrl: DB, dataDir: '/nonexistent' }, log);
  t.equal(svc.url, DB);
  t.same(await pgQuery(svc.url, 'select 1 as one'), [{ one: 1 }]);
  await svc.stop(); // a no-op: we did not start it
  t.same(await pgQuery(svc.url, 'select 1 as one'), [{ one: 1 }], 'still up after stop()');
});

t.test('a missing database is created', async (t) => {
  const url = withDb(`hotline_svc_${process.pid}_${Date.now()}`);
  t.teardown(() => dropPostgresDatabase(url));
  const svc = await ensureDatabase({ databaseUrl: url, dataDir: '/nonexistent' }, log);
  const [row] = await pgQuery<{ db: string }>(svc.url, 'select current_database() as db');
  t.equal(row.db, new URL(url).pathname.slice(1));
  await ensureDatabase({ databaseUrl: url, dataDir: '/nonexistent' }, log);
  t.pass('a second call finds it and does not fail');
});

t.test('a dead DATABASE_URL gives a clear error without the password', async (t) => {
  const port = await pickPort();
  const url = `postgres://someone:s3cret@127.0.0.1:${port}/x`;
  const err = await rejection(ensureDatabase({ databaseUrl: url, dataDir: '/nonexistent' }, log));
  t.ok(err instanceof ServiceError);
  t.match(err.message, `PostgreSQL at postgres://someone:***@127.0.0.1:${port}/x does not answer`);
  t.match(err.message, /ECONNREFUSED|refused/);
  t.notMatch(err.message, /s3cret/);
});

t.test('a DATABASE_URL without a database name is refused', async (t) => {
  const u = new URL(DB);
  u.pathname = '/';
  const err = await rejection(ensureDatabase({ databaseUrl: u.toString(), dataDir: '/nonexistent' }, log));
  t.match(err.message, /names no database/);
});

t.test('a given REDIS_URL is PINGed and used', async (t) => {
  const svc = await ensureRedis({ redisUrl: REDIS, dataDir: '/nonexistent' }, log);
  t.equal(svc.url, REDIS);
  await svc.stop();
  await pingRedis(REDIS);
  t.pass('still answers after stop()');
});

t.test('a dead REDIS_URL gives a clear error', async (t) => {
  const port = await pickPort();
  const url = `redis://:pw@127.0.0.1:${port}`;
  const err = await rejection(ensureRedis({ redisUrl: url, dataDir: '/nonexistent' }, log));
  t.ok(err instanceof ServiceError);
  t.match(err.message, `Redis at redis://:***@127.0.0.1:${port} does not answer PING`);
  t.match(err.message, /ECONNREFUSED/);
});

t.test('without REDIS_URL a local redis-server is spawned, reused, and stopped', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hotline-redis-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const svc = await ensureRedis({ redisUrl: undefined, dataDir }, log);
  t.match(svc.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
  t.not(svc.url, 'redis://127.0.0.1:6379', 'not the shared one');
  await pingRedis(svc.url);
  const again = await ensureRedis({ redisUrl: undefined, dataDir }, log);
  t.equal(again.url, svc.url, 'a second caller reuses the running server');
  await again.stop();
  await pingRedis(svc.url);
  t.pass('the reuser does not stop it');
  await svc.stop();
  const err = await rejection(pingRedis(svc.url, 500));
  t.match(err.message, /does not answer/, 'stopped');
});

t.test('without REDIS_URL and without redis-server the error says what to install', async (t) => {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  t.teardown(() => {
    process.env.PATH = saved;
  });
  const err = await rejection(ensureRedis({ redisUrl: undefined, dataDir: '/nonexistent' }, log));
  t.ok(err instanceof ServiceError);
  t.match(err.message, /redis-server/);
  t.match(err.message, /REDIS_URL/);
});

t.test('without DATABASE_URL the embedded PostgreSQL starts, is reused, and stops', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hotline-pg-'));
  await chmod(dataDir, 0o755); // mkdtemp makes it 0700: the postgres user must be able to enter it
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const svc = await ensureDatabase({ databaseUrl: undefined, dataDir }, log);
  t.match(svc.url, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/hotline$/);
  t.ok(existsSync(path.join(dataDir, 'pg', 'PG_VERSION')), 'the cluster lives in DATA_DIR/pg');
  const [row] = await pgQuery<{ server_version: string }>(svc.url, 'show server_version');
  t.match(row.server_version, /^18\./, 'PostgreSQL 18 from the npm package');
  const again = await ensureDatabase({ databaseUrl: undefined, dataDir }, log);
  t.equal(again.url, svc.url, 'reused while running');
  await again.stop();
  await svc.stop();
  const err = await rejection(pgQuery(svc.url, 'select 1'));
  t.match(err.message, /ECONNREFUSED|connect/, 'stopped');

  const restarted = await ensureDatabase({ databaseUrl: undefined, dataDir }, log);

  t.teardown(() => restarted.stop());
  t.same(await pgQuery(restarted.url, 'select 1 as one'), [{ one: 1 }], 'restarts from the same data dir');
});
