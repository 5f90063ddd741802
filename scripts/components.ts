// The registry of long-running components that `npm start` brings up, in order, after the
// database and Redis are ready and migrated. They are stopped in reverse order.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { simComponent } from '../pbx-sim/component.js';
import { callRecordsComponent } from '../ivr/records/component.js';
import { ivrComponent } from '../ivr/component.js';
import { agentDeskComponent } from '../agent-desk/component.js';
import { recordingsComponent } from '../recordings-store/component.js';
import { qaComponent } from '../lib/qa/component.js';

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
 * In start-up order. The simulated Asterisk runs only when ARI_URL points at its own address (the embedded
 * default); with a real Asterisk configured it stays off. The IVR, the agent desk and the rest join as they land.
 */
export const components: Component[] = [simComponent, callRecordsComponent, recordingsComponent, ivrComponent, agentDeskComponent, qaComponent];
