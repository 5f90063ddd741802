// Working-day calendar against the real 2024–2026 State Council data, in Beijing time whatever the machine's TZ.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import {
  BUNDLED_HOLIDAYS_FILE, checkHolidayFile, civilDate, describeHours, formatBeijing, loadCalendar, parseOpeningHours,
  toInstant, type CalendarWarning,
} from '../lib/calendar/index.js';

// Run the whole file under a time zone far from Beijing: nothing may depend on the machine's TZ.
process.env.TZ = 'America/Los_Angeles';

t.test('bundled data is the shared domain file and covers 2024–2026', async (t) => {
  // The shared domain folder sits beside the repository in development; a CI clone has only the copy.
  const shared = path.resolve(import.meta.dirname, '../../shared/domain/holidays-cn.json');
  try {
    t.same(JSON.parse(readFileSync(BUNDLED_HOLIDAYS_FILE, 'utf8')), JSON.parse(readFileSync(shared, 'utf8')), 'copy matches ../shared/domain');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // CI clones the repo alone
  }
  const cal = loadCalendar();
  t.same(cal.coverage().years, [2024, 2025, 2026]);
  t.same(cal.coverage().problems, []);
  t.same(cal.warnings(), []);
});

t.test('2025: Spring Festival, National Day + Mid-Autumn, make-up days', async (t) => {
  const cal = loadCalendar();
  const kind = (d: string) => cal.day(d).kind;
  t.equal(kind('2025-01-26'), 'makeup-workday', 'Sunday 2025-01-26 is a make-up working day');
  t.equal(cal.day('2025-01-26').weekday, 7);
  t.ok(cal.isWorkingDay('2025-01-26'));
  t.equal(kind('2025-01-27'), 'workday');
  for (const d of ['2025-01-28', '2025-01-31', '2025-02-04']) t.equal(kind(d), 'holiday', `${d} Spring Festival`);
  t.equal(cal.day('2025-02-03').holiday, '春节');
  t.ok(cal.isWorkingDay('2025-02-05'));
  t.equal(kind('2025-02-08'), 'makeup-workday', 'Saturday 2025-02-08');
  for (let d = 1; d <= 8; d++) t.notOk(cal.isWorkingDay(`2025-10-0${d}`), `2025-10-0${d} off`);
  t.equal(cal.day('2025-10-06').holiday, '国庆节、中秋节');
  t.ok(cal.isWorkingDay('2025-10-09'));
  t.ok(cal.isWorkingDay('2025-09-28'), 'Sunday 09-28 make-up');
  t.ok(cal.isWorkingDay('2025-10-11'), 'Saturday 10-11 make-up');
  t.notOk(cal.isWorkingDay('2025-10-12'), 'ordinary Sunday');
  t.notOk(cal.isWorkingDay('2025-05-02'), 'Labour Day, statutory from 2025');
});

t.test('2026: nine-day Spring Festival and New Year make-up Sunday', async (t) => {
  const cal = loadCalendar();
  t.equal(cal.day('2026-02-14').kind, 'makeup-workday');
  for (let d = 15; d <= 23; d++) t.notOk(cal.isWorkingDay(`2026-02-${d}`), `2026-02-${d} off`);
  t.ok(cal.isWorkingDay('2026-02-24'));
  t.equal(cal.day('2026-02-28').kind, 'makeup-workday');
  t.equal(cal.day('2026-01-02').kind, 'holiday', 'Friday 2026-01-02');
  t.equal(cal.day('2026-01-04').kind, 'makeup-workday', 'Sunday 2026-01-04');
  t.equal(cal.day('2023-12-31').kind, 'holiday', "2024's New Year period starts in 2023");
});

t.test('addWorkingDays and workingDaysBetween across holiday periods', async (t) => {
  const cal = loadCalendar();
  // Friday before National Day 2025: Sun 28 (make-up), 29, 30, then 10-09, 10, Sat 11 (make-up), Mon 13.
  t.equal(cal.addWorkingDays('2025-09-26', 7), '2025-10-13');
  t.equal(cal.addWorkingDays('2025-09-30', 1), '2025-10-09', 'next working day after the holiday');
  t.equal(cal.addWorkingDays('2025-10-01', 0), '2025-10-09', 'n=0 on a holiday: the next working day');
  t.equal(cal.addWorkingDays('2025-10-09', 0), '2025-10-09');
  // Legal aid: decide within 7 working days of an application filed on 2026-02-12 (Thursday before Spring Festival).
  t.equal(cal.addWorkingDays('2026-02-12', 7), '2026-02-28', 'Fri 13, Sat 14 (make-up), 24, 25, 26, 27, Sat 28 (make-up)');
  t.equal(cal.addWorkingDays('2026-02-12', 3), '2026-02-24');
  t.equal(cal.addWorkingDays('2025-10-09', -1), '2025-09-30', 'reminder: the working day before');
  t.equal(cal.addWorkingDays('2025-01-27', -1), '2025-01-26', 'the make-up Sunday counts backwards too');
  t.equal(cal.workingDaysBetween('2025-09-26', '2025-10-13'), 7);
  t.equal(cal.workingDaysBetween('2025-10-01', '2025-10-08'), 0);
  t.equal(cal.workingDaysBetween('2025-10-13', '2025-09-26'), 0);
  t.throws(() => cal.addWorkingDays('2025-10-09', 1.5), RangeError);
  t.throws(() => cal.addWorkingDays('2025-02-30', 1), /not a calendar date/);
});

t.test('opening hours: weekday periods, lunch break, holidays closed, make-up days open', async (t) => {
  const cal = loadCalendar();
  t.ok(cal.isOpen('2025-10-09T08:30'), 'opens 08:30');
  t.notOk(cal.isOpen('2025-10-09T08:29:59'));
  t.notOk(cal.isOpen('2025-10-09T12:00'), 'lunch');
  t.ok(cal.isOpen('2025-10-09T14:00'));
  t.notOk(cal.isOpen('2025-10-09T17:30'), 'closes 17:30');
  t.notOk(cal.isOpen('2025-10-01T10:00'), 'holiday');
  t.ok(cal.isOpen('2025-10-11T10:00'), 'make-up Saturday has weekday hours');
  t.notOk(cal.isOpen('2025-10-12T10:00'), 'ordinary Sunday');
  t.ok(cal.isOpen('2025-10-11T10:00', 'mon-fri 08:30-12:00; makeup 09:00-11:00'), 'makeup hours configurable');
  t.notOk(cal.isOpen('2025-10-11T11:30', 'mon-fri 08:30-12:00; makeup 09:00-11:00'));
  t.ok(cal.isOpen('2025-10-01T03:00', 'mon-sun 00:00-24:00; holiday 00:00-24:00'), '7x24 hotline');
  t.ok(cal.isOpen('2025-10-18T10:00', 'mon-fri 08:30-17:30; sat 09:00-12:00'), 'ordinary Saturday hours');

  const at = (s: string) => formatBeijing(cal.nextOpening(s));
  t.equal(at('2025-09-30T17:45'), '2025-10-09T08:30:00+08:00', 'after hours before National Day');
  t.equal(at('2025-10-09T12:10'), '2025-10-09T14:00:00+08:00', 'after lunch');
  t.equal(at('2025-10-09T09:15'), '2025-10-09T09:15:00+08:00', 'open now: now');
  t.equal(at('2025-10-10T18:00'), '2025-10-11T08:30:00+08:00', 'Friday evening -> make-up Saturday');
  t.equal(at('2026-02-13T17:31'), '2026-02-14T08:30:00+08:00');
  t.equal(at('2026-02-14T17:31'), '2026-02-24T08:30:00+08:00', 'through the nine-day Spring Festival');
  t.equal(formatBeijing(cal.closesAt('2025-10-09T09:00')!), '2025-10-09T12:00:00+08:00');
  t.equal(cal.closesAt('2025-10-09T13:00'), undefined);
  t.throws(() => cal.nextOpening('2026-10-11T00:00', 'makeup 09:00-10:00'), /no opening hours/, 'only make-up hours, none left in the data');
});

t.test('time zone: midnight in Beijing, not on the machine', async (t) => {
  const cal = loadCalendar();
  // 2025-09-30T16:00Z is 2025-10-01 00:00 in Beijing: already National Day.
  t.equal(civilDate(new Date('2025-09-30T15:59:59Z')), '2025-09-30');
  t.equal(civilDate(new Date('2025-09-30T16:00:00Z')), '2025-10-01');
  t.ok(cal.isWorkingDay(new Date('2025-09-30T15:59:59Z')));
  t.notOk(cal.isWorkingDay(new Date('2025-09-30T16:00:00Z')));
  t.notOk(cal.isWorkingDay('2025-10-01T00:00:00+08:00'));
  t.ok(cal.isWorkingDay('2025-10-08T16:00:00Z'), '2025-10-09 00:00 Beijing');
  // Offset-less wall-clock strings are Beijing time, not the machine's Los Angeles time.
  t.equal(toInstant('2025-10-09T08:30').toISOString(), '2025-10-09T00:30:00.000Z');
  t.equal(toInstant('2025-10-09').toISOString(), '2025-10-08T16:00:00.000Z');
  t.equal(civilDate('2025-10-09'), '2025-10-09', 'a bare date stays that date');
  t.equal(cal.nextOpening(new Date('2025-10-09T00:29:00Z')).toISOString(), '2025-10-09T00:30:00.000Z');
  t.ok(cal.isOpen(new Date('2025-10-09T09:29:59Z')), '17:29:59 Beijing');
  t.notOk(cal.isOpen(new Date('2025-10-09T09:30:00Z')), '17:30 Beijing');
  t.equal(civilDate(Date.UTC(2026, 1, 14, 16)), '2026-02-15', 'epoch ms');
  t.throws(() => toInstant('2025-13-01'), /not a calendar date/);
  t.throws(() => toInstant('tomorrow'), /expected/);
});

t.test('uncovered year: weekdays only, and always flagged', async (t) => {
  const seen: CalendarWarning[] = [];
  const cal = loadCalendar({ onWarning: (w) => seen.push(w) });
  const info = cal.day('2027-10-01');
  t.equal(info.covered, false);
  t.equal(info.working, true, 'Friday: weekday fallback (the real 2027 National Day is unknown)');
  t.match(info.warning, { kind: 'uncovered-year', year: 2027, message: /NO HOLIDAY DATA FOR 2027/ });
  t.notOk(cal.isWorkingDay('2027-10-02'), 'Saturday');
  t.equal(cal.addWorkingDays('2026-12-31', 1), '2027-01-01', 'crossing into the unknown year still answers');
  t.equal(seen.length, 1, 'onWarning once per year');
  t.match(seen[0], { kind: 'uncovered-year', year: 2027 });
  cal.day('2023-06-01');
  t.same(seen.map((w) => 'year' in w && w.year), [2027, 2023]);
  t.same(cal.warnings().length, 2);
  t.notOk(cal.day('2026-06-01').warning, 'covered years carry no warning');

  t.same(cal.coverageWarnings('2026-06-01'), [], 'mid-2026: nothing due');
  const ahead = cal.coverageWarnings('2026-12-01', 60);
  t.equal(ahead.length, 1);
  t.match(ahead[0], { kind: 'coverage-ending', year: 2027, message: /2027年部分节假日安排/ });
});

t.test('an admin adds a year without a release, and a bad file is reported, not applied', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cal-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const seen: CalendarWarning[] = [];
  const cal = loadCalendar({ extraDir: dir, onWarning: (w) => seen.push(w) });
  t.ok(cal.isWorkingDay('2027-02-08'), 'before: a plain Monday');
  // A made-up 2027 notice for the test (the real one was not published when the data was made).
  const y2027 = {
    source: 'test fixture',
    years: { 2027: { holidays: [{ name: '春节', from: '2027-02-06', to: '2027-02-13' }], workdays: ['2027-02-14'] } },
  };
  writeFileSync(path.join(dir, '2027.json'), JSON.stringify(y2027));
  writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ years: { 2028: { holidays: [], workdays: ['2028-02-14'] } } }));
  writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
  const cov = cal.reload();
  t.same(cov.years, [2024, 2025, 2026, 2027]);
  t.equal(cov.sources[2027], path.join(dir, '2027.json'));
  t.notOk(cal.isWorkingDay('2027-02-08'), 'after reload: Spring Festival 2027');
  t.equal(cal.day('2027-02-14').kind, 'makeup-workday');
  t.notOk(cal.day('2027-02-08').warning);
  t.equal(cov.problems.length, 1);
  t.match(cov.problems[0].errors[0], /2028-02-14 is a weekday/);
  t.match(seen.at(-1), { kind: 'bad-file', file: path.join(dir, 'broken.json') });
  t.notOk(cal.isCovered(2028), 'the bad file added nothing');

  // A later file corrects a bundled year.
  writeFileSync(path.join(dir, 'z-2026-fix.json'), JSON.stringify({ years: { 2026: { holidays: [{ name: '测试', from: '2026-03-02', to: '2026-03-02' }], workdays: [] } } }));
  cal.reload();
  t.equal(cal.day('2026-03-02').holiday, '测试');
  t.ok(cal.isWorkingDay('2026-02-16'), 'the admin file replaced the whole year');
});

t.test('checkHolidayFile names every problem', async (t) => {
  t.same(checkHolidayFile({ years: {} }), { ok: false, errors: ['years: no year in the file'] });
  const bad = checkHolidayFile({
    years: {
      27: {},
      2027: {
        holidays: [{ name: '', from: '2027-02-30', to: '2027-02-01' }, { name: 'x', from: '2027-05-05', to: '2027-05-01' },
          { name: 'a', from: '2027-10-01', to: '2027-10-03' }, { name: 'b', from: '2027-10-03', to: '2027-10-04' }],
        workdays: ['2027-10-03', 'x'],
      },
    },
  });
  t.equal(bad.ok, false);
  const errors = bad.ok ? [] : bad.errors;
  for (const re of [/years\.27: expected a four-digit year/, /holidays\[0\]\.name/, /holidays\[0\]\.from: expected an existing date/,
    /holidays\[1\]: "to" .* before "from"/, /2027-10-03 is also in a/, /workdays\[0\]: 2027-10-03 is also a day off/, /workdays\[1\]/]) {
    t.ok(errors.some((e) => re.test(e)), `reports ${re}`);
  }
  t.equal(checkHolidayFile(JSON.parse(readFileSync(BUNDLED_HOLIDAYS_FILE, 'utf8'))).ok, true);
});

t.test('opening hours spec and the spoken description', async (t) => {
  const h = parseOpeningHours({ 'mon-fri': ['08:30-12:00', '14:00-17:30'], sat: '09:00-12:00' });
  t.same(h.weekly[6], [{ from: 540, to: 720 }]);
  t.same(h.makeup, h.weekly[1]);
  t.same(h.holiday, []);
  t.equal(describeHours(parseOpeningHours('mon-fri 08:30-12:00,14:00-17:30')), '星期一至星期五，上午8点半到中午12点，下午2点到5点半；法定节假日休息');
  t.equal(describeHours(h), '星期一至星期五，上午8点半到中午12点，下午2点到5点半；星期六，上午9点到中午12点；法定节假日休息');
  t.equal(describeHours(parseOpeningHours('mon-sun 00:00-24:00; holiday 00:00-24:00')), '每天24小时');
  t.throws(() => parseOpeningHours('mon-fri 08:30-12:00,11:00-17:30'), /overlapping/);
  t.throws(() => parseOpeningHours('mon-fri 18:00-08:00'), /ends before it starts/);
  t.throws(() => parseOpeningHours('weekdays 08:00-17:00'), /unknown day/);
  t.throws(() => parseOpeningHours('mon 8h-17h'), /bad range|bad time/);
  t.throws(() => parseOpeningHours('mon 08:00-12:00; mon-fri 14:00-17:00'), /given twice/);
});
