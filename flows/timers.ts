// The clock/timer interface the DTMF collector (and the runner's timeouts) use, its real implementation, and a
// manual one for tests: time only moves when a test says so, so timeouts are tested without waiting.

export type TimerHandle = unknown;

export interface Timers {
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimer: (ms, fn) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface Pending { id: number; at: number; fn: () => void }

/** A fake clock. Timers due at the same time fire in the order they were set. */
export class ManualTimers implements Timers {
  private t: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const p = { id: ++this.seq, at: this.t + Math.max(0, ms), fn };
    this.pending.push(p);
    return p.id;
  }

  clearTimer(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Number of timers not yet fired (a finished call must leave none). */
  get size(): number {
    return this.pending.length;
  }

  /** When the next timer fires, or undefined. */
  next(): number | undefined {
    return this.pending.reduce<number | undefined>((m, p) => (m === undefined || p.at < m ? p.at : m), undefined);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const until = this.t + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = until;
  }
}

/** Real timers running `scale` times faster, to match a simulator whose clock runs at SIM_TIME_SCALE (tests, demo). */
export function scaledTimers(scale: number): Timers {
  if (!(scale > 0)) throw new Error(`time scale must be > 0, got ${scale}`);
  const t0 = performance.now();
  return {
    now: () => t0 + (performance.now() - t0) * scale,
    setTimer: (ms, fn) => setTimeout(fn, ms / scale),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}
