import type { Redis } from 'ioredis';
import type { Vars } from '../../flows/types.js';

/** Where a call was in its flow, kept in Redis so that a restarted controller can resume it. */
export interface SavedState {
  flow: string; revision: number; node: string; vars: Vars; arrivedAt: string; seq: number;
  /** Media the call had going (an adopting controller stops them before resuming the node). */
  playback?: string; recording?: string;
}

/**
 * Writes are fire-and-forget: a Redis outage must never hold up a caller. A call whose state was not saved is
 * adopted the safe way (apology, then a person).
 */
export class SessionStateStore {
  /**
   * Saves not yet written, by key. A call often passes several nodes (and starts a prompt) in one turn of the event
   * loop and only its last state matters: the turn's saves go out together at its end, one SET per call, in one
   * write to Redis (measured by `npm run bench`: more than half the saves were superseded within the turn).
   */
  private readonly pending = new Map<string, string>();
  private flushing?: NodeJS.Immediate;

  constructor(private readonly redis: Redis | undefined, private readonly prefix = 'hotline', private readonly ttlSeconds = 6 * 3600) {}

  private key(callId: string): string { return `${this.prefix}:session:${callId}`; }

  save(callId: string, s: SavedState): void {
    if (!this.redis) return;
    // Serialised now: the state as it is at this node, whatever the session changes before the write.
    this.pending.set(this.key(callId), JSON.stringify(s));
    this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushing = undefined;
    if (!this.redis || !this.pending.size) return;
    const pipe = this.redis.pipeline();
    for (const [key, text] of this.pending) pipe.set(key, text, 'EX', this.ttlSeconds);
    this.pending.clear();
    void pipe.exec().catch(() => undefined);
  }

  async load(callId: string): Promise<SavedState | undefined> {
    if (!this.redis) return undefined;
    const unwritten = this.pending.get(this.key(callId));
    if (unwritten) return JSON.parse(unwritten) as SavedState;
    try {
      const text = await this.redis.get(this.key(callId));
      return text ? (JSON.parse(text) as SavedState) : undefined;
    } catch {
      return undefined;
    }
  }

  drop(callId: string): void {
    this.pending.delete(this.key(callId));
    void this.redis?.del(this.key(callId)).catch(() => undefined);
  }

  /** Ids of every call with saved state (calls some controller was running). Empty when Redis fails. */
  async callIds(): Promise<string[]> {
    if (!this.redis) return [];
    const prefix = this.key('');
    const ids: string[] = [];
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        for (const k of keys) ids.push(k.slice(prefix.length));
      } while (cursor !== '0');
    } catch {
      return [];
    }
    return ids;
  }
}
