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
  constructor(private readonly redis: Redis | undefined, private readonly prefix = 'hotline', private readonly ttlSeconds = 6 * 3600) {}

  private key(callId: string): string { return `${this.prefix}:session:${callId}`; }

  save(callId: string, s: SavedState): void {
    void this.redis?.set(this.key(callId), JSON.stringify(s), 'EX', this.ttlSeconds).catch(() => undefined);
  }

  async load(callId: string): Promise<SavedState | undefined> {
    if (!this.redis) return undefined;
    try {
      const text = await this.redis.get(this.key(callId));
      return text ? (JSON.parse(text) as SavedState) : undefined;
    } catch {
      return undefined;
    }
  }

  drop(callId: string): void { void this.redis?.del(this.key(callId)).catch(() => undefined); }

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
