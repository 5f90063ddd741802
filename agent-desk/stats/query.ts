// The statistics for a period, read from the hourly rollups (call_stats_hourly, agent_stats_hourly) plus the
// callback, work-order and QA tables. The page, the CSV / Excel exports and the monthly report all call
// periodStats(), so a figure is the same number wherever it appears. Definitions: stats/definitions.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterCallSection, type AfterCallFigures } from './after-call.js';
import { LINE_NAMES } from './definitions.js';

export interface Period { from: Date; to: Date }

export interface CallFigures {
  offered: number; answered: number; answered15s: number; abandoned: number; abandoned15s: number; unansweredOther: number;
  connectionRate: number | null; serviceLevel: number | null; serviceLevelAlt: number | null;
  asaSec: number | null; ahtSec: number | null;
  transferredOut: number; transferredIn: number;
  greenOffered: number; greenAnswered: number; greenAsaSec: number | null;
  rated: number; ratings: { satisfied: number; basicallySatisfied: number; dissatisfied: number }; satisfactionRate: number | null;
}
export interface AgentFigures {
  staffNo: string; name: string; answered: number; answered15s: number; asaSec: number | null; ahtSec: number | null;
  wrapUps: number; avgWrapUpSec: number | null; rated: number;
  ratings: CallFigures['ratings']; satisfactionRate: number | null;
}
export interface Callbacks {
  created: number; completed: number; completedInTime: number;
  byKind: Array<{ kind: string; created: number; completed: number; completedInTime: number }>;
  dissatisfiedCreated: number; dissatisfiedCompleted: number; dissatisfiedFollowUpRate: number | null;
}
export interface Qa { available: boolean; sampled: number; sampleRate: number | null; avgScore: number | null }
export interface RiskGroup { topic: string; place: string; count: number }
export interface Risk { count: number; groups: RiskGroup[] }

export interface PeriodStats {
  period: { from: string; to: string };
  total: CallFigures;
  byLine: Array<{ line: string; name: string } & CallFigures>;
  byTopic: Array<{ topic: string } & CallFigures>;
  /** Hour of day 0–23 in China Standard Time. */
  byHour: Array<{ hour: number } & CallFigures>;
  byDay: Array<{ date: string } & CallFigures>;
  byAgent: AgentFigures[];
  callbacks: Callbacks;
  qa: Qa;
  risk: Risk;
  afterCall: AfterCallFigures;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const avgSec = (ms: number, n: number): number | null => (n > 0 ? ms / n / 1000 : null);
const num = (v: unknown): number => Number(v ?? 0);

type Row = Record<string, unknown>;

const LINE_SUMS = `sum(offered) offered, sum(answered) answered, sum(answered_15s) answered_15s, sum(abandoned) abandoned,
  sum(abandoned_15s) abandoned_15s, sum(wait_answered_ms) wait_answered_ms, sum(handled) handled, sum(handle_ms) handle_ms,
  sum(transferred_out) transferred_out, sum(transferred_in) transferred_in, sum(green_offered) green_offered,
  sum(green_answered) green_answered, sum(green_wait_ms) green_wait_ms, sum(rated) rated, sum(rating_1) rating_1,
  sum(rating_2) rating_2, sum(rating_3) rating_3`;

export function callFigures(r: Row): CallFigures {
  const offered = num(r.offered), answered = num(r.answered), answered15s = num(r.answered_15s);
  const abandoned = num(r.abandoned), abandoned15s = num(r.abandoned_15s);
  const rated = num(r.rated);
  const ratings = { satisfied: num(r.rating_1), basicallySatisfied: num(r.rating_2), dissatisfied: num(r.rating_3) };
  return {
    offered, answered, answered15s, abandoned, abandoned15s, unansweredOther: offered - answered - abandoned,
    connectionRate: ratio(answered, offered),
    serviceLevel: ratio(answered15s, offered),
    serviceLevelAlt: ratio(answered15s, offered - abandoned15s),
    asaSec: avgSec(num(r.wait_answered_ms), answered),
    ahtSec: avgSec(num(r.handle_ms), num(r.handled)),
    transferredOut: num(r.transferred_out), transferredIn: num(r.transferred_in),
    greenOffered: num(r.green_offered), greenAnswered: num(r.green_answered), greenAsaSec: avgSec(num(r.green_wait_ms), num(r.green_answered)),
    rated, ratings, satisfactionRate: ratio(ratings.satisfied + ratings.basicallySatisfied, rated),
  };
}

const cstDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

async function callSections(em: EntityManager, p: Period) {
  // One pass over the period's hourly rows, every breakdown at once.
  const rows = await em.getConnection().execute<Row[]>(`
    select grouping(service_line) g_line, grouping(legal_topic) g_topic, grouping(hod) g_hod, grouping(day) g_day,
           service_line, legal_topic, hod, day::text as day, ${LINE_SUMS}
      from (select *, extract(hour from hour at time zone 'Asia/Shanghai')::int hod, (hour at time zone 'Asia/Shanghai')::date as day
              from call_stats_hourly where hour >= ? and hour < ?) s
     group by grouping sets ((), (service_line), (legal_topic), (hod), (day))`, [p.from, p.to]);
  const total = rows.find((r) => num(r.g_line) && num(r.g_topic) && num(r.g_hod) && num(r.g_day));
  const byLine = rows.filter((r) => !num(r.g_line)).map((r) => ({ line: String(r.service_line), name: LINE_NAMES[String(r.service_line)] ?? String(r.service_line), ...callFigures(r) }))
    .sort((a, b) => b.offered - a.offered || a.line.localeCompare(b.line));
  const byTopic = rows.filter((r) => !num(r.g_topic)).map((r) => ({ topic: String(r.legal_topic) || '未分类', ...callFigures(r) }))
    .filter((r) => r.offered > 0 || r.rated > 0)
    .sort((a, b) => b.offered - a.offered || a.topic.localeCompare(b.topic));
  const hours = new Map(rows.filter((r) => !num(r.g_hod)).map((r) => [num(r.hod), r]));
  const byHour = Array.from({ length: 24 }, (_, h) => ({ hour: h, ...callFigures(hours.get(h) ?? {}) }));
  const days = new Map(rows.filter((r) => !num(r.g_day)).map((r) => [String(r.day), r]));
  const byDay: PeriodStats['byDay'] = [];
  for (let t = p.from.getTime(); t < p.to.getTime(); t += 86_400_000) {
    const date = cstDate(new Date(t));
    byDay.push({ date, ...callFigures(days.get(date) ?? {}) });
  }
  return { total: callFigures(total ?? {}), byLine, byTopic, byHour, byDay };
}

async function agentSection(em: EntityManager, p: Period): Promise<AgentFigures[]> {
  const rows = await em.getConnection().execute<Row[]>(`
    select a.staff_no, coalesce(s.name, a.staff_no) as name, sum(answered) answered, sum(answered_15s) answered_15s,
           sum(wait_answered_ms) wait_ms, sum(handled) handled, sum(handle_ms) handle_ms, sum(wrap_ups) wrap_ups,
           sum(wrap_up_ms) wrap_up_ms, sum(rated) rated, sum(rating_1) r1, sum(rating_2) r2, sum(rating_3) r3
      from agent_stats_hourly a left join staff s on s.staff_no = a.staff_no
     where a.hour >= ? and a.hour < ? group by a.staff_no, s.name order by sum(answered) desc, a.staff_no`, [p.from, p.to]);
  return rows.map((r) => {
    const ratings = { satisfied: num(r.r1), basicallySatisfied: num(r.r2), dissatisfied: num(r.r3) };
    return {
      staffNo: String(r.staff_no), name: String(r.name), answered: num(r.answered), answered15s: num(r.answered_15s),
      asaSec: avgSec(num(r.wait_ms), num(r.answered)), ahtSec: avgSec(num(r.handle_ms), num(r.handled)),
      wrapUps: num(r.wrap_ups), avgWrapUpSec: avgSec(num(r.wrap_up_ms), num(r.wrap_ups)),
      rated: num(r.rated), ratings, satisfactionRate: ratio(ratings.satisfied + ratings.basicallySatisfied, num(r.rated)),
    };
  });
}

async function callbackSection(em: EntityManager, p: Period): Promise<Callbacks> {
  const rows = await em.getConnection().execute<Row[]>(`
    select kind, count(*) created, count(*) filter (where status = 'completed') completed,
           count(*) filter (where status = 'completed' and completed_at <= deadline_at) in_time
      from callback where created_at >= ? and created_at < ? group by kind order by kind`, [p.from, p.to]);
  const byKind = rows.map((r) => ({ kind: String(r.kind), created: num(r.created), completed: num(r.completed), completedInTime: num(r.in_time) }));
  const sum = (k: 'created' | 'completed' | 'completedInTime') => byKind.reduce((a, b) => a + b[k], 0);
  const dis = byKind.find((k) => k.kind === 'dissatisfied');
  return {
    created: sum('created'), completed: sum('completed'), completedInTime: sum('completedInTime'), byKind,
    dissatisfiedCreated: dis?.created ?? 0, dissatisfiedCompleted: dis?.completed ?? 0,
    dissatisfiedFollowUpRate: ratio(dis?.completed ?? 0, dis?.created ?? 0),
  };
}

/** QA scores come from the recordings QA work (table qa_score); until it exists the section says 无数据. */
async function qaSection(em: EntityManager, p: Period, answered: number): Promise<Qa> {
  const conn = em.getConnection();
  const [exists] = await conn.execute<Row[]>(`select to_regclass('qa_score') is not null as ok`);
  if (!exists?.ok) return { available: false, sampled: 0, sampleRate: null, avgScore: null };
  const [r] = await conn.execute<Row[]>(`select count(*) filter (where sampled) sampled, avg(total) filter (where sampled) avg_score
      from qa_score where scored_at >= ? and scored_at < ?`, [p.from, p.to]);
  const sampled = num(r?.sampled);
  return { available: true, sampled, sampleRate: ratio(sampled, answered), avgScore: r?.avg_score == null ? null : Number(r.avg_score) };
}

/**
 * Where a matter comes from, for the 舆情 section: the landline area code of the caller's number (区号, e.g. 0551),
 * or 手机 for a mobile number (a mobile prefix does not locate a caller reliably), or 未知.
 */
export const PLACE_SQL = `case
  when w.caller_number ~ '^0(10|2[0-9])' then '区号 ' || substr(w.caller_number, 1, 3)
  when w.caller_number ~ '^0[3-9][0-9]{2}' then '区号 ' || substr(w.caller_number, 1, 4)
  when w.caller_number ~ '^1[3-9][0-9]{9}$' then '手机来电'
  else '未知' end`;

async function riskSection(em: EntityManager, p: Period): Promise<Risk> {
  const rows = await em.getConnection().execute<Row[]>(`
    select coalesce(nullif(w.legal_topic, ''), '未分类') topic, ${PLACE_SQL} place, count(*) n
      from work_order w where w.risk_flag and w.created_at >= ? and w.created_at < ?
     group by 1, 2 order by 3 desc, 1, 2`, [p.from, p.to]);
  const groups = rows.map((r) => ({ topic: String(r.topic), place: String(r.place), count: num(r.n) }));
  return { count: groups.reduce((a, g) => a + g.count, 0), groups };
}

export async function periodStats(em: EntityManager, p: Period): Promise<PeriodStats> {
  const [calls, byAgent, callbacks, risk, afterCall] = await Promise.all([
    callSections(em, p), agentSection(em, p), callbackSection(em, p), riskSection(em, p), afterCallSection(em, p),
  ]);
  const qa = await qaSection(em, p, calls.total.answered);
  return { period: { from: p.from.toISOString(), to: p.to.toISOString() }, ...calls, byAgent, callbacks, qa, risk, afterCall };
}
