// The registry of long-running components that `npm start` brings up, in order, after the
// database and Redis are ready and migrated. They are stopped in reverse order.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';

/** What every component gets at start: resolved services, config, a logger. */
export type ComponentContext = {
  config: Config;
  log: Logger;
  /** The resolved PostgreSQL URL (DATABASE_URL or the embedded one). */
  databaseUrl: string;
  /** The resolved Redis URL (REDIS_URL or the local redis-server). */
  redisUrl: string;
  /** Shared ORM; fork its EntityManager (orm.em.fork()) per unit of work. */
  orm: MikroORM;
};

export type ComponentHandle = {
  stop(): Promise<void>;
  /** Where it listens (e.g. "http://127.0.0.1:8088"), logged by scripts/start.ts. */
  urls?: string[];
};

export type Component = {
  name: string;
  start(ctx: ComponentContext): Promise<ComponentHandle>;
};

/**
 * Empty for now on purpose: the foundation starts no components of its own. The PBX simulator
 * (pbx-sim/) is to be added here by its author, then the IVR, the agent desk, and so on —
 * each as `{ name, start }`, in the order they must come up.
 */
export const components: Component[] = [];
