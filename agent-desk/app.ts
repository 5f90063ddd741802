// The agent desk's HTTP server: plugins first (security headers, cookies, login rate limit, websocket, OpenAPI), then
// the one error vocabulary, the per-request EntityManager and the access check, then the routes. Nothing here reads
// the environment: the caller passes the config, the ORM, a Redis connection and a logger.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { installAccess, type RouteAccess } from './access.js';
import { afterCallContext } from './after-call-context.js';
import type { DeskCallbacks } from './callbacks.js';
import { syncPromise } from '../lib/callbacks/create.js';
import { CallbackTimes } from '../lib/callbacks/policy.js';
import { queueBoard } from './queue-board.js';
import { callbackRoutes } from './routes/callbacks.js';
import type { PromiseSync } from './work-orders.js';
import { installDraftCompletion, WorkOrderDrafter, type DrafterOptions } from './auto-work-order.js';
import { installErrorHandling, RateLimited } from './errors.js';
import { DEFAULT_HANDLING, Handling, type HandlingOptions } from './handling.js';
import { LiveHub } from './live.js';
import { deskLogger } from './log.js';
import { Presence } from '../ivr/acd/presence.js';
import { PgPresenceHistory } from '../ivr/acd/presence-history.js';
import { AcdPresence, type DeskPresence } from './presence.js';
import { afterCallRoutes } from './routes/after-call.js';
import { authRoutes } from './routes/auth.js';
import { callsControlRoutes } from './routes/calls-control.js';
import type { DeskDeps } from './routes/deps.js';
import { ledgerRoutes } from './routes/ledger.js';
import { presenceRoutes } from './routes/presence.js';
import { qaRoutes } from './routes/qa.js';
import { recordingRoutes, type RecordingDeps } from './routes/recordings.js';
import { KeyRing } from '../recordings-store/crypto.js';
import { blobStoreFromConfig } from '../recordings-store/setup.js';
import { staffRoutes } from './routes/staff.js';
import { statisticsRoutes } from './routes/statistics.js';
import { wsRoutes } from './routes/ws.js';
import { DEFAULT_SESSION_OPTIONS, SESSION_COOKIE, SessionStore, type SessionOptions } from './sessions.js';

export type DeskApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api and /ws route with who may use it (the permission matrix test reads it). */
    deskRoutes: RouteAccess[];
    /** The live hub (tests wait on it to have handled a published event). */
    deskLive: LiveHub;
  }
}

export interface DeskServices {
  config: Config;
  orm: MikroORM;
  /** A command connection; the desk duplicates it for its subscriptions and never closes it. */
  redis: Redis;
  log: Logger;
}

export interface DeskOptions {
  /** Presence store; default: the ACD's (ivr/acd/presence.ts), with desk changes written to presence_history. */
  presence?: DeskPresence;
  session?: Partial<SessionOptions>;
  /** Login attempts allowed per client address and window. */
  login?: { max?: number; timeWindowMs?: number };
  handling?: Partial<HandlingOptions>;
  /** Secure cookies: set when browsers reach the desk over HTTPS. */
  secureCookie?: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (rate limits are per address). */
  trustProxy?: boolean;
  /** How often an open socket re-checks its session. */
  sessionCheckMs?: number;
  /** Draft a work order for every answered call (auto-work-order.ts); npm start turns it on. */
  autoWorkOrders?: boolean | Partial<DrafterOptions>;
  /** Where recordings are read from; default: the store and keys configuration names (RECORDINGS_*). */
  recordings?: Partial<Pick<RecordingDeps, 'store' | 'keys' | 'downloadRoles'>>;
  /** Click-to-call: the callback jobs (ivr/callbacks/jobs.ts CallbackJobs, no worker); unset: dialling answers 503. */
  callbacks?: DeskCallbacks;
}

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

export function buildDesk(services: DeskServices, opts: DeskOptions = {}): DeskApp {
  const { config, orm, redis } = services;
  const prefix = config.ivr.keyPrefix;
  const app = Fastify({
    loggerInstance: deskLogger(services.log),
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: 64 * 1024,
    // Unknown fields are refused (a typo must not be dropped silently) and every bad field is reported at once.
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as DeskApp;

  const sessionOptions = { ...DEFAULT_SESSION_OPTIONS, ...opts.session };
  const sessions = new SessionStore(redis, prefix, sessionOptions);
  const handling = new Handling(redis, prefix, { ...DEFAULT_HANDLING, ...opts.handling });
  const live = new LiveHub({ redis, prefix, orm, handling, log: app.log as unknown as Logger });
  app.decorate('deskLive', live);

  void app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'connect-src': ["'self'", 'ws:', 'wss:'],
        // On plain HTTP (a county centre's LAN) upgrading every request to HTTPS would break the page.
        'upgrade-insecure-requests': opts.secureCookie ? [] : null,
      },
    },
    hsts: opts.secureCookie ?? false,
  });
  void app.register(cookie);
  void app.register(rateLimit, {
    global: false,
    // Shared by every desk process, so an attacker cannot multiply attempts by the number of processes.
    redis,
    nameSpace: `${prefix}:desk:rate-limit:`,
    keyGenerator: (req) => req.ip ?? 'injected',
    errorResponseBuilder: (_req, ctx) => new RateLimited(Math.max(1, Math.ceil(ctx.ttl / 1000))),
  });
  void app.register(websocket, { options: { maxPayload: 4096 } });
  void app.register(swagger, {
    openapi: {
      info: { title: '12348 热线坐席 API (agent desk)', version: '1' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
  });
  void app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (h) => (opts.secureCookie ? h : h.replace(/\s*upgrade-insecure-requests;?/, '')),
  });

  installErrorHandling(app as unknown as FastifyInstance);
  app.decorateRequest('em', null as never);
  // One unit of work per request: entities loaded by one lawyer's request never leak into another's.
  app.addHook('onRequest', async (req) => {
    req.em = orm.em.fork();
  });
  const routes = installAccess(app as unknown as FastifyInstance, sessions);
  app.decorate('deskRoutes', routes);
  // A promise on a work order becomes its owner's callback task, due inside the centre's opening hours.
  const promiseCalendar = afterCallContext(config, orm, app.log);
  const callbackTimes = new CallbackTimes(promiseCalendar.calendar, config.callbacks);
  const promises: PromiseSync = (em, w) => syncPromise(em, w, callbackTimes, config.callbacks.maxAttempts);
  installDraftCompletion(app as unknown as FastifyInstance, handling, promises);
  const drafter = opts.autoWorkOrders
    ? new WorkOrderDrafter({ orm, redis, prefix, log: app.log as unknown as Logger, options: opts.autoWorkOrders === true ? {} : opts.autoWorkOrders })
    : undefined;

  const history = opts.presence ? undefined : PgPresenceHistory.fromOrm(orm, app.log as unknown as Logger);
  const deps: DeskDeps = {
    config, orm, redis, sessions, sessionOptions, handling, live,
    presence: opts.presence ?? new AcdPresence(new Presence({ redis, keyPrefix: prefix, log: app.log as unknown as Logger, history })),
    secureCookie: opts.secureCookie ?? false,
    login: { max: opts.login?.max ?? 10, timeWindowMs: opts.login?.timeWindowMs ?? 60_000 },
    promises, callbacks: opts.callbacks,
  };
  void app.register(authRoutes, deps);
  void app.register(staffRoutes, deps);
  void app.register(presenceRoutes, deps);
  void app.register(ledgerRoutes, deps);
  void app.register(callsControlRoutes, deps);
  void app.register(afterCallRoutes, deps);
  void app.register(recordingRoutes, { ...deps, recordings: {
    store: opts.recordings?.store ?? blobStoreFromConfig(config),
    keys: opts.recordings?.keys ?? new KeyRing(config.recordings.key, config.recordings.oldKeys),
    downloadRoles: opts.recordings?.downloadRoles ?? config.recordings.downloadRoles,
    publish: (channel, message) => redis.publish(channel, message),
  } });
  void app.register(qaRoutes, deps);
  void app.register(statisticsRoutes, { ...deps, sessionCheckMs: opts.sessionCheckMs ?? 30_000 });
  void app.register(callbackRoutes, deps);
  void app.register(queueBoard, { keyPrefix: prefix, redis });
  void app.register(wsRoutes, { ...deps, sessionCheckMs: opts.sessionCheckMs ?? 30_000 });
  void app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/', index: 'index.html', wildcard: false });

  app.addHook('onReady', async () => {
    await promiseCalendar.refresh();
    await live.start();
    await drafter?.start();
  });
  app.addHook('onClose', async () => {
    promiseCalendar.stop();
    await live.stop();
    await drafter?.stop();
    await history?.close();
  });
  return app;
}
