/** Exponential backoff with jitter, capped; never gives up (the caller decides when to stop). */
export class Backoff {
  private attempt = 0;
  constructor(private readonly initialMs = 100, private readonly maxMs = 10_000, private readonly random = Math.random) {}

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    // +-20 % so that several controllers do not reconnect in lockstep after an Asterisk restart.
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  get failures(): number { return this.attempt; }
  reset(): void { this.attempt = 0; }
}
