// Caller insight on the hand-made day of test/helpers/stats-fixture.ts plus a few later calls: who called again
// within 7 days (outbound callbacks and calls before the window do not make a repeat on their own), how the
// green-channel callers were served, and the stars a lawyer's ratings suggest.
import t from 'tap';
import { suggestedStars } from '../agent-desk/stats/insight.js';
import { startDesk, type TestDesk } from './helpers/desk.js';
import { cst, insertFixtureCall, seedFixture } from './helpers/stats-fixture.js';

let d: TestDesk;
let cookie = '';
const Q = 'from=2026-11-10&to=2026-11-30';

t.before(async () => {
  d = await startDesk();
  await d.staff({ staffNo: 'L1', role: 'agent' });
  await d.staff({ staffNo: 'L2', role: 'agent' });
  await d.staff({ staffNo: 'sup', role: 'supervisor' });
  await seedFixture(d.orm);
  const again = (id: string, caller: string, at: string) => insertFixtureCall(d.orm, {
    id, caller, line: 'consultation', topic: 'labour', arrived: cst(at), queued: cst(at), answered: cst(at), ended: cst(at.replace(/:00$/, ':59')), agent: 'L1', reason: 'completed',
  });
  await again('r1', '13900000002', '2026-11-12T10:00:00'); // 2 days after c2: a repeat
  await again('r2', '13900000002', '2026-11-25T10:00:00'); // 13 days after r1: not within 7 days
  await again('r3', '13900000003', '2026-11-10T09:25:00'); // called again 5 minutes after abandoning (c3)
  await again('r4', '13900000012', '2026-11-11T10:00:00'); // c12 was the 9th, before the window: still a repeat
  const conn = d.orm.em.fork().getConnection();
  await conn.execute(`insert into work_order (call_id, staff_no, caller_number, service_line, legal_topic, matter, disposition, updated_by, created_at)
    values ('r1', 'L1', '13900000002', 'consultation', 'labour', '再次询问欠薪仲裁进度', 'follow_up', 'L1', ?)`, [cst('2026-11-12T10:05:00')]);
  await conn.execute(`insert into vulnerable_caller (number, reason, added_by) values ('13900000008', '老年人', 'sup'), ('13900000099', '残疾人', 'sup')`);
  cookie = await d.cookie('sup');
});
t.teardown(() => d.close());

t.test('repeat callers within 7 days', async (t) => {
  const r = await d.req('GET', `/api/insight/repeat-callers?${Q}&withinDays=7`, cookie);
  t.equal(r.status, 200);
  t.same(r.body.map((x: { number: string; calls: number; repeats: number }) => [x.number, x.calls, x.repeats]),
    [['13900000002', 3, 1], ['13900000003', 2, 1], ['13900000012', 1, 1]], 'c7 (outbound callback) is not a call from the caller');
  t.same(r.body[0].matters.map((m: { matter: string; disposition: string }) => [m.matter, m.disposition]), [['再次询问欠薪仲裁进度', 'follow_up']]);
  t.same(r.body[0].lines, ['法律咨询']);
  const wide = (await d.req('GET', `/api/insight/repeat-callers?${Q}&withinDays=14`, cookie)).body;
  t.equal(wide[0].repeats, 2, 'within 14 days r2 counts too');
  t.equal((await d.req('GET', `/api/insight/repeat-callers?${Q}&withinDays=0`, cookie)).status, 400);
});

t.test('green-channel callers and how they were served', async (t) => {
  const r = (await d.req('GET', `/api/insight/vulnerable?${Q}`, cookie)).body;
  t.same(r.map((v: { number: string; reason: string; calls: number; answered: number; answered15s: number; avgWaitSec: number | null; maxWaitSec: number | null; greenCalls: number }) =>
    [v.number, v.reason, v.calls, v.answered, v.answered15s, v.avgWaitSec, v.maxWaitSec, v.greenCalls]),
  [['13900000008', '老年人', 1, 1, 1, 8, 8, 1], ['13900000099', '残疾人', 0, 0, 0, null, null, 0]]);
});

t.test('lawyers: workload, ratings and suggested stars', async (t) => {
  const r = (await d.req('GET', `/api/insight/lawyers?${Q}`, cookie)).body;
  const l1 = r.find((x: { staffNo: string }) => x.staffNo === 'L1');
  t.same([l1.answered, l1.rated, l1.suggestedStars, l1.currentStars], [6, 2, null, 3], 'c1 c5 r1-r4; two ratings are too few to suggest stars');
  t.same([suggestedStars(19, 1), suggestedStars(20, 0.98), suggestedStars(40, 0.96), suggestedStars(40, 0.9), suggestedStars(40, 0.85), suggestedStars(40, 0.5)],
    [null, 5, 4, 3, 2, 1]);
});
