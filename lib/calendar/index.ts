// The working-day calendar: Chinese public holidays and make-up working days (调休), the centre's opening hours,
// and deadline arithmetic in working days, all in Beijing time. See calendar.ts.
export {
  loadCalendar, WorkingCalendar,
  type CalendarCoverage, type CalendarOptions, type CalendarWarning, type DayInfo, type DayKind,
} from './calendar.js';
export {
  addDays, beijingTime, civilDate, formatBeijing, instantAt, isCivilDate, TIME_ZONE, toInstant, weekdayOf,
  type BeijingTime, type CivilDate, type Instant, type Weekday,
} from './civil.js';
export {
  BUNDLED_HOLIDAYS_FILE, checkHolidayFile, loadHolidayYears,
  type HolidayFile, type HolidayFileCheck, type HolidayPeriod, type HolidayYear, type LoadedYear, type LoadProblem,
} from './data.js';
export {
  DEFAULT_HOURS_SPEC, DEFAULT_OPENING_HOURS, describeHours, parseOpeningHours,
  type OpeningHours, type OpeningHoursSpec, type Period,
} from './hours.js';
export { scheduleCalendar, UncoveredYearError, type ScheduleCalendar, type ScheduleOptions } from './schedules.js';
