// Resolves the real services the hotline needs. Given URLs are checked (and a missing database
// created); absent ones are provided locally, so `npm start` and `npm test` work on a bare machine.
import { redactUrl, type Config } from '../config/index.js';
import { ensurePostgresDatabase } from './pg.js';
import { startEmbeddedPostgres } from './pg-embedded.js';
import type { Log } from './proc.js';
import { pingRedis, startLocalRedis } from './redis-local.js';

export { ServiceError, dropPostgresDatabase, ensurePostgresDatabase, pgQuery } from './pg.js';
export { pingRedis, NO_REDIS_SERVER } from './redis-local.js';
export type { Log } from './proc.js';

/** A resolved service. stop() is a no-op for services this process did not start. */
export type Service = { url: string; stop(): Promise<void> };

const noStop = async () => undefined;

/**
 * DATABASE_URL if set: check it answers, create its database if missing.
 * Otherwise the embedded PostgreSQL 18 under DATA_DIR/pg (started, or reused if already running).
 */
export async function ensureDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, log: Log): Promise<Service> {
  if (config.databaseUrl) {
    const { created } = await ensurePostgresDatabase(config.databaseUrl, log);
    log.info({ url: redactUrl(config.databaseUrl), created }, 'using PostgreSQL from DATABASE_URL');
    return { url: config.databaseUrl, stop: noStop };
  }
  const pg = await startEmbeddedPostgres(config.dataDir, log);
  return { url: pg.url, stop: pg.stop };
}

/**
 * REDIS_URL if set: PING it. Otherwise spawn redis-server on a free loopback port with its
 * data under DATA_DIR/redis; without redis-server installed, a ServiceError says what to install.
 * (We deliberately do not adopt whatever listens on 6379: it may be someone else's data.)
 */
export async function ensureRedis(config: Pick<Config, 'redisUrl' | 'dataDir'>, log: Log): Promise<Service> {
  if (config.redisUrl) {
    await pingRedis(config.redisUrl);
    log.info({ url: redactUrl(config.redisUrl) }, 'using Redis from REDIS_URL');
    return { url: config.redisUrl, stop: noStop };
  }
  const r = await startLocalRedis(config.dataDir, log);
  return { url: r.url, stop: r.stop };
}
