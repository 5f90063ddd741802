// Collects DTMF digits for one input: a pure state machine over digits fed in and an injected clock, so that the
// runner can drive it from ChannelDtmfReceived events and tests can drive it with a fake clock.
//
// Ends with {reason:'digits'} when maxDigits are in or the terminator is pressed (terminator not included), and with
// {reason:'timeout', digits} when the first-digit timer (armed when the prompts finished, or at once with none) or
// the inter-digit timer (re-armed by each digit) fires. Judging the digits (too few, pattern) is the node's job.
import type { CollectResult } from '../ivr/port.js';
import type { TimerHandle, Timers } from './timers.js';

export interface DtmfCollectorOptions {
  maxDigits: number;
  terminator?: string;
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
  /** True while prompts still play: the first-digit timer waits for promptsFinished(). */
  promptsPlaying?: boolean;
}

const DIGIT = /^[0-9*#A-D]$/;

export class DtmfCollector {
  readonly result: Promise<CollectResult>;
  private digits = '';
  private timer: TimerHandle | undefined;
  private settled = false;
  private resolve!: (r: CollectResult) => void;
  private readonly startedAt: number;

  constructor(
    private readonly opts: DtmfCollectorOptions,
    private readonly timers: Timers,
  ) {
    this.result = new Promise((r) => (this.resolve = r));
    this.startedAt = timers.now();
    if (!opts.promptsPlaying) this.arm(opts.firstDigitTimeoutMs);
  }

  /** Digits so far (for logging; the result carries them too). */
  get entered(): string {
    return this.digits;
  }

  get done(): boolean {
    return this.settled;
  }

  /** Milliseconds since the collector started, on the injected clock. */
  elapsedMs(): number {
    return this.timers.now() - this.startedAt;
  }

  /**
   * The prompts ended (or were stopped): the caller's time to answer starts now. Ignored once a digit came in —
   * the inter-digit timer is already running then.
   */
  promptsFinished(): void {
    if (this.settled || this.digits !== '' || this.timer !== undefined) return;
    this.arm(this.opts.firstDigitTimeoutMs);
  }

  /** One key from the caller. Returns true if it was taken (false after the end or for a non-DTMF character). */
  feed(digit: string): boolean {
    if (this.settled || !DIGIT.test(digit)) return false;
    if (this.opts.terminator !== undefined && digit === this.opts.terminator) {
      this.finish({ reason: 'digits', digits: this.digits });
      return true;
    }
    this.digits += digit;
    if (this.digits.length >= this.opts.maxDigits) this.finish({ reason: 'digits', digits: this.digits });
    else this.arm(this.opts.interDigitTimeoutMs);
    return true;
  }

  /** Stops without a caller result (hang-up, session end): clears the timer and settles as an error. */
  cancel(message = 'cancelled'): void {
    this.finish({ reason: 'error', message });
  }

  private arm(ms: number): void {
    if (this.timer !== undefined) this.timers.clearTimer(this.timer);
    this.timer = this.timers.setTimer(ms, () => {
      this.timer = undefined;
      this.finish({ reason: 'timeout', digits: this.digits });
    });
  }

  private finish(r: CollectResult): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) this.timers.clearTimer(this.timer);
    this.timer = undefined;
    this.resolve(r);
  }
}
