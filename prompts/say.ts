// Read-outs built from the catalogue's building blocks: a case number digit by digit, a count ("您前面还有" 3
// "位来电在等候"), a date and a time of day. The controller plays the returned ids in order (`sound:<id>` each).
//
// We compose our own rather than use Asterisk's `number:`/`digits:` media: Asterisk ships no Mandarin sounds, and
// its zh number grammar expects files (digits/10000 ...) we do not generate; this way the simulator, Asterisk and
// the tests all hear the same prompts.
import { weekdayOf, type CivilDate } from '../lib/calendar/civil.js';
import type { PromptId } from './catalogue.js';

/** A digit string ("20250123", a staff number) digit by digit: 二零二五零幺二三. Non-digits are skipped. */
export function digitPrompts(digits: string): PromptId[] {
  return [...digits].filter((c) => c >= '0' && c <= '9').map((c) => `digit-${c}` as PromptId);
}

const unit = (n: number): PromptId => `number-${n}` as PromptId;

/**
 * A whole number 0..9999 as a quantity: 3 -> 三, 12 -> 十二, 20 -> 二十, 105 -> 一百零五, 2000 -> 两千. A count on
 * its own says 两 for 2 ("两位", "两分钟"); pass `{ count: false }` where 二 is wanted (dates: 二月, 二号).
 */
export function numberPrompts(n: number, opts: { count?: boolean } = {}): PromptId[] {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`numberPrompts: expected an integer 0..9999, got ${n}`);
  const count = opts.count !== false;
  if (n === 0) return ['digit-0'];
  if (n === 2) return [count ? 'number-liang' : 'number-2'];
  const out: PromptId[] = [];
  const thousands = Math.floor(n / 1000);
  const hundreds = Math.floor(n / 100) % 10;
  const tens = Math.floor(n / 10) % 10;
  const ones = n % 10;
  // 两 before 千 and 百 is what people say (两千, 两百); 二 elsewhere (十二, 二十).
  const lead = (d: number): PromptId => (d === 2 && count ? 'number-liang' : unit(d));
  if (thousands) out.push(lead(thousands), 'number-thousand');
  if (hundreds) out.push(lead(hundreds), 'number-hundred');
  else if (thousands && (tens || ones)) out.push('digit-0');
  if (tens) {
    // 十二 alone, but 一百一十二 inside a larger number.
    if (tens !== 1 || n >= 100) out.push(unit(tens));
    out.push('number-10');
  } else if (hundreds && ones) out.push('digit-0');
  if (ones) out.push(unit(ones));
  return out;
}

/** 10月9号 星期四 (no year: callers book days or weeks ahead). */
export function datePrompts(date: CivilDate, opts: { weekday?: boolean } = {}): PromptId[] {
  const [, m, d] = date.split('-').map(Number);
  const out: PromptId[] = [...numberPrompts(m, { count: false }), 'date-month', ...numberPrompts(d, { count: false }), 'date-day'];
  if (opts.weekday !== false) out.push(`weekday-${weekdayOf(date)}` as PromptId);
  return out;
}

/** Minutes since midnight as people say it: 510 -> 上午 8 点 半, 855 -> 下午 2 点 15 分, 720 -> 中午 12 点. */
export function timePrompts(minuteOfDay: number): PromptId[] {
  if (!Number.isInteger(minuteOfDay) || minuteOfDay < 0 || minuteOfDay >= 1440) {
    throw new RangeError(`timePrompts: expected minutes 0..1439, got ${minuteOfDay}`);
  }
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  const part: PromptId = h < 6 ? 'time-early' : h < 12 ? 'time-morning' : h === 12 ? 'time-noon' : h < 18 ? 'time-afternoon' : 'time-evening';
  const h12 = h > 12 ? h - 12 : h === 0 ? 12 : h;
  const out: PromptId[] = [part, ...numberPrompts(h12, { count: h12 === 2 }), 'time-hour'];
  if (m === 30) out.push('time-half');
  else if (m) out.push(...(m < 10 ? ['digit-0' as PromptId] : []), ...numberPrompts(m, { count: false }), 'time-minute');
  return out;
}
