// The desk's callbacks (issue 5, item 4) on the real database and Redis: the lists per role (mine / team / failed,
// lawyers never see supervisors' 回访), the overdue flag, click-to-call (202 and the 'dial' job with the attempt's
// jobId; refusals), a supervisor's cancel, a failed callback dialled again, and a lawyer's promise (约定回拨) made,
// moved and withdrawn through the work-order API, in the work order's transaction.
import t from 'tap';
import pino from 'pino';
import { Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { CallbackJobs } from '../ivr/callbacks/jobs.js';
import { loadCalendar } from '../lib/calendar/index.js';
import type { DeskCallbacks } from '../agent-desk/callbacks.js';
import { REDIS_URL, startDesk, type TestDesk } from './helpers/desk.js';
import { until } from './helpers/sim.js';

let d: TestDesk;
let jobs: CallbackJobs;
const log = pino({ level: 'silent' });
const jobPrefix = `t-cbdesk-${randomBytes(4).toString('hex')}`;
/** The desk is built before its ORM exists; the jobs need that ORM, so the desk reaches them late. */
const late: DeskCallbacks = {
  get queue() { return jobs.queue; },
  requestDial: (id, attempt, staffNo) => jobs.requestDial(id, attempt, staffNo),
};

const H = 3600_000;
interface Cb {
  kind: string; mode?: string; team?: string; owner?: string | null; status?: string; deadlineInMs?: number; attempts?: number;
  maxAttempts?: number; number?: string; updatedAgoMs?: number; lastOutcome?: string | null; resultCallId?: string | null; recording?: string | null;
}
let seq = 0;
async function callback(c: Cb): Promise<string> {
  seq += 1;
  const deadline = new Date(Date.now() + (c.deadlineInMs ?? 2 * H));
  const [row] = await d.orm.em.fork().getConnection().execute(
    `insert into callback (kind, trigger_key, number, line, place, mode, team, owner_staff_no, due_at, deadline_at, next_attempt_at, status,
                           attempts, max_attempts, last_outcome, result_call_id, recording, updated_at, failure_reason)
     values (?, ?, ?, 'consultation', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
    [c.kind, `t-${seq}`, c.number ?? '13900000001', seq, c.mode ?? 'task', c.team ?? 'lawyers', c.owner ?? null,
      new Date(deadline.getTime() - 2 * H), deadline, new Date(deadline.getTime() - 2 * H), c.status ?? 'pending', c.attempts ?? 0,
      c.maxAttempts ?? 3, c.lastOutcome ?? null, c.resultCallId ?? null, c.recording ?? null, new Date(Date.now() - (c.updatedAgoMs ?? 0)),
      c.status === 'failed' ? 'invalid_number' : null]);
  return String(row.id);
}
const row = async (id: string) => (await d.orm.em.fork().getConnection().execute('select * from callback where id = ?', [id]))[0];
const ids = (items: Array<{ id: string }>) => items.map((x) => x.id).sort();
const list = async (who: string, view: string) => d.req('GET', `/api/callbacks?view=${view}`, await d.cookie(who));
const ready = async (who: string) => t.equal((await d.req('PUT', '/api/presence', await d.cookie(who), { state: 'ready' })).status, 200);

const cb: Record<string, string> = {};

t.before(async () => {
  d = await startDesk({ callbacks: late });
  jobs = new CallbackJobs({ orm: d.orm, redisUrl: REDIS_URL, prefix: jobPrefix, calendar: loadCalendar(), log });
  await d.staff({ staffNo: 'lawyer1', role: 'agent', endpoint: 'PJSIP/8001' });
  await d.staff({ staffNo: 'lawyer2', role: 'agent', endpoint: 'PJSIP/8002' });
  await d.staff({ staffNo: 'lawyer3', role: 'agent' });
  await d.staff({ staffNo: 'sup', role: 'supervisor', endpoint: 'PJSIP/8009' });
  cb.voicemailOverdue = await callback({ kind: 'voicemail', deadlineInMs: -10 * 60_000, recording: 'vm-1' });
  cb.promisedMine = await callback({ kind: 'promised', owner: 'lawyer1' });
  cb.promisedOther = await callback({ kind: 'promised', owner: 'lawyer2' });
  cb.dissatisfied = await callback({ kind: 'dissatisfied', team: 'supervisors' });
  cb.missedAuto = await callback({ kind: 'missed', mode: 'auto' });
  cb.failed = await callback({ kind: 'voicemail', status: 'failed', attempts: 3, lastOutcome: 'invalid_number' });
  cb.doneMine = await callback({ kind: 'promised', owner: 'lawyer1', status: 'completed', attempts: 1, lastOutcome: 'answered', resultCallId: 'cb-call-1' });
  cb.doneLongAgo = await callback({ kind: 'promised', owner: 'lawyer1', status: 'completed', attempts: 1, lastOutcome: 'answered', updatedAgoMs: 48 * H });
});
t.teardown(async () => {
  await jobs.queue.obliterate({ force: true }).catch(() => undefined);
  await jobs.stop();
  await d.close();
});

t.test('a lawyer: mine = own open tasks and the day\'s results; team = the lawyers\' unowned open ones; failed is not theirs', async (t) => {
  const mine = await list('lawyer1', 'mine');
  t.equal(mine.status, 200);
  t.same(ids(mine.body.items), [cb.promisedMine, cb.doneMine].sort(), 'not lawyer2\'s promise, not a result from two days ago');
  t.equal(mine.body.items[0].id, cb.promisedMine, 'open ones first');
  t.equal(mine.body.items[1].lastOutcome, 'answered');
  const team = await list('lawyer1', 'team');
  t.same(ids(team.body.items), [cb.voicemailOverdue, cb.missedAuto].sort(), 'no 回访 of supervisors, no one else\'s task, no failed one');
  const vm = team.body.items.find((x: { id: string }) => x.id === cb.voicemailOverdue);
  t.equal(vm.overdue, true, 'past its deadline and still open: overdue');
  t.equal(vm.dialable, true);
  t.equal(vm.recording, 'vm-1');
  const auto = team.body.items.find((x: { id: string }) => x.id === cb.missedAuto);
  t.equal(auto.overdue, false);
  t.equal(auto.dialable, false, 'an automatic callback is the system\'s to dial');
  t.equal((await list('lawyer1', 'failed')).status, 403);
  t.equal((await list('lawyer2', 'mine')).body.items.length, 1, 'lawyer2 sees their own promise');
  t.equal((await list('lawyer1', 'everything')).status, 400, 'an unknown view names the field');
});

t.test('a supervisor: team = every open callback, failed = the permanent failures', async (t) => {
  const team = await list('sup', 'team');
  t.same(ids(team.body.items), [cb.voicemailOverdue, cb.promisedMine, cb.promisedOther, cb.dissatisfied, cb.missedAuto].sort());
  t.equal(team.body.items[0].id, cb.voicemailOverdue, 'the nearest deadline (overdue) first');
  const failed = await list('sup', 'failed');
  t.same(ids(failed.body.items), [cb.failed]);
  t.equal(failed.body.items[0].failureReason, 'invalid_number');
  t.equal(failed.body.items[0].dialable, true, 'a supervisor may try a failed one again');
});

t.test('one callback: a lawyer sees their own and the team\'s, not another lawyer\'s task nor a 回访', async (t) => {
  const l1 = await d.cookie('lawyer1');
  const one = await d.req('GET', `/api/callbacks/${cb.voicemailOverdue}`, l1);
  t.equal(one.status, 200);
  t.same(one.body.history, []);
  t.equal((await d.req('GET', `/api/callbacks/${cb.promisedOther}`, l1)).status, 404);
  t.equal((await d.req('GET', `/api/callbacks/${cb.dissatisfied}`, l1)).status, 404);
  t.equal((await d.req('GET', `/api/callbacks/${cb.dissatisfied}`, await d.cookie('sup'))).status, 200);
  t.equal((await d.req('GET', '/api/callbacks/999999', l1)).status, 404);
});

t.test('click-to-call: 202 and one dial job for the next attempt; refusals say why', async (t) => {
  const l1 = await d.cookie('lawyer1');
  const offline = await d.req('POST', `/api/callbacks/${cb.voicemailOverdue}/dial`, l1);
  t.equal(offline.status, 409, 'an offline lawyer\'s phone cannot be rung');
  t.equal(offline.body.code, 'busy');
  t.equal((await d.req('POST', `/api/callbacks/${cb.voicemailOverdue}/dial`, await d.cookie('lawyer3'))).body.code, 'busy', 'no desk phone');
  await ready('lawyer1');
  const r = await d.req('POST', `/api/callbacks/${cb.voicemailOverdue}/dial`, l1);
  t.equal(r.status, 202);
  t.same(r.body, { id: cb.voicemailOverdue, attempt: 1, jobId: `dial-${cb.voicemailOverdue}-a1` });
  const job = await jobs.queue.getJob(`dial-${cb.voicemailOverdue}-a1`);
  t.same(job?.name, 'dial');
  t.same(job?.data, { id: cb.voicemailOverdue, attempt: 1, staffNo: 'lawyer1' });
  t.equal((await d.req('POST', `/api/callbacks/${cb.voicemailOverdue}/dial`, l1)).status, 202, 'a double click');
  t.equal((await jobs.queue.getJobs(['waiting', 'delayed', 'active'])).filter((j) => j.name === 'dial').length, 1, 'is one job');

  const auto = await d.req('POST', `/api/callbacks/${cb.missedAuto}/dial`, l1);
  t.equal(auto.status, 409, 'automatic');
  t.equal((await d.req('POST', `/api/callbacks/${cb.promisedOther}/dial`, l1)).status, 404, 'another lawyer\'s promise');
  t.equal((await d.req('POST', `/api/callbacks/${cb.failed}/dial`, l1)).status, 403, 'a failed one is for a supervisor');
  t.equal((await d.req('POST', `/api/callbacks/${cb.doneMine}/dial`, l1)).status, 409, 'completed');
  await d.orm.em.fork().getConnection().execute(`update callback set status = 'dialling' where id = ?`, [cb.promisedMine]);
  t.equal((await d.req('POST', `/api/callbacks/${cb.promisedMine}/dial`, l1)).status, 409, 'being dialled');
  await d.orm.em.fork().getConnection().execute(`update callback set status = 'pending' where id = ?`, [cb.promisedMine]);
});

t.test('a supervisor dials a 回访, and a failed callback again: it becomes their task with one more attempt', async (t) => {
  const sup = await d.cookie('sup');
  await ready('sup');
  t.equal((await d.req('POST', `/api/callbacks/${cb.dissatisfied}/dial`, sup)).status, 202);
  const again = await d.req('POST', `/api/callbacks/${cb.failed}/dial`, sup);
  t.equal(again.status, 202);
  t.equal(again.body.attempt, 4);
  const r = await row(cb.failed);
  t.match(r, { status: 'pending', mode: 'task', owner_staff_no: 'sup', max_attempts: 4, failure_reason: null });
  t.ok(await jobs.queue.getJob(`dial-${cb.failed}-a4`));
  t.equal((await list('sup', 'failed')).body.items.length, 0, 'off the failed list');
});

t.test('after a click found the lawyer busy (job done, attempt unused), a new click adds the job again', async (t) => {
  const id = await callback({ kind: 'voicemail' });
  const l1 = await d.cookie('lawyer1');
  // A stand-in for the controller's worker reporting the lawyer busy: the job completes, the attempt is given back.
  const worker = new Worker(jobs.queueName, async (job) => (job.data.id === id ? 'lawyer-busy' : undefined), { connection: { url: REDIS_URL } });
  t.teardown(() => worker.close());
  t.equal((await d.req('POST', `/api/callbacks/${id}/dial`, l1)).status, 202);
  await until(async () => (await (await jobs.queue.getJob(`dial-${id}-a1`))?.isCompleted()) === true, 'the first dial job to finish');
  await worker.close();
  t.equal((await d.req('POST', `/api/callbacks/${id}/dial`, l1)).status, 202);
  const job = await jobs.queue.getJob(`dial-${id}-a1`);
  t.equal(await job?.getState(), 'waiting', 'a fresh job, not the finished one');
});

t.test('cancel: supervisors only, with a reason, pending or failed ones', async (t) => {
  const sup = await d.cookie('sup');
  t.equal((await d.req('POST', `/api/callbacks/${cb.promisedOther}/cancel`, await d.cookie('lawyer2'), { reason: 'x' })).status, 403);
  t.equal((await d.req('POST', `/api/callbacks/${cb.promisedOther}/cancel`, sup, { reason: '   ' })).status, 400);
  const missing = await d.req('POST', `/api/callbacks/${cb.promisedOther}/cancel`, sup, {});
  t.equal(missing.body.details[0].field, 'reason');
  const r = await d.req('POST', `/api/callbacks/${cb.promisedOther}/cancel`, sup, { reason: '来电人已到现场办理' });
  t.equal(r.status, 200);
  t.match(r.body, { status: 'cancelled', lastOutcome: 'cancelled', completedBy: 'sup', note: '取消原因：来电人已到现场办理' });
  t.equal((await d.req('POST', `/api/callbacks/${cb.promisedOther}/cancel`, sup, { reason: 'again' })).status, 409);
  t.equal((await d.req('POST', `/api/callbacks/${cb.doneMine}/cancel`, sup, { reason: 'x' })).status, 409, 'a completed one stays');
});

/** 10:00 China time on the working day after next: inside opening hours. */
const workingDayAt = (hhmm: string) => `${loadCalendar().addWorkingDays(new Date(), 2)}T${hhmm}:00+08:00`;

t.test('a promise on a work order: made, moved, withdrawn and renewed through the work-order API', async (t) => {
  const l1 = await d.cookie('lawyer1');
  await d.insertCall({ callId: 'promise-1', callerNumber: '13800000011', agent: 'lawyer1', line: 'consultation' });
  const at = workingDayAt('10:00');
  const made = await d.req('POST', '/api/work-orders', l1,
    { callId: 'promise-1', serviceLine: 'consultation', matter: '欠薪', disposition: 'follow_up', callbackAt: at });
  t.equal(made.status, 201);
  t.equal(made.body.callbackAt, new Date(at).toISOString());
  const key = `wo:${made.body.id}`;
  const promised = async () => (await d.orm.em.fork().getConnection().execute(`select * from callback where kind = 'promised' and trigger_key = ?`, [key]));
  let [p] = await promised();
  t.match(p, { owner_staff_no: 'lawyer1', mode: 'task', team: 'lawyers', number: '13800000011', status: 'pending', work_order_id: made.body.id });
  t.equal(new Date(p.due_at).toISOString(), new Date(at).toISOString(), 'due when promised (inside opening hours)');
  t.ok((await list('lawyer1', 'mine')).body.items.some((x: { id: string }) => x.id === String(p.id)), 'on the lawyer\'s own list');

  const later = workingDayAt('15:00');
  t.equal((await d.req('PATCH', `/api/work-orders/${made.body.id}`, l1, { callbackAt: later })).status, 200);
  const moved = await promised();
  t.equal(moved.length, 1, 'moved, not doubled');
  t.equal(new Date(moved[0].due_at).toISOString(), new Date(later).toISOString());

  t.equal((await d.req('PATCH', `/api/work-orders/${made.body.id}`, l1, { answer: '补充答复' })).status, 200, 'an edit elsewhere');
  t.equal(new Date((await promised())[0].due_at).toISOString(), new Date(later).toISOString(), 'leaves the promise alone');

  t.equal((await d.req('PATCH', `/api/work-orders/${made.body.id}`, l1, { callbackAt: null })).status, 200);
  [p] = await promised();
  t.equal(p.status, 'cancelled', 'withdrawn');
  t.equal((await d.req('PATCH', `/api/work-orders/${made.body.id}`, l1, { callbackAt: at })).status, 200);
  [p] = await promised();
  t.equal(p.status, 'pending', 'promised again');

  const detail = await d.req('GET', `/api/work-orders/${made.body.id}`, l1);
  t.equal(detail.status, 200);
  t.match(detail.body.callbacks, [{ id: String(p.id), kind: 'promised', status: 'pending', attempts: 0 }]);
});

t.test('a bad promise is refused naming callbackAt, and nothing is written', async (t) => {
  const l1 = await d.cookie('lawyer1');
  await d.insertCall({ callId: 'promise-2', callerNumber: '13800000012', agent: 'lawyer1', line: 'consultation' });
  const past = await d.req('POST', '/api/work-orders', l1,
    { callId: 'promise-2', serviceLine: 'consultation', matter: '欠薪', disposition: 'follow_up', callbackAt: '2020-01-02T10:00:00+08:00' });
  t.equal(past.status, 400);
  t.same(past.body.details, [{ field: 'callbackAt', message: 'must not be in the past' }]);
  const noZone = await d.req('POST', '/api/work-orders', l1,
    { callId: 'promise-2', serviceLine: 'consultation', matter: '欠薪', disposition: 'follow_up', callbackAt: '2030-01-02T10:00' });
  t.equal(noZone.body.details[0].field, 'callbackAt');
  t.equal((await d.orm.em.fork().getConnection().execute(`select count(*)::int as n from work_order where call_id = 'promise-2'`))[0].n, 0);
  await d.insertCall({ callId: 'no-number', callerNumber: null, agent: 'lawyer1', line: 'consultation' });
  const anonymous = await d.req('POST', '/api/work-orders', l1,
    { callId: 'no-number', serviceLine: 'consultation', matter: '咨询', disposition: 'follow_up', callbackAt: workingDayAt('10:00') });
  t.same(anonymous.body.details, [{ field: 'callbackAt', message: 'the call has no caller number to call back' }]);
});

t.test('completing the drafted work order with a promise makes the callback too', async (t) => {
  await d.insertCall({ callId: 'drafted', callerNumber: '13800000013', agent: 'lawyer1', line: 'consultation' });
  await d.orm.em.fork().getConnection().execute(
    `insert into work_order (call_id, staff_no, caller_number, service_line, matter, answer, disposition, updated_by)
     values ('drafted', 'lawyer1', '13800000013', 'consultation', '（待填写）', '', 'follow_up', 'auto-draft')`);
  const r = await d.req('POST', '/api/work-orders', await d.cookie('lawyer1'),
    { callId: 'drafted', serviceLine: 'consultation', matter: '离婚', disposition: 'follow_up', callbackAt: workingDayAt('11:00') });
  t.equal(r.status, 201);
  const rows = await d.orm.em.fork().getConnection().execute(`select * from callback where trigger_key = ?`, [`wo:${r.body.id}`]);
  t.match(rows, [{ kind: 'promised', owner_staff_no: 'lawyer1', status: 'pending' }]);
});

t.test('the work order of a callback call carries the callback and its outcome', async (t) => {
  const l1 = await d.cookie('lawyer1');
  await d.insertCall({ callId: 'cb-call-1', callerNumber: '13900000001', agent: 'lawyer1', line: 'consultation' });
  await d.orm.em.fork().getConnection().execute(
    `insert into callback_attempt (callback_id, attempt, staff_no, call_id, ended_at, outcome) values (?, 1, 'lawyer1', 'cb-call-1', now(), 'answered')`, [cb.doneMine]);
  const wo = await d.req('POST', '/api/work-orders', l1, { callId: 'cb-call-1', serviceLine: 'consultation', matter: '回拨答复', answer: '已答复', disposition: 'resolved' });
  const detail = await d.req('GET', `/api/work-orders/${wo.body.id}`, l1);
  t.match(detail.body.callbacks, [{ id: cb.doneMine, status: 'completed', lastOutcome: 'answered', resultCallId: 'cb-call-1',
    history: [{ attempt: 1, outcome: 'answered', staffNo: 'lawyer1', callId: 'cb-call-1' }] }]);
});

t.test('bull-board for operators at /admin/queues: supervisors and admins only, the hotline\'s three queues', async (t) => {
  t.equal((await d.req('GET', '/admin/queues')).status, 401, 'anonymous');
  t.equal((await d.req('GET', '/admin/queues', await d.cookie('lawyer1'))).status, 403, 'a lawyer');
  t.equal((await d.req('GET', '/admin/queues/api/queues', await d.cookie('lawyer1'))).status, 403, 'its API too');
  const page = await d.req('GET', '/admin/queues', await d.cookie('sup'));
  t.equal(page.status, 200);
  t.match(page.text, '12348 队列监控');
  await d.staff({ staffNo: 'adm', role: 'admin' });
  const api = await d.req('GET', '/admin/queues/api/queues', await d.cookie('adm'));
  t.equal(api.status, 200);
  t.same(api.body.queues.map((q: { name: string }) => q.name).sort(), [`${d.prefix}-after-call`, `${d.prefix}-callbacks`, 'recordings'].sort());
});
