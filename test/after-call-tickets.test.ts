// Complaint and supervision tickets through the desk API on the real database: a complaint about a named lawyer goes
// to a supervisor and that lawyer never sees it; assignment, forwarding with a note, the callback request (an outbox
// row the jobs pick up), closure with the rating; an overdue ticket escalates; the calendar banner and admin upload.
import t from 'tap';
import { loadCalendar } from '../lib/calendar/index.js';
import { Tickets } from '../lib/after-call/tickets.js';
import { startDesk, type TestDesk } from './helpers/desk.js';

let d: TestDesk;
const c: Record<string, string> = {};
t.before(async () => {
  d = await startDesk();
  for (const [staffNo, role] of [['lawyer1', 'agent'], ['lawyer2', 'agent'], ['sup1', 'supervisor'], ['sup2', 'supervisor'], ['admin', 'admin']] as const) {
    await d.staff({ staffNo, role });
    c[staffNo] = await d.cookie(staffNo);
  }
});
t.teardown(() => d.close());

t.test('a complaint about lawyer1, taken by lawyer2 during the call: to a supervisor, never to lawyer1', async (t) => {
  await d.insertCall({ callId: 'tk-1', callerNumber: '13900005001', agent: 'lawyer2', line: 'complaint' });
  const r = await d.req('POST', '/api/tickets', c.lawyer2, {
    callId: 'tk-1', kind: 'complaint', category: 'service-attitude', concernsStaffNo: 'lawyer1', summary: '律师答复敷衍', department: '律师管理科', deadlineDays: 5,
  });
  t.equal(r.status, 201, JSON.stringify(r.body));
  t.match(r.body, { handler: 'sup1', status: 'in_progress', callerNumber: '13900005001', callId: 'tk-1', concernsStaffNo: 'lawyer1' });
  t.same(r.body.events.map((e: { kind: string }) => e.kind), ['created', 'assigned']);
  const id = r.body.id;
  const wo = await d.req('POST', '/api/work-orders', c.lawyer2, { callId: 'tk-1', serviceLine: 'complaint', matter: '投诉律师', disposition: 'follow_up' });
  const detail = await d.req('GET', `/api/work-orders/${wo.body.id}`, c.sup1);
  t.same(detail.body.afterCall.tickets.map((x: { id: string }) => x.id), [id], 'on the work order of the call');
  t.equal((await d.req('GET', `/api/tickets/${id}`, c.lawyer1)).status, 404, 'the lawyer complained about cannot see it');
  t.notOk((await d.req('GET', '/api/tickets', c.lawyer1)).body.items.some((x: { id: string }) => x.id === id));
  t.equal((await d.req('GET', `/api/tickets/${id}`, c.lawyer2)).status, 200, 'the lawyer who took it can');
  const toLawyer = await d.req('POST', `/api/tickets/${id}/assign`, c.sup1, { handler: 'lawyer1' });
  t.equal(toLawyer.status, 400);
  t.match(toLawyer.body.details[0], { field: 'handler' });
  t.equal((await d.req('POST', `/api/tickets/${id}/assign`, c.sup1, { handler: 'lawyer2' })).status, 400, 'nor to another lawyer: a supervisor');
  const reassigned = await d.req('POST', `/api/tickets/${id}/assign`, c.sup1, { handler: 'sup2' });
  t.equal(reassigned.body.handler, 'sup2');
  await t.rejects(d.orm.em.fork().getConnection().execute(`update ticket set handler = 'lawyer1' where id = ?`, [id]), /ticket_not_own_lawyer_check/, 'the table refuses it too');
  const direct = await d.req('POST', '/api/tickets', c.sup1, {
    kind: 'complaint', category: 'service-attitude', concernsStaffNo: 'lawyer1', handler: 'lawyer1', summary: 'x', department: 'y', deadlineDays: 3,
  });
  t.equal(direct.status, 400, 'not even when asked for at creation');
});

t.test('a supervision ticket: forwarded with a note, reply by callback, closed with the rating', async (t) => {
  const r = await d.req('POST', '/api/tickets', c.lawyer1, {
    kind: 'supervision', category: 'slow-processing', concernsDepartment: '某司法所', summary: '调解申请一个月无人处理',
    callerNumber: '13900005002', department: '基层科', handler: 'lawyer1', deadlineDays: 10,
  });
  t.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  const fwd = await d.req('POST', `/api/tickets/${id}/forward`, c.lawyer1, { department: '某司法所', note: '请司法所核实并答复' });
  t.match(fwd.body, { department: '某司法所', handler: null, status: 'open' });
  t.match(fwd.body.events.at(-1), { kind: 'forwarded', note: '请司法所核实并答复', details: { from: '基层科', to: '某司法所' } });
  t.equal((await d.req('POST', `/api/tickets/${id}/close`, c.sup1, { rating: 'satisfied' })).status, 409, 'no closing before a reply');
  const cb = await d.req('POST', `/api/tickets/${id}/callback`, c.sup1, { reply: '司法所已受理，三日内组织调解' });
  t.equal(cb.status, 200);
  t.match(cb.body.events.at(-1), { kind: 'callback_requested', details: { number: '13900005002' } });
  const closed = await d.req('POST', `/api/tickets/${id}/close`, c.sup1, { rating: 'basically_satisfied', note: '来电人认可' });
  t.match(closed.body, { status: 'closed', rating: 'basically_satisfied', closedOnTime: true });
  t.equal((await d.req('POST', `/api/tickets/${id}/forward`, c.sup1, { department: 'z', note: 'n' })).status, 409, 'closed is closed');
  const bad = await d.req('POST', '/api/tickets', c.lawyer1, { kind: 'praise', category: '', summary: 'x', department: 'y', deadlineDays: 0 });
  t.same(bad.body.details.map((x: { field: string }) => x.field).sort(), ['category', 'deadlineDays', 'kind']);
});

t.test('an overdue ticket escalates to a supervisor, once', async (t) => {
  const tickets = new Tickets(loadCalendar());
  const tk = await tickets.create(d.orm.em.fork(), { kind: 'complaint', category: 'other', summary: '无人回复', department: '办公室', handler: 'lawyer2', deadlineDays: 3 },
    'lawyer2', new Date('2026-02-12T10:00:00+08:00'));
  t.equal(tk.dueDate, '2026-02-24', 'Thu 02-12 + 3: 02-13, 02-14 (make-up Saturday), then the Spring Festival to 02-23, 02-24');
  t.same((await tickets.escalateOverdue(d.orm.em.fork(), new Date('2026-02-24T17:00:00+08:00'))).filter((x) => x.id === tk.id), []);
  const up = await tickets.escalateOverdue(d.orm.em.fork(), new Date('2026-02-25T08:00:00+08:00'));
  t.match(up.find((x) => x.id === tk.id), { escalatedTo: 'sup1' });
  t.same((await tickets.escalateOverdue(d.orm.em.fork(), new Date('2026-02-26T08:00:00+08:00'))).filter((x) => x.id === tk.id), []);
  const list = await d.req('GET', '/api/tickets?overdue=true', c.sup1);
  t.ok(list.body.items.some((x: { id: string; overdue: boolean }) => x.id === tk.id && x.overdue));
});

t.test('the calendar: banner warnings for a year without data, and an admin loads next year without a release', async (t) => {
  const before = await d.req('GET', '/api/calendar', c.lawyer1);
  t.equal(before.status, 200);
  t.same(before.body.years, [2024, 2025, 2026]);
  // The banner looks 60 days ahead: it speaks in November and December for next year.
  const soon = new Date(Date.now() + 60 * 86400_000).getUTCFullYear();
  if (soon > 2026) t.ok(before.body.warnings.some((w: { year: number }) => w.year === 2027), 'warns about 2027');
  const body = {
    source: '国务院办公厅关于2027年部分节假日安排的通知 (test)',
    holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
    workdays: ['2027-01-05'],
  };
  t.equal((await d.req('PUT', '/api/calendar/years/2027', c.sup1, body)).status, 403, 'admins only');
  const bad = await d.req('PUT', '/api/calendar/years/2027', c.admin, body);
  t.equal(bad.status, 400, '2027-01-05 is a Tuesday: not a make-up working day');
  t.match(bad.body.message, /2027-01-05 is a weekday/);
  const ok = await d.req('PUT', '/api/calendar/years/2027', c.admin, { ...body, workdays: [] });
  t.equal(ok.status, 200, JSON.stringify(ok.body));
  t.same(ok.body.years, [2024, 2025, 2026, 2027]);
  t.notOk(ok.body.warnings.some((w: { year: number }) => w.year === 2027), 'the banner is quiet');
  const slots = await d.req('GET', '/api/appointment-slots?service=notarisation&date=2027-01-04', c.lawyer1);
  t.equal(slots.body.length, 28, 'bookable in 2027 at once');
  t.same((await d.req('GET', '/api/appointment-slots?service=notarisation&date=2027-01-01', c.lawyer1)).body, [], 'not on its New Year');
});
