// The PostgreSQL side of the call-record applier: folds a batch of call events into call_record rows in one
// transaction, idempotently. Kept apart from the Redis loop (applier.ts) so it can be exercised on its own.
//
// Ordering rule, per call: events are applied in seq order, each only if seq == last_seq + 1. A seq at or below
// last_seq is a duplicate (replay, retried XADD): acknowledged, changes nothing. A seq beyond a gap is held (left
// unacknowledged in Redis) until the missing event turns up, or until it has been held `gapWaitMs` while none of
// the missing seqs is among the applier's held entries (the missing event was shed by the sink, or died with a
// crashed controller); then the call's events up to it are applied and the gap is counted. The wait counts from
// when the applier first held the event, not from when it reached Redis: after an outage everything is old, and
// the missing events may be with another consumer that has not retried yet. A session's first event (`arrived`,
// or `adopted` when a new controller took the call over) crosses its gap at once, under the same condition.
import { LockMode, type MikroORM } from '@mikro-orm/postgresql';
import { CallRecord } from '../../lib/entities/call-record.js';
import type { CallEvent } from './events.js';
import { applyCallEvent } from './reduce.js';

export interface StreamEvent {
  /** Redis stream entry id ("<ms>-<n>"); its time part is when the event reached Redis. */
  id: string;
  event: CallEvent;
}

/** An entry the applier holds (left pending) for a missing earlier seq. */
export interface HeldEntry {
  callId: string;
  seq: number;
  /** When the applier first held it (ms). */
  since: number;
}

export interface BatchResult {
  /** Applied or duplicate: acknowledge. */
  done: string[];
  /** Waiting for an earlier seq: leave pending (the applier remembers them as HeldEntry). */
  held: StreamEvent[];
  applied: number;
  duplicates: number;
  gapsSkipped: number;
}

/** A reducer failure: the event, not the database, is at fault, so retrying cannot help. */
export class PoisonEventError extends Error {
  constructor(
    readonly callId: string,
    cause: unknown,
  ) {
    super(`call ${callId}: event could not be applied: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'PoisonEventError';
  }
}

/** True for errors that retrying later cannot fix: bad data (SQLSTATE classes 22, 23) or a poison event. */
export function isPermanentError(e: unknown): boolean {
  if (e instanceof PoisonEventError) return true;
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(code);
}

interface Plan {
  apply: StreamEvent[];
  duplicates: StreamEvent[];
  held: StreamEvent[];
  gapsSkipped: number;
}

interface GapPolicy {
  now: number;
  gapWaitMs: number;
  held: ReadonlyMap<string, HeldEntry>;
  /** Seqs of this call held by the applier outside this batch: a gap covering one of them is not a real gap. */
  heldElsewhere: number[];
}

function plan(lastSeq: number, events: StreamEvent[], g: GapPolicy): Plan {
  // The first seq above last_seq still waiting elsewhere bounds how far a gap may be jumped.
  const limit = Math.min(Infinity, ...g.heldElsewhere.filter((q) => q > lastSeq));
  // Anything up to an event held long enough (or a session's first) goes in regardless of what is missing.
  let forceUpTo = 0;
  for (const s of events) {
    const since = g.held.get(s.id)?.since;
    const opensSession = s.event.type === 'arrived' || s.event.type === 'adopted';
    const ripe = opensSession || (since !== undefined && g.now - since >= g.gapWaitMs);
    if (ripe && s.event.seq < limit) forceUpTo = Math.max(forceUpTo, s.event.seq);
  }
  const p: Plan = { apply: [], duplicates: [], held: [], gapsSkipped: 0 };
  let last = lastSeq;
  for (const s of events) {
    const seq = s.event.seq;
    if (seq <= last) p.duplicates.push(s);
    else if (seq === last + 1 || seq <= forceUpTo) {
      // A session's first event starts a new run of seqs: jumping to it is expected, not a sign of loss.
      if (seq !== last + 1 && s.event.type !== 'arrived' && s.event.type !== 'adopted') p.gapsSkipped++;
      p.apply.push(s);
      last = seq;
    } else p.held.push(s);
  }
  return p;
}

/**
 * Applies `batch` in one transaction on a fresh EntityManager fork. Throws on database failure (nothing is
 * then acknowledged, so the caller retries) and PoisonEventError when an event cannot be folded in.
 * `held`: the entries the applier holds (by stream id), from earlier batches and this one.
 */
export async function applyEventBatch(
  orm: MikroORM,
  batch: StreamEvent[],
  opts: { gapWaitMs: number; held?: ReadonlyMap<string, HeldEntry>; now?: number },
): Promise<BatchResult> {
  const now = opts.now ?? Date.now();
  const held = opts.held ?? new Map<string, HeldEntry>();
  const byCall = new Map<string, StreamEvent[]>();
  for (const s of batch) {
    const list = byCall.get(s.event.callId);
    if (list) list.push(s);
    else byCall.set(s.event.callId, [s]);
  }
  for (const list of byCall.values()) list.sort((a, b) => a.event.seq - b.event.seq || (a.id < b.id ? -1 : 1));
  const inBatch = new Set(batch.map((s) => s.id));
  const elsewhere = new Map<string, number[]>();
  for (const [id, h] of held) {
    if (!inBatch.has(id) && byCall.has(h.callId)) elsewhere.set(h.callId, [...(elsewhere.get(h.callId) ?? []), h.seq]);
  }
  const gaps = (callId: string): GapPolicy => ({ now, gapWaitMs: opts.gapWaitMs, held, heldElsewhere: elsewhere.get(callId) ?? [] });

  const result: BatchResult = { done: [], held: [], applied: 0, duplicates: 0, gapsSkipped: 0 };
  await orm.em.fork().transactional(async (em) => {
    const ids = [...byCall.keys()].sort();
    // Row locks serialise appliers working on the same call (several consumers, a claimed batch).
    const rows = new Map<string, CallRecord>();
    const lock = async (callIds: string[]) => {
      if (!callIds.length) return;
      // Always in call_id order, so two appliers locking overlapping calls cannot deadlock each other.
      const found = await em.find(CallRecord, { callId: { $in: callIds } },
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { callId: 'asc' } });
      for (const r of found) rows.set(r.callId, r);
    };
    await lock(ids);

    // New calls: create the row only if something will be applied, racing other appliers harmlessly.
    const create: { callId: string; at: string }[] = [];
    for (const id of ids) {
      if (rows.has(id)) continue;
      const p = plan(0, byCall.get(id)!, gaps(id));
      if (p.apply.length) create.push({ callId: id, at: p.apply[0].event.at });
    }
    if (create.length) {
      // One JSON parameter (knex would spread an array binding into a list of parameters).
      await em.execute(
        `insert into call_record (call_id, arrived_at)
           select x->>'callId', (x->>'at')::timestamptz from jsonb_array_elements(?::jsonb) as x
         on conflict (call_id) do nothing`,
        [JSON.stringify(create)],
        'run',
      );
      await lock(create.map((c) => c.callId));
    }

    for (const [callId, events] of byCall) {
      const row = rows.get(callId);
      const p = plan(row?.lastSeq ?? 0, events, gaps(callId));
      if (!row && p.apply.length) throw new Error(`call ${callId}: record row missing after insert`);
      for (const s of p.apply) {
        try {
          applyCallEvent(row!, s.event);
        } catch (e) {
          throw new PoisonEventError(callId, e);
        }
        row!.lastSeq = s.event.seq;
        row!.eventsApplied += 1;
      }
      result.done.push(...p.apply.map((s) => s.id), ...p.duplicates.map((s) => s.id));
      result.held.push(...p.held);
      result.applied += p.apply.length;
      result.duplicates += p.duplicates.length;
      result.gapsSkipped += p.gapsSkipped;
    }
  });
  return result;
}

/**
 * Closes calls no event has touched for `staleAfterMs` and that never ended: their controller died and nobody
 * saw the end. end_reason controller_lost, ended at their last event, the open path step marked the same.
 * A late `ended` event still wins (the reducer overwrites). Returns how many were closed.
 */
export async function closeStaleCalls(orm: MikroORM, staleAfterMs: number): Promise<number> {
  const rows = await orm.em.fork().execute<{ call_id: string }[]>(
    `update call_record
        set ended_at = coalesce(last_event_at, arrived_at),
            end_reason = 'controller_lost',
            path = (select coalesce(jsonb_agg(case when s->'outcome' = 'null'::jsonb
                                                   then jsonb_set(s, '{outcome}', '"controller_lost"') else s end
                                              order by i), '[]'::jsonb)
                      from jsonb_array_elements(path) with ordinality as t(s, i)),
            updated_at = now()
      where ended_at is null
        and coalesce(last_event_at, arrived_at) < now() - make_interval(secs => ?)
      returning call_id`,
    [staleAfterMs / 1000],
  );
  return rows.length;
}
