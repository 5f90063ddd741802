// The calendar as the IVR's hours node sees it: named schedules, and a throw (not a guess) for a year without data.
import t from 'tap';
import { formatBeijing, loadCalendar, scheduleCalendar, UncoveredYearError, type CalendarWarning } from '../lib/calendar/index.js';

process.env.TZ = 'UTC';

t.test('named schedules', async (t) => {
  const cal = scheduleCalendar(loadCalendar(), {
    schedules: { 'legal-aid': 'mon-fri 09:00-12:00', hotline: 'mon-sun 08:00-20:00; holiday 09:00-17:00' },
  });
  const at = (s: string) => new Date(`${s}+08:00`);
  t.ok(cal.isOpen(at('2025-10-09T16:00')), 'default hours');
  t.notOk(cal.isOpen(at('2025-10-09T16:00'), 'legal-aid'));
  t.ok(cal.isOpen(at('2025-10-02T10:00'), 'hotline'), 'holiday hours of a hotline open on holidays');
  t.notOk(cal.isOpen(at('2025-10-02T18:00'), 'hotline'));
  t.ok(cal.isOpen(at('2025-10-12T19:00'), 'hotline'), 'Sunday evening');
  t.equal(formatBeijing(cal.nextOpening('2025-10-09T12:30', 'legal-aid')), '2025-10-10T09:00:00+08:00');
  t.throws(() => cal.isOpen(new Date(), 'night'), /unknown opening-hours schedule "night"/);
  t.throws(() => scheduleCalendar(loadCalendar(), { schedules: { bad: 'mon 9-5' } }), /schedule "bad"/);
});

t.test('a year without data throws for the flows (after the warning fired), or falls back when asked', async (t) => {
  const seen: CalendarWarning[] = [];
  const strict = scheduleCalendar(loadCalendar({ onWarning: (w) => seen.push(w) }));
  t.throws(() => strict.isOpen(new Date('2027-03-01T02:00:00Z')), UncoveredYearError);
  t.throws(() => strict.isOpen(new Date('2027-03-01T02:00:00Z')), { year: 2027, message: /NO HOLIDAY DATA FOR 2027/ });
  t.match(seen, [{ kind: 'uncovered-year', year: 2027 }]);
  t.throws(() => strict.nextOpening('2026-12-31T18:00'), UncoveredYearError, 'the next opening is in 2027');
  t.ok(strict.isOpen(new Date('2026-12-31T02:00:00Z')), '2026 still answers');

  const lenient = scheduleCalendar(loadCalendar(), { uncoveredYear: 'weekdays' });
  t.ok(lenient.isOpen(new Date('2027-03-01T02:00:00Z')), 'Monday 10:00 Beijing, weekday fallback');
  t.equal(formatBeijing(lenient.nextOpening('2026-12-31T18:00')), '2027-01-01T08:30:00+08:00', 'guessed: 2027 New Year unknown');
});
