// Legal-aid applications on the real database: intake from the desk during a call (linked to the call and its work
// order, a case number for the caller), the status steps with their working-day deadlines across the 2025 National
// Day holiday and its make-up days, the overdue alert, and case_status (what the IVR reads) kept in step.
import t from 'tap';
import { loadCalendar } from '../lib/calendar/index.js';
import { LegalAid } from '../lib/after-call/legal-aid.js';
import { startDesk, type TestDesk } from './helpers/desk.js';

let d: TestDesk;
let lawyer = '';
let sup = '';
t.before(async () => {
  d = await startDesk();
  await d.staff({ staffNo: 'lawyer1', role: 'agent' });
  await d.staff({ staffNo: 'lawyer2', role: 'agent' });
  await d.staff({ staffNo: 'sup1', role: 'supervisor' });
  lawyer = await d.cookie('lawyer1');
  sup = await d.cookie('sup1');
});
t.teardown(() => d.close());

const caseStatus = async (caseNumber: string) =>
  (await d.orm.em.fork().getConnection().execute('select kind, status from case_status where case_number = ?', [caseNumber]))[0];

t.test('a lawyer takes an application during the call: case number, means test, link to the call and work order', async (t) => {
  await d.insertCall({ callId: 'la-1', callerNumber: '13900001111', agent: 'lawyer1', line: 'application' });
  const wo = await d.req('POST', '/api/work-orders', lawyer, { callId: 'la-1', serviceLine: 'application', matter: '讨薪，申请法律援助', disposition: 'follow_up' });
  t.equal(wo.status, 201);
  const r = await d.req('POST', '/api/legal-aid', lawyer, {
    callId: 'la-1', applicantName: '张三', matterType: 'labour-wages', matter: '工地欠薪三个月', opposingParty: '某建筑公司',
    exemptGroup: 'migrant_worker_wages', documentsMissing: ['身份证复印件', '劳动关系证明'],
  });
  t.equal(r.status, 201, JSON.stringify(r.body));
  t.match(r.body, {
    callId: 'la-1', workOrderId: wo.body.id, applicantPhone: '13900001111', status: 'received', meansTest: 'exempt',
    documentsMissing: ['身份证复印件', '劳动关系证明'], overdue: false, createdBy: 'lawyer1',
  });
  t.match(r.body.caseNumber, /^\d{10}$/, 'digits only: the caller keys it in the IVR');
  t.same(await caseStatus(r.body.caseNumber), { kind: 'legal_aid', status: 'received' }, 'the IVR can read it at once');

  const decl = await d.req('POST', '/api/legal-aid', lawyer, { callId: 'la-1', applicantName: '李四', matterType: 'marriage-family', hardshipDeclaration: true });
  t.equal(decl.body.meansTest, 'declaration', '告知承诺 instead of documents');
  t.not(decl.body.caseNumber, r.body.caseNumber);
  const detail = await d.req('GET', `/api/work-orders/${wo.body.id}`, lawyer);
  t.equal(detail.status, 200);
  t.same(detail.body.afterCall.applications.map((x: { caseNumber: string }) => x.caseNumber), [r.body.caseNumber, decl.body.caseNumber], 'on the work order of the call');
});

t.test('bad input: each bad field named; a call the lawyer did not take is refused', async (t) => {
  const bad = await d.req('POST', '/api/legal-aid', lawyer, { applicantName: '', matterType: 'x', exemptGroup: 'rich', applicantIdNumber: '123' });
  t.equal(bad.status, 400);
  t.same(bad.body.details.map((x: { field: string }) => x.field).sort(), ['applicantIdNumber', 'applicantName', 'exemptGroup']);
  await d.insertCall({ callId: 'la-other', callerNumber: '13900002222', agent: 'lawyer2', line: 'application' });
  const other = await d.req('POST', '/api/legal-aid', lawyer, { callId: 'la-other', applicantName: '王五', matterType: 'other' });
  t.equal(other.status, 403);
});

t.test('status flow through the desk: supervisors decide, steps in order, case_status follows', async (t) => {
  const a = (await d.req('POST', '/api/legal-aid', lawyer, { applicantName: '赵六', matterType: 'traffic-accident' })).body;
  const step = (body: object, who = sup) => d.req('POST', `/api/legal-aid/${a.id}/status`, who, body);
  t.equal((await step({ to: 'under_review' }, lawyer)).status, 403, 'a lawyer does not decide');
  const skip = await step({ to: 'lawyer_assigned', lawyer: '王律师' });
  t.equal(skip.status, 409, 'no skipping: received -> lawyer_assigned');
  t.equal((await step({ to: 'under_review' })).body.status, 'under_review');
  t.equal((await caseStatus(a.caseNumber)).status, 'under_review');
  const noReason = await step({ to: 'refused' });
  t.equal(noReason.status, 400);
  t.equal(noReason.body.details[0].field, 'reason');
  const approved = await step({ to: 'approved', note: '符合条件' });
  t.match(approved.body, { status: 'approved', decidedOnTime: true });
  t.ok(approved.body.stepDue > approved.body.decidedOn, 'a new clock: assign a lawyer');
  const assigned = await step({ to: 'lawyer_assigned', lawyer: '王律师 (某某律师事务所)' });
  t.match(assigned.body, { status: 'lawyer_assigned', stepDue: null, lawyer: '王律师 (某某律师事务所)' });
  t.same(assigned.body.events.map((e: { toStatus: string }) => e.toStatus), ['received', 'under_review', 'approved', 'lawyer_assigned']);
  t.equal((await caseStatus(a.caseNumber)).status, 'lawyer_assigned');
  const list = await d.req('GET', '/api/legal-aid?status=lawyer_assigned', sup);
  t.ok(list.body.items.some((x: { id: string }) => x.id === a.id));
  t.equal((await d.req('GET', `/api/legal-aid/${a.id}`, await d.cookie('lawyer2'))).status, 404, 'another lawyer does not see it');
});

t.test('deadlines in working days across National Day 2025 and its make-up days; the overdue alert', async (t) => {
  const cal = loadCalendar();
  const la = new LegalAid(cal);
  const em = d.orm.em.fork();
  // Received Friday 2025-09-26: 2 working days to start review = Sun 09-28 (make-up day) and Mon 09-29.
  const a = await la.create(em, { applicantName: '孙七', matterType: 'labour-wages' }, 'lawyer1', new Date('2025-09-26T10:00:00+08:00'));
  t.match(a, { receivedOn: '2025-09-26', stepDue: '2025-09-29', decisionDue: '2025-10-13' }, '7 working days: 09-28, 29, 30, 10-09, 10, 11 (Sat, make-up), 13');
  const r = await la.changeStatus(em, a.id, 'under_review', { by: 'sup1' }, new Date('2025-09-29T09:00:00+08:00'));
  t.equal(r!.stepDue, '2025-10-13', 'under review: the decision deadline');
  // Nothing is overdue on the deadline day itself; the day after it is.
  t.same((await la.alertOverdue(d.orm.em.fork(), new Date('2025-10-13T17:00:00+08:00'))).map((x) => x.id).filter((id) => id === a.id), []);
  const late = await la.alertOverdue(d.orm.em.fork(), new Date('2025-10-14T08:00:00+08:00'));
  t.ok(late.some((x) => x.id === a.id), 'overdue the day after the deadline');
  t.same((await la.alertOverdue(d.orm.em.fork(), new Date('2025-10-15T08:00:00+08:00'))).filter((x) => x.id === a.id), [], 'alerted once per step');
  const view = await d.req('GET', `/api/legal-aid/${a.id}`, sup);
  t.match(view.body, { overdue: true, overdueAlertedOn: '2025-10-14' });
  t.ok(view.body.events.some((e: { kind: string }) => e.kind === 'overdue'));
  const overdue = await d.req('GET', '/api/legal-aid?overdue=true', sup);
  t.ok(overdue.body.items.some((x: { id: string }) => x.id === a.id), 'in the overdue list');
  // Decided late: 10-14 > 10-13. Approved then: 3 working days to assign, over the 2026 New Year (01-01..03) and the
  // Sunday 2026-01-04 make-up day.
  const ap = await la.changeStatus(d.orm.em.fork(), a.id, 'approved', { by: 'sup1' }, new Date('2025-10-14T09:00:00+08:00'));
  t.match(ap, { decidedOn: '2025-10-14', stepDue: '2025-10-17', overdueAlertedOn: null });
  const b = await la.create(d.orm.em.fork(), { applicantName: '周八', matterType: 'other' }, 'lawyer1', new Date('2025-12-26T10:00:00+08:00'));
  await la.changeStatus(d.orm.em.fork(), b.id, 'under_review', { by: 'sup1' }, new Date('2025-12-29T10:00:00+08:00'));
  const bAp = await la.changeStatus(d.orm.em.fork(), b.id, 'approved', { by: 'sup1' }, new Date('2025-12-31T10:00:00+08:00'));
  t.equal(bAp!.stepDue, '2026-01-06', 'after 12-31: 01-04 (make-up Sunday), 01-05, 01-06');
  const decided = await d.req('GET', `/api/legal-aid/${a.id}`, sup);
  t.equal(decided.body.decidedOnTime, false, 'decided after the 7 working days');
});
