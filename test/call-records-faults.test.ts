// Outages on the call-record path, on the real services: PostgreSQL and Redis are reached through a small TCP
// relay this test opens and closes (the real servers keep running). Events must wait, then arrive; none lost.
import net from 'node:net';
import t from 'tap';
import pino from 'pino';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm, migrateUp } from '../lib/db.js';
import { dropPostgresDatabase, ensurePostgresDatabase, pgQuery } from '../lib/services.js';
import { pickPort, sleep, waitFor } from '../lib/proc.js';
import { CallEventSink, callEventsKey } from '../ivr/records/emitter.js';
import { startCallRecordApplier, deadLetterKey } from '../ivr/records/applier.js';
import type { CallEvent } from '../ivr/records/events.js';

const quiet = pino({ level: 'silent' });
const base = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test');
base.pathname = `/hotline_callrec_faults_${process.pid}_${Date.now()}`;
const dbUrl = base.toString();
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const runId = `${process.pid}:${Date.now()}`;

/** Forwards a local port to host:port while up; when down, the port refuses and open connections are cut. */
class Relay {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}
  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => (this.sockets.delete(s), client.destroy(), upstream.destroy()));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const via = (url: string, port: number) => {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
};
const targetOf = (url: string, defaultPort: number) => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || defaultPort) };
};

/** Captures error/warn logs so tests can check that losses are reported loudly. */
function capture() {
  const lines: { level: string; obj: unknown; msg?: string }[] = [];
  const at = (level: string) => (obj: unknown, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } };
}

function call(callId: string, seqFrom = 1): CallEvent[] {
  const at = (n: number) => new Date(Date.UTC(2025, 10, 26, 1, 0, n)).toISOString();
  const common = (n: number) => ({ callId, seq: seqFrom + n, at: at(n) });
  return [
    { ...common(0), type: 'arrived', callerNumber: '13800138000', calledNumber: '12348', flowName: '12348', flowRevision: 3 },
    { ...common(1), type: 'node_entered', node: 'main', nodeType: 'menu' },
    { ...common(2), type: 'node_left', node: 'main', nodeType: 'menu', outcome: 'digits', digits: '5' },
    { ...common(3), type: 'queued', serviceLine: 'complaint', priority: 0 },
    { ...common(4), type: 'answered', agent: '2001' },
    { ...common(5), type: 'ended', reason: 'completed' },
  ];
}

let orm: MikroORM;
let redis: Redis;
const cleanup: string[] = [];

t.before(async () => {
  await ensurePostgresDatabase(dbUrl, quiet);
  orm = await createOrm(dbUrl);
  await migrateUp(orm);
  redis = new Redis(redisUrl);
});
t.teardown(async () => {
  if (cleanup.length) await redis.del(...cleanup);
  redis?.disconnect();
  await orm?.close(true);
  await dropPostgresDatabase(dbUrl);
});

const record = async (callId: string) => (await pgQuery(dbUrl, 'select * from call_record where call_id = $1', [callId]))[0];

t.test('PostgreSQL down: events wait in Redis, then all apply when it is back', async (t) => {
  const prefix = `test:callrec-pg:${runId}`;
  cleanup.push(callEventsKey(prefix), deadLetterKey(prefix));
  const relay = new Relay(await pickPort(), targetOf(dbUrl, 5432));
  await relay.up();
  // The applier's own ORM goes through the relay; checks read the database directly.
  const relayed = await createOrm(via(dbUrl, relay.port), { pool: { min: 0, max: 2 } });
  const sink = new CallEventSink({ redisUrl, keyPrefix: prefix, log: quiet, registry: new Registry() });
  const { lines, log } = capture();
  const applier = startCallRecordApplier({ orm: relayed, redisUrl, keyPrefix: prefix, log, registry: new Registry(),
    blockMs: 100, retryInitialMs: 50, retryMaxMs: 400, staleAfterMs: 0 });
  t.teardown(async () => {
    await sink.close(1000);
    await applier.stop();
    await relayed.close(true);
    await relay.down();
  });

  for (const e of call('pg-before')) sink.emit(e);
  await waitFor(async () => {
    if (!(await record('pg-before'))?.ended_at) throw new Error('not yet');
  }, 5000, 25);

  await relay.down(); // PostgreSQL "crashes": pooled connections cut, new ones refused
  const calls = ['pg-during-1', 'pg-during-2', 'pg-during-3'];
  for (const id of calls) for (const e of call(id)) sink.emit(e);
  await waitFor(async () => {
    if (applier.stats().failures < 3) throw new Error('not retried yet');
  }, 5000, 25);
  t.equal(await redis.xlen(callEventsKey(prefix)), 18, 'all 18 events wait in the stream');
  const pending = (await redis.xpending(callEventsKey(prefix), 'call-records')) as [number, ...unknown[]];
  t.ok(pending[0] > 0, 'delivered to the applier but not acknowledged');
  t.equal((await pgQuery(dbUrl, `select count(*)::int as n from call_record where call_id like 'pg-during-%'`))[0].n, 0);
  t.ok(lines.some((l) => l.level === 'warn' && /wait in Redis/.test(l.msg ?? '')), 'the outage is logged');

  await sleep(500);
  await relay.up();
  for (const id of calls) {
    const r = await waitFor(async () => {
      const row = await record(id);
      if (!row?.ended_at) throw new Error(`${id} not applied yet`);
      return row;
    }, 10_000, 25);
    t.match(r, { events_applied: 6, service_line: 'complaint', agent: '2001', end_reason: 'completed' }, `${id} complete`);
  }
  await waitFor(async () => {
    if ((await redis.xlen(callEventsKey(prefix))) !== 0) throw new Error('stream not drained');
  }, 5000, 25);
  t.equal((await pgQuery(dbUrl, `select count(*)::int as n from call_record where call_id like 'pg-%'`))[0].n, 4);
  t.equal(applier.stats().deadLettered, 0, 'nothing set aside');
});

t.test('Redis down for the sink: emit returns at once, events are buffered, then delivered', async (t) => {
  const prefix = `test:callrec-redis:${runId}`;
  cleanup.push(callEventsKey(prefix));
  const relay = new Relay(await pickPort(), targetOf(redisUrl, 6379)); // not up: a dead port
  const { lines, log } = capture();
  const sink = new CallEventSink({ redisUrl: via(redisUrl, relay.port), keyPrefix: prefix, log, registry: new Registry(),
    retryInitialMs: 20, retryMaxMs: 200 });
  t.teardown(async () => {
    await sink.close(1000);
    await relay.down();
  });

  const events = [...call('redis-1'), ...call('redis-2')];
  const started = process.hrtime.bigint();
  for (const e of events) sink.emit(e);
  const tookMs = Number(process.hrtime.bigint() - started) / 1e6;
  t.ok(tookMs < 50, `12 emits took ${tookMs.toFixed(2)} ms`);
  await sleep(2500); // past the first-connect grace: now it is an outage
  t.match(sink.stats(), { buffered: 12, delivered: 0, dropped: 0 });
  t.ok(sink.stats().failures > 0);
  t.equal(await redis.exists(callEventsKey(prefix)), 0, 'nothing reached Redis');
  t.ok(lines.some((l) => l.level === 'warn' && /buffering/.test(l.msg ?? '')), 'the outage is logged');

  await relay.up();
  t.ok(await sink.drained(5000), 'buffer drained once Redis answers');
  const stored = await redis.xrange(callEventsKey(prefix), '-', '+');
  t.same(stored.map(([, f]) => JSON.parse(f[1])), events, 'every event, in emit order');
  t.ok(lines.some((l) => l.level === 'info' && /reachable again/.test(l.msg ?? '')));
});

t.test('a full buffer sheds path detail first, counts and logs every loss', async (t) => {
  const prefix = `test:callrec-overflow:${runId}`;
  cleanup.push(callEventsKey(prefix));
  const relay = new Relay(await pickPort(), targetOf(redisUrl, 6379));
  const { lines, log } = capture();
  const registry = new Registry();
  const sink = new CallEventSink({ redisUrl: via(redisUrl, relay.port), keyPrefix: prefix, log, registry, maxBuffer: 4,
    retryInitialMs: 20, retryMaxMs: 100 });
  t.teardown(async () => {
    await sink.close(0);
    await relay.down();
  });

  for (const e of call('overflow')) sink.emit(e); // 6 events into room for 4
  t.match(sink.stats(), { buffered: 4, dropped: 2 });
  t.match(await registry.getSingleMetricAsString('hotline_call_events_dropped_total'), /dropped_total 2$/m);
  const errors = lines.filter((l) => l.level === 'error');
  t.equal(errors.length, 1, 'one loud line, not one per event');
  t.match(errors[0], { msg: /DROPPED/, obj: { why: 'buffer full', callId: 'overflow' } });
  const bigint = { ...call('bad')[0], flowRevision: 10n as unknown as number };
  t.doesNotThrow(() => sink.emit(bigint), 'an unserialisable event is dropped, not thrown');
  t.equal(sink.stats().dropped, 3);

  await relay.up();
  t.ok(await sink.drained(5000));
  const stored = await redis.xrange(callEventsKey(prefix), '-', '+');
  t.same(stored.map(([, f]) => JSON.parse(f[1]).type), ['arrived', 'queued', 'answered', 'ended'],
    'the path steps went first; the call still has its start, line, answer and end');
});

t.test('closing while Redis is down reports what never got there; later emits are dropped quietly', async (t) => {
  const { lines, log } = capture();
  const sink = new CallEventSink({ redisUrl: via(redisUrl, await pickPort()), keyPrefix: `test:callrec-close:${runId}`,
    log, registry: new Registry() });
  for (const e of call('closing')) sink.emit(e);
  const { undelivered } = await sink.close(300);
  t.equal(undelivered, 6);
  t.ok(lines.some((l) => l.level === 'error' && /never received/.test(l.msg ?? '')));
  t.doesNotThrow(() => sink.emit(call('late')[0]), 'emit after close does not throw');
  t.match(sink.stats(), { dropped: 7, buffered: 0 });
});

t.test('Redis down for the applier: it keeps retrying and catches up', async (t) => {
  const prefix = `test:callrec-applier-redis:${runId}`;
  cleanup.push(callEventsKey(prefix));
  const relay = new Relay(await pickPort(), targetOf(redisUrl, 6379));
  const applier = startCallRecordApplier({ orm, redisUrl: via(redisUrl, relay.port), keyPrefix: prefix, log: quiet,
    registry: new Registry(), blockMs: 100, retryInitialMs: 50, retryMaxMs: 200, staleAfterMs: 0 });
  t.teardown(async () => {
    await applier.stop();
    await relay.down();
  });
  for (const e of call('applier-redis')) await redis.xadd(callEventsKey(prefix), '*', 'e', JSON.stringify(e));
  await waitFor(async () => {
    if (applier.stats().failures < 2) throw new Error('not failing yet');
  }, 5000, 25);
  await relay.up();
  const r = await waitFor(async () => {
    const row = await record('applier-redis');
    if (!row?.ended_at) throw new Error('not applied yet');
    return row;
  }, 10_000, 25);
  t.match(r, { events_applied: 6, end_reason: 'completed' });
});

t.test('two appliers share the stream; a dead consumer\'s entries are taken over; one record per call', async (t) => {
  const prefix = `test:callrec-shared:${runId}`;
  const key = callEventsKey(prefix);
  cleanup.push(key, deadLetterKey(prefix));
  // A consumer that read 6 events and died before applying them.
  await redis.xgroup('CREATE', key, 'call-records', '0', 'MKSTREAM');
  for (const e of call('shared-orphan')) await redis.xadd(key, '*', 'e', JSON.stringify(e));
  await redis.xreadgroup('GROUP', 'call-records', 'ghost', 'COUNT', 100, 'STREAMS', key, '>');
  const opts = { orm, redisUrl, keyPrefix: prefix, log: quiet, blockMs: 100, holdRetryMs: 50, batchSize: 5,
    claimIdleMs: 300, staleAfterMs: 0 };
  const a = startCallRecordApplier({ ...opts, consumer: 'a', registry: new Registry() });
  const b = startCallRecordApplier({ ...opts, consumer: 'b', registry: new Registry() });
  t.teardown(async () => {
    await a.stop();
    await b.stop();
  });
  const ids = Array.from({ length: 40 }, (_, i) => `shared-${i}`);
  // Interleaved as concurrent calls would be, so each batch mixes calls and splits them across both appliers.
  const all = ids.map((id) => call(id));
  for (let n = 0; n < 6; n++) for (const events of all) await redis.xadd(key, '*', 'e', JSON.stringify(events[n]));
  await waitFor(async () => {
    const [{ n }] = await pgQuery(dbUrl,
      `select count(*)::int as n from call_record where call_id like 'shared-%' and events_applied = 6 and ended_at is not null`);
    if (n !== 41) throw new Error(`${n} of 41 complete`);
  }, 15_000, 50);
  const [{ n, distinct }] = await pgQuery(dbUrl,
    `select count(*)::int as n, count(distinct call_id)::int as distinct from call_record where call_id like 'shared-%'`);
  t.same({ n, distinct }, { n: 41, distinct: 41 }, 'exactly one record per call');
  t.ok(a.stats().applied > 0 && b.stats().applied > 0, `both worked (${a.stats().applied} + ${b.stats().applied})`);
  t.equal(a.stats().applied + b.stats().applied, 41 * 6, 'every event applied exactly once');
  t.equal(a.stats().gapsSkipped + b.stats().gapsSkipped, 0);
});
