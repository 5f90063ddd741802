// The daily QA sample (质检抽样): on each working day, supervisors get a random share of the calls answered since the
// previous working day began — that day plus the weekend or holiday after it, so every answered call falls in exactly
// one window even on a 7x24 hotline. The window is named by its working day (sample_date).
//
// Idempotent: the sample is topped up to its target, never redrawn. A call is sampled at most once (unique
// (call_id, reason)), and the day's draw runs under an advisory lock, so a job run twice, or by two processes at
// once, adds nothing the second time; calls recorded late (a record applied after the first run) are drawn from
// only if the window's target grew with them.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { addDays, instantAt, type CivilDate, type WorkingCalendar } from '../calendar/index.js';
import { dayNumber } from '../calendar/civil.js';

export interface SampleWindow {
  /** The working day the window starts on (qa_assignment.sample_date). */
  date: CivilDate;
  /** [from, to): from that day's 00:00 to the next working day's 00:00, Beijing time. */
  from: Date;
  to: Date;
}

export interface SampleReport extends SampleWindow {
  answered: number;
  target: number;
  /** Sampled before this run. */
  already: number;
  added: Array<{ callId: string; assignedTo: string | null }>;
}

export interface SampleOptions {
  /** Share of the answered calls, 0..1 (QA_SAMPLE_RATE). */
  rate: number;
  /** Uniform in [0, 1); tests pass a seeded one. */
  random?: () => number;
  log?: Logger;
}

/** The window a working day names. */
export function sampleWindow(calendar: WorkingCalendar, date: CivilDate): SampleWindow {
  // The next working day, found from the day after (addWorkingDays(date, 1) counts from `date` itself).
  const next = calendar.addWorkingDays(addDays(date, 1), 0);
  return { date, from: instantAt(date, 0), to: instantAt(next, 0) };
}

/** The window whose sample is handed out on working day `today`: the one starting on the working day before it. */
export function windowBefore(calendar: WorkingCalendar, today: CivilDate): SampleWindow {
  return sampleWindow(calendar, calendar.addWorkingDays(today, -1));
}

/**
 * How many calls a window's sample holds: the rate of the answered calls rounded up (the norm is a floor, "at least
 * 5 %"), and at least one when any call was answered and the rate is above 0.
 */
export function sampleTarget(answered: number, rate: number): number {
  if (answered === 0 || rate <= 0) return 0;
  // 0.05 * 60 is 3.0000000000000004 in floating point; without the tolerance it would round up to 4.
  return Math.min(answered, Math.max(1, Math.ceil(rate * answered - 1e-9)));
}

/** Draws (tops up) the sample of the window starting on working day `date` and assigns it round-robin. */
export async function sampleDay(orm: MikroORM, calendar: WorkingCalendar, date: CivilDate, opts: SampleOptions): Promise<SampleReport> {
  const w = sampleWindow(calendar, date);
  const random = opts.random ?? Math.random;
  const em = orm.em.fork();
  return em.transactional(async (tx) => {
    const run = (q: string, params: unknown[] = []) => tx.getConnection().execute(q, params, 'all', tx.getTransactionContext()) as Promise<Array<Record<string, unknown>>>;
    // Two workers drawing the same day at once would both see the sample short and both top it up.
    await run('select pg_advisory_xact_lock(?, ?)', [0x5141, dayNumber(date)]);
    const calls = await run(`select c.call_id, a.id is not null as sampled from call_record c
      left join qa_assignment a on a.call_id = c.call_id and a.reason = 'sample'
      where c.answered_at >= ? and c.answered_at < ? and c.agent is not null order by c.call_id`, [w.from, w.to]);
    const already = calls.filter((c) => c.sampled).length;
    const target = sampleTarget(calls.length, opts.rate);
    const report: SampleReport = { ...w, answered: calls.length, target, already, added: [] };
    const need = target - already;
    if (need <= 0) return report;

    const pool = calls.filter((c) => !c.sampled).map((c) => String(c.call_id));
    // A partial Fisher–Yates shuffle: the first `need` places are a uniform random draw without repeats.
    for (let i = 0; i < need; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    const supervisors = (await run(`select staff_no from staff where role = 'supervisor' and active order by staff_no`)).map((r) => String(r.staff_no));
    if (!supervisors.length) opts.log?.warn({ date }, 'qa sample: no active supervisor; the sample is left unassigned for any supervisor to take');
    // Round-robin, starting at a different supervisor each day so a one-call sample does not always go to the same person.
    const start = dayNumber(date) + already;
    for (const [i, callId] of pool.slice(0, need).entries()) {
      const assignedTo = supervisors.length ? supervisors[(start + i) % supervisors.length] : null;
      // A call a supervisor already picked and scored counts as sampled (and needs no second listening).
      const inserted = await run(`insert into qa_assignment (call_id, assigned_to, sample_date, reason, status, scored_at)
        select ?, ?, ?, 'sample', case when s.at is null then 'pending' else 'scored' end, s.at
          from (select max(scored_at) as at from qa_score where call_id = ?) s
        on conflict (call_id, reason) do nothing returning id`, [callId, assignedTo, date, callId]);
      if (!inserted.length) continue;
      await run('update qa_score set sampled = true where call_id = ?', [callId]);
      report.added.push({ callId, assignedTo });
    }
    opts.log?.info({ date, answered: report.answered, target, already, added: report.added.length }, 'qa sample drawn');
    return report;
  });
}
