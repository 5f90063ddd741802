// Holiday data: the State Council's yearly notice (国务院办公厅关于XXXX年部分节假日安排的通知) as JSON.
//
// The bundled file is a copy of ../shared/domain/holidays-cn.json (2024–2026). Each notice appears in October or
// November of the year before, so an administrator must be able to add a year without a release: every `*.json` in
// the extra directory (DATA_DIR/calendar) has the same shape and is read at load and on `reload()`. A file that fails
// validation is skipped and reported, never half-applied: one typo must not turn a holiday into a working day.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dayNumber, fromDayNumber, isCivilDate, weekdayOf, yearOf, type CivilDate } from './civil.js';

export interface HolidayPeriod {
  name: string;
  nameEn?: string;
  /** First and last consecutive day off, inclusive. */
  from: CivilDate;
  to: CivilDate;
  note?: string;
}

export interface HolidayYear {
  holidays: HolidayPeriod[];
  /** Make-up working days (调休上班日): Saturdays or Sundays that are working days. */
  workdays: CivilDate[];
}

export interface HolidayFile {
  source?: string;
  years: Record<string, HolidayYear>;
}

/** One year as loaded, with where it came from (the bundled file or an admin file). */
export interface LoadedYear extends HolidayYear {
  year: number;
  source: string;
}

export const BUNDLED_HOLIDAYS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'holidays-cn.json');

/** Result of checking a holiday file: the years it holds, or every problem found (paths like `years.2027.workdays[1]`). */
export type HolidayFileCheck =
  | { ok: true; years: Array<{ year: number } & HolidayYear>; source?: string }
  | { ok: false; errors: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkYear(year: number, raw: unknown, at: string, errors: string[]): HolidayYear | undefined {
  if (!isObject(raw)) {
    errors.push(`${at}: expected an object with "holidays" and "workdays"`);
    return undefined;
  }
  const before = errors.length;
  const holidays: HolidayPeriod[] = [];
  const workdays: CivilDate[] = [];
  const offDays = new Map<number, string>();
  if (!Array.isArray(raw.holidays)) errors.push(`${at}.holidays: expected an array`);
  else {
    raw.holidays.forEach((h: unknown, i) => {
      const p = `${at}.holidays[${i}]`;
      if (!isObject(h)) return void errors.push(`${p}: expected an object`);
      if (typeof h.name !== 'string' || !h.name.trim()) errors.push(`${p}.name: expected a non-empty string`);
      for (const k of ['from', 'to'] as const) {
        if (!isCivilDate(h[k])) errors.push(`${p}.${k}: expected an existing date YYYY-MM-DD, got ${JSON.stringify(h[k])}`);
      }
      if (!isCivilDate(h.from) || !isCivilDate(h.to) || typeof h.name !== 'string') return;
      const a = dayNumber(h.from);
      const b = dayNumber(h.to);
      if (b < a) return void errors.push(`${p}: "to" ${h.to} is before "from" ${h.from}`);
      if (b - a > 15) return void errors.push(`${p}: ${b - a + 1} days off is longer than any holiday period (typo?)`);
      // A period may start in the year before (2024's New Year began on 2023-12-30) but not stray further.
      if (Math.abs(yearOf(h.from) - year) > 1 || Math.abs(yearOf(h.to) - year) > 1) {
        return void errors.push(`${p}: dates ${h.from}..${h.to} do not belong to ${year}`);
      }
      for (let d = a; d <= b; d++) {
        if (offDays.has(d)) errors.push(`${p}: ${fromDayNumber(d)} is also in ${offDays.get(d)}`);
        offDays.set(d, h.name);
      }
      holidays.push({
        name: h.name,
        from: h.from,
        to: h.to,
        ...(typeof h.nameEn === 'string' ? { nameEn: h.nameEn } : {}),
        ...(typeof h.note === 'string' ? { note: h.note } : {}),
      });
    });
  }
  if (!Array.isArray(raw.workdays)) errors.push(`${at}.workdays: expected an array`);
  else {
    raw.workdays.forEach((w: unknown, i) => {
      const p = `${at}.workdays[${i}]`;
      if (!isCivilDate(w)) return void errors.push(`${p}: expected an existing date YYYY-MM-DD, got ${JSON.stringify(w)}`);
      // By definition a make-up day is a weekend day; a weekday here is almost certainly a mistyped date.
      if (weekdayOf(w) < 6) errors.push(`${p}: ${w} is a weekday, but a make-up working day (调休上班日) is a Saturday or Sunday`);
      if (Math.abs(yearOf(w) - year) > 1) errors.push(`${p}: ${w} does not belong to ${year}`);
      if (offDays.has(dayNumber(w))) errors.push(`${p}: ${w} is also a day off (${offDays.get(dayNumber(w))})`);
      workdays.push(w);
    });
  }
  return errors.length === before ? { holidays, workdays } : undefined;
}

/** Checks a parsed holiday file (the admin page uses this before saving an upload). */
export function checkHolidayFile(raw: unknown): HolidayFileCheck {
  const errors: string[] = [];
  if (!isObject(raw) || !isObject(raw.years)) return { ok: false, errors: ['expected an object {"years": {"2027": {"holidays": [...], "workdays": [...]}}}'] };
  if (raw.source !== undefined && typeof raw.source !== 'string') errors.push('source: expected a string');
  const years: Array<{ year: number } & HolidayYear> = [];
  for (const [key, value] of Object.entries(raw.years)) {
    if (!/^\d{4}$/.test(key) || +key < 1991 || +key > 2200) {
      errors.push(`years.${key}: expected a four-digit year`);
      continue;
    }
    const y = checkYear(+key, value, `years.${key}`, errors);
    if (y) years.push({ year: +key, ...y });
  }
  if (!years.length && !errors.length) errors.push('years: no year in the file');
  if (errors.length) return { ok: false, errors };
  return { ok: true, years, ...(typeof raw.source === 'string' ? { source: raw.source } : {}) };
}

export interface LoadProblem {
  file: string;
  errors: string[];
}

function readFile(file: string, into: Map<number, LoadedYear>, problems: LoadProblem[]): void {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push({ file, errors: [`cannot read or parse: ${(err as Error).message}`] });
    return;
  }
  const check = checkHolidayFile(raw);
  if (!check.ok) {
    problems.push({ file, errors: check.errors });
    return;
  }
  for (const y of check.years) into.set(y.year, { ...y, source: file });
}

/**
 * Reads the bundled data and then every `*.json` in `extraDir` (name order; a later file's year replaces an
 * earlier one, so an admin file can also correct a bundled year). A missing `extraDir` is not an error.
 */
export function loadHolidayYears(opts: { extraDir?: string; bundled?: boolean } = {}): { years: Map<number, LoadedYear>; problems: LoadProblem[] } {
  const years = new Map<number, LoadedYear>();
  const problems: LoadProblem[] = [];
  if (opts.bundled !== false) readFile(BUNDLED_HOLIDAYS_FILE, years, problems);
  if (opts.extraDir) {
    let names: string[] = [];
    try {
      names = readdirSync(opts.extraDir).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') problems.push({ file: opts.extraDir, errors: [`cannot list directory: ${(err as Error).message}`] });
    }
    for (const n of names) readFile(path.join(opts.extraDir, n), years, problems);
  }
  return { years, problems };
}
