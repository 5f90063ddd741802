import type { Redis } from 'ioredis';
import type { Vars } from '../../flows/types.js';

/** Where a call was in its flow, kept in Redis so that a restarted controller can resume it. */
export interface SavedState { flow: string; revision: number; node: string; vars: Vars; arrivedAt: string; seq: number }

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
}
