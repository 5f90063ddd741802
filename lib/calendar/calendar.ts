// The working-day calendar used everywhere: the flows' business hours, callback retries, and deadlines counted in
// working days (legal aid: decide within 7 working days). All dates are Beijing civil dates (see civil.ts).
//
// A date in a year without holiday data is never guessed silently: it falls back to Monday–Friday, and the answer
// carries a CalendarWarning (and `onWarning` fires, once per year per calendar) so callers can log it, show a desk
// banner and count a metric.
import {
  addDays, beijingTime, civilDate, dayNumber, formatBeijing, fromDayNumber, instantAt, toInstant, weekdayOf, yearOf,
  type CivilDate, type Instant, type Weekday,
} from './civil.js';
import { loadHolidayYears, type LoadedYear, type LoadProblem } from './data.js';
import { DEFAULT_OPENING_HOURS, parseOpeningHours, type OpeningHours, type OpeningHoursSpec, type Period } from './hours.js';

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup-workday';

export type CalendarWarning =
  | { kind: 'uncovered-year'; year: number; message: string }
  | { kind: 'coverage-ending'; year: number; message: string }
  | { kind: 'bad-file'; file: string; errors: string[]; message: string };

export interface DayInfo {
  date: CivilDate;
  weekday: Weekday;
  working: boolean;
  kind: DayKind;
  /** The holiday's name (国庆节、中秋节) on a holiday. */
  holiday?: string;
  /** False when the year has no holiday data: `working` is then Monday–Friday only and `warning` says so. */
  covered: boolean;
  warning?: CalendarWarning;
}

export interface CalendarCoverage {
  years: number[];
  /** Where each year's data came from (the bundled file or an admin file). */
  sources: Record<number, string>;
  problems: LoadProblem[];
}

export interface CalendarOptions {
  /** Admin-supplied holiday files, e.g. `DATA_DIR/calendar`. */
  extraDir?: string;
  /** Default true; tests turn it off to build a calendar from `extraDir` alone. */
  bundled?: boolean;
  /** The centre's opening hours; default Mon–Fri 08:30–12:00, 14:00–17:30. */
  hours?: OpeningHours | OpeningHoursSpec;
  onWarning?: (w: CalendarWarning) => void;
}

// Far enough to cross any holiday period and a whole uncovered year, near enough to fail fast on closed hours.
const SEARCH_DAYS = 400;

export class WorkingCalendar {
  readonly hours: OpeningHours;
  private years = new Map<number, LoadedYear>();
  private off = new Map<number, string>();
  private makeup = new Set<number>();
  private problems: LoadProblem[] = [];
  private warned = new Set<string>();
  private readonly seen: CalendarWarning[] = [];
  private stored: LoadedYear[] = [];

  constructor(private readonly opts: CalendarOptions = {}) {
    this.hours = resolveHours(opts.hours);
    this.reload();
  }

  /** Re-reads the bundled data and the admin directory: how a new year's notice takes effect without a release. */
  reload(): CalendarCoverage {
    const { years, problems } = loadHolidayYears({ extraDir: this.opts.extraDir, bundled: this.opts.bundled });
    // Years an admin loaded into the database come last: the newest word on a year wins (calendar-store.ts).
    for (const y of this.stored) years.set(y.year, y);
    const off = new Map<number, string>();
    const makeup = new Set<number>();
    for (const y of [...years.values()].sort((a, b) => a.year - b.year)) {
      for (const h of y.holidays) {
        for (let d = dayNumber(h.from); d <= dayNumber(h.to); d++) off.set(d, h.name);
      }
      for (const w of y.workdays) makeup.add(dayNumber(w));
    }
    this.years = years;
    this.off = off;
    this.makeup = makeup;
    this.problems = problems;
    this.warned.clear();
    this.seen.length = 0;
    for (const p of problems) {
      this.warn(`file:${p.file}`, {
        kind: 'bad-file', file: p.file, errors: p.errors,
        message: `holiday file ${p.file} was NOT loaded: ${p.errors.join('; ')}`,
      });
    }
    return this.coverage();
  }

  /**
   * Years loaded by an admin into the database (holiday_calendar, already checked with checkHolidayFile); they
   * replace the same years from files. Reloads at once.
   */
  setStoredYears(years: LoadedYear[]): CalendarCoverage {
    this.stored = [...years];
    return this.reload();
  }

  coverage(): CalendarCoverage {
    const years = [...this.years.keys()].sort((a, b) => a - b);
    return { years, sources: Object.fromEntries(years.map((y) => [y, this.years.get(y)!.source])), problems: [...this.problems] };
  }

  /** Every distinct warning raised since the last load (bad files, uncovered years met). */
  warnings(): CalendarWarning[] {
    return [...this.seen];
  }

  isCovered(year: number): boolean {
    return this.years.has(year);
  }

  /** What kind of day `date` is (a civil date, or the Beijing date of a moment). */
  day(date: Instant): DayInfo {
    const d = civilDate(date);
    const n = dayNumber(d);
    const weekday = weekdayOf(d);
    const year = yearOf(d);
    const covered = this.years.has(year);
    const holiday = this.off.get(n);
    let kind: DayKind;
    if (holiday !== undefined) kind = 'holiday';
    else if (this.makeup.has(n)) kind = 'makeup-workday';
    else kind = weekday >= 6 ? 'weekend' : 'workday';
    const info: DayInfo = { date: d, weekday, working: kind === 'workday' || kind === 'makeup-workday', kind, covered };
    if (holiday !== undefined) info.holiday = holiday;
    if (!covered) info.warning = this.uncovered(year);
    return info;
  }

  isWorkingDay(date: Instant): boolean {
    return this.day(date).working;
  }

  /** The opening periods of a civil date: none on a holiday (unless holiday hours are set), weekday hours on 调休. */
  openPeriods(date: Instant, hours: OpeningHours = this.hours): readonly Period[] {
    const info = this.day(date);
    if (info.kind === 'holiday') return hours.holiday;
    if (info.kind === 'makeup-workday') return hours.makeup;
    return hours.weekly[info.weekday];
  }

  /** Whether the centre is open at the moment `at` (Beijing wall clock). */
  isOpen(at: Instant, hours: OpeningHours | OpeningHoursSpec = this.hours): boolean {
    const h = resolveHours(hours);
    const t = beijingTime(at);
    return this.openPeriods(t.date, h).some((p) => t.minute >= p.from && t.minute < p.to);
  }

  /** `at` itself when open then, else the start of the next opening period. */
  nextOpening(at: Instant, hours: OpeningHours | OpeningHoursSpec = this.hours): Date {
    const h = resolveHours(hours);
    const t = beijingTime(at);
    for (let i = 0; i < SEARCH_DAYS; i++) {
      const date = addDays(t.date, i);
      for (const p of this.openPeriods(date, h)) {
        if (i > 0 || p.from > t.minute) return instantAt(date, p.from);
        if (t.minute < p.to) return toInstant(at);
      }
    }
    throw new Error(`no opening hours within ${SEARCH_DAYS} days after ${formatBeijing(at)}: check the centre's opening hours`);
  }

  /** The end of the opening period `at` is in, or undefined when closed at `at`. */
  closesAt(at: Instant, hours: OpeningHours | OpeningHoursSpec = this.hours): Date | undefined {
    const t = beijingTime(at);
    const p = this.openPeriods(t.date, resolveHours(hours)).find((x) => t.minute >= x.from && t.minute < x.to);
    return p ? instantAt(t.date, p.to) : undefined;
  }

  /**
   * The date `n` working days after `date`, not counting `date` itself (a period's first day is not counted, as
   * Chinese procedure rules count time limits): 7 working days after Friday 2025-09-26 is 2025-10-13, counting the
   * make-up days 09-28 and 10-11 and skipping 10-01..08.
   * n = 0 gives `date` when it is a working day, else the next one; a negative n counts backwards (the working day
   * before an appointment, for its reminder call).
   */
  addWorkingDays(date: Instant, n: number): CivilDate {
    if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer, got ${n}`);
    let d = dayNumber(civilDate(date));
    // Only data with no working day for weeks on end could loop long; fail loudly rather than hang.
    const limit = Math.abs(n) * 7 + SEARCH_DAYS;
    if (n === 0) {
      for (let i = 0; !this.isWorkingDay(fromDayNumber(d)); i++, d++) if (i > limit) this.stuck(date);
      return fromDayNumber(d);
    }
    const step = n > 0 ? 1 : -1;
    for (let left = Math.abs(n), i = 0; left > 0; i++) {
      d += step;
      if (this.isWorkingDay(fromDayNumber(d))) left--;
      if (i > limit) this.stuck(date);
    }
    return fromDayNumber(d);
  }

  /** Working days after `from` up to and including `to` (0 when `to` <= `from`): how far a deadline clock has run. */
  workingDaysBetween(from: Instant, to: Instant): number {
    const a = dayNumber(civilDate(from));
    const b = dayNumber(civilDate(to));
    let count = 0;
    for (let d = a + 1; d <= b; d++) if (this.isWorkingDay(fromDayNumber(d))) count++;
    return count;
  }

  /**
   * Warnings to show before they bite: a year between `now` and `now + horizonDays` without data (e.g. in
   * December, when next year's notice has not been loaded yet). The desk banner and a daily check use this.
   */
  coverageWarnings(now: Instant = new Date(), horizonDays = 60): CalendarWarning[] {
    const today = civilDate(now);
    const out: CalendarWarning[] = [];
    for (let y = yearOf(today); y <= yearOf(addDays(today, horizonDays)); y++) {
      if (this.years.has(y)) continue;
      out.push(y === yearOf(today)
        ? this.uncovered(y)
        : {
          kind: 'coverage-ending', year: y,
          message: `holiday data for ${y} is not loaded and ${y} starts within ${horizonDays} days: add the State Council's ${y} notice (国务院办公厅关于${y}年部分节假日安排的通知) to the calendar directory`,
        });
    }
    return out;
  }

  private uncovered(year: number): CalendarWarning {
    const w: CalendarWarning = {
      kind: 'uncovered-year', year,
      message: `NO HOLIDAY DATA FOR ${year}: working days in ${year} are guessed as Monday–Friday (public holidays and make-up working days ignored). Add the State Council's ${year} notice to the calendar directory. Known years: ${[...this.years.keys()].sort().join(', ') || 'none'}`,
    };
    this.warn(`year:${year}`, w);
    return w;
  }

  private warn(key: string, w: CalendarWarning): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.seen.push(w);
    this.opts.onWarning?.(w);
  }

  private stuck(date: Instant): never {
    throw new Error(`no working day found near ${civilDate(date)}: check the holiday data`);
  }
}

function resolveHours(h: OpeningHours | OpeningHoursSpec | undefined): OpeningHours {
  if (h === undefined) return DEFAULT_OPENING_HOURS;
  if (typeof h === 'object' && 'weekly' in h && 'makeup' in h) return h as OpeningHours;
  return parseOpeningHours(h as OpeningHoursSpec);
}

/** Loads a calendar: bundled 2024–2026 data plus the admin directory (`DATA_DIR/calendar`). */
export function loadCalendar(opts: CalendarOptions = {}): WorkingCalendar {
  return new WorkingCalendar(opts);
}
