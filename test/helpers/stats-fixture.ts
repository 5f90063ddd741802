// A hand-made day of calls (2026-11-10, China Standard Time) whose figures were worked out by hand in
// test/stats.test.ts: midnight-spanning, 3-second abandon, transfer between lines, outbound callback, green channel,
// voicemail from the queue, self-service (never queued), still waiting, and one call the day before.
import type { MikroORM } from '@mikro-orm/postgresql';

export const DAY = '2026-11-10';
export const cst = (s: string) => new Date(`${s}+08:00`);
const T = (hms: string, day = DAY) => cst(`${day}T${hms}`);

export interface FixtureCall {
  id: string; line?: string; topic?: string; caller?: string; arrived: Date; queued?: Date; answered?: Date; ended?: Date;
  agent?: string; reason?: string; rating?: number; priority?: number; transfers?: unknown[]; tags?: Record<string, unknown>;
}

export const CALLS: FixtureCall[] = [
  { id: 'c1', line: 'consultation', topic: 'labour', caller: '05512345678', arrived: T('09:00:00'), queued: T('09:00:05'), answered: T('09:00:15'), ended: T('09:05:15'), agent: 'L1', reason: 'completed', rating: 1 },
  { id: 'c2', line: 'consultation', topic: 'labour', caller: '13900000002', arrived: T('09:10:00'), queued: T('09:10:05'), answered: T('09:10:35'), ended: T('09:12:35'), agent: 'L2', reason: 'completed', rating: 3 },
  { id: 'c3', line: 'consultation', topic: 'contract', caller: '13900000003', arrived: T('09:19:55'), queued: T('09:20:00'), ended: T('09:20:03'), reason: 'abandoned_in_queue' },
  { id: 'c4', line: 'application', topic: 'contract', caller: '13900000004', arrived: T('09:59:55'), queued: T('10:00:00'), ended: T('10:00:40'), reason: 'abandoned_in_queue' },
  // Arrives before midnight, answered and ended after: belongs to the 10th, hour 23.
  { id: 'c5', line: 'consultation', topic: 'labour', caller: '13800000000', arrived: T('23:59:50'), queued: T('23:59:52'), answered: cst('2026-11-11T00:00:02'), ended: cst('2026-11-11T00:10:02'), agent: 'L1', reason: 'completed', rating: 2 },
  // Answered on 业务申请 by L2, handed to 法律咨询 where L1 took it.
  { id: 'c6', line: 'application', topic: 'marriage', caller: '13900000006', arrived: T('13:59:55'), queued: T('14:00:00'), answered: T('14:00:12'), ended: T('14:08:12'), agent: 'L2', reason: 'completed',
    transfers: [{ at: T('14:02:00').toISOString(), from: 'L2', by: 'L2', toLine: 'consultation', answeredBy: 'L1', answeredAt: T('14:03:00').toISOString() }] },
  // A callback the centre placed: not inbound traffic.
  { id: 'c7', line: 'consultation', topic: 'labour', caller: '13900000002', arrived: T('11:00:00'), queued: T('11:00:00'), answered: T('11:00:30'), ended: T('11:05:00'), agent: 'L1', reason: 'completed', tags: { direction: 'callback' } },
  { id: 'c8', line: 'consultation', topic: 'labour', caller: '13900000008', arrived: T('14:59:58'), queued: T('15:00:00'), answered: T('15:00:08'), ended: T('15:01:08'), agent: 'L2', reason: 'completed', priority: 2 },
  { id: 'c9', line: 'consultation', topic: 'labour', caller: '13900000009', arrived: T('15:59:58'), queued: T('16:00:00'), ended: T('16:01:00'), reason: 'voicemail' },
  // Self-service in the IVR, never queued for a person.
  { id: 'c10', line: 'consultation', caller: '13900000010', arrived: T('12:00:00'), ended: T('12:02:00'), reason: 'completed' },
  // Still waiting: on the wallboard, not yet offered.
  { id: 'c11', line: 'consultation', topic: 'labour', caller: '13900000011', arrived: T('17:00:00'), queued: T('17:00:05') },
  // The day before.
  { id: 'c12', line: 'consultation', topic: 'labour', caller: '13900000012', arrived: cst('2026-11-09T23:59:59'), queued: cst('2026-11-10T00:00:01'), answered: cst('2026-11-10T00:00:05'), ended: cst('2026-11-10T00:01:05'), agent: 'L1', reason: 'completed' },
];

export async function insertFixtureCall(orm: MikroORM, c: FixtureCall): Promise<void> {
  await orm.em.fork().getConnection().execute(
    `insert into call_record (call_id, caller_number, service_line, legal_topic, arrived_at, queued_at, answered_at, ended_at, agent,
       end_reason, survey_rating, priority, transfers, tags) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)`,
    [c.id, c.caller ?? null, c.line ?? null, c.topic ?? null, c.arrived, c.queued ?? null, c.answered ?? null, c.ended ?? null,
      c.agent ?? null, c.reason ?? null, c.rating ?? null, c.priority ?? 0, JSON.stringify(c.transfers ?? []), JSON.stringify(c.tags ?? {})],
  );
}

export async function seedFixture(orm: MikroORM): Promise<void> {
  for (const c of CALLS) await insertFixtureCall(orm, c);
  const conn = orm.em.fork().getConnection();
  // Wrap-up: L1 30 s after c1 (and one after midnight, outside the day); L2 60 s after c2 and 20 s after c8.
  await conn.execute(`insert into presence_history (staff_no, state, at) values
    ('L1', 'on_call', ?), ('L1', 'wrap_up', ?), ('L1', 'ready', ?),
    ('L2', 'wrap_up', ?), ('L2', 'not_ready', ?), ('L2', 'wrap_up', ?), ('L2', 'ready', ?),
    ('L1', 'wrap_up', ?), ('L1', 'ready', ?)`,
  [T('09:00:15'), T('09:05:15'), T('09:05:45'), T('09:12:35'), T('09:13:35'), T('15:01:08'), T('15:01:28'),
    cst('2026-11-11T00:10:02'), cst('2026-11-11T00:10:32')]);
  // Callbacks: the dissatisfied c2 called back in time; the abandoned c3 called back late; c9's voicemail pending.
  const cb = (kind: string, call: string, created: Date, deadline: Date, status: string, completed: Date | null) => conn.execute(
    `insert into callback (kind, trigger_key, origin_call_id, number, place, mode, team, due_at, deadline_at, next_attempt_at, status, created_at, completed_at)
     values (?, ?, ?, '13900000000', 1, 'task', 'lawyers', ?, ?, ?, ?, ?, ?)`, [kind, call, call, created, deadline, created, status, created, completed]);
  await cb('dissatisfied', 'c2', T('09:13:00'), cst('2026-11-11T09:13:00'), 'completed', T('17:00:00'));
  await cb('missed', 'c3', T('09:21:00'), T('10:21:00'), 'completed', T('11:00:00'));
  await cb('voicemail', 'c9', T('16:02:00'), cst('2026-11-11T16:02:00'), 'pending', null);
  // 舆情: two risk-flagged labour matters (a landline in 0551, a mobile), one ordinary marriage matter.
  const wo = (call: string, staff: string, line: string, topic: string, caller: string, risk: boolean, reason: string | null, at: Date) => conn.execute(
    `insert into work_order (call_id, staff_no, caller_number, service_line, legal_topic, matter, answer, disposition, risk_flag, risk_reason, updated_by, created_at, updated_at)
     values (?, ?, ?, ?, ?, '讨薪', '可申请劳动仲裁', 'resolved', ?, ?, ?, ?, ?)`, [call, staff, caller, line, topic, risk, reason, staff, at, at]);
  await wo('c1', 'L1', 'consultation', 'labour', '05512345678', true, '工地三十余名农民工集体欠薪，扬言集体上访', T('09:06:00'));
  await wo('c5', 'L1', 'consultation', 'labour', '13800000000', true, '同一工地工人再次来电', cst('2026-11-10T23:59:59'));
  await wo('c6', 'L2', 'application', 'marriage', '13900000006', false, null, T('14:09:00'));
}
