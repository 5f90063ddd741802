// The 12348-flow controller as `npm run bench` runs it: its own process, wired as ivr/component.ts wires it for
// `npm start` (published flow from PostgreSQL, call events to Redis, session state in Redis, database lookups, the
// routing ACD with presence in Redis, timers scaled with the simulator's clock), with an always-open calendar so
// every call takes the day path. No lawyer is logged in: queued callers hear music on hold until they hang up.
// Keep this in step with ivr/component.ts.
// Started by bench/ivr-bench.ts with the settings in BENCH_* variables; talks to it over IPC (bench/child-common.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pino from 'pino';
import { scaledTimers } from '../flows/timers.js';
import { createOrm } from '../lib/db.js';
import { isPromptId } from '../prompts/catalogue.js';
import type { AriEvent } from '../ivr/ari/connection.js';
import { FlowStore } from '../ivr/flow-store.js';
import { databaseLookups } from '../ivr/lookups.js';
import { CallEventSink } from '../ivr/records/emitter.js';
import { CallEvents } from '../ivr/records/recorder.js';
import { assembleCallPath } from '../ivr/assemble.js';
import { KeypressTimer, serveParent, skipBufferDeprecationChecks } from './child-common.js';
import { leanRest } from './lean-rest.js';
import { SessionStateStore } from '../ivr/session/state-store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = (k: string) => { const v = process.env[k]; if (!v) throw new Error(`${k} is not set`); return v; };
const scale = Number(env('BENCH_SCALE'));
const prefix = env('BENCH_PREFIX');
const redisUrl = env('BENCH_REDIS_URL');

// Warnings and errors go to a file; the parent gets their count by message.
const logged = new Map<string, number>();
const log = pino({
  level: process.env.BENCH_LOG_LEVEL ?? 'warn',
  hooks: {
    logMethod(args, method, level) {
      if (level >= 40) {
        const msg = String(args.find((a) => typeof a === 'string') ?? '?');
        logged.set(msg, (logged.get(msg) ?? 0) + 1);
      }
      method.apply(this, args);
    },
  },
}, pino.destination({ dest: env('BENCH_LOG_FILE'), sync: false }));

skipBufferDeprecationChecks();
// Diagnostics only (`--ablate state,records,lookups`): leave a part out to see what it costs. Never in the figures
// a normal run prints.
const ablate = new Set((process.env.BENCH_ABLATE ?? '').split(',').filter(Boolean));
// Diagnostics only (`--experiment lean-rest,autopipeline,state-per-save`): try a change without making it.
const experiment = new Set((process.env.BENCH_EXPERIMENT ?? '').split(',').filter(Boolean));
// `state-per-save`: session state written with one SET per save, as before the saves of a turn were coalesced.
if (experiment.has('state-per-save')) {
  Object.assign(SessionStateStore.prototype, {
    save(this: { redis?: Redis; ttlSeconds: number; key(id: string): string }, callId: string, st: unknown) {
      void this.redis?.set(this.key(callId), JSON.stringify(st), 'EX', this.ttlSeconds).catch(() => undefined);
    },
  });
}
const timer = new KeypressTimer();
const orm = await createOrm(env('BENCH_DB_URL'));
const lookups = databaseLookups(orm);
const flows = new FlowStore(orm, '12348', log, { promptExists: (id) => isPromptId(id), lookupExists: (name) => name in lookups });
await flows.start(path.join(ROOT, 'flows', '12348.yaml'));
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: experiment.has('autopipeline') });
redis.on('error', (err) => log.warn({ err: err.message }, 'redis (session state) unavailable'));
await new Promise<void>((res) => redis.once('ready', () => res()));
const sink = new CallEventSink({ redisUrl, keyPrefix: prefix, log });
const timers = scaledTimers(scale);
const noop = () => undefined;
const recorder = ablate.has('records')
  ? { arrived: noop, node: noop, tagged: noop, queued: noop, ended: noop, answered: noop, transferred: noop } : new CallEvents(sink);
// Built exactly as ivr/component.ts builds it (ivr/assemble.ts); the ablations only swap what is passed in.
const { controller, stop: stopCallPath } = await assembleCallPath({
  ari: { url: env('BENCH_ARI_URL'), user: 'hotline', password: 'hotline', app: 'hotline' },
  log, orm, redis, sessionState: ablate.has('state') ? undefined : redis, keyPrefix: prefix, flows,
  calendar: { isOpen: () => true }, timers, recorder,
  lookups: ablate.has('lookups') ? Object.fromEntries(Object.keys(lookups).map((k) => [k, async () => ({ reason: 'notFound' as const })])) : lookups,
});

// Ahead of the controller's own listener: the clock starts before the controller sees the key.
let dtmf = 0, started = 0, ended = 0;
controller.conn.prependListener('event', (ev: AriEvent) => {
  timer.event();
  const id = (ev.channel as { id?: string } | undefined)?.id;
  if (!id) return;
  if (ev.type === 'ChannelDtmfReceived') { dtmf++; timer.dtmf(id); } else if (ev.type === 'StasisStart') started++;
  else if (ev.type === 'StasisEnd') { ended++; timer.forget(id); }
});
if (experiment.has('lean-rest')) Object.assign(controller.rest, leanRest(env('BENCH_ARI_URL'), 'hotline', 'hotline'));

// Breakdown only (not the figure): when the controller's code calls its ARI layer, before ari-client's work. The
// instance's methods are wrapped, so the ACD and every port (which share this instance) are seen too.
const rest = controller.rest as unknown as Record<string, (...a: unknown[]) => unknown>;
for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(rest))) {
  const fn = rest[name];
  if (name === 'constructor' || name === 'run' || typeof fn !== 'function') continue;
  rest[name] = function (this: unknown, ...a: unknown[]) {
    if (typeof a[0] === 'string') timer.requested(a[0]);
    return fn.apply(this, a);
  };
}
controller.start();
while (!controller.conn.connected) await new Promise((r) => setTimeout(r, 20));

serveParent({
  timer,
  extra: () => ({ sinceStart: { stasisStart: started, stasisEnd: ended, dtmfEvents: dtmf, sink: sink.stats() }, liveSessions: controller.calls.size, warnings: Object.fromEntries(logged) }),
  async stop() {
    await stopCallPath();
    flows.stop();
    await sink.close(5000);
    redis.disconnect();
    await orm.close(true);
    log.flush();
  },
});
process.send!({ ready: true });
