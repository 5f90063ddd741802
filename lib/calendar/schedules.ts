// Named sets of opening hours for the IVR's hours node (flows/types.ts `Calendar`: isOpen(at, schedule?)).
//
// The flows contract asks the calendar to THROW for a year it has no data for, so the hours node takes its `error`
// branch (a person) instead of telling a caller "closed" on a day that may be a make-up working day, or "open" on
// a public holiday. That is the default here; `uncoveredYear: 'weekdays'` answers with the Monday–Friday fallback
// instead. Either way the calendar's warning (log, banner, metric) has fired first.
import type { WorkingCalendar } from './calendar.js';
import { beijingTime, toInstant, yearOf, type Instant } from './civil.js';
import { parseOpeningHours, type OpeningHours, type OpeningHoursSpec } from './hours.js';

export class UncoveredYearError extends Error {
  override name = 'UncoveredYearError';
  constructor(readonly year: number, message: string) {
    super(message);
  }
}

export interface ScheduleOptions {
  /** name -> hours; `default` is the calendar's own hours unless given here. */
  schedules?: Record<string, OpeningHours | OpeningHoursSpec>;
  uncoveredYear?: 'throw' | 'weekdays';
}

export interface ScheduleCalendar {
  isOpen(at: Date, schedule?: string): boolean;
  nextOpening(at: Instant, schedule?: string): Date;
  hours(schedule?: string): OpeningHours;
}

/** Wraps a WorkingCalendar for the flows; every schedule is parsed now, so a bad one fails at start-up, not mid-call. */
export function scheduleCalendar(cal: WorkingCalendar, opts: ScheduleOptions = {}): ScheduleCalendar {
  const table = new Map<string, OpeningHours>([['default', cal.hours]]);
  for (const [name, spec] of Object.entries(opts.schedules ?? {})) {
    try {
      table.set(name, typeof spec === 'object' && 'weekly' in spec ? (spec as OpeningHours) : parseOpeningHours(spec as OpeningHoursSpec));
    } catch (err) {
      throw new Error(`schedule ${JSON.stringify(name)}: ${(err as Error).message}`, { cause: err });
    }
  }
  const hours = (schedule = 'default'): OpeningHours => {
    const h = table.get(schedule);
    if (!h) throw new Error(`unknown opening-hours schedule ${JSON.stringify(schedule)} (known: ${[...table.keys()].join(', ')})`);
    return h;
  };
  const check = (at: Instant): void => {
    if (opts.uncoveredYear === 'weekdays') return;
    const info = cal.day(beijingTime(at).date); // fires the calendar's warning
    if (info.warning?.kind === 'uncovered-year') throw new UncoveredYearError(yearOf(info.date), info.warning.message);
  };
  return {
    hours,
    isOpen(at, schedule) {
      const h = hours(schedule);
      check(at);
      return cal.isOpen(at, h);
    },
    nextOpening(at, schedule) {
      const h = hours(schedule);
      check(at);
      const next = cal.nextOpening(toInstant(at), h);
      check(next); // the search may have walked into an uncovered year
      return next;
    },
  };
}
