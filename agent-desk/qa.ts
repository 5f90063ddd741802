// QA scoring on the desk: the active scorecard and its new versions, scoring a call (the server computes the
// weighted total), the scores (a lawyer sees only their own), each supervisor's to-score list and the per-lawyer
// summary with the sample rate (sampled calls scored / calls answered).
import type { EntityManager } from '@mikro-orm/postgresql';
import { civilDate } from '../lib/calendar/index.js';
import { checkAnswers, checkCriteria, totalOf, type Criterion } from '../lib/qa/scorecard.js';
import type { DeskUser } from './access.js';
import { badField, DeskError, forbidden } from './errors.js';
import { timeRange } from './time.js';

type Num = string | number;
interface ScorecardRow { id: Num; name: string; criteria: Criterion[]; active: boolean; created_by: string | null; created_at: Date }
interface ScoreRow {
  id: Num; call_id: string; staff_no: string; scorer: string; scorecard_id: Num; answers: Record<string, number | boolean>; total: Num;
  comment: string | null; scored_at: Date; sampled: boolean; caller_number?: string | null; answered_at?: Date | null;
}
interface AssignmentRow {
  id: Num; call_id: string; assigned_to: string | null; sample_day: string; reason: string; status: string; caller_number: string | null;
  agent: string | null; answered_at: Date | null; service_line: string | null; recording_id: Num | null; total: Num | null;
}
interface SummaryRow { staff_no: string; name: string | null; answered: number; scored: number; sampled_scored: number; average: Num | null; min: Num | null; max: Num | null }
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const num = (v: Num | null) => (v === null ? null : Number(v));

async function sql<T = Record<string, unknown>>(em: EntityManager, q: string, params: unknown[] = []): Promise<T[]> {
  return (await em.getConnection().execute(q, params, 'all', em.getTransactionContext())) as T[];
}

const scorecardView = (r: ScorecardRow) => ({
  id: String(r.id), name: r.name, criteria: r.criteria, active: r.active, createdBy: r.created_by, createdAt: iso(r.created_at)!,
});

export async function activeScorecard(em: EntityManager) {
  const [r] = await sql<ScorecardRow>(em, 'select * from qa_scorecard where active');
  if (!r) throw new DeskError(409, 'conflict', 'no active QA scorecard: an admin or supervisor must create one');
  return scorecardView(r);
}

/** A new version becomes the active one; the old stays for the scores given with it. */
export async function createScorecard(em: EntityManager, user: DeskUser, body: { name: string; criteria: Criterion[] }) {
  const problems = checkCriteria(body.criteria);
  if (problems.length) throw new DeskError(400, 'bad_request', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  return em.transactional(async (tx) => {
    await sql(tx, 'update qa_scorecard set active = false where active');
    const [r] = await sql<ScorecardRow>(tx, 'insert into qa_scorecard (name, criteria, active, created_by) values (?, ?::jsonb, true, ?) returning *',
      [body.name.trim(), JSON.stringify(body.criteria), user.staffNo]);
    return scorecardView(r);
  });
}

const scoreView = (r: ScoreRow) => ({
  id: String(r.id), callId: r.call_id, staffNo: r.staff_no, scorer: r.scorer, scorecardId: String(r.scorecard_id),
  answers: r.answers, total: Number(r.total), comment: r.comment ?? null, scoredAt: iso(r.scored_at)!,
  sampled: r.sampled, callerNumber: r.caller_number ?? null, answeredAt: iso(r.answered_at),
});
export type ScoreView = ReturnType<typeof scoreView>;

/** Scores an answered call against the active scorecard; a second save by anyone replaces the first. */
export async function scoreCall(em: EntityManager, user: DeskUser, body: { callId: string; answers: Record<string, unknown>; comment?: string | null }, now = new Date()) {
  const card = await activeScorecard(em);
  const [call] = await sql<{ agent: string | null; caller_number: string | null; answered_at: Date | null }>(em, 'select agent, caller_number, answered_at from call_record where call_id = ?', [body.callId]);
  if (!call || !call.agent || !call.answered_at) throw badField('callId', 'is not a call a lawyer answered');
  if (call.agent === user.staffNo) throw forbidden('nobody scores their own call');
  const problems = checkAnswers(card.criteria, body.answers);
  if (problems.length) throw new DeskError(400, 'bad_request', problems.map((p) => `${p.field} ${p.message}`).join('; '), problems);
  const total = totalOf(card.criteria, body.answers as Record<string, number | boolean>);
  const comment = body.comment?.trim() || null;
  return em.transactional(async (tx) => {
    const [{ sampled }] = await sql<{ sampled: boolean }>(tx, `select exists (select 1 from qa_assignment where call_id = ? and reason = 'sample') as sampled`, [body.callId]);
    const [r] = await sql<ScoreRow>(tx, `insert into qa_score (call_id, staff_no, scorer, scorecard_id, answers, total, comment, scored_at, sampled)
      values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
      on conflict (call_id, scorecard_id) do update set staff_no = excluded.staff_no, scorer = excluded.scorer, answers = excluded.answers,
        total = excluded.total, comment = excluded.comment, scored_at = excluded.scored_at, sampled = excluded.sampled
      returning *`, [body.callId, call.agent, user.staffNo, card.id, JSON.stringify(body.answers), total, comment, now, sampled]);
    // Outside the sample, the call is on record as picked by the scorer (so their list shows what they chose to score).
    if (!sampled) {
      await sql(tx, `insert into qa_assignment (call_id, assigned_to, sample_date, reason, status, scored_at) values (?, ?, ?, 'picked', 'scored', ?)
        on conflict (call_id, reason) do nothing`, [body.callId, user.staffNo, civilDate(now), now]);
    }
    await sql(tx, `update qa_assignment set status = 'scored', scored_at = ? where call_id = ?`, [now, body.callId]);
    return scoreView({ ...r, caller_number: call.caller_number, answered_at: call.answered_at });
  });
}

export interface ScoreQuery { staffNo?: string; from?: string; to?: string; callId?: string; limit?: number; offset?: number }

/** Scores, newest first; the period is the call's answer time. A lawyer gets only their own. */
export async function listScores(em: EntityManager, user: DeskUser, q: ScoreQuery) {
  if (user.role === 'agent' && q.staffNo && q.staffNo !== user.staffNo) throw forbidden('a lawyer sees only their own scores');
  const staffNo = user.role === 'agent' ? user.staffNo : q.staffNo;
  const range = timeRange(q.from, q.to);
  const b = em.getKnex()('qa_score as s').join('call_record as c', 'c.call_id', 's.call_id');
  if (staffNo) b.where('s.staff_no', staffNo);
  if (q.callId) b.where('s.call_id', q.callId);
  if (range.from) b.where('c.answered_at', '>=', range.from);
  if (range.to) b.where('c.answered_at', '<', range.to);
  const [{ count }] = (await b.clone().count({ count: '*' })) as Array<{ count: Num }>;
  const rows = (await b.clone().select('s.*', 'c.caller_number', 'c.answered_at').orderBy([{ column: 's.scored_at', order: 'desc' }, { column: 's.id', order: 'desc' }])
    .limit(q.limit ?? 50).offset(q.offset ?? 0)) as ScoreRow[];
  return { total: Number(count), items: rows.map(scoreView) };
}

/** A supervisor's to-score list (待评分): assigned to them or to nobody, with the call's recording to play. */
export async function listAssignments(em: EntityManager, user: DeskUser, status: 'pending' | 'scored' | 'all') {
  const rows = await sql<AssignmentRow>(em, `select a.*, a.sample_date::text as sample_day, c.caller_number, c.agent, c.answered_at, c.service_line,
      (select r.id from recording r where r.call_id = a.call_id and r.kind = 'call' and r.status = 'stored' order by r.id desc limit 1) as recording_id,
      (select max(s.total) from qa_score s join qa_scorecard k on k.id = s.scorecard_id and k.active where s.call_id = a.call_id) as total
    from qa_assignment a join call_record c on c.call_id = a.call_id
    where (a.assigned_to = ? or a.assigned_to is null) and (? = 'all' or a.status = ?)
    order by a.status, a.sample_date desc, a.id limit 500`, [user.staffNo, status, status]);
  return {
    items: rows.map((r) => ({
      id: String(r.id), callId: r.call_id, assignedTo: r.assigned_to, sampleDate: r.sample_day, reason: r.reason, status: r.status,
      staffNo: r.agent, callerNumber: r.caller_number, serviceLine: r.service_line, answeredAt: iso(r.answered_at),
      recordingId: r.recording_id === null ? null : String(r.recording_id), total: num(r.total),
    })),
  };
}

/** Per lawyer: calls answered, calls scored and their average (of the latest scorecard given), and the sample rate. */
export async function qaSummary(em: EntityManager, q: { from?: string; to?: string }) {
  const range = timeRange(q.from, q.to);
  const from = range.from ?? new Date(0), to = range.to ?? new Date('9999-01-01T00:00:00Z');
  const rows = await sql<SummaryRow>(em, `with calls as (
      select call_id, agent from call_record where answered_at >= ? and answered_at < ? and agent is not null
    ), scores as (
      select distinct on (s.call_id) s.call_id, s.total, s.sampled from qa_score s join calls using (call_id) order by s.call_id, s.scored_at desc
    )
    select c.agent as staff_no, st.name, count(*)::int as answered, count(s.call_id)::int as scored, count(s.call_id) filter (where s.sampled)::int as sampled_scored,
      round(avg(s.total), 2) as average, min(s.total) as min, max(s.total) as max
    from calls c left join scores s using (call_id) left join staff st on st.staff_no = c.agent
    group by c.agent, st.name order by c.agent`, [from, to]);
  const lawyers = rows.map((r) => ({
    staffNo: r.staff_no, name: r.name, answered: r.answered, scored: r.scored, sampledScored: r.sampled_scored,
    average: num(r.average), min: num(r.min), max: num(r.max), sampleRate: r.answered ? r.sampled_scored / r.answered : null,
  }));
  const answered = lawyers.reduce((s, l) => s + l.answered, 0);
  const sampledScored = lawyers.reduce((s, l) => s + l.sampledScored, 0);
  const scored = lawyers.reduce((s, l) => s + l.scored, 0);
  return { from: iso(range.from), to: iso(range.to), answered, scored, sampledScored, sampleRate: answered ? sampledScored / answered : null, lawyers };
}
