// The call path's only way to the call records: `emit()` puts an event in a bounded local buffer and returns; a
// background pump appends buffered events to a Redis stream (XADD `<prefix>:call-events`) in order, pipelined.
// While Redis is unreachable the buffer holds events and the pump retries with backoff, so a short outage delays
// records and loses nothing. The buffer is bounded so a long outage cannot eat the controller's memory: past
// `maxBuffer` it sheds the oldest path detail first (node_entered / node_left), keeping the events that make a
// call's record exist and end (arrived, tagged, queued, answered, ended) as long as possible; every dropped event
// is counted (hotline_call_events_dropped_total) and logged at error level (first drop at once, then at most
// every 10 s with the count). The applier waits `gapWaitMs` for a missing seq before applying past it.
//
// Delivery is at least once (a reply lost after a successful XADD makes us send it again); the applier's per-call
// seq check turns that into exactly-once effects.
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Registry } from 'prom-client';
import type { Log } from '../../lib/proc.js';
import { sessionSeqBase, type CallEvent, type CallEventBody } from './events.js';
import { counter, gauge } from './metrics.js';

/** The Redis stream the sink appends to and the applier consumes. */
export const callEventsKey = (keyPrefix: string) => `${keyPrefix}:call-events`;

/** What a call session needs: a fake in unit tests, CallEventSink in production. */
export interface CallEventEmitter {
  emit(event: CallEvent): void;
}

export interface CallEventSinkOptions {
  redisUrl: string;
  /** Key prefix shared with the applier, e.g. "hotline". */
  keyPrefix: string;
  /** Events held while Redis is unreachable before shedding starts. Default 20,000 (~10 MB, ~1,000 calls). */
  maxBuffer?: number;
  /** Events per pipelined round trip. Default 500. */
  maxBatch?: number;
  /** Backoff between delivery attempts while Redis fails. Default 100 ms doubling to 5 s. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  log?: Log;
  /** prom-client registry for the metrics (default: the global one). */
  registry?: Registry;
}

export interface CallEventSinkStats {
  /** Waiting for Redis right now. */
  buffered: number;
  /** Accepted by emit() since start. */
  emitted: number;
  /** Appended to the stream. */
  delivered: number;
  /** Shed on overflow, emitted after close, or unserialisable. */
  dropped: number;
  /** Failed delivery attempts (each retried). */
  failures: number;
}

interface Pending {
  type: CallEvent['type'];
  json: string;
  inflight: boolean;
}

const SHED_FIRST = new Set<CallEvent['type']>(['node_entered', 'node_left']);
const DROP_LOG_EVERY_MS = 10_000;

export class CallEventSink implements CallEventEmitter {
  readonly key: string;
  private readonly redis: Redis;
  private readonly log: Log;
  private readonly maxBuffer: number;
  private readonly maxBatch: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly buf: Pending[] = [];
  private pumping = false;
  private immediate: NodeJS.Immediate | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoffMs: number;
  private closed = false;
  private everReady = false;
  private readonly createdAt = Date.now();
  private outageSince = 0;
  private droppedSinceLog = 0;
  private lastDropLog = 0;
  private readonly counts = { emitted: 0, delivered: 0, dropped: 0, failures: 0 };
  private readonly m;

  constructor(opts: CallEventSinkOptions) {
    this.key = callEventsKey(opts.keyPrefix);
    this.log = opts.log ?? pino({ name: 'call-events' });
    this.maxBuffer = Math.max(1, opts.maxBuffer ?? 20_000);
    this.maxBatch = Math.max(1, Math.min(opts.maxBatch ?? 500, this.maxBuffer));
    this.retryInitialMs = opts.retryInitialMs ?? 100;
    this.retryMaxMs = opts.retryMaxMs ?? 5_000;
    this.backoffMs = this.retryInitialMs;
    const reg = opts.registry;
    this.m = {
      emitted: counter('hotline_call_events_emitted_total', 'Call events accepted from the call path', reg),
      delivered: counter('hotline_call_events_delivered_total', 'Call events appended to the Redis stream', reg),
      dropped: counter('hotline_call_events_dropped_total', 'Call events lost before reaching Redis (buffer overflow, after close)', reg),
      failures: counter('hotline_call_events_delivery_failures_total', 'Failed attempts to append call events to Redis', reg),
      buffered: gauge('hotline_call_events_buffered', 'Call events waiting in the local buffer for Redis', reg),
    };
    // Our own connection, failing fast when down: ioredis's offline queue is unbounded, ours is not.
    this.redis = new Redis(opts.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    // Without a listener ioredis prints every connection error; failures are reported by the pump instead.
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => {
      this.everReady = true;
      if (this.closed && this.buf.length === 0) return;
      this.backoffMs = this.retryInitialMs;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.kick();
    });
  }

  /** Never throws, never waits: the event is buffered and sent in the background. */
  emit(event: CallEvent): void {
    try {
      if (this.closed) {
        this.drop(1, 'emitted after the sink was closed', event);
        return;
      }
      const json = JSON.stringify(event);
      if (this.buf.length >= this.maxBuffer && !this.shed()) {
        // Everything buffered is in flight (maxBatch == maxBuffer): the newest has to go.
        this.drop(1, 'buffer full', event);
        return;
      }
      this.buf.push({ type: event.type, json, inflight: false });
      this.counts.emitted++;
      this.m.emitted.inc();
      this.m.buffered.set(this.buf.length);
      this.kick();
    } catch (e) {
      try {
        this.drop(1, `unserialisable event: ${(e as Error).message}`, event);
      } catch {
        // emit() must not throw, even if logging does.
      }
    }
  }

  /**
   * A per-call emitter that numbers and timestamps events; one per call session. `adopted: true` when this process
   * resumes a call it did not start without emitting `arrived`: the session then opens with an `adopted` event.
   */
  forCall(callId: string, opts: { adopted?: boolean; clock?: () => number } = {}): CallRecorder {
    return new CallRecorder(this, callId, opts);
  }

  stats(): CallEventSinkStats {
    return { buffered: this.buf.length, ...this.counts };
  }

  /** Resolves true once the buffer is empty, false if `timeoutMs` passes first. */
  async drained(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  /** Stops accepting events, gives the buffer `timeoutMs` to reach Redis, then disconnects. */
  async close(timeoutMs = 5_000): Promise<{ undelivered: number }> {
    this.closed = true;
    await this.drained(timeoutMs);
    const undelivered = this.buf.length;
    if (undelivered > 0) {
      this.log.error({ undelivered, key: this.key }, 'call events: closing with events Redis never received; their calls lose detail');
      this.counts.dropped += undelivered;
      this.m.dropped.inc(undelivered);
      this.buf.length = 0;
      this.m.buffered.set(0);
    }
    if (this.immediate) clearImmediate(this.immediate);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.immediate = this.retryTimer = null;
    this.redis.disconnect();
    return { undelivered };
  }

  // Batches everything emitted in the same tick into one pipeline.
  private kick(): void {
    if (this.pumping || this.immediate || this.retryTimer || this.buf.length === 0) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.buf.length > 0) {
        if (this.redis.status !== 'ready') {
          // The first connect is not an outage: 'ready' will kick the pump.
          if (!this.everReady && Date.now() - this.createdAt < 2_000) return this.retryIn(100);
          return this.failed(new Error(`Redis connection is ${this.redis.status}`));
        }
        const batch = this.buf.slice(0, this.maxBatch);
        for (const p of batch) p.inflight = true;
        const pipe = this.redis.pipeline();
        for (const p of batch) pipe.xadd(this.key, '*', 'e', p.json);
        let error: unknown = null;
        let ok = 0;
        try {
          const results = (await pipe.exec()) ?? [];
          // Only the leading successes leave the buffer: order is kept, and a retried tail may duplicate (harmless).
          while (ok < batch.length && results[ok] && !results[ok][0]) ok++;
          if (ok < batch.length) error = results[ok]?.[0] ?? new Error('pipeline returned no result');
        } catch (e) {
          error = e;
        }
        // In-flight events are never shed, so the batch is still the buffer's head.
        this.buf.splice(0, ok);
        for (const p of batch.slice(ok)) p.inflight = false;
        this.counts.delivered += ok;
        this.m.delivered.inc(ok);
        this.m.buffered.set(this.buf.length);
        if (error) return this.failed(error);
        this.backoffMs = this.retryInitialMs;
      }
      if (this.outageSince) {
        this.log.info(
          { key: this.key, outageMs: Date.now() - this.outageSince, droppedTotal: this.counts.dropped },
          'call events: Redis reachable again, buffered events delivered',
        );
        this.outageSince = 0;
      }
    } finally {
      this.pumping = false;
    }
  }

  private failed(error: unknown): void {
    this.counts.failures++;
    this.m.failures.inc();
    if (!this.outageSince) {
      this.outageSince = Date.now();
      this.log.warn({ err: error, key: this.key, buffered: this.buf.length, maxBuffer: this.maxBuffer },
        'call events: cannot append to Redis; buffering and retrying');
    }
    this.retryIn(this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.retryMaxMs);
  }

  private retryIn(ms: number): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, ms);
  }

  /** Makes room for one event; false when nothing can be shed. */
  private shed(): boolean {
    let victim = -1;
    for (let i = 0; i < this.buf.length; i++) {
      const p = this.buf[i];
      if (p.inflight) continue;
      if (victim < 0) victim = i;
      if (SHED_FIRST.has(p.type)) {
        victim = i;
        break;
      }
    }
    if (victim < 0) return false;
    const [gone] = this.buf.splice(victim, 1);
    this.drop(1, 'buffer full', JSON.parse(gone.json) as CallEvent);
    return true;
  }

  private drop(n: number, why: string, event?: Partial<CallEvent>): void {
    this.counts.dropped += n;
    this.m.dropped.inc(n);
    this.droppedSinceLog += n;
    const now = Date.now();
    if (this.lastDropLog === 0 || now - this.lastDropLog >= DROP_LOG_EVERY_MS) {
      this.log.error(
        { why, dropped: this.droppedSinceLog, droppedTotal: this.counts.dropped, buffered: this.buf.length,
          maxBuffer: this.maxBuffer, callId: event?.callId, type: event?.type, seq: event?.seq },
        'call events DROPPED: call records will miss detail (see hotline_call_events_dropped_total)',
      );
      this.lastDropLog = now;
      this.droppedSinceLog = 0;
    }
  }
}

// The seq base comes from the wall clock, not the injected one (which only stamps `at`): it must order sessions
// across processes. Within this process bases also strictly increase, a millisecond's worth apart at least.
let lastBase = 0;
function nextSessionBase(): number {
  lastBase = Math.max(sessionSeqBase(Date.now()), lastBase + 1000);
  return lastBase;
}

/**
 * Numbers and timestamps one call's events. Create one per call session (CallEventSink.forCall); seqs start at
 * sessionSeqBase(now), so a session in a new process continues above the one it replaces.
 */
export class CallRecorder {
  private seq: number;
  private readonly clock: () => number;

  constructor(
    private readonly sink: CallEventEmitter,
    readonly callId: string,
    opts: { adopted?: boolean; clock?: () => number } = {},
  ) {
    this.clock = opts.clock ?? Date.now;
    this.seq = nextSessionBase() - 1;
    if (opts.adopted) this.emit({ type: 'adopted' });
  }

  /** The seq of the last event emitted. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Emits `body` as the call's next event and returns it (never throws). */
  emit(body: CallEventBody): CallEvent {
    const event = { ...body, callId: this.callId, seq: ++this.seq, at: new Date(this.clock()).toISOString() } as CallEvent;
    this.sink.emit(event);
    return event;
  }
}
