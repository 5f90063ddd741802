// Simulated hotline traffic for the statistics bench and the report test: a period of calls written straight into
// call_record (as the applier would leave them), plus work orders with 舆情 flags and dissatisfied-caller
// callbacks. Generated in PostgreSQL (generate_series) so a million calls take seconds, not minutes; setseed makes
// the traffic the same on every run.
import type { MikroORM } from '@mikro-orm/postgresql';

export interface TrafficOptions {
  /** First day (China Standard Time), e.g. 2026-11-01. */
  from: string;
  days: number;
  calls: number;
  /** Distinguishes call ids when several periods are generated into one database. */
  tag: string;
  seed?: number;
  lawyers?: number;
}

export const TOPICS = ['labour', 'marriage', 'contract', 'traffic', 'land', 'inheritance', 'consumer', 'other'];

export async function ensureLawyers(orm: MikroORM, n = 40): Promise<void> {
  await orm.em.fork().getConnection().execute(`insert into staff (staff_no, name, role, password_hash, endpoint)
    select 'L' || i, '律师' || i, 'agent', 'x', 'PJSIP/' || (8000 + i) from generate_series(1, ?) i on conflict do nothing`, [n]);
}

/** Inserts the calls; returns how many were written. */
export async function generateTraffic(orm: MikroORM, o: TrafficOptions): Promise<number> {
  const conn = orm.em.fork().getConnection();
  const lawyers = o.lawyers ?? 40;
  await ensureLawyers(orm, lawyers);
  // One statement per run so setseed() applies to it: the same options give the same calls.
  await conn.execute(`select setseed(?)`, [o.seed ?? 0.42]);
  await conn.execute(`
    with base as (
      select i, random() r_line, random() r_topic, random() r_day, random() r_hour, random() r_min, random() r_out,
             random() r_wait, random() r_talk, random() r_agent, random() r_rate, random() r_rating, random() r_green,
             random() r_tr, random() r_dir, random() r_num
        from generate_series(1, ?) i
    ), t as (
      select b.*,
        (?::date + (floor(b.r_day * ?)::int) * interval '1 day')::timestamp at time zone 'Asia/Shanghai'
          + case when b.r_hour < 0.9 then interval '8 hours' + b.r_min * interval '12 hours' else b.r_min * interval '24 hours' end as arrived,
        case when b.r_line < 0.6 then 'consultation' when b.r_line < 0.75 then 'application' when b.r_line < 0.85 then 'appointment'
             when b.r_line < 0.9 then 'supervision' when b.r_line < 0.95 then 'complaint' else 'operator' end as line,
        (string_to_array(?, ','))[1 + floor(b.r_topic * ?)::int] as topic
      from base b
    )
    insert into call_record (call_id, caller_number, arrived_at, queued_at, answered_at, ended_at, service_line, legal_topic,
                             agent, end_reason, survey_rating, priority, transfers, tags)
    select ? || '-' || i,
           case when r_num < 0.3 then '0551' || lpad((floor(r_num * 1e7))::text, 7, '0')
                when r_num < 0.4 then '0552' || lpad((floor(r_num * 1e7))::text, 7, '0')
                else '139' || lpad((floor(r_num * 1e8))::text, 8, '0') end,
           arrived, arrived + interval '20 seconds',
           case when r_out < 0.93 then arrived + interval '20 seconds' + floor(r_wait ^ 3 * 60) * interval '1 second' end,
           case when r_out < 0.93 then arrived + interval '20 seconds' + floor(r_wait ^ 3 * 60) * interval '1 second' + (60 + floor(r_talk * 840)) * interval '1 second'
                else arrived + interval '20 seconds' + floor(r_wait * 40) * interval '1 second' end,
           line, topic,
           case when r_out < 0.93 then 'L' || (1 + floor(r_agent * ?)::int) end,
           case when r_out < 0.93 then 'completed' when r_out < 0.99 then 'abandoned_in_queue' else 'voicemail' end,
           case when r_out < 0.93 and r_rate < 0.6 then case when r_rating < 0.8 then 1 when r_rating < 0.95 then 2 else 3 end end,
           case when r_green < 0.05 then 2 else 0 end,
           case when r_out < 0.93 and r_tr < 0.02 then jsonb_build_array(jsonb_build_object('at', arrived, 'from', 'x', 'by', 'x', 'toLine', 'application')) else '[]'::jsonb end,
           case when r_dir < 0.02 then '{"direction":"callback"}'::jsonb else '{}'::jsonb end
      from t`,
  [o.calls, o.from, o.days, TOPICS.join(','), TOPICS.length, o.tag, lawyers]);
  return o.calls;
}

/** Work orders for answered calls of the run (1 in 100 flagged 舆情 with a note), and callbacks for dissatisfied ratings. */
export async function generateAfterCall(orm: MikroORM, tag: string): Promise<void> {
  const conn = orm.em.fork().getConnection();
  await conn.execute(`insert into work_order (call_id, staff_no, caller_number, service_line, legal_topic, matter, answer, disposition,
        risk_flag, risk_reason, updated_by, created_at, updated_at)
    select call_id, agent, caller_number, service_line, legal_topic, '来电咨询' || legal_topic, '已答复', 'resolved',
           hashtext(call_id) % 100 = 0, case when hashtext(call_id) % 100 = 0 then '多名来电人反映同一' || legal_topic || '纠纷，情绪激动，有集体上访倾向' end,
           agent, ended_at, ended_at
      from call_record where call_id like ? || '-%' and agent is not null and coalesce(tags->>'direction', '') <> 'callback'
      on conflict do nothing`, [tag]);
  await conn.execute(`insert into callback (kind, trigger_key, origin_call_id, number, place, mode, team, due_at, deadline_at, next_attempt_at,
        status, created_at, completed_at)
    select 'dissatisfied', call_id, call_id, coalesce(caller_number, '13900000000'), 1, 'task', 'supervisors', ended_at, ended_at + interval '1 day', ended_at,
           case when hashtext(call_id) % 10 = 0 then 'pending' else 'completed' end, ended_at,
           case when hashtext(call_id) % 10 = 0 then null when hashtext(call_id) % 10 = 1 then ended_at + interval '2 days' else ended_at + interval '3 hours' end
      from call_record where call_id like ? || '-%' and survey_rating = 3 and coalesce(tags->>'direction', '') <> 'callback'
      on conflict do nothing`, [tag]);
}
