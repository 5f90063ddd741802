// Callbacks from their triggers, exactly once, due inside opening hours on working days (2026 holidays and make-up
// days from the official calendar), and the attempt claims that keep a callback from being dialled twice. Real
// PostgreSQL (a fresh database); times are China Standard Time, written out by hand.
import t from 'tap';
import pino from 'pino';
import { CallbackJobs } from '../ivr/callbacks/jobs.js';
import { loadCalendar } from '../lib/calendar/index.js';
import { attemptEnded, attemptStarted, claimAttempt, releaseClaim, renewLease } from '../lib/callbacks/attempts.js';
import { callbacksFromCalls, syncPromise } from '../lib/callbacks/create.js';
import { CallbackTimes, DEFAULT_POLICY } from '../lib/callbacks/policy.js';
import { startDesk, type TestDesk } from './helpers/desk.js';

const cst = (s: string) => new Date(`${s}+08:00`);
const calendar = loadCalendar({ hours: 'mon-fri 08:30-12:00,14:00-17:30' });
const policy = { ...DEFAULT_POLICY, missedDelayMs: 5 * 60_000, slaMs: 2 * 3600_000, maxAttempts: 3, retryMs: 15 * 60_000 };
const times = new CallbackTimes(calendar, policy);

let d: TestDesk;
t.before(async () => { d = await startDesk(); });
t.teardown(() => d.close());
const sql = (q: string, p: unknown[] = []) => d.orm.em.fork().getConnection().execute(q, p);

interface Ended { id: string; from: string; ended: string; reason?: string; vm?: string; rating?: number; tags?: Record<string, unknown>; agent?: string; line?: string }
async function ended(c: Ended) {
  await sql(`insert into call_record (call_id, caller_number, arrived_at, queued_at, ended_at, end_reason, voicemail_recording, survey_rating, tags, agent, service_line, priority)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 0)`,
  [c.id, c.from, new Date(cst(c.ended).getTime() - 60_000), new Date(cst(c.ended).getTime() - 50_000), cst(c.ended), c.reason ?? 'completed',
    c.vm ?? null, c.rating ?? null, JSON.stringify(c.tags ?? {}), c.agent ?? null, c.line ?? 'consultation']);
}
const rows = async (where = 'true') => sql(`select * from callback where ${where} order by id`) as Promise<Array<Record<string, any>>>;

t.test('each trigger makes one callback of its kind, due and owned as the rules say', async (t) => {
  await ended({ id: 'c-missed', from: '13900000001', ended: '2026-11-25T10:00:00', reason: 'abandoned_in_queue' });
  await ended({ id: 'c-queued', from: '13900000002', ended: '2026-11-25T10:00:00', tags: { callbackNumber: '13800000002', callbackPlace: 1764036000000123 } });
  await ended({ id: 'c-vm', from: '13900000003', ended: '2026-11-25T10:00:00', reason: 'voicemail', vm: 'vm-c-vm' });
  await ended({ id: 'c-bad', from: '13900000004', ended: '2026-11-25T10:00:00', rating: 3, agent: '101' });
  await ended({ id: 'c-good', from: '13900000005', ended: '2026-11-25T10:00:00', rating: 1, agent: '101' });
  await ended({ id: 'c-withheld', from: 'anonymous', ended: '2026-11-25T10:00:00', reason: 'abandoned_in_queue' });
  await ended({ id: 'c-ours', from: '13900000006', ended: '2026-11-25T10:00:00', reason: 'abandoned_in_queue', tags: { direction: 'callback' } });
  const now = cst('2026-11-25T10:00:30');
  // Two sweeps at once and one after: still one callback per trigger.
  const runs = await Promise.all([callbacksFromCalls(d.orm.em.fork(), times, policy, now), callbacksFromCalls(d.orm.em.fork(), times, policy, now)]);
  const again = await callbacksFromCalls(d.orm.em.fork(), times, policy, now);
  t.equal(runs[0].length + runs[1].length, 4, 'four callbacks between the two concurrent sweeps');
  t.same(again, [], 'nothing new the third time');
  const all = await rows();
  t.same(all.map((r) => `${r.kind}:${r.origin_call_id}`).sort(), ['dissatisfied:c-bad', 'missed:c-missed', 'queued:c-queued', 'voicemail:c-vm']);
  const by = Object.fromEntries(all.map((r) => [r.kind, r]));
  t.match(by.missed, { number: '13900000001', mode: 'auto', team: 'lawyers', status: 'pending', attempts: 0, max_attempts: 3 });
  t.equal(new Date(by.missed.due_at).toISOString(), cst('2026-11-25T10:05:00').toISOString(), 'missed: 5 minutes after the call ended');
  t.equal(new Date(by.missed.deadline_at).toISOString(), cst('2026-11-25T12:05:00').toISOString(), 'deadline: 2 hours later');
  t.equal(Number(by.missed.place), cst('2026-11-25T10:05:00').getTime() * 1000, 'behind whoever waits when it becomes due');
  t.match(by.queued, { number: '13800000002', mode: 'auto', place: '1764036000000123' }, 'queued: the number keyed in, the original place');
  t.match(by.voicemail, { mode: 'task', team: 'lawyers', recording: 'vm-c-vm', number: '13900000003' });
  t.match(by.dissatisfied, { mode: 'task', team: 'supervisors', note: '服务律师：101' });
});

t.test('after hours and across the 2026 National Day holiday, a callback is due at the next opening', async (t) => {
  // Friday 17:40 (closed at 17:30): Monday 08:30.
  await ended({ id: 'h-fri', from: '13900000011', ended: '2026-11-27T17:40:00', reason: 'abandoned_in_queue' });
  // Wednesday 30 September 17:40: 1-7 October are holidays, so Thursday 8 October 08:30.
  await ended({ id: 'h-nd', from: '13900000012', ended: '2026-09-30T17:40:00', reason: 'voicemail', vm: 'vm-h-nd' });
  await callbacksFromCalls(d.orm.em.fork(), times, policy, cst('2026-11-27T17:41:00'), 90 * 86_400_000);
  const [fri] = await rows(`origin_call_id = 'h-fri'`);
  t.equal(new Date(fri.due_at).toISOString(), cst('2026-11-30T08:30:00').toISOString());
  const [nd] = await rows(`origin_call_id = 'h-nd'`);
  t.equal(new Date(nd.due_at).toISOString(), cst('2026-10-08T08:30:00').toISOString());
});

t.test('retries wait longer each time and stay inside opening hours (a make-up working Saturday counts)', async (t) => {
  t.equal(times.retryAt(cst('2026-11-25T10:00:00'), 1).toISOString(), cst('2026-11-25T10:15:00').toISOString(), 'first retry 15 min');
  t.equal(times.retryAt(cst('2026-11-25T10:00:00'), 2).toISOString(), cst('2026-11-25T10:30:00').toISOString(), 'second 30 min');
  t.equal(times.retryAt(cst('2026-11-25T11:50:00'), 1).toISOString(), cst('2026-11-25T14:00:00').toISOString(), 'not over lunch');
  // Friday 9 October 17:20 + 15 min is after closing; Saturday 10 October 2026 is a make-up working day.
  t.equal(times.retryAt(cst('2026-10-09T17:20:00'), 1).toISOString(), cst('2026-10-10T08:30:00').toISOString());
});

t.test('an attempt is claimed once: concurrent claims, a lease that ran out, outcomes and the attempt limit', async (t) => {
  await ended({ id: 'k-1', from: '13900000021', ended: '2026-11-25T10:00:00', reason: 'abandoned_in_queue' });
  await callbacksFromCalls(d.orm.em.fork(), times, policy, cst('2026-11-25T10:00:30'));
  const [cb] = await rows(`origin_call_id = 'k-1'`);
  const id = String(cb.id);
  const claims = await Promise.all(['w1', 'w2', 'w3'].map((w) => claimAttempt(d.orm.em.fork(), id, 1, w, 60_000)));
  t.equal(claims.filter(Boolean).length, 1, 'three workers, one claim');
  const holder = ['w1', 'w2', 'w3'][claims.findIndex(Boolean)];
  t.notOk(await claimAttempt(d.orm.em.fork(), id, 2, 'w9', 60_000), 'attempt 2 before attempt 1 ended: no');
  // The holder dies: its lease runs out and attempt 1 (not 2) is claimed again by another worker.
  await sql(`update callback set lease_until = now() - interval '1 second' where id = ?`, [id]);
  t.notOk(await renewLease(d.orm.em.fork(), id, 'w9', 60_000), 'a stranger cannot renew');
  t.ok(await claimAttempt(d.orm.em.fork(), id, 1, 'w9', 60_000), 'the same attempt, claimed again after the lease ran out');
  t.notOk(await renewLease(d.orm.em.fork(), id, holder, 60_000), 'the old holder lost it');
  await attemptStarted(d.orm.em.fork(), id, 1, '101', 'cb-call-1');
  await attemptStarted(d.orm.em.fork(), id, 1, '101', 'cb-call-1'); // a repeat changes nothing
  const full = { id, maxAttempts: 3 };
  t.equal(await attemptEnded(d.orm.em.fork(), times, full, 1, 'no_answer', { by: 'w9', staffNo: '101', callId: 'cb-call-1', now: cst('2026-11-25T10:10:00') }), 'retry');
  let [row] = await rows(`id = ${id}`);
  t.match(row, { status: 'pending', attempts: 1, last_outcome: 'no_answer' });
  t.equal(new Date(row.next_attempt_at).toISOString(), cst('2026-11-25T10:25:00').toISOString());
  t.ok(await claimAttempt(d.orm.em.fork(), id, 2, 'w9', 60_000));
  t.equal(await attemptEnded(d.orm.em.fork(), times, full, 2, 'busy', { by: 'w9' }), 'retry');
  t.ok(await claimAttempt(d.orm.em.fork(), id, 3, 'w9', 60_000));
  t.equal(await attemptEnded(d.orm.em.fork(), times, full, 3, 'no_answer', { by: 'w9' }), 'failed', 'three attempts: failed');
  [row] = await rows(`id = ${id}`);
  t.match(row, { status: 'failed', failure_reason: 'unreachable', attempts: 3 });
  t.notOk(await claimAttempt(d.orm.em.fork(), id, 4, 'w9', 60_000), 'nothing after failing');
  const attempts = await sql(`select attempt, outcome from callback_attempt where callback_id = ? order by attempt`, [id]);
  t.same(attempts, [{ attempt: 1, outcome: 'no_answer' }, { attempt: 2, outcome: 'busy' }, { attempt: 3, outcome: 'no_answer' }], 'every attempt on record');
});

t.test('an invalid number fails at once for a supervisor; a released claim keeps the attempt', async (t) => {
  await ended({ id: 'k-2', from: '13900000022', ended: '2026-11-25T10:00:00', reason: 'abandoned_in_queue' });
  await callbacksFromCalls(d.orm.em.fork(), times, policy, cst('2026-11-25T10:00:30'));
  const id = String((await rows(`origin_call_id = 'k-2'`))[0].id);
  t.ok(await claimAttempt(d.orm.em.fork(), id, 1, 'w1', 60_000));
  await releaseClaim(d.orm.em.fork(), id, 'w1', cst('2026-11-25T14:00:00'));
  t.match((await rows(`id = ${id}`))[0], { status: 'pending', attempts: 0 });
  t.ok(await claimAttempt(d.orm.em.fork(), id, 1, 'w1', 60_000), 'attempt 1 is still to be made');
  t.equal(await attemptEnded(d.orm.em.fork(), times, { id, maxAttempts: 3 }, 1, 'invalid_number', { by: 'w1' }), 'failed');
  t.match((await rows(`id = ${id}`))[0], { status: 'failed', failure_reason: 'invalid_number' });
});

t.test('a lawyer\'s promise on a work order: a task of theirs, moved and withdrawn with the work order', async (t) => {
  await d.staff({ staffNo: '101', role: 'agent' });
  await ended({ id: 'w-1', from: '13900000031', ended: '2026-11-25T10:00:00', agent: '101' });
  const [wo] = await sql(`insert into work_order (call_id, staff_no, caller_number, service_line, matter, disposition, updated_by)
                          values ('w-1', '101', '13900000031', 'consultation', '欠薪', 'follow_up', '101') returning id`) as Array<{ id: string }>;
  const w = { id: String(wo.id), staffNo: '101', callerNumber: '13900000031', serviceLine: 'consultation', legalTopic: 'labour-wages' };
  const em = d.orm.em.fork();
  await em.transactional((tx) => syncPromise(tx as never, { ...w, callbackAt: cst('2026-11-26T10:00:00') }, times, 3));
  let [p] = await rows(`kind = 'promised'`);
  t.match(p, { trigger_key: `wo:${w.id}`, owner_staff_no: '101', mode: 'task', team: 'lawyers', status: 'pending', work_order_id: w.id });
  t.equal(new Date(p.due_at).toISOString(), cst('2026-11-26T10:00:00').toISOString());
  // Moved to Saturday: the next opening is Monday.
  await syncPromise(d.orm.em.fork(), { ...w, callbackAt: cst('2026-11-28T10:00:00') }, times, 3);
  [p] = await rows(`kind = 'promised'`);
  t.equal(new Date(p.due_at).toISOString(), cst('2026-11-30T08:30:00').toISOString());
  t.equal((await rows(`kind = 'promised'`)).length, 1, 'still one');
  await syncPromise(d.orm.em.fork(), { ...w, callbackAt: null }, times, 3);
  t.match((await rows(`kind = 'promised'`))[0], { status: 'cancelled' });
  await syncPromise(d.orm.em.fork(), { ...w, callbackAt: cst('2026-11-26T15:00:00') }, times, 3);
  t.match((await rows(`kind = 'promised'`))[0], { status: 'pending' }, 'given again: the same task, open again');
});

t.test('an attempt due when the centre is closed waits for the opening, its attempt unused; a caller who got through is not called back', async (t) => {
  const placed: string[] = [];
  const dialler = { async waitAndConnect(cb: { callbackId: string }) { placed.push(cb.callbackId); return { kind: 'attempt', outcome: 'answered', staffNo: '101', callId: 'x' }; } };
  let now = cst('2026-11-28T10:00:00'); // a Saturday
  const jobs = new CallbackJobs({ orm: d.orm, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: `${d.prefix}-hours`, calendar, policy,
    dialler: dialler as never, log: pino({ level: 'silent' }), now: () => now });
  t.teardown(() => jobs.stop());
  await ended({ id: 'o-1', from: '13900000041', ended: '2026-11-27T17:00:00', reason: 'abandoned_in_queue' });
  await callbacksFromCalls(d.orm.em.fork(), times, policy, cst('2026-11-27T17:01:00'));
  const id = String((await rows(`origin_call_id = 'o-1'`))[0].id);
  await sql(`update callback set next_attempt_at = ? where id = ?`, [now, id]); // as if its job ran late
  t.equal(await jobs.attempt(id, 1), 'released');
  let [row] = await rows(`id = ${id}`);
  t.match(row, { status: 'pending', attempts: 0 });
  t.equal(new Date(row.next_attempt_at).toISOString(), cst('2026-11-30T08:30:00').toISOString(), 'Monday at opening');
  t.same(placed, []);
  // Monday: the caller had called again meanwhile and a lawyer answered; nothing is dialled.
  await sql(`insert into call_record (call_id, caller_number, arrived_at, answered_at, ended_at, end_reason, agent)
             values ('o-2', '13900000041', now(), now(), now(), 'completed', '101')`);
  now = cst('2026-11-30T08:31:00');
  t.equal(await jobs.attempt(id, 1), 'closed');
  [row] = await rows(`id = ${id}`);
  t.match(row, { status: 'completed', last_outcome: 'called_again', attempts: 0 });
  t.same(placed, [], 'never dialled');
});
