/**
 * Simulated time. With scale S, S simulated milliseconds pass per real millisecond, so a three-minute call can run
 * in a second. Timestamps in events use simulated time so durations read true.
 */
export interface TimerHandle { cancel(): void }

export class SimClock {
  private readonly realStart = Date.now();
  private readonly simStart = Date.now();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly scale = 1) {
    if (!(scale > 0)) throw new Error(`time scale must be > 0, got ${scale}`);
  }

  now(): number { return this.simStart + (Date.now() - this.realStart) * this.scale; }

  /** Runs fn after simMs of simulated time. */
  after(simMs: number, fn: () => void): TimerHandle {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, Math.max(0, simMs / this.scale));
    this.timers.add(t);
    return { cancel: () => { clearTimeout(t); this.timers.delete(t); } };
  }

  /** Real milliseconds for a simulated duration (for callers outside the engine). */
  realMs(simMs: number): number { return simMs / this.scale; }

  stopAll(): void { for (const t of this.timers) clearTimeout(t); this.timers.clear(); }
}

/** Asterisk's timestamp form: 2026-11-26T00:54:02.984+0000 */
export function astTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
