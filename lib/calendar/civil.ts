// Beijing civil time (Asia/Shanghai) without the machine's time zone.
//
// China has kept UTC+8 all year, with no daylight saving, since 1991; every date this system handles is later, so a
// fixed offset is exact. Using it (instead of Intl with timeZone) keeps results identical whatever TZ the server or
// CI runs in and whatever ICU data Node was built with, and is much cheaper in the per-call hot path.

export const TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** A civil date in Beijing, `YYYY-MM-DD`. */
export type CivilDate = string;

/**
 * A moment: a Date, epoch milliseconds, an ISO string with `Z` or an offset, or a string without offset
 * (`2025-10-01`, `2025-10-01T08:30`, `2025-10-01 08:30:00`) which is read as Beijing wall-clock time — never as
 * the machine's local time, which is what `new Date('2025-10-01T08:30')` would do.
 */
export type Instant = Date | number | string;

/** Monday = 1 ... Sunday = 7 (ISO), as Chinese notices count 星期一 to 星期日. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

function checkedUtcDays(y: number, m: number, d: number, what: string): number {
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; a rolled-over date is a typo, not a date.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(what)}`);
  }
  return Math.floor(ms / DAY_MS);
}

/** True when `s` is a well-formed, existing `YYYY-MM-DD`. */
export function isCivilDate(s: unknown): s is CivilDate {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  try {
    checkedUtcDays(+m[1], +m[2], +m[3], s);
    return true;
  } catch {
    return false;
  }
}

/** Days since 1970-01-01 of a civil date (throws on a malformed or impossible date). */
export function dayNumber(date: CivilDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return checkedUtcDays(+m[1], +m[2], +m[3], date);
}

export function fromDayNumber(n: number): CivilDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: CivilDate, n: number): CivilDate {
  return fromDayNumber(dayNumber(date) + n);
}

export function weekdayOf(date: CivilDate): Weekday {
  // 1970-01-01 was a Thursday (4).
  return ((((dayNumber(date) + 3) % 7) + 7) % 7 + 1) as Weekday;
}

export function yearOf(date: CivilDate): number {
  return Number(date.slice(0, 4));
}

/** Parses any accepted form of a moment into a Date. */
export function toInstant(at: Instant): Date {
  if (at instanceof Date) {
    if (Number.isNaN(at.getTime())) throw new RangeError('invalid Date');
    return at;
  }
  if (typeof at === 'number') {
    if (!Number.isFinite(at)) throw new RangeError(`invalid epoch milliseconds: ${at}`);
    return new Date(at);
  }
  const local = LOCAL_RE.exec(at.trim());
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = local;
    const days = checkedUtcDays(+y, +mo, +d, at);
    if (+h > 24 || +mi > 59 || +s > 59 || (+h === 24 && (+mi > 0 || +s > 0))) {
      throw new RangeError(`not a time of day: ${JSON.stringify(at)}`);
    }
    const ms = days * DAY_MS + ((+h * 60 + +mi) * 60 + +s) * 1000 + Number(frac.padEnd(3, '0'));
    return new Date(ms - OFFSET_MS);
  }
  // Strings with Z or an explicit offset name an absolute moment; Date parses those the same everywhere.
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(at.trim())) {
    throw new RangeError(`expected YYYY-MM-DD[THH:MM[:SS]] (Beijing time) or an ISO time with offset, got ${JSON.stringify(at)}`);
  }
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${JSON.stringify(at)}`);
  return d;
}

/** Where a moment falls on Beijing's wall clock. */
export interface BeijingTime {
  date: CivilDate;
  weekday: Weekday;
  /** Minutes since Beijing midnight, 0..1439 (fractional seconds dropped). */
  minute: number;
}

export function beijingTime(at: Instant): BeijingTime {
  const shifted = toInstant(at).getTime() + OFFSET_MS;
  const days = Math.floor(shifted / DAY_MS);
  const date = fromDayNumber(days);
  return { date, weekday: weekdayOf(date), minute: Math.floor((shifted - days * DAY_MS) / 60_000) };
}

/**
 * The Beijing civil date of `at`. A bare `YYYY-MM-DD` is taken as the date itself (so '2025-10-01' is 1 October
 * wherever the server runs); anything else is converted from the moment it names.
 */
export function civilDate(at: Instant): CivilDate {
  if (typeof at === 'string' && DATE_RE.test(at)) {
    dayNumber(at); // validates
    return at;
  }
  return beijingTime(at).date;
}

/** The moment `minuteOfDay` minutes after Beijing midnight of `date` (1440 = the next midnight). */
export function instantAt(date: CivilDate, minuteOfDay: number): Date {
  return new Date(dayNumber(date) * DAY_MS + minuteOfDay * 60_000 - OFFSET_MS);
}

/** `2025-10-09T08:30:00+08:00` — how Beijing moments are shown in logs and messages. */
export function formatBeijing(at: Instant): string {
  const t = beijingTime(at);
  const hh = String(Math.floor(t.minute / 60)).padStart(2, '0');
  const mm = String(t.minute % 60).padStart(2, '0');
  const ss = String(Math.floor((toInstant(at).getTime() % 60_000 + 60_000) % 60_000 / 1000)).padStart(2, '0');
  return `${t.date}T${hh}:${mm}:${ss}+08:00`;
}
