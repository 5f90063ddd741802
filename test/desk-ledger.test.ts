// Work orders and calls through the desk API: one work order per call, the ledger's rules, bad bodies answered with
// the field named, searches and their filters, the CSV export, and above all that no route shows a lawyer another
// lawyer's work orders or calls, except those of a caller the lawyer is handling right now.
import t from 'tap';
import { callerRouting } from '../agent-desk/first-inquiry.js';
import { startDesk, type TestDesk } from './helpers/desk.js';

const A = '13800138000'; // called lawyer1, and later lawyer2
const B = '13900139000'; // called lawyer2
const C = '13700137000'; // hung up in the queue
let d: TestDesk;
let l1: string; let l2: string; let sup: string;

const wo = (callId: string, extra: Record<string, unknown> = {}) => ({
  callId, serviceLine: 'consultation', legalTopic: 'labour-wages', matter: '公司拖欠三个月工资', answer: '可向劳动监察大队投诉或申请劳动仲裁',
  disposition: 'resolved', ...extra,
});

t.before(async () => {
  d = await startDesk();
  await d.staff({ staffNo: 'lawyer1', role: 'agent', endpoint: 'PJSIP/8001' });
  await d.staff({ staffNo: 'lawyer2', role: 'agent', endpoint: 'PJSIP/8002' });
  await d.staff({ staffNo: 'supervisor', role: 'supervisor' });
  const day = (s: string) => new Date(`${s}T10:00:00+08:00`);
  await d.insertCall({ callId: 'c1', callerNumber: A, agent: 'lawyer1', line: 'consultation', topic: 'labour-wages', arrivedAt: day('2026-11-02') });
  await d.insertCall({ callId: 'c2', callerNumber: B, agent: 'lawyer2', line: 'consultation', topic: 'marriage-family', arrivedAt: day('2026-11-03') });
  await d.insertCall({ callId: 'c3', callerNumber: A, agent: 'lawyer2', line: 'application', topic: 'legal-aid', arrivedAt: day('2026-11-04') });
  await d.insertCall({ callId: 'c4', callerNumber: C, agent: null, line: 'complaint', arrivedAt: day('2026-11-05') });
  l1 = await d.cookie('lawyer1');
  l2 = await d.cookie('lawyer2');
  sup = await d.cookie('supervisor');
});
t.teardown(() => d.close());

t.test('a lawyer writes the work order of their own call, once', async (t) => {
  const r = await d.req('POST', '/api/work-orders', l1, wo('c1', { callerDeclinedName: true }));
  t.equal(r.status, 201);
  t.match(r.body, { callId: 'c1', staffNo: 'lawyer1', callerNumber: A, callerName: null, callerDeclinedName: true, disposition: 'resolved', updatedBy: 'lawyer1' });
  const again = await d.req('POST', '/api/work-orders', l1, wo('c1'));
  t.equal(again.status, 409);
  t.same(again.body.details, [{ field: 'callId', message: 'already has a work order' }]);
  t.equal((await d.req('POST', '/api/work-orders', l1, wo('c2'))).status, 403, 'not a call lawyer1 took');
  t.equal((await d.req('POST', '/api/work-orders', l1, wo('no-such-call'))).status, 403, 'a lawyer learns nothing about other call ids');
  const unknown = await d.req('POST', '/api/work-orders', sup, wo('no-such-call'));
  t.equal(unknown.status, 404);
  t.same(unknown.body.details, [{ field: 'callId', message: 'no such call' }]);

  t.equal((await d.req('POST', '/api/work-orders', l2, wo('c2', {
    legalTopic: 'marriage-family', matter: '离婚财产分割', disposition: 'follow_up', answer: '', callerName: '李女士',
  }))).status, 201);
  t.equal((await d.req('POST', '/api/work-orders', l2, wo('c3', {
    serviceLine: 'application', legalTopic: 'legal-aid', matter: '=HYPERLINK("x") 申请法律援助, "加急"', disposition: 'referred', referral: '县法律援助中心',
    riskFlag: true, riskReason: '同村二十余户反映同一征地补偿问题',
  }))).status, 201);
  const sv = await d.req('POST', '/api/work-orders', sup, wo('c4', { serviceLine: 'complaint', legalTopic: null, matter: '投诉窗口态度', answer: '已记录并转交', disposition: 'transferred' }));
  t.equal(sv.status, 201);
  t.equal(sv.body.staffNo, 'supervisor', 'nobody answered c4: the supervisor who wrote it owns it');
});

t.test('bad bodies get 400 naming every bad field', async (t) => {
  await d.insertCall({ callId: 'v1', callerNumber: '13600000000', agent: 'lawyer1', line: 'consultation' });
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['missing matter', { callId: 'v1', serviceLine: 'consultation', disposition: 'resolved', answer: 'x' }, ['matter']],
    ['unknown service line', wo('v1', { serviceLine: 'gossip' }), ['serviceLine']],
    ['unknown field', wo('v1', { mood: 'angry' }), ['mood']],
    ['wrong type', wo('v1', { riskFlag: 'perhaps' }), ['riskFlag']],
    ['two bad fields at once', wo('v1', { disposition: 'lost', legalTopic: 'Bad Topic!' }), ['disposition', 'legalTopic']],
    ['risk flag without reason', wo('v1', { riskFlag: true }), ['riskReason']],
    ['resolved without an answer', wo('v1', { answer: '  ' }), ['answer']],
    ['referred without where to', wo('v1', { disposition: 'referred' }), ['referral']],
    ['declined name with a name', wo('v1', { callerDeclinedName: true, callerName: '王' }), ['callerName']],
    ['blank matter', wo('v1', { matter: '   ' }), ['matter']],
    ['matter too long', wo('v1', { matter: '长'.repeat(4001) }), ['matter']],
  ];
  for (const [label, body, fields] of cases) {
    const r = await d.req('POST', '/api/work-orders', l1, body);
    t.equal(r.status, 400, label);
    t.equal(r.body.code, 'bad_request', label);
    t.same(r.body.details.map((x: any) => x.field).sort(), [...fields].sort(), `${label}: names ${fields}`);
    for (const f of fields) t.match(r.body.message, f, `${label}: the message names ${f}`);
  }
  const notJson = await d.app.inject({ method: 'POST', url: '/api/work-orders', headers: { cookie: l1, 'content-type': 'application/json' }, payload: '{"callId":' });
  t.equal(notJson.statusCode, 400);
  t.equal(notJson.json().code, 'bad_request');
  const q = await d.req('GET', '/api/work-orders?limit=abc&from=2026-02-31', l1);
  t.equal(q.status, 400);
  t.same(q.body.details.map((x: any) => x.field), ['limit']);
  const date = await d.req('GET', '/api/work-orders?from=2026-02-31', l1);
  t.same(date.body.details, [{ field: 'from', message: 'is not a valid date' }]);
  const staff = await d.req('POST', '/api/staff', await d.cookie('admin-x'), {});
  t.equal(staff.status, 401, 'no such account: not logged in');
  t.equal((await d.req('GET', '/api/work-orders?typo=1', l1)).body.details[0].field, 'typo');
  t.equal((await d.req('PATCH', '/api/work-orders/abc', l1, { answer: 'x' })).body.details[0].field, 'id');
  t.equal((await d.req('PUT', '/api/presence', l1, { state: 'not_ready' })).body.details[0].field, 'reason');
  t.equal((await d.orm.em.fork().getConnection().execute(`select count(*)::int as n from work_order where call_id = 'v1'`))[0].n, 0, 'nothing was written');
  await d.orm.em.fork().getConnection().execute(`delete from call_record where call_id = 'v1'`);
});

t.test('no route shows a lawyer another lawyer\'s work orders or calls', async (t) => {
  const mine = await d.req('GET', '/api/work-orders', l1);
  t.same(mine.body.items.map((w: any) => w.callId), ['c1'], 'lawyer1 sees only their own work order');
  t.equal(mine.body.total, 1);
  for (const q of ['staffNo=lawyer2', `caller=${B}`, `caller=${A}&staffNo=lawyer2`, 'risk=true', 'disposition=follow_up', 'callId=c3']) {
    t.same((await d.req('GET', `/api/work-orders?${q}`, l1)).body, { total: 0, items: [] }, `filter ${q} does not widen the scope`);
  }
  const theirs = (await d.req('GET', '/api/work-orders', sup)).body.items.find((w: any) => w.callId === 'c2');
  t.equal((await d.req('GET', `/api/work-orders/${theirs.id}`, l1)).status, 404, 'another lawyer\'s work order does not exist for lawyer1');
  t.equal((await d.req('PATCH', `/api/work-orders/${theirs.id}`, l1, { answer: 'x' })).status, 404);
  const calls = await d.req('GET', '/api/calls', l1);
  t.same(calls.body.items.map((c: any) => c.callId), ['c1'], 'lawyer1 sees only the call they took');
  for (const q of ['staffNo=lawyer2', `caller=${C}`, 'line=complaint']) {
    t.equal((await d.req('GET', `/api/calls?${q}`, l1)).body.total, 0, `calls ${q}`);
  }
  t.equal((await d.req('GET', '/api/work-orders/export.csv', l1)).status, 403);
  t.same((await d.req('GET', '/api/work-orders', l2)).body.items.map((w: any) => w.callId).sort(), ['c2', 'c3']);
});

t.test('a lawyer handling a caller sees that caller\'s history, read-only, until the call is missed', async (t) => {
  const at = new Date().toISOString();
  await d.insertCall({ callId: 'c5', callerNumber: B, agent: null, line: 'consultation' });
  await d.publish({ type: 'offered', staffNo: 'lawyer1', callId: 'c5', callerNumber: B, line: 'consultation', priority: 0, green: false, ivrPath: [], at });
  const seen = await d.req('GET', '/api/work-orders', l1);
  t.same(seen.body.items.map((w: any) => w.callId).sort(), ['c1', 'c2'], 'caller B\'s earlier work order is visible');
  t.same((await d.req('GET', '/api/calls', l1)).body.items.map((c: any) => c.callId).sort(), ['c1', 'c2', 'c5']);
  t.same((await d.req('GET', '/api/handling', l1)).body, [{ callId: 'c5', callerNumber: B, state: 'offered' }]);
  const c2 = seen.body.items.find((w: any) => w.callId === 'c2');
  t.equal((await d.req('GET', `/api/work-orders/${c2.id}`, l1)).status, 200);
  const edit = await d.req('PATCH', `/api/work-orders/${c2.id}`, l1, { answer: 'x' });
  t.equal(edit.status, 403, 'visible is not editable: only its owner or a supervisor');
  t.same((await d.req('GET', '/api/work-orders', l2)).body.items.map((w: any) => w.callId).sort(), ['c2', 'c3'], 'lawyer2 unaffected');

  await d.publish({ type: 'missed', staffNo: 'lawyer1', callId: 'c5', at });
  t.same((await d.req('GET', '/api/work-orders', l1)).body.items.map((w: any) => w.callId), ['c1'], 'a missed call grants nothing');
  t.same((await d.req('GET', '/api/calls', l1)).body.items.map((c: any) => c.callId), ['c1']);

  await d.publish({ type: 'offered', staffNo: 'lawyer1', callId: 'c5', callerNumber: B, line: 'consultation', priority: 0, green: false, ivrPath: [], at });
  await d.publish({ type: 'answered', staffNo: 'lawyer1', callId: 'c5', at });
  await d.publish({ type: 'ended', staffNo: 'lawyer1', callId: 'c5', at });
  const w5 = await d.req('POST', '/api/work-orders', l1, wo('c5'));
  t.equal(w5.status, 201, 'the call record has no agent yet, but lawyer1 handled it: the work order can be written in wrap-up');
  t.same((await d.req('GET', '/api/handling', l1)).body, [], 'written after the call: nothing left to finish');
});

t.test('owners and supervisors edit; the ledger rules hold for the edited whole', async (t) => {
  const [c1] = (await d.req('GET', '/api/work-orders?callId=c1', l1)).body.items;
  const r = await d.req('PATCH', `/api/work-orders/${c1.id}`, l1, { disposition: 'follow_up', answer: '约定三日内答复' });
  t.equal(r.status, 200);
  t.match(r.body, { disposition: 'follow_up', answer: '约定三日内答复', callerDeclinedName: true, updatedBy: 'lawyer1' });
  t.ok(r.body.updatedAt >= c1.updatedAt);
  const bad = await d.req('PATCH', `/api/work-orders/${c1.id}`, l1, { riskFlag: true });
  t.same(bad.body.details, [{ field: 'riskReason', message: 'is required when the risk flag is set' }]);
  t.equal((await d.req('PATCH', `/api/work-orders/${c1.id}`, sup, { riskFlag: true, riskReason: '扬言集体上访' })).body.updatedBy, 'supervisor');
  t.equal((await d.req('PATCH', `/api/work-orders/${c1.id}`, l1, {})).body.details[0].field, '(body)', 'an empty edit is refused');
});

t.test('supervisors search everything, with filters', async (t) => {
  const all = await d.req('GET', '/api/work-orders', sup);
  t.equal(all.body.total, 5);
  const ids = async (q: string) => (await d.req('GET', `/api/work-orders?${q}`, sup)).body.items.map((w: any) => w.callId).sort();
  t.same(await ids(`caller=${A}`), ['c1', 'c3']);
  t.same(await ids('staffNo=lawyer2'), ['c2', 'c3']);
  t.same(await ids('line=application'), ['c3']);
  t.same(await ids('disposition=follow_up'), ['c1', 'c2']);
  t.same(await ids('risk=true'), ['c1', 'c3']);
  t.same(await ids('limit=2'), (await ids('limit=2')), 'paging is stable');
  t.equal((await d.req('GET', '/api/work-orders?limit=2', sup)).body.items.length, 2);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  t.equal((await d.req('GET', `/api/work-orders?from=${today}&to=${today}`, sup)).body.total, 5, 'a day is the whole day');
  t.equal((await d.req('GET', '/api/work-orders?to=2026-01-01', sup)).body.total, 0);
  t.equal((await d.req('GET', '/api/work-orders?from=2026-11-05&to=2026-11-04', sup)).body.details[0].field, 'to');

  const calls = async (q: string) => (await d.req('GET', `/api/calls?${q}`, sup)).body.items.map((c: any) => c.callId);
  t.same(await calls(''), ['c5', 'c4', 'c3', 'c2', 'c1'], 'every call, answered or not, newest first');
  t.same(await calls('from=2026-11-03&to=2026-11-04'), ['c3', 'c2'], 'date range in China Standard Time, both days whole');
  t.same(await calls('line=complaint'), ['c4']);
  t.same(await calls('staffNo=lawyer2'), ['c3', 'c2']);
  t.same(await calls(`caller=${A}`), ['c3', 'c1']);
  const [c4] = (await d.req('GET', '/api/calls?line=complaint', sup)).body.items;
  t.match(c4, { callId: 'c4', callerNumber: C, answeredAt: null, endReason: 'abandoned_in_queue', agent: null, serviceLine: 'complaint' });
  t.type(c4.workOrderId, 'string', 'the work order written for it is linked');
});

t.test('the CSV export: BOM, Chinese headers, labels, quoting, formula guard, declined names', async (t) => {
  const r = await d.req('GET', `/api/work-orders/export.csv?caller=${A}`, sup);
  t.equal(r.status, 200);
  t.match(r.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(r.headers['content-disposition'], /^attachment; filename="work-orders-\d{4}-\d{2}-\d{2}\.csv"$/);
  t.ok(r.text.startsWith('\uFEFF'), 'BOM for Excel');
  const lines = r.text.slice(1).split('\r\n');
  t.equal(lines.at(-1), '', 'ends with CRLF');
  t.equal(lines[0], '工单号,通话编号,来电号码,来电人,服务类别,法律问题类别,咨询事项,答复内容,转介,办理结果,舆情风险,风险原因,首问律师工号,登记时间,最后修改,修改人');
  t.equal(lines.length, 4, 'header, two rows, trailing empty');
  const c3 = lines.find((l) => l.includes(',c3,'))!;
  t.match(c3, `,c3,${A},,业务申请,legal-aid,"'=HYPERLINK(""x"") 申请法律援助, ""加急""",`);
  t.match(c3, ',县法律援助中心,已转介,是,同村二十余户反映同一征地补偿问题,lawyer2,');
  const c1 = lines.find((l) => l.includes(',c1,'))!;
  t.match(c1, `,c1,${A},（来电人拒绝留名）,法律咨询,labour-wages,`);
  t.match(c1, ',需后续办理,是,扬言集体上访,lawyer1,');
  t.equal(r.headers['x-total-count'], '2');
});

t.test('first inquiry: the owner of a caller\'s open work order, for the ACD', async (t) => {
  const fi = callerRouting(d.orm);
  t.equal(await fi.ownerFor(B), 'lawyer2', 'B\'s matter awaits lawyer2\'s follow-up');
  t.equal(await fi.ownerFor(A), 'lawyer1', 'A\'s newest open matter is lawyer1\'s');
  t.equal(await fi.ownerFor(C), undefined, 'C\'s matter was transferred: nothing open');
  await d.orm.em.fork().getConnection().execute(`update staff set active = false where staff_no = 'lawyer2'`);
  t.equal(await fi.ownerFor(B), undefined, 'a lawyer who left owns nothing');
});
