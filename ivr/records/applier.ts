// Consumes the call-event stream and keeps call_record up to date (store.ts does the PostgreSQL part).
//
// Why a Redis stream with a consumer group rather than BullMQ: the sink's XADDs keep each call's events in emit
// order, one cheap command per event on the controller's side; the applier reads them in batches (one transaction
// and one EntityManager fork per batch, not per event); an entry stays in the group's pending list until it is
// acknowledged after the transaction commits, so a PostgreSQL outage or an applier crash leaves events waiting in
// Redis, and XAUTOCLAIM hands a dead consumer's entries to a live one. BullMQ would add a job hash and several
// Lua calls per event and lose the per-call order once jobs run concurrently.
//
// Acknowledged entries are deleted (XACK + XDEL), so the stream only holds what is still to apply: it is this
// pipeline's queue, not a log for other readers. Entries that can never apply (unparseable, or failing with a
// data error) go to `<prefix>:call-events:dead` with the error, then are acknowledged: they never wedge the rest.
import os from 'node:os';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Registry } from 'prom-client';
import type { Log } from '../../lib/proc.js';
import { callEventsKey } from './emitter.js';
import { parseCallEvent } from './events.js';
import { counter } from './metrics.js';
import { applyEventBatch, closeStaleCalls, isPermanentError, type HeldEntry, type StreamEvent } from './store.js';

export const DEFAULT_GROUP = 'call-records';
export const deadLetterKey = (keyPrefix: string) => `${callEventsKey(keyPrefix)}:dead`;

export interface CallRecordApplierOptions {
  orm: MikroORM;
  redisUrl: string;
  /** The sink's key prefix. */
  keyPrefix: string;
  group?: string;
  /** Unique per running applier. Default `<hostname>-<pid>`. */
  consumer?: string;
  /** Entries per read and per transaction. Default 200. */
  batchSize?: number;
  /** How long one read waits for new events. Default 2,000 ms. */
  blockMs?: number;
  /**
   * How long an event is held for a missing earlier seq before it applies without it. Default 120 s: longer than
   * retryMaxMs and claimIdleMs, so a peer that is slow to retry, or dead and about to be claimed, applies (or hands
   * over) the missing events first.
   */
  gapWaitMs?: number;
  /** How often held events are looked at again. Default 500 ms. */
  holdRetryMs?: number;
  /** Pending entries of another consumer idle this long are taken over. Default 60 s. */
  claimIdleMs?: number;
  /** Backoff while PostgreSQL or Redis fail. Default 200 ms doubling to 30 s. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Calls without an event for this long and never ended are closed as controller_lost. Default 4 h; 0 disables. */
  staleAfterMs?: number;
  /** How often that sweep runs (only when caught up). Default 5 min. */
  sweepEveryMs?: number;
  log?: Log;
  registry?: Registry;
}

export interface CallRecordApplierStats {
  batches: number;
  applied: number;
  duplicates: number;
  /** Entries currently waiting for an earlier seq. */
  held: number;
  gapsSkipped: number;
  deadLettered: number;
  /** Failed attempts (PostgreSQL or Redis down), each retried. */
  failures: number;
  staleClosed: number;
}

export interface CallRecordApplier {
  readonly stats: () => CallRecordApplierStats;
  /** Finishes the batch in hand (never half-applies), then disconnects. Unacknowledged events stay in Redis. */
  stop(): Promise<void>;
}

type RawEntry = [id: string, fields: string[] | null];

/** Starts the consumer loop in the background; it survives Redis and PostgreSQL outages and retries forever. */
export function startCallRecordApplier(opts: CallRecordApplierOptions): CallRecordApplier {
  const key = callEventsKey(opts.keyPrefix);
  const deadKey = deadLetterKey(opts.keyPrefix);
  const group = opts.group ?? DEFAULT_GROUP;
  const consumer = opts.consumer ?? `${os.hostname()}-${process.pid}`;
  const batchSize = opts.batchSize ?? 200;
  const blockMs = opts.blockMs ?? 2_000;
  const gapWaitMs = opts.gapWaitMs ?? 120_000;
  const holdRetryMs = opts.holdRetryMs ?? 500;
  const claimIdleMs = opts.claimIdleMs ?? 60_000;
  const retryInitialMs = opts.retryInitialMs ?? 200;
  const retryMaxMs = opts.retryMaxMs ?? 30_000;
  const staleAfterMs = opts.staleAfterMs ?? 4 * 3600_000;
  const sweepEveryMs = opts.sweepEveryMs ?? 5 * 60_000;
  const log = opts.log ?? pino({ name: 'call-records' });
  const reg = opts.registry;
  const m = {
    applied: counter('hotline_call_records_events_applied_total', 'Call events folded into call records', reg),
    duplicates: counter('hotline_call_records_events_duplicate_total', 'Call events ignored as already applied', reg),
    gaps: counter('hotline_call_records_seq_gaps_skipped_total', 'Call events applied past a seq that never arrived', reg),
    dead: counter('hotline_call_records_events_dead_lettered_total', 'Call events set aside as unapplicable', reg),
    failures: counter('hotline_call_records_apply_failures_total', 'Failed attempts to apply call events (retried)', reg),
  };
  const stats: CallRecordApplierStats = {
    batches: 0, applied: 0, duplicates: 0, held: 0, gapsSkipped: 0, deadLettered: 0, failures: 0, staleClosed: 0,
  };

  const redis = new Redis(opts.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: true,
  });
  redis.on('error', () => undefined); // reported by the loop, once per outage

  let stopping = false;
  let reading = false;
  let groupReady = false;
  let backoffMs = retryInitialMs;
  let outageSince = 0;
  // Start with a pass over our own pending entries: a previous run of this consumer may have left some.
  let pendingDueAt: number | null = 0;
  let nextClaimAt = 0;
  let nextSweepAt = Date.now() + sweepEveryMs;
  // Entries left pending for a missing earlier seq, by stream id (the gap wait counts from `since`).
  const held = new Map<string, HeldEntry>();
  let seenHeld: Set<string> | null = null;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => ((wake = null), resolve()), ms);
      wake = () => (clearTimeout(t), (wake = null), resolve());
    });

  async function ready(): Promise<void> {
    if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
    if (redis.status !== 'ready') throw new Error(`Redis connection is ${redis.status}`);
    if (groupReady) return;
    try {
      // From 0: events emitted before the applier ever ran are applied too.
      await redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
    } catch (e) {
      if (!String((e as Error).message).startsWith('BUSYGROUP')) throw e;
    }
    groupReady = true;
  }

  function parse(entries: RawEntry[]): { good: StreamEvent[]; bad: { id: string; json: string; error: string }[] } {
    const good: StreamEvent[] = [];
    const bad: { id: string; json: string; error: string }[] = [];
    for (const [id, fields] of entries) {
      const at = fields ? fields.indexOf('e') : -1;
      const json = at >= 0 && at % 2 === 0 ? fields![at + 1] : '';
      if (!json) {
        bad.push({ id, json: '', error: 'entry has no event (deleted or foreign)' });
        continue;
      }
      const r = parseCallEvent(json);
      if (r.ok) good.push({ id, event: r.event });
      else bad.push({ id, json, error: r.error });
    }
    return { good, bad };
  }

  async function ack(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await redis.multi().xack(key, group, ...ids).xdel(key, ...ids).exec();
    for (const id of ids) held.delete(id);
  }

  async function deadLetter(items: { id: string; json: string; error: string }[]): Promise<void> {
    if (!items.length) return;
    const pipe = redis.pipeline();
    for (const it of items) pipe.xadd(deadKey, '*', 'e', it.json, 'error', it.error, 'source', it.id);
    const res = (await pipe.exec()) ?? [];
    const failed = res.find(([err]) => err);
    if (failed) throw failed[0];
    log.error({ count: items.length, deadKey, first: items[0] }, 'call events set aside as unapplicable');
    stats.deadLettered += items.length;
    m.dead.inc(items.length);
    await ack(items.map((i) => i.id));
  }

  // One batch: apply, acknowledge what is done, leave held entries pending and look at them again soon.
  async function processBatch(entries: RawEntry[]): Promise<void> {
    const { good, bad } = parse(entries);
    await deadLetter(bad);
    if (!good.length) return;
    const groups: StreamEvent[][] = [good];
    const unapplicable: { id: string; json: string; error: string }[] = [];
    for (let attempt = 0; attempt < groups.length; attempt++) {
      const part = groups[attempt];
      try {
        const r = await applyEventBatch(opts.orm, part, { gapWaitMs, held });
        stats.batches++;
        stats.applied += r.applied;
        stats.duplicates += r.duplicates;
        stats.gapsSkipped += r.gapsSkipped;
        m.applied.inc(r.applied);
        m.duplicates.inc(r.duplicates);
        m.gaps.inc(r.gapsSkipped);
        if (r.gapsSkipped) log.warn({ gaps: r.gapsSkipped }, 'call events applied past missing seqs (events were lost upstream)');
        const now = Date.now();
        for (const { id, event } of r.held) {
          if (!held.has(id)) held.set(id, { callId: event.callId, seq: event.seq, since: now });
          seenHeld?.add(id);
        }
        stats.held = held.size;
        await ack(r.done);
        if (r.held.length) pendingDueAt = Math.min(pendingDueAt ?? Infinity, Date.now() + holdRetryMs);
      } catch (e) {
        if (!isPermanentError(e)) throw e;
        // A data error: retry call by call so one bad call cannot hold up the others; a lone call that still
        // fails is set aside.
        const calls = [...new Set(part.map((s) => s.event.callId))];
        if (calls.length > 1) {
          for (const c of calls) groups.push(part.filter((s) => s.event.callId === c));
        } else {
          unapplicable.push(...part.map((s) => ({ id: s.id, json: JSON.stringify(s.event), error: String((e as Error).message) })));
        }
      }
    }
    await deadLetter(unapplicable);
  }

  async function read(id: string, block?: number): Promise<RawEntry[]> {
    const args: (string | number)[] = ['GROUP', group, consumer, 'COUNT', batchSize];
    if (block !== undefined) args.push('BLOCK', Math.max(1, Math.round(block)));
    args.push('STREAMS', key, id);
    reading = block !== undefined;
    try {
      const res = (await (redis.xreadgroup as (...a: (string | number)[]) => Promise<unknown>)(...args)) as
        | [string, RawEntry[]][]
        | null;
      return res?.[0]?.[1] ?? [];
    } finally {
      reading = false;
    }
  }

  // Our own pending list, page by page: held events and anything a failed batch left unacknowledged.
  async function pendingPass(): Promise<void> {
    pendingDueAt = null;
    seenHeld = new Set();
    try {
      let cursor = '0';
      while (!stopping) {
        const page = await read(cursor);
        if (!page.length) break;
        await processBatch(page);
        cursor = page[page.length - 1][0];
        if (page.length < batchSize) break;
      }
      // Held entries no longer pending (claimed by a peer, deleted) are forgotten.
      for (const id of held.keys()) if (!seenHeld.has(id)) held.delete(id);
      stats.held = held.size;
    } finally {
      seenHeld = null;
    }
  }

  async function claimIdle(): Promise<void> {
    nextClaimAt = Date.now() + claimIdleMs;
    let cursor = '0-0';
    for (let pages = 0; pages < 100; pages++) {
      const res = (await redis.xautoclaim(key, group, consumer, claimIdleMs, cursor, 'COUNT', batchSize, 'JUSTID')) as [
        string,
        string[],
      ];
      if (res[1].length) pendingDueAt = 0;
      cursor = res[0];
      if (cursor === '0-0') break;
    }
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        await ready();
        if (Date.now() >= nextClaimAt) await claimIdle();
        if (pendingDueAt !== null && Date.now() >= pendingDueAt) {
          await pendingPass();
        } else {
          const wait = pendingDueAt === null ? blockMs : Math.min(blockMs, pendingDueAt - Date.now());
          const entries = await read('>', wait);
          if (entries.length) await processBatch(entries);
          else if (pendingDueAt === null && staleAfterMs > 0 && Date.now() >= nextSweepAt) {
            // Caught up: whatever is still open now really had no event for staleAfterMs.
            nextSweepAt = Date.now() + sweepEveryMs;
            const closed = await closeStaleCalls(opts.orm, staleAfterMs);
            stats.staleClosed += closed;
            if (closed) log.warn({ closed }, 'calls left open with no event for hours closed as controller_lost');
          }
        }
        if (outageSince) log.info({ outageMs: Date.now() - outageSince }, 'call records: applying again');
        outageSince = 0;
        backoffMs = retryInitialMs;
      } catch (e) {
        if (stopping) break;
        // The stream (and with it the group) was deleted: create both again.
        if (/^(NOGROUP|UNBLOCKED)/.test(String((e as Error).message))) groupReady = false;
        stats.failures++;
        m.failures.inc();
        if (!outageSince) {
          outageSince = Date.now();
          log.warn({ err: e }, 'call records: cannot apply events now; they wait in Redis, retrying with backoff');
        }
        // Whatever was delivered but not acknowledged is retried from our pending list.
        pendingDueAt = 0;
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, retryMaxMs);
      }
    }
  }

  const done = loop();
  return {
    stats: () => ({ ...stats }),
    async stop() {
      stopping = true;
      wake?.();
      // A blocking read is the only thing safe to cut short; a batch in progress finishes and is acknowledged.
      if (reading) redis.disconnect();
      await done;
      redis.disconnect();
    },
  };
}
