// The statistics answer as every consumer gets it: the period's figures, the norms they are held to, and the
// definition of each figure. Periods are whole hours because the rollups are hourly.
import type { EntityManager } from '@mikro-orm/postgresql';
import { badField } from '../errors.js';
import { timeRange } from '../time.js';
import { FIGURES, NORMS } from './definitions.js';
import { periodStats, type Period, type PeriodStats } from './query.js';

/** A year and a bit: a yearly report with its comparison fits, a runaway query does not. */
const MAX_DAYS = 400;

export function parsePeriod(from: string, to: string): Period {
  const r = timeRange(from, to);
  const p = { from: r.from!, to: r.to! };
  for (const [field, d] of [['from', p.from], ['to', p.to]] as const) {
    if (d.getTime() % 3_600_000 !== 0) throw badField(field, 'must be a day or a whole hour (statistics are kept per hour)');
  }
  if (p.to.getTime() - p.from.getTime() > MAX_DAYS * 86_400_000) throw badField('to', `the period may be at most ${MAX_DAYS} days`);
  return p;
}

/** The period of the same length just before `p` (for trends). */
export function previousPeriod(p: Period): Period {
  const len = p.to.getTime() - p.from.getTime();
  return { from: new Date(p.from.getTime() - len), to: p.from };
}

export type NormResult = { key: string; label: string; target: number; source: string; value: number | null; met: boolean | null };
export type StatsAnswer = PeriodStats & { norms: NormResult[]; definitions: typeof FIGURES };

export function normsOf(s: PeriodStats): NormResult[] {
  const values: Record<string, number | null> = {
    connectionRate: s.total.connectionRate, serviceLevel: s.total.serviceLevel, satisfactionRate: s.total.satisfactionRate,
    qaSampleRate: s.qa.available ? (s.qa.sampleRate ?? 0) : null, dissatisfiedFollowUpRate: s.callbacks.dissatisfiedFollowUpRate,
  };
  return NORMS.map((n) => {
    const value = values[n.key] ?? null;
    return { ...n, value, met: value === null ? null : value >= n.target };
  });
}

export async function statsFor(em: EntityManager, p: Period): Promise<StatsAnswer> {
  const s = await periodStats(em, p);
  return { ...s, norms: normsOf(s), definitions: FIGURES };
}
