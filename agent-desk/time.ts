// Date filters as people at the centre mean them: a bare day is a whole day in China Standard Time (UTC+8, no
// daylight saving), and a `to` day includes that day.
import { badField } from './errors.js';

const CST = '+08:00';

function instant(field: string, s: string, endOfDay: boolean): Date {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(s);
  const hasZone = /(Z|[+-]\d{2}:\d{2})$/.test(s);
  const d = new Date(dayOnly ? `${s}T00:00:00${CST}` : hasZone ? s : `${s}${CST}`);
  if (Number.isNaN(d.getTime())) throw badField(field, 'is not a valid date');
  // The schema's pattern lets 2026-02-31 through; Date rolls it over to March, which nobody meant.
  if (dayOnly && new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10) !== s) throw badField(field, 'is not a valid date');
  return dayOnly && endOfDay ? new Date(d.getTime() + 24 * 3600_000) : d;
}

/** [from, to) for a query; either end may be open. */
export function timeRange(from?: string, to?: string): { from?: Date; to?: Date } {
  const r = { from: from ? instant('from', from, false) : undefined, to: to ? instant('to', to, true) : undefined };
  if (r.from && r.to && r.from >= r.to) throw badField('to', 'must be after from');
  return r;
}
