// `npm start`: config -> PostgreSQL + Redis (given or local) -> migrations -> components.
// SIGINT/SIGTERM stop everything in reverse order; a second signal forces the exit.
// startHotline() is exported so a test can run the same sequence with its own components.
import { pathToFileURL } from 'node:url';
import pino, { type Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfigOrExit, redactUrl, type Config } from '../config/index.js';
import { createOrm, migrateUp, recordSystemEvent } from '../lib/db.js';
import { ensureDatabase, ensureRedis } from '../lib/services.js';
import { components as registered, type Component, type ComponentContext } from './components.js';

// infra: postgres, redis and the ORM, which the audit trail itself needs.
type Stoppable = { name: string; stop(): Promise<void>; infra?: boolean };

export type Running = {
  databaseUrl: string;
  redisUrl: string;
  /** Where each component listens, by name. */
  listening: Record<string, string[]>;
  /** Stops components in reverse order, then the ORM, Redis and PostgreSQL; idempotent. */
  stop(reason: string): Promise<void>;
};

export async function startHotline(opts: {
  config: Config;
  log: Logger;
  components?: readonly Component[];
}): Promise<Running> {
  const { config, log } = opts;
  const components = opts.components ?? registered;
  // Everything started so far, in start order; stop() walks it backwards.
  const started: Stoppable[] = [];
  let orm: MikroORM | undefined;

  const audit = async (source: string, kind: string, details?: Record<string, unknown>) => {
    if (!orm) return;
    // The audit trail must never be the reason start-up or shutdown fails.
    await recordSystemEvent(orm, source, kind, details).catch((err: unknown) =>
      log.warn({ err, source, kind }, 'could not write system_event'),
    );
  };

  let stopping: Promise<void> | undefined;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      for (const s of [...started].reverse()) {
        try {
          if (s.infra && orm) {
            // Components are down; this is the last moment the audit table can be written.
            await audit('hotline', 'stopped', { reason });
            orm = undefined;
          }
          await s.stop();
          log.info({ component: s.name }, 'stopped');
          if (!s.infra) await audit(s.name, 'stopped', { reason });
        } catch (err) {
          log.error({ err, component: s.name }, 'failed to stop cleanly');
        }
      }
    })();
    return stopping;
  };

  try {
    const db = await ensureDatabase(config, log);
    started.push({ name: 'postgres', stop: db.stop, infra: true });
    const redis = await ensureRedis(config, log);
    started.push({ name: 'redis', stop: redis.stop, infra: true });

    const theOrm = await createOrm(db.url);
    started.push({ name: 'orm', stop: () => theOrm.close(true), infra: true });
    orm = theOrm;
    await migrateUp(theOrm, log);
    await audit('hotline', 'services-ready', { database: redactUrl(db.url), redis: redactUrl(redis.url) });

    const ctx: ComponentContext = { config, log, databaseUrl: db.url, redisUrl: redis.url, orm: theOrm };
    const listening: Record<string, string[]> = {};
    for (const c of components) {
      if (stopping) break; // a signal arrived during start-up
      log.info({ component: c.name }, 'starting');
      const handle = await c.start({ ...ctx, log: log.child({ component: c.name }) });
      started.push({ name: c.name, stop: () => handle.stop() });
      listening[c.name] = handle.urls ?? [];
      await audit(c.name, 'started', { urls: handle.urls ?? [] });
    }
    log.info(
      { postgres: redactUrl(db.url), redis: redactUrl(redis.url), components: listening },
      components.length ? 'hotline is up' : 'hotline is up (no components registered yet: see scripts/components.ts)',
    );
    return { databaseUrl: db.url, redisUrl: redis.url, listening, stop };
  } catch (err) {
    log.fatal({ err }, 'start-up failed');
    await audit('hotline', 'start-failed', { error: err instanceof Error ? err.message : String(err) });
    await stop('start-up failed');
    throw err;
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel, base: { app: 'hotline' } });
  // With given URLs and no components nothing may hold the event loop open;
  // `npm start` must still run until it is told to stop.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let running: Running | undefined;
  let signalled: string | undefined;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (signalled) {
        log.warn({ signal: sig }, 'second signal: exiting without waiting');
        process.exit(130);
      }
      signalled = sig;
      // During start-up, startHotline is still running: stop once it returns (below).
      if (running) void running.stop(sig).then(() => process.exit(0));
    });
  }
  try {
    running = await startHotline({ config, log });
  } catch {
    clearInterval(keepAlive);
    process.exit(1);
  }
  if (signalled) {
    await running.stop(signalled);
    process.exit(0);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
