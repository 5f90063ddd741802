// QA scoring: the daily sample (rate and rounding, the working-day window across the National Day holiday, once per
// day through BullMQ with a fake clock, idempotent re-runs and top-up, concurrent draws), scoring (the server's
// weighted totals, 400s naming the criterion, versions), who may do what, and the per-lawyer summary.
import os from 'node:os';
import { Queue } from 'bullmq';
import t from 'tap';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { qaComponent } from '../lib/qa/component.js';
import { components } from '../scripts/components.js';
import { loadCalendar } from '../lib/calendar/index.js';
import { QaJobs } from '../lib/qa/jobs.js';
import { sampleDay, sampleTarget, sampleWindow, windowBefore } from '../lib/qa/sample.js';
import { checkAnswers, totalOf, type Criterion } from '../lib/qa/scorecard.js';
import { REDIS_URL, startDesk, type TestDesk } from './helpers/desk.js';
import { until } from './helpers/sim.js';

const calendar = loadCalendar();
const log = pino({ level: 'silent' });
/** A seeded generator, so a failing draw can be replayed. */
const seeded = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const at = (s: string) => new Date(`${s}+08:00`);

let d: TestDesk;
t.before(async () => {
  d = await startDesk();
  for (const s of ['sup1', 'sup2']) await d.staff({ staffNo: s, role: 'supervisor' });
  for (const s of ['101', '102']) await d.staff({ staffNo: s, role: 'agent' });
  await d.staff({ staffNo: 'adm', role: 'admin' });
});
t.teardown(() => d.close());

const rows = async (q: string, p: unknown[] = []) => (await d.orm.em.fork().getConnection().execute(q, p)) as Array<Record<string, any>>;
async function calls(prefix: string, n: number, day: string, opts: { agent?: string; hour?: number } = {}) {
  for (let i = 0; i < n; i++) {
    await d.insertCall({ callId: `${prefix}-${i}`, callerNumber: '13800000000', agent: opts.agent ?? (i % 2 ? '101' : '102'), line: 'consultation',
      arrivedAt: at(`${day}T${String(opts.hour ?? 9 + (i % 8)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`) });
  }
}

t.test('sample size: the rate rounded up, at least one call, never more than answered', async (t) => {
  const cases: Array<[number, number, number]> = [[0, 0.05, 0], [1, 0.05, 1], [19, 0.05, 1], [20, 0.05, 1], [21, 0.05, 2], [60, 0.05, 3],
    [100, 0.05, 5], [101, 0.05, 6], [10, 0, 0], [3, 1, 3], [7, 0.5, 4]];
  for (const [n, rate, want] of cases) t.equal(sampleTarget(n, rate), want, `${n} calls at ${rate}`);
});

t.test('the window: a working day to the next, so weekends and holidays fall in the one before them', async (t) => {
  // National Day 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are make-up working days.
  t.same(windowBefore(calendar, '2025-10-09').date, '2025-09-30', 'the first day after the holiday samples 09-30');
  const w = sampleWindow(calendar, '2025-09-30');
  t.same([w.from.toISOString(), w.to.toISOString()], ['2025-09-29T16:00:00.000Z', '2025-10-08T16:00:00.000Z'], 'from 09-30 00:00 to 10-09 00:00 Beijing');
  t.equal(windowBefore(calendar, '2025-09-29').date, '2025-09-28', 'Monday after a make-up Sunday samples the Sunday');
  t.equal(windowBefore(calendar, '2025-10-13').date, '2025-10-11', 'Monday after a make-up Saturday samples the Saturday');
  t.equal(sampleWindow(calendar, '2025-10-10').to.toISOString(), '2025-10-10T16:00:00.000Z', 'Friday 10-10 runs to the make-up Saturday');
});

t.test('the daily job: once per working day, the previous working day across the holiday, spread over supervisors', async (t) => {
  await calls('hol', 60, '2025-09-30');
  // Holiday calls belong to the 09-30 window (the hotline runs 7x24); the rest must not be drawn from.
  await calls('hold', 20, '2025-10-03');
  await calls('next', 10, '2025-10-09');
  await calls('prev', 5, '2025-09-29');
  await d.insertCall({ callId: 'hol-missed', callerNumber: '13800000001', arrivedAt: at('2025-10-02T10:00:00') });
  let now = at('2025-10-05T09:00:00');
  const prefix = `${d.prefix}-qa${Math.random().toString(36).slice(2, 6)}`;
  const jobs = new QaJobs({ orm: d.orm, redisUrl: REDIS_URL, prefix, calendar, rate: 0.05, log, now: () => now, random: seeded(7), tickEveryMs: 0 });
  t.teardown(async () => { await jobs.queue.obliterate({ force: true }); await jobs.stop(); });
  t.ok(jobs.queueName.startsWith(d.prefix), 'the queue name carries the key prefix');
  t.same(await jobs.tick(), [], 'nothing on a holiday');
  now = at('2025-10-09T00:30:00');
  t.same(await jobs.tick(), [], 'nothing before the records settle (01:00)');
  now = at('2025-10-09T02:00:00');
  t.same(await jobs.tick(), ['2025-09-30', '2025-09-29', '2025-09-28'], 'the window before today and two more (catch-up)');
  t.same(await jobs.tick(), ['2025-09-30', '2025-09-29', '2025-09-28'], 'a second tick the same day');
  t.same((await jobs.queue.getJobs(['waiting', 'delayed', 'active', 'completed'])).map((j) => j.id).sort(),
    ['sample-2025-09-28', 'sample-2025-09-29', 'sample-2025-09-30'], 'queued once per day: job ids from the date');

  await jobs.start();
  const sample = () => rows(`select call_id, assigned_to, sample_date::text as day, reason, status from qa_assignment where reason = 'sample' order by call_id`);
  await until(async () => (await sample()).length === 4, 'the samples to be drawn', 10_000);
  await until(async () => (await jobs.queue.getJobCounts('completed')).completed === 3, 'the jobs to complete', 10_000);
  const got = await sample();
  const win = got.filter((a) => a.day === '2025-09-30');
  t.equal(win.length, 4, '5 % of 80 answered calls (60 on 09-30, 20 in the holiday)');
  t.ok(win.every((a) => /^hol/.test(a.call_id) && a.call_id !== 'hol-missed'), `only answered calls of the window (${win.map((a) => a.call_id)})`);
  t.same(got.filter((a) => a.day === '2025-09-29').length, 1, 'the 09-29 window: 5 calls, at least one');
  t.same([...new Set(win.map((a) => a.assigned_to))].sort(), ['sup1', 'sup2'], 'spread over both supervisors');
  t.same(win.filter((a) => a.assigned_to === 'sup1').length, 2, 'round-robin: two each');
  t.ok(got.every((a) => a.status === 'pending'), 'all pending');

  const again = await jobs.sample('2025-09-30');
  t.same([again.answered, again.target, again.already, again.added], [80, 4, 4, []], 're-running the day adds nothing');
  await calls('late', 20, '2025-10-08');
  const topped = await jobs.sample('2025-09-30');
  t.equal(topped.added.length, 1, 'calls recorded late raise the target (100 -> 5) and only the difference is drawn');
  t.equal((await sample()).filter((a) => a.day === '2025-09-30').length, 5);
});

t.test('two draws of the same day at once add the sample once', async (t) => {
  await calls('par', 41, '2025-11-03');
  const [a, b] = await Promise.all([1, 2].map((s) => sampleDay(d.orm, calendar, '2025-11-03', { rate: 0.05, random: seeded(s) })));
  t.equal(a.added.length + b.added.length, 3, 'ceil(0.05 * 41) = 3, however the two interleave');
  t.equal((await rows(`select count(*)::int as n from qa_assignment where sample_date = '2025-11-03'`))[0].n, 3);
});

t.test('no supervisor on duty: the sample is kept, unassigned, for any supervisor', async (t) => {
  await calls('nosup', 3, '2025-11-05');
  await rows(`update staff set active = false where role = 'supervisor'`);
  const r = await sampleDay(d.orm, calendar, '2025-11-05', { rate: 0.05, log });
  await rows(`update staff set active = true where role = 'supervisor'`);
  t.same(r.added.map((x) => x.assignedTo), [null]);
  const list = await d.req('GET', '/api/qa/assignments', await d.cookie('sup2'));
  t.ok(list.body.items.some((a: any) => a.callId === r.added[0].callId && a.assignedTo === null), 'shown to every supervisor');
});

const CARD: Criterion[] = [
  { id: 'opening', label: '规范开头语', weight: 10, kind: 'phrase_used', phrases: ['您好'] },
  { id: 'basis', label: '法律依据准确', weight: 60, kind: 'score' },
  { id: 'banned', label: '未使用服务禁语', weight: 30, kind: 'phrase_avoided', phrases: ['我不知道'] },
];

t.test('totals: score criteria pro rata, phrase criteria all or nothing, to two decimals', async (t) => {
  t.equal(totalOf(CARD, { opening: true, basis: 5, banned: true }), 100);
  t.equal(totalOf(CARD, { opening: false, basis: 0, banned: false }), 0);
  t.equal(totalOf(CARD, { opening: true, basis: 3, banned: false }), 46);
  t.equal(totalOf([{ id: 'a', label: 'a', weight: 100 / 3, kind: 'score' }, { id: 'b', label: 'b', weight: 200 / 3, kind: 'score' }], { a: 1, b: 4 }), 60);
  t.same(checkAnswers(CARD, { opening: 'yes', basis: 6, extra: 1 }).map((p) => p.field).sort(), ['answers.banned', 'answers.basis', 'answers.extra', 'answers.opening']);
  t.same(checkAnswers(CARD, { opening: true, basis: 2.5, banned: true }), [{ field: 'answers.basis', message: 'must be a whole number 0..5' }]);
});

t.test('scoring on the desk', async (t) => {
  const sup = await d.cookie('sup1'), lawyer = await d.cookie('101'), other = await d.cookie('102');
  const card = (await d.req('GET', '/api/qa/scorecard', lawyer)).body;
  t.equal(card.criteria.reduce((s: number, c: any) => s + c.weight, 0), 100, 'the default scorecard weighs 100');
  t.same(card.criteria.map((c: any) => c.kind), ['phrase_used', 'score', 'score', 'score', 'score', 'phrase_used', 'score', 'phrase_avoided']);
  t.match(card.criteria[0].label, /您好，12348公共法律服务热线/);
  t.ok(card.criteria.at(-1).phrases.includes('不归我们管'), 'banned phrases listed');

  await calls('s', 3, '2026-03-02', { agent: '101' });
  await d.insertCall({ callId: 's-missed', callerNumber: '13800000009', arrivedAt: at('2026-03-02T10:00:00') });
  const answers = { opening: true, understanding: 4, legal_basis: 3, clarity: 5, next_steps: 0, closing: false, attitude: 5, banned: false };
  const r = await d.req('POST', '/api/qa/scores', sup, { callId: 's-0', answers, comment: '法律依据需补充' });
  t.equal(r.status, 201, JSON.stringify(r.body));
  // 10 + 15*4/5 + 20*3/5 + 15 + 0 + 0 + 15 + 0
  t.match(r.body, { callId: 's-0', staffNo: '101', scorer: 'sup1', total: 64, sampled: false, comment: '法律依据需补充' });
  t.same((await rows(`select reason, status, assigned_to from qa_assignment where call_id = 's-0'`)), [{ reason: 'picked', status: 'scored', assigned_to: 'sup1' }], 'a picked call is on record');

  const bad = await d.req('POST', '/api/qa/scores', sup, { callId: 's-1', answers: { ...answers, legal_basis: 9, closing: 'yes', tone: 3 } });
  t.equal(bad.status, 400);
  t.same(bad.body.details.map((x: any) => x.field).sort(), ['answers.closing', 'answers.legal_basis', 'answers.tone'], 'each bad answer named');
  const { banned: _, ...missing } = answers;
  t.same((await d.req('POST', '/api/qa/scores', sup, { callId: 's-1', answers: missing })).body.details, [{ field: 'answers.banned', message: 'is required' }]);
  t.same((await d.req('POST', '/api/qa/scores', sup, { callId: 'nope', answers })).body.details, [{ field: 'callId', message: 'is not a call a lawyer answered' }]);
  t.equal((await d.req('POST', '/api/qa/scores', sup, { callId: 's-missed', answers })).status, 400, 'an unanswered call cannot be scored');
  t.equal((await d.req('POST', '/api/qa/scores', sup, { answers })).body.details[0].field, 'callId');
  t.equal((await d.req('POST', '/api/qa/scores', lawyer, { callId: 's-1', answers })).status, 403, 'lawyers never score');
  t.equal((await d.req('POST', '/api/qa/scores', await d.cookie('adm'), { callId: 's-1', answers })).status, 403);
  t.equal((await rows(`select count(*)::int as n from qa_score where call_id = 's-1'`))[0].n, 0, 'nothing stored by refused requests');

  const full = Object.fromEntries(card.criteria.map((c: any) => [c.id, c.kind === 'score' ? 5 : true]));
  t.equal((await d.req('POST', '/api/qa/scores', await d.cookie('sup2'), { callId: 's-0', answers: full })).body.total, 100);
  t.same(await rows(`select scorer, total::float as total from qa_score where call_id = 's-0'`), [{ scorer: 'sup2', total: 100 }], 'a second save replaces the first');

  // The day is sampled whole (rate 1): s-0, already scored by hand, counts as sampled and needs no second listening.
  const sampled = await sampleDay(d.orm, calendar, '2026-03-02', { rate: 1 });
  t.same(sampled.added.map((a) => a.callId).sort(), ['s-0', 's-1', 's-2']);
  t.same(await rows(`select call_id, status from qa_assignment where reason = 'sample' and call_id like 's-%' order by call_id`),
    [{ call_id: 's-0', status: 'scored' }, { call_id: 's-1', status: 'pending' }, { call_id: 's-2', status: 'pending' }]);
  t.same(await rows(`select sampled from qa_score where call_id = 's-0'`), [{ sampled: true }], 'its score now counts for the sample rate');
  const sr = await d.req('POST', '/api/qa/scores', sup, { callId: 's-1', answers: { ...full, attitude: 0 } });
  t.match(sr.body, { sampled: true, total: 85 });
  t.same((await rows(`select status from qa_assignment where call_id = 's-1'`)).map((x) => x.status), ['scored'], 'the assignment is done');

  // Per lawyer: a lawyer reads only their own.
  const mine = await d.req('GET', '/api/qa/scores?from=2026-03-02&to=2026-03-02', lawyer);
  t.equal(mine.status, 200);
  t.ok(mine.body.items.length >= 1 && mine.body.items.every((s: any) => s.staffNo === '101'));
  t.equal((await d.req('GET', '/api/qa/scores?staffNo=102', lawyer)).status, 403);
  t.same((await d.req('GET', '/api/qa/scores?from=2026-03-02&to=2026-03-02', other)).body, { total: 0, items: [] }, "102 sees none of 101's");
  t.equal((await d.req('GET', '/api/qa/scores?staffNo=101&callId=s-0', sup)).body.items[0].total, 100);

  const sum = (await d.req('GET', '/api/qa/summary?from=2026-03-02&to=2026-03-02', sup)).body;
  t.match(sum, { answered: 3, scored: 2, sampledScored: 2, lawyers: [{ staffNo: '101', answered: 3, scored: 2, average: 92.5, min: 85, max: 100 }] });
  t.equal(sum.sampleRate, 2 / 3, 'sampled and scored / answered');
  t.equal((await d.req('GET', '/api/qa/summary', lawyer)).status, 403);
});

t.test('scorecard versions: weights must sum to 100; scores keep the version they were given with', async (t) => {
  const sup = await d.cookie('sup1');
  const wrong = await d.req('POST', '/api/qa/scorecards', sup, { name: '试行', criteria: [{ ...CARD[1], weight: 50 }] });
  t.equal(wrong.status, 400);
  t.same(wrong.body.details, [{ field: 'criteria', message: 'weights must sum to 100 (they sum to 50)' }]);
  const noPhrases = await d.req('POST', '/api/qa/scorecards', sup, { name: '试行', criteria: [{ id: 'x', label: '禁语', weight: 100, kind: 'phrase_avoided' }] });
  t.same(noPhrases.body.details?.[0]?.field, 'criteria.0.phrases');
  t.equal((await d.req('POST', '/api/qa/scorecards', await d.cookie('101'), { name: 'x', criteria: CARD })).status, 403);
  const old = (await d.req('GET', '/api/qa/scorecard', sup)).body;
  const v2 = await d.req('POST', '/api/qa/scorecards', sup, { name: '2027版', criteria: CARD });
  t.equal(v2.status, 201);
  t.equal((await d.req('GET', '/api/qa/scorecard', sup)).body.id, v2.body.id, 'the new version is active');
  const r = await d.req('POST', '/api/qa/scores', sup, { callId: 's-0', answers: { opening: true, basis: 3, banned: false } });
  t.equal(r.body.total, 46);
  t.same(await rows(`select scorecard_id::text as id, total::float as total from qa_score where call_id = 's-0' order by id`),
    [{ id: old.id, total: 100 }, { id: v2.body.id, total: 46 }], 'one score per call and version');
});

t.test('QA_SAMPLE_RATE: 5 % by default, checked', async (t) => {
  t.equal(loadConfig({}).qa.sampleRate, 0.05);
  t.equal(loadConfig({ QA_SAMPLE_RATE: '0.1' }).qa.sampleRate, 0.1);
  t.throws(() => loadConfig({ QA_SAMPLE_RATE: '5' }), /QA_SAMPLE_RATE: must be 0\.\.1 \(got "5"\)/);
  t.throws(() => loadConfig({ QA_SAMPLE_RATE: 'five' }), /QA_SAMPLE_RATE: must be a number 0\.\.1/);
});

t.test('npm start runs the daily sample: the qa component schedules its tick in the prefixed queue', async (t) => {
  const config = loadConfig({ KEY_PREFIX: `${d.prefix}-start`, DATABASE_URL: d.dbUrl, REDIS_URL, DATA_DIR: os.tmpdir() });
  t.ok(components.includes(qaComponent), 'registered with npm start');
  const handle = await qaComponent.start({ config, log, orm: d.orm, databaseUrl: d.dbUrl, redisUrl: REDIS_URL });
  const queue = new Queue(`${d.prefix}-start-qa`, { connection: { url: REDIS_URL } });
  try {
    const schedulers = await queue.getJobSchedulers();
    t.same(schedulers.map((s) => [s.key, s.name, s.every]), [['qa-tick', 'tick', '900000']]);
  } finally {
    await handle.stop();
    await queue.obliterate({ force: true });
    await queue.close();
  }
});
