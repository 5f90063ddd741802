// What route plugins get from buildDesk: the shared services, never a global EntityManager (each request has its
// own, `req.em`).
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.js';
import type { DeskCallbacks } from '../callbacks.js';
import type { Handling } from '../handling.js';
import type { LiveHub } from '../live.js';
import type { DeskPresence } from '../presence.js';
import type { SessionOptions, SessionStore } from '../sessions.js';
import type { PromiseSync } from '../work-orders.js';

export interface DeskDeps {
  config: Config;
  orm: MikroORM;
  /** Commands to the call controllers (transfers). */
  redis: Redis;
  sessions: SessionStore;
  sessionOptions: SessionOptions;
  presence: DeskPresence;
  handling: Handling;
  live: LiveHub;
  /** Set the cookie's Secure flag (the desk is served over HTTPS, directly or behind a proxy). */
  secureCookie: boolean;
  login: { max: number; timeWindowMs: number };
  /** Keeps a work order's promise (约定回拨) and its callback task in step. */
  promises: PromiseSync;
  /** Click-to-call (the callback jobs' queue); unset: dialling answers 503. */
  callbacks?: DeskCallbacks;
}
