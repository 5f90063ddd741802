// Statistics against hand-computed figures (test/helpers/stats-fixture.ts lists the calls; the arithmetic is in the
// comments here), through the API the page uses, the CSV and Excel exports, and the rollup's bookkeeping (rewrites,
// reverts, deletes, rebuild).
import t, { type Test } from 'tap';
import ExcelJS from 'exceljs';
import { startDesk, type TestDesk } from './helpers/desk.js';
import { CALLS, cst, insertFixtureCall, seedFixture } from './helpers/stats-fixture.js';

let d: TestDesk;
let cookie = '';
const Q = 'from=2026-11-10&to=2026-11-10';

t.before(async () => {
  d = await startDesk();
  await d.staff({ staffNo: 'L1', role: 'agent', name: '张律师' });
  await d.staff({ staffNo: 'L2', role: 'agent', name: '李律师' });
  await d.staff({ staffNo: 'sup', role: 'supervisor' });
  await seedFixture(d.orm);
  cookie = await d.cookie('sup');
});
t.teardown(() => d.close());

const close = (tt: Test, got: number | null, want: number, msg: string) => tt.ok(got !== null && Math.abs(got - want) < 1e-9, `${msg}: ${got} ≈ ${want}`);

t.test('the day in total', async (tt) => {
  const r = await d.req('GET', `/api/stats?${Q}`, cookie);
  tt.equal(r.status, 200);
  const s = r.body.total;
  // Offered: c1 c2 c3 c4 c5 c6 c8 c9 — not c7 (outbound callback), c10 (never queued), c11 (still waiting), c12 (day before).
  tt.equal(s.offered, 8);
  tt.equal(s.answered, 5, 'c1 c2 c5 c6 c8');
  tt.equal(s.answered15s, 4, 'waits 10, 10, 12, 8 s; c2 waited 30 s');
  tt.equal(s.abandoned, 2, 'c3 c4');
  tt.equal(s.abandoned15s, 1, 'c3 hung up after 3 s; c4 after 40 s');
  tt.equal(s.unansweredOther, 1, 'c9 went to voicemail');
  close(tt, s.connectionRate, 5 / 8, 'connection rate');
  close(tt, s.serviceLevel, 4 / 8, 'service level, national definition');
  close(tt, s.serviceLevelAlt, 4 / 7, 'service level without short abandons');
  close(tt, s.asaSec, (10 + 30 + 10 + 12 + 8) / 5, 'ASA');
  close(tt, s.ahtSec, (300 + 120 + 600 + 480 + 60) / 5, 'AHT');
  tt.equal(s.transferredOut, 1);
  tt.equal(s.transferredIn, 1);
  tt.same([s.greenOffered, s.greenAnswered, s.greenAsaSec], [1, 1, 8]);
  tt.equal(s.rated, 3);
  tt.same(s.ratings, { satisfied: 1, basicallySatisfied: 1, dissatisfied: 1 });
  close(tt, s.satisfactionRate, 2 / 3, 'satisfaction = (satisfied + basically) / rated');
  tt.ok(r.body.definitions.length > 20 && r.body.definitions.every((x: { definition: string }) => x.definition.length > 5), 'every figure has its definition');
  const norm = (k: string) => r.body.norms.find((n: { key: string }) => n.key === k);
  tt.same([norm('connectionRate').met, norm('satisfactionRate').met, norm('dissatisfiedFollowUpRate').met, norm('qaSampleRate').value], [false, false, true, 0], 'QA: nothing scored that day');
});

t.test('per line, hour, day and lawyer', async (tt) => {
  const s = (await d.req('GET', `/api/stats?${Q}`, cookie)).body;
  const line = (l: string) => s.byLine.find((x: { line: string }) => x.line === l);
  tt.same([line('consultation').offered, line('consultation').answered, line('consultation').abandoned, line('consultation').transferredIn], [6, 4, 1, 1]);
  tt.same([line('application').offered, line('application').answered, line('application').abandoned, line('application').transferredOut], [2, 1, 1, 1]);
  tt.equal(line('consultation').name, '法律咨询');
  const topic = (x: string) => s.byTopic.find((y: { topic: string }) => y.topic === x);
  tt.same([topic('labour').offered, topic('contract').offered, topic('marriage').offered], [5, 2, 1]);
  const hours = Object.fromEntries(s.byHour.filter((h: { offered: number }) => h.offered).map((h: { hour: number; offered: number }) => [h.hour, h.offered]));
  // By the hour the caller reached the hotline: c4 rang at 09:59:55 and queued at 10:00:00, so it is hour 9.
  tt.same(hours, { 9: 4, 13: 1, 14: 1, 15: 1, 23: 1 }, 'c5 arrived at 23:59:50 and stays in hour 23 of the 10th');
  tt.same(s.byDay.map((x: { date: string; offered: number }) => [x.date, x.offered]), [['2026-11-10', 8]]);
  const l1 = s.byAgent.find((a: { staffNo: string }) => a.staffNo === 'L1');
  const l2 = s.byAgent.find((a: { staffNo: string }) => a.staffNo === 'L2');
  tt.same([l1.name, l1.answered, l1.asaSec, l1.ahtSec, l1.rated, l1.satisfactionRate, l1.wrapUps, l1.avgWrapUpSec], ['张律师', 2, 10, 450, 2, 1, 1, 30],
    'L1: c1 and c5 (c7 was outbound); the wrap-up after midnight is the 11th');
  tt.same([l2.answered, l2.answered15s, l2.ahtSec, l2.rated, l2.satisfactionRate, l2.wrapUps, l2.avgWrapUpSec], [3, 2, 220, 1, 0, 2, 40],
    'L2 keeps c6 after handing it on (首问负责)');
  close(tt, l2.asaSec, 50 / 3, 'L2 ASA');
  const prev = (await d.req('GET', '/api/stats?from=2026-11-09&to=2026-11-09', cookie)).body;
  tt.same([prev.total.offered, prev.total.answered15s], [1, 1], 'c12 arrived 23:59:59 on the 9th');
  const two = (await d.req('GET', '/api/stats?from=2026-11-09&to=2026-11-10', cookie)).body;
  tt.equal(two.total.offered, 9);
  tt.equal(two.byDay.length, 2);
});

t.test('callbacks, QA, risk', async (tt) => {
  let s = (await d.req('GET', `/api/stats?${Q}`, cookie)).body;
  tt.same([s.callbacks.created, s.callbacks.completed, s.callbacks.completedInTime], [3, 2, 1], 'c3 was called back after its deadline');
  tt.same([s.callbacks.dissatisfiedCreated, s.callbacks.dissatisfiedCompleted, s.callbacks.dissatisfiedFollowUpRate], [1, 1, 1]);
  tt.same(s.qa, { available: true, sampled: 0, sampleRate: 0, avgScore: null }, 'nothing scored yet');
  const conn = d.orm.em.fork().getConnection();
  // A database without QA (the table away): 无数据, not an error.
  await conn.execute('alter table qa_score rename to qa_score_away');
  s = (await d.req('GET', `/api/stats?${Q}`, cookie)).body;
  tt.same(s.qa, { available: false, sampled: 0, sampleRate: null, avgScore: null }, 'no qa_score table: 无数据');
  tt.equal(s.risk.count, 2);
  tt.same(s.risk.groups, [{ topic: 'labour', place: '区号 0551', count: 1 }, { topic: 'labour', place: '手机来电', count: 1 }]);
  await conn.execute('create table qa_score (call_id text, staff_no text, total numeric, scored_at timestamptz, sampled boolean)');
  await conn.execute(`insert into qa_score values ('c1', 'L1', 90, ?, true), ('c2', 'L2', 70, ?, false), ('c12', 'L1', 50, ?, true)`,
    [cst('2026-11-10T18:00:00'), cst('2026-11-10T18:00:00'), cst('2026-11-09T18:00:00')]);
  s = (await d.req('GET', `/api/stats?${Q}`, cookie)).body;
  tt.same(s.qa, { available: true, sampled: 1, sampleRate: 1 / 5, avgScore: 90 });
  await conn.execute('drop table qa_score');
  await conn.execute('alter table qa_score_away rename to qa_score');
});

t.test('the rollup follows rewrites, reverts and deletes, and a rebuild agrees', async (tt) => {
  const conn = d.orm.em.fork().getConnection();
  const snapshot = async () => JSON.stringify([
    await conn.execute('select * from call_stats_hourly where offered <> 0 or transferred_in <> 0 or rated <> 0 order by 1, 2, 3'),
    await conn.execute('select * from agent_stats_hourly order by 1, 2'),
  ]);
  const before = await snapshot();
  // The applier rewrites rows on every event; a change that moves nothing, and a change undone, leave the figures.
  await conn.execute(`update call_record set path = '[{"node":"x"}]'::jsonb, events_applied = events_applied + 1 where call_id = 'c1'`);
  await conn.execute(`update call_record set answered_at = null, agent = null, end_reason = 'abandoned_in_queue' where call_id = 'c2'`);
  let s = (await d.req('GET', `/api/stats?${Q}`, cookie)).body;
  tt.same([s.total.answered, s.total.abandoned], [4, 3], 'c2 rewritten as abandoned');
  await conn.execute(`update call_record set answered_at = ?, agent = 'L2', end_reason = 'completed' where call_id = 'c2'`, [CALLS[1].answered]);
  tt.equal(await snapshot(), before, 'reverted');
  await conn.execute(`delete from call_record where call_id = 'c11'`);
  await conn.execute(`update call_record set ended_at = ?, end_reason = 'abandoned_in_queue' where call_id = 'c10'`, [cst('2026-11-10T12:02:00')]);
  await insertFixtureCall(d.orm, { ...CALLS[10], id: 'c11', ended: cst('2026-11-10T17:00:09'), reason: 'abandoned_in_queue' });
  s = (await d.req('GET', `/api/stats?${Q}`, cookie)).body;
  tt.same([s.total.offered, s.total.abandoned, s.total.abandoned15s], [10, 4, 2], 'c11 abandoned after 4 s; c10 now counts as abandoned (no queue time: from arrival)');
  const live = await snapshot();
  await conn.execute('select call_stats_rebuild()');
  tt.equal(await snapshot(), live, 'rebuilding from the ledger gives the same rollup');
});

t.test('exports and bad input', async (tt) => {
  const csv = await d.req('GET', `/api/stats/export.csv?${Q}&by=line`, cookie);
  tt.equal(csv.status, 200);
  tt.match(csv.headers['content-type'], /text\/csv/);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  tt.match(lines[0], /^服务类别,呼入量,接通量/);
  tt.ok(lines.some((l) => l.startsWith('法律咨询,')), 'a row per line');
  const xlsx = await d.app.inject({ method: 'GET', url: `/api/stats/export.xlsx?${Q}`, headers: { cookie } });
  tt.equal(xlsx.statusCode, 200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  tt.same(wb.worksheets.map((w) => w.name), ['总体', '按服务类别', '按法律问题', '按时段', '按日', '按律师', '回拨', '舆情风险', '指标定义']);
  const api = (await d.req('GET', `/api/stats?${Q}`, cookie)).body;
  tt.equal(wb.getWorksheet('总体')!.getRow(2).getCell(2).value, api.total.offered, 'the workbook holds the API\'s numbers');
  const bad = await d.req('GET', '/api/stats?from=2026-11-10&to=2026-11-09', cookie);
  tt.equal(bad.status, 400);
  tt.same(bad.body.details?.[0]?.field, 'to');
  const half = await d.req('GET', '/api/stats?from=2026-11-10T08:30:00%2B08:00&to=2026-11-10', cookie);
  tt.same([half.status, half.body.details?.[0]?.field], [400, 'from']);
  tt.equal((await d.req('GET', `/api/stats?${Q}`, await d.cookie('L1'))).status, 403, 'lawyers do not see the centre\'s statistics');
});

t.test('calls written by the real applier, event by event (twice), land in the rollup once', async (tt) => {
  const { applyEventBatch } = await import('../ivr/records/store.js');
  const at = (s: string) => cst(`2026-11-20T${s}`).toISOString();
  const ev = (seq: number, body: Record<string, unknown>, time: string) => ({ id: `${Date.parse(at(time))}-${seq}`, event: { callId: 'ap1', seq, at: at(time), ...body } });
  const events = [
    ev(1, { type: 'arrived', callerNumber: '13900000077', calledNumber: '12348', flowName: '12348', flowRevision: 1 }, '10:00:00'),
    ev(2, { type: 'queued', serviceLine: 'complaint', legalTopic: 'consumer', priority: 1 }, '10:00:20'),
    ev(3, { type: 'answered', agent: 'L1' }, '10:00:31'),
    ev(4, { type: 'survey_rated', rating: 3 }, '10:04:00'),
    ev(5, { type: 'ended', reason: 'completed' }, '10:04:10'),
  ] as Parameters<typeof applyEventBatch>[1];
  for (const e of events) await applyEventBatch(d.orm, [e], { gapWaitMs: 0 });
  await applyEventBatch(d.orm, events, { gapWaitMs: 0 });
  const s = (await d.req('GET', '/api/stats?from=2026-11-20&to=2026-11-20', cookie)).body;
  tt.same([s.total.offered, s.total.answered, s.total.answered15s, s.total.greenOffered, s.total.ratings.dissatisfied], [1, 1, 1, 1, 1]);
  close(tt, s.total.asaSec, 11, 'waited 11 s from queueing');
  close(tt, s.total.ahtSec, 219, 'talked from 10:00:31 to 10:04:10');
  tt.equal(s.byLine[0].line, 'complaint');
});
