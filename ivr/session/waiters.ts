import type { AriEvent } from '../ari/connection.js';

type Waiter = { resolve: (ev: AriEvent) => void; types: Set<string> };

/**
 * Playback and recording events are keyed by ids we choose before asking Asterisk to act (stage -> subscribe ->
 * exec), so an event that arrives before the REST answer (PlaybackStarted often does) is never missed.
 */
export class Waiters {
  private readonly byKey = new Map<string, Waiter[]>();

  /** Resolves with the first event of one of `types` for `key` (a playback id or recording name). */
  wait(key: string, types: string[]): { promise: Promise<AriEvent>; cancel(): void } {
    let w!: Waiter;
    const promise = new Promise<AriEvent>((resolve) => { w = { resolve, types: new Set(types) }; });
    const list = this.byKey.get(key) ?? [];
    list.push(w);
    this.byKey.set(key, list);
    return { promise, cancel: () => this.remove(key, w) };
  }

  /** Delivers an event; returns true if someone was waiting for it. */
  deliver(key: string, ev: AriEvent): boolean {
    const list = this.byKey.get(key);
    if (!list) return false;
    let hit = false;
    for (const w of [...list]) {
      if (!w.types.has(ev.type)) continue;
      this.remove(key, w);
      w.resolve(ev);
      hit = true;
    }
    return hit;
  }

  private remove(key: string, w: Waiter): void {
    const list = this.byKey.get(key);
    if (!list) return;
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) this.byKey.delete(key);
  }

  get size(): number { return this.byKey.size; }
  keys(): string[] { return [...this.byKey.keys()]; }
}
