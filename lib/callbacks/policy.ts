// When callbacks are due, their deadlines, and when a failed attempt is tried again — always inside the centre's
// opening hours on working days (the holiday calendar), never at night or on a holiday.
import type { WorkingCalendar } from '../calendar/index.js';

export interface CallbackPolicy {
  /** A call abandoned in the queue is called back this long after it ended. */
  missedDelayMs: number;
  /** Service level: a callback is overdue this long after it became due. */
  slaMs: number;
  maxAttempts: number;
  /** First retry after this long; each later one waits twice as long. */
  retryMs: number;
}

export const DEFAULT_POLICY: CallbackPolicy = { missedDelayMs: 5 * 60_000, slaMs: 2 * 3600_000, maxAttempts: 3, retryMs: 15 * 60_000 };

export class CallbackTimes {
  constructor(private readonly calendar: WorkingCalendar, private readonly policy: CallbackPolicy) {}

  /** The first moment at or after `at` when the centre is open. */
  open(at: Date): Date { return this.calendar.nextOpening(at); }

  isOpen(at: Date): boolean { return this.calendar.isOpen(at); }

  deadline(due: Date): Date { return new Date(due.getTime() + this.policy.slaMs); }

  /** After failed attempt number `attempt` (1-based), when to try again. */
  retryAt(now: Date, attempt: number): Date {
    return this.open(new Date(now.getTime() + this.policy.retryMs * 2 ** Math.max(0, attempt - 1)));
  }
}
