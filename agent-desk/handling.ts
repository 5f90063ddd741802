// Which callers a lawyer is handling right now, followed from the ACD's DeskEvents: a call offered to a lawyer (and
// then answered) makes that caller's earlier work orders and calls visible to them, and lets them write the call's
// work order. The grant outlives the call by a wrap-up grace period, because the work order is usually finished
// after hanging up. Kept in Redis (one hash per lawyer, call id -> entry) so every desk process agrees; each desk
// process applies the same events, and every write is idempotent.
import type { Redis } from 'ioredis';
import type { DeskEvent } from '../ivr/acd/types.js';

export interface HandledCall { callId: string; callerNumber: string; state: 'offered' | 'answered' | 'ended'; endedAt?: number }

interface Entry { callerNumber: string; state: HandledCall['state']; endedAt?: number }

export interface HandlingOptions {
  /** How long after the call ends the lawyer keeps access to finish the work order. */
  graceMs: number;
  /** Safety net: a hash nobody touched for this long (lost `ended` events) disappears. */
  keyTtlSec: number;
}

export const DEFAULT_HANDLING: HandlingOptions = { graceMs: 30 * 60_000, keyTtlSec: 12 * 3600 };

export class Handling {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly opts: HandlingOptions = DEFAULT_HANDLING,
    private readonly now: () => number = Date.now,
  ) {}

  private key(staffNo: string) { return `${this.prefix}:desk:handling:${staffNo}`; }

  /**
   * Folds one DeskEvent in. `callerOf` finds the caller's number for events that do not carry it (answered/ended)
   * when this process did not see the offer, e.g. it started mid-call.
   */
  async apply(ev: DeskEvent, callerOf: (callId: string) => Promise<string | undefined>): Promise<void> {
    const key = this.key(ev.staffNo);
    // A transfer's outcome changes nothing here: the lawyer's leg ends with its own `ended`.
    if (ev.type === 'transfer') return;
    if (ev.type === 'missed') {
      await this.redis.hdel(key, ev.callId);
      return;
    }
    let entry: Entry | undefined;
    if (ev.type === 'offered') entry = { callerNumber: ev.callerNumber, state: 'offered' };
    else {
      const prev = parse(await this.redis.hget(key, ev.callId));
      const callerNumber = prev?.callerNumber ?? (await callerOf(ev.callId));
      if (!callerNumber) return;
      entry = ev.type === 'answered'
        ? { callerNumber, state: 'answered' }
        : { callerNumber, state: 'ended', endedAt: this.now() };
    }
    await this.redis.multi().hset(key, ev.callId, JSON.stringify(entry)).expire(key, this.opts.keyTtlSec).exec();
  }

  /** The calls a lawyer handles now (expired ones are dropped on the way). */
  async calls(staffNo: string): Promise<HandledCall[]> {
    const all = await this.redis.hgetall(this.key(staffNo));
    const live: HandledCall[] = [];
    const stale: string[] = [];
    for (const [callId, raw] of Object.entries(all)) {
      const e = parse(raw);
      if (!e || (e.endedAt !== undefined && this.now() - e.endedAt > this.opts.graceMs)) stale.push(callId);
      else live.push({ callId, ...e });
    }
    if (stale.length) await this.redis.hdel(this.key(staffNo), ...stale);
    return live;
  }

  async callers(staffNo: string): Promise<string[]> {
    return [...new Set((await this.calls(staffNo)).map((c) => c.callerNumber))];
  }

  async handles(staffNo: string, callId: string): Promise<boolean> {
    return (await this.calls(staffNo)).some((c) => c.callId === callId);
  }

  /** A work order has been written for the call: nothing more to finish once the call is over. */
  async done(staffNo: string, callId: string): Promise<void> {
    const e = parse(await this.redis.hget(this.key(staffNo), callId));
    if (e?.state === 'ended') await this.redis.hdel(this.key(staffNo), callId);
  }
}

function parse(raw: string | null | undefined): Entry | undefined {
  if (!raw) return undefined;
  try {
    const e = JSON.parse(raw) as Entry;
    return typeof e.callerNumber === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

const TYPES = new Set(['offered', 'answered', 'missed', 'ended', 'transfer']);

/** A DeskEvent from the wire, or undefined when it is not one (a foreign or broken publisher must not break us). */
export function parseDeskEvent(raw: string): DeskEvent | undefined {
  try {
    const v = JSON.parse(raw) as Partial<DeskEvent> & Record<string, unknown>;
    if (!v || !TYPES.has(v.type as string) || typeof v.staffNo !== 'string' || typeof v.callId !== 'string') return undefined;
    if (v.type === 'offered' && typeof v.callerNumber !== 'string') return undefined;
    return v as DeskEvent;
  } catch {
    return undefined;
  }
}
