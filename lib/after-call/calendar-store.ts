// Holiday years an admin loads without a release: the State Council's notice for next year, typed into the desk (or
// posted by a script) as JSON, checked exactly like the bundled file, saved in holiday_calendar, and read by every
// process's calendar on its next refresh. Uncovered years are loud: a log line, a metric and the desk banner.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { checkHolidayFile, type CalendarWarning, type HolidayYear, type LoadedYear, type WorkingCalendar } from '../calendar/index.js';
import { HolidayCalendarYear } from '../entities/after-call.js';
import { counter, gauge } from '../../ivr/records/metrics.js';

const uncoveredGauge = () => gauge('hotline_calendar_uncovered_years', 'Years within the look-ahead (now .. +60 days) without holiday data; above 0 means working days are being guessed or soon will be');
const warningCounter = () => counter('hotline_calendar_warnings_total', 'Calendar warnings raised (uncovered year met, bad holiday file)');

export class HolidayYearInvalid extends Error {
  constructor(readonly errors: string[]) { super(`holiday data rejected: ${errors.join('; ')}`); }
}

/** Wires a calendar's warnings to the log and the metric; use as `onWarning` when building the calendar. */
export function loudWarnings(log: Logger): (w: CalendarWarning) => void {
  return (w) => {
    warningCounter().inc();
    log.error({ warning: w }, `calendar: ${w.message}`);
  };
}

export async function storedYears(em: EntityManager): Promise<LoadedYear[]> {
  const rows = await em.find(HolidayCalendarYear, {}, { orderBy: { year: 'asc' } });
  const out: LoadedYear[] = [];
  for (const r of rows) {
    // Checked again on the way in: a row edited by hand must not turn a holiday into a working day.
    const check = checkHolidayFile({ years: { [r.year]: r.data } });
    if (check.ok) out.push({ ...check.years[0], source: `holiday_calendar ${r.year} (${r.source})` });
  }
  return out;
}

/** Reads the database years into `calendar`; returns the current look-ahead warnings and updates the metric. */
export async function refreshCalendar(orm: MikroORM, calendar: WorkingCalendar, now: Date = new Date()): Promise<CalendarWarning[]> {
  calendar.setStoredYears(await storedYears(orm.em.fork()));
  return bannerWarnings(calendar, now);
}

/** What the desk banner shows: this year or a year within 60 days without data. */
export function bannerWarnings(calendar: WorkingCalendar, now: Date = new Date()): CalendarWarning[] {
  const warnings = calendar.coverageWarnings(now, 60);
  uncoveredGauge().set(warnings.length);
  return warnings;
}

/** Checks and saves one year (replacing a stored one), then reloads `calendar`. */
export async function saveYear(
  em: EntityManager, calendar: WorkingCalendar, year: number, data: HolidayYear, source: string, by: string,
): Promise<LoadedYear> {
  const check = checkHolidayFile({ source, years: { [String(year)]: data } });
  if (!check.ok) throw new HolidayYearInvalid(check.errors);
  const y = check.years[0];
  const row = await em.findOne(HolidayCalendarYear, { year });
  const value = { holidays: y.holidays, workdays: y.workdays };
  if (row) em.assign(row, { data: value, source, loadedBy: by, loadedAt: new Date() });
  else em.create(HolidayCalendarYear, { year, data: value, source, loadedBy: by });
  await em.flush();
  calendar.setStoredYears(await storedYears(em));
  return { ...y, source };
}
