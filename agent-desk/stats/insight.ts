// Caller insight (issue 7, part 4): repeat callers and their matters, how green-channel (vulnerable) callers were
// served, and lawyers' workload and ratings with the star rating they suggest. Inbound calls only (calls the centre
// placed, tags.direction = 'callback', are not the caller calling again).
import type { EntityManager } from '@mikro-orm/postgresql';
import { LINE_NAMES } from './definitions.js';
import type { Period } from './query.js';
import { periodStats } from './query.js';

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const INBOUND = `coalesce(c.tags->>'direction', '') <> 'callback'`;
export const INSIGHT_LIMIT = 200;

export interface RepeatCaller {
  number: string; calls: number; repeats: number; firstAt: string; lastAt: string; lines: string[]; topics: string[];
  vulnerable: string | null;
  matters: Array<{ at: string; staffNo: string; matter: string; disposition: string; riskFlag: boolean }>;
}

/**
 * A repeat call: an inbound call in the period from a number that had called within `withinDays` days before it
 * (the earlier call may fall before the period). Callers with at least one, most repeats first.
 */
export async function repeatCallers(em: EntityManager, p: Period, withinDays: number): Promise<RepeatCaller[]> {
  const conn = em.getConnection();
  const rows = await conn.execute<Row[]>(`
    with calls as (
      select c.caller_number, c.arrived_at, c.service_line, c.legal_topic,
             lag(c.arrived_at) over (partition by c.caller_number order by c.arrived_at) prev_at
        from call_record c
       where c.caller_number is not null and ${INBOUND} and c.arrived_at >= ? and c.arrived_at < ?
    )
    select c.caller_number, count(*) filter (where c.arrived_at >= ?) calls,
           count(*) filter (where c.prev_at is not null and c.arrived_at >= ? and c.arrived_at - c.prev_at <= ? * interval '1 day') repeats,
           min(c.arrived_at) filter (where c.arrived_at >= ?) first_at, max(c.arrived_at) last_at,
           array_agg(distinct c.service_line) filter (where c.service_line is not null) lines,
           array_agg(distinct c.legal_topic) filter (where c.legal_topic is not null) topics, v.reason vulnerable
      from calls c left join vulnerable_caller v on v.number = c.caller_number
     group by c.caller_number, v.reason
    having count(*) filter (where c.prev_at is not null and c.arrived_at >= ? and c.arrived_at - c.prev_at <= ? * interval '1 day') > 0
     order by repeats desc, calls desc, c.caller_number limit ${INSIGHT_LIMIT}`,
  [new Date(p.from.getTime() - withinDays * 86_400_000), p.to, p.from, p.from, withinDays, p.from, p.from, withinDays]);
  const numbers = rows.map((r) => String(r.caller_number));
  const matters = numbers.length ? await conn.execute<Row[]>(`
    select caller_number, created_at, staff_no, matter, disposition, risk_flag from work_order
     where caller_number in (${numbers.map(() => '?').join(',')}) and created_at < ? and created_at >= ?
     order by created_at`, [...numbers, p.to, new Date(p.from.getTime() - withinDays * 86_400_000)]) : [];
  return rows.map((r) => ({
    number: String(r.caller_number), calls: num(r.calls), repeats: num(r.repeats), firstAt: iso(r.first_at)!, lastAt: iso(r.last_at)!,
    lines: ((r.lines as string[] | null) ?? []).map((l) => LINE_NAMES[l] ?? l), topics: (r.topics as string[] | null) ?? [],
    vulnerable: (r.vulnerable as string | null) ?? null,
    matters: matters.filter((m) => m.caller_number === r.caller_number).map((m) => ({
      at: iso(m.created_at)!, staffNo: String(m.staff_no), matter: String(m.matter), disposition: String(m.disposition), riskFlag: !!m.risk_flag,
    })),
  }));
}

export interface VulnerableServed {
  number: string; reason: string; calls: number; answered: number; abandoned: number; answered15s: number;
  avgWaitSec: number | null; maxWaitSec: number | null; greenCalls: number; lastAt: string | null;
}

/** Every caller on the green-channel list with how their inbound calls in the period were served (waits from queueing). */
export async function vulnerableServed(em: EntityManager, p: Period): Promise<VulnerableServed[]> {
  const rows = await em.getConnection().execute<Row[]>(`
    select v.number, v.reason, count(c.call_id) calls, count(c.answered_at) answered,
           count(*) filter (where c.answered_at is null and c.end_reason = 'abandoned_in_queue') abandoned,
           count(*) filter (where c.answered_at - coalesce(c.queued_at, c.arrived_at) <= interval '15 seconds') answered_15s,
           avg(extract(epoch from c.answered_at - coalesce(c.queued_at, c.arrived_at))) avg_wait,
           max(extract(epoch from coalesce(c.answered_at, c.ended_at) - coalesce(c.queued_at, c.arrived_at))) filter (where c.queued_at is not null) max_wait,
           count(*) filter (where c.priority > 0) green, max(c.arrived_at) last_at
      from vulnerable_caller v
      left join call_record c on c.caller_number = v.number and ${INBOUND} and c.arrived_at >= ? and c.arrived_at < ?
     group by v.number, v.reason order by calls desc, v.number limit ${INSIGHT_LIMIT}`, [p.from, p.to]);
  return rows.map((r) => ({
    number: String(r.number), reason: String(r.reason), calls: num(r.calls), answered: num(r.answered), abandoned: num(r.abandoned),
    answered15s: num(r.answered_15s), avgWaitSec: r.avg_wait == null ? null : +Number(r.avg_wait).toFixed(1),
    maxWaitSec: r.max_wait == null ? null : +Number(r.max_wait).toFixed(1), greenCalls: num(r.green), lastAt: iso(r.last_at),
  }));
}

/** Ratings a lawyer needs in the period before the satisfaction rate is allowed to suggest stars. */
export const MIN_RATINGS_FOR_STARS = 20;

/**
 * Stars from satisfaction among rated calls: >= 98 % 5, >= 95 % 4, >= 90 % 3 (the norm), >= 80 % 2, else 1; null with
 * fewer than MIN_RATINGS_FOR_STARS ratings (too few to judge anybody by). A suggestion: an admin sets stars on the
 * staff page (PATCH /api/staff/:staffNo), since stars also order who gets the next call.
 */
export function suggestedStars(rated: number, satisfaction: number | null): number | null {
  if (rated < MIN_RATINGS_FOR_STARS || satisfaction === null) return null;
  return satisfaction >= 0.98 ? 5 : satisfaction >= 0.95 ? 4 : satisfaction >= 0.9 ? 3 : satisfaction >= 0.8 ? 2 : 1;
}

export async function lawyerInsight(em: EntityManager, p: Period) {
  const [s, staff] = await Promise.all([
    periodStats(em, p),
    em.getConnection().execute<Row[]>(`select staff_no, stars from staff where role = 'agent'`),
  ]);
  const stars = new Map(staff.map((r) => [String(r.staff_no), num(r.stars)]));
  const hours = (p.to.getTime() - p.from.getTime()) / 3_600_000;
  return s.byAgent.map((a) => ({
    ...a, callsPerDay: +(a.answered / Math.max(1, hours / 24)).toFixed(1),
    talkHours: a.ahtSec === null ? 0 : +((a.ahtSec * a.answered) / 3600).toFixed(1),
    currentStars: stars.get(a.staffNo) ?? null, suggestedStars: suggestedStars(a.rated, a.satisfactionRate),
  }));
}
