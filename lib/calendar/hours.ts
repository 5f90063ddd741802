// The centre's opening hours: per weekday, plus the hours of a make-up working day (调休上班日).
//
// A make-up day is a Saturday or Sunday the State Council declares a working day; a centre closed at weekends
// works it with its ordinary weekday hours, so it gets its own entry rather than the Saturday/Sunday one.
import type { Weekday } from './civil.js';

/** Minutes since midnight: `from` inclusive, `to` exclusive; `to` may be 1440 (24:00). */
export interface Period {
  from: number;
  to: number;
}

export interface OpeningHours {
  /** Index 1..7 = Monday..Sunday; an empty list is a closed day. */
  weekly: Readonly<Record<Weekday, readonly Period[]>>;
  /** Hours of a make-up working day. */
  makeup: readonly Period[];
  /** Hours on a public holiday: closed (empty) unless the spec names `holiday` (a 7x24 hotline does). */
  holiday: readonly Period[];
}

/**
 * Accepted by `parseOpeningHours`: a spec string such as
 * `mon-fri 08:30-12:00,14:00-17:30; sat 09:00-12:00; makeup 08:30-12:00,14:00-17:30`, or the same as an object
 * `{ "mon-fri": ["08:30-12:00", "14:00-17:30"], sat: ["09:00-12:00"] }`. Days not named are closed; without
 * `makeup` a make-up day gets Monday's hours (the first open weekday's if Monday is closed); without `holiday`
 * public holidays are closed. A 7x24 hotline: `mon-sun 00:00-24:00; holiday 00:00-24:00`.
 */
export type OpeningHoursSpec = string | Record<string, string[] | string>;

const DAY_NAMES: Record<string, Weekday> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const WEEKDAYS: Weekday[] = [1, 2, 3, 4, 5, 6, 7];

function parseTime(s: string, what: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m || +m[2] > 59 || +m[1] > 24 || (+m[1] === 24 && +m[2] !== 0)) {
    throw new Error(`opening hours: bad time ${JSON.stringify(s)} in ${JSON.stringify(what)} (expected HH:MM, 00:00..24:00)`);
  }
  return +m[1] * 60 + +m[2];
}

function parsePeriods(list: string[], what: string): Period[] {
  const periods = list
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter((x) => x && x !== 'closed')
    .map((range) => {
      const [a, b, extra] = range.split('-');
      if (b === undefined || extra !== undefined) throw new Error(`opening hours: bad range ${JSON.stringify(range)} in ${JSON.stringify(what)} (expected HH:MM-HH:MM)`);
      const p = { from: parseTime(a, what), to: parseTime(b, what) };
      if (p.from >= p.to) throw new Error(`opening hours: ${JSON.stringify(range)} ends before it starts (ranges may not cross midnight; split them)`);
      return p;
    })
    .sort((x, y) => x.from - y.from);
  for (let i = 1; i < periods.length; i++) {
    if (periods[i].from < periods[i - 1].to) throw new Error(`opening hours: overlapping ranges in ${JSON.stringify(what)}`);
  }
  return periods;
}

function parseDays(key: string): Weekday[] | 'makeup' | 'holiday' {
  const k = key.trim().toLowerCase();
  if (k === 'makeup' || k === 'holiday') return k;
  const days: Weekday[] = [];
  for (const part of k.split(',')) {
    const [a, b] = part.split('-').map((x) => DAY_NAMES[x.trim()]);
    if (a === undefined || (part.includes('-') && b === undefined)) {
      throw new Error(`opening hours: unknown day ${JSON.stringify(part)} (use mon..sun, ranges like mon-fri, makeup or holiday)`);
    }
    for (let d = a; d <= (b ?? a); d++) days.push(d as Weekday);
  }
  return days;
}

export function parseOpeningHours(spec: OpeningHoursSpec): OpeningHours {
  const entries: Array<[string, string[]]> =
    typeof spec === 'string'
      ? spec.split(';').map((s) => s.trim()).filter(Boolean).map((s) => {
        const m = /^(\S+)\s+(.+)$/.exec(s);
        if (!m) throw new Error(`opening hours: expected "<days> <HH:MM-HH:MM,...>", got ${JSON.stringify(s)}`);
        return [m[1], [m[2]]];
      })
      : Object.entries(spec).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]);
  const weekly = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] } as Record<Weekday, Period[]>;
  const named = new Set<Weekday>();
  let makeup: Period[] | undefined;
  let holiday: Period[] = [];
  for (const [key, ranges] of entries) {
    const days = parseDays(key);
    const periods = parsePeriods(ranges, `${key} ${ranges.join(',')}`);
    if (days === 'makeup' || days === 'holiday') {
      if (days === 'makeup') makeup = periods;
      else holiday = periods;
      continue;
    }
    for (const d of days) {
      if (named.has(d)) throw new Error(`opening hours: day ${key} is given twice`);
      named.add(d);
      weekly[d] = periods;
    }
  }
  makeup ??= weekly[1].length ? weekly[1] : (WEEKDAYS.slice(0, 5).map((d) => weekly[d]).find((p) => p.length) ?? []);
  return { weekly, makeup, holiday };
}

/** Mon–Fri 08:30–12:00 and 14:00–17:30: the usual hours of a county legal service centre. */
export const DEFAULT_HOURS_SPEC = 'mon-fri 08:30-12:00,14:00-17:30';
export const DEFAULT_OPENING_HOURS: OpeningHours = parseOpeningHours(DEFAULT_HOURS_SPEC);

const CN_DAY = ['', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];

function dayPart(minute: number): string {
  const h = Math.floor(minute / 60);
  if (h < 6 || h === 24) return '凌晨';
  if (h < 12) return '上午';
  if (h === 12) return '中午';
  if (h < 18) return '下午';
  return '晚上';
}

/** 510 -> 8点半, 1050 -> 5点半, 720 -> 12点, 555 -> 9点15分: the way a person says the time. */
function clock(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  const h12 = h > 12 ? h - 12 : h === 0 ? 12 : h;
  return `${h12}点${m === 0 ? '' : m === 30 ? '半' : `${m}分`}`;
}

function describePeriod(p: Period): string {
  if (p.from === 0 && p.to === 1440) return '全天';
  const end = p.to === 1440 ? '晚上12点' : `${dayPart(p.to) === dayPart(p.from) ? '' : dayPart(p.to)}${clock(p.to)}`;
  return `${dayPart(p.from)}${clock(p.from)}到${end}`;
}

const samePeriods = (a: readonly Period[], b: readonly Period[]): boolean =>
  a.length === b.length && a.every((p, i) => p.from === b[i].from && p.to === b[i].to);

/**
 * Spoken Mandarin for the hours, for the after-hours prompt: 星期一至星期五，上午8点半到中午12点，下午2点到5点半，
 * 法定节假日休息. Consecutive days with the same hours are grouped.
 */
export function describeHours(h: OpeningHours): string {
  const allDay = [{ from: 0, to: 1440 }];
  if (WEEKDAYS.every((d) => samePeriods(h.weekly[d], allDay)) && samePeriods(h.holiday, allDay)) return '每天24小时';
  const parts: string[] = [];
  for (let i = 0; i < 7; ) {
    const d = WEEKDAYS[i];
    let j = i;
    while (j + 1 < 7 && samePeriods(h.weekly[WEEKDAYS[j + 1]], h.weekly[d])) j++;
    if (h.weekly[d].length) {
      const days = i === j ? CN_DAY[d] : `${CN_DAY[d]}至${CN_DAY[WEEKDAYS[j]]}`;
      parts.push(`${days}，${h.weekly[d].map(describePeriod).join('，')}`);
    }
    i = j + 1;
  }
  if (!parts.length && !h.holiday.length) return '暂停服务';
  const holidays = h.holiday.length ? `法定节假日，${h.holiday.map(describePeriod).join('，')}` : '法定节假日休息';
  return [...parts, holidays].join('；');
}
