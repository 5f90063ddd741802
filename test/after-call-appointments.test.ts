// Appointments on the real database through the desk API: slots only on working days (none on a holiday, a
// make-up Saturday open), booking during a call linked to it, capacity held by PostgreSQL under concurrent bookings
// (no double booking), moving and cancelling free the place, no-shows counted, and the reminder day.
import t from 'tap';
import { loadCalendar } from '../lib/calendar/index.js';
import { book, ensureSlots, reminderDay, reminderTime, remindersDueToday } from '../lib/after-call/appointments.js';
import { AppointmentService } from '../lib/entities/after-call.js';
import { startDesk, type TestDesk } from './helpers/desk.js';

let d: TestDesk;
let lawyer = '';
let sup = '';
t.before(async () => {
  d = await startDesk();
  await d.staff({ staffNo: 'lawyer1', role: 'agent' });
  await d.staff({ staffNo: 'sup1', role: 'supervisor' });
  lawyer = await d.cookie('lawyer1');
  sup = await d.cookie('sup1');
});
t.teardown(() => d.close());

/** The next working day from tomorrow on, per the calendar (the tests run on any date). */
const cal = loadCalendar();
const nextWorkingDay = () => cal.addWorkingDays(new Date(), 1);

t.test('the services, and slots only on working days inside opening hours', async (t) => {
  const services = await d.req('GET', '/api/appointment-services', lawyer);
  t.equal(services.status, 200);
  t.same(services.body.map((s: { code: string }) => s.code).sort(),
    ['admin-reconsideration', 'judicial-appraisal', 'lawyer-consultation', 'legal-aid', 'mediation', 'notarisation']);
  const em = d.orm.em.fork();
  const notary = (await em.findOne(AppointmentService, { code: 'notarisation' }))!;
  t.equal(await ensureSlots(em, cal, notary, '2026-10-01'), 0, 'National Day: closed');
  t.equal(await ensureSlots(em, cal, notary, '2026-10-04'), 0, 'a Sunday in the holiday');
  // 2026-10-10 is a make-up Saturday: open with weekday hours, 08:30-12:00 and 14:00-17:30 in 30-minute slots, 2 windows.
  t.equal(await ensureSlots(em, cal, notary, '2026-10-10'), (7 + 7) * 2, 'make-up Saturday: weekday hours');
  t.equal(await ensureSlots(em, cal, notary, '2027-03-01'), 0, 'a year without holiday data: no guessed slots');
  const day = nextWorkingDay();
  const slots = await d.req('GET', `/api/appointment-slots?service=notarisation&date=${day}`, lawyer);
  t.equal(slots.status, 200);
  t.equal(slots.body.length, 28);
  t.match(slots.body[0], { service: 'notarisation', capacity: 2, free: 2 });
  t.equal(new Date(slots.body[0].startsAt).toISOString(), new Date(`${day}T08:30:00+08:00`).toISOString());
  t.equal((await d.req('GET', `/api/appointment-slots?service=nope&date=${day}`, lawyer)).status, 404);
});

t.test('a lawyer books during the call, moves and cancels; the work order link and the day list', async (t) => {
  await d.insertCall({ callId: 'ap-1', callerNumber: '13900003333', agent: 'lawyer1', line: 'appointment' });
  const wo = await d.req('POST', '/api/work-orders', lawyer, { callId: 'ap-1', serviceLine: 'appointment', matter: '预约公证', answer: '已预约', disposition: 'resolved' });
  const day = nextWorkingDay();
  const slots = (await d.req('GET', `/api/appointment-slots?service=mediation&date=${day}`, lawyer)).body;
  const r = await d.req('POST', '/api/appointments', lawyer, { callId: 'ap-1', slotId: slots[0].id, callerName: '钱九' });
  t.equal(r.status, 201, JSON.stringify(r.body));
  t.match(r.body, { callId: 'ap-1', workOrderId: wo.body.id, callerNumber: '13900003333', status: 'booked', channel: 'desk', bookedBy: 'lawyer1', serviceName: '人民调解' });
  const detail = await d.req('GET', `/api/work-orders/${wo.body.id}`, lawyer);
  t.same(detail.body.afterCall.appointments.map((x: { id: string }) => x.id), [r.body.id], 'on the work order of the call');
  const full = await d.req('POST', '/api/appointments', lawyer, { callerNumber: '13900004444', slotId: slots[0].id });
  t.equal(full.status, 409, 'capacity 1: the second booking is refused');
  t.equal(full.body.details[0].field, 'slotId');
  const moved = await d.req('PATCH', `/api/appointments/${r.body.id}`, lawyer, { slotId: slots[1].id });
  t.match(moved.body, { slotId: slots[1].id, moves: 1 });
  t.equal((await d.req('POST', '/api/appointments', lawyer, { callerNumber: '13900004444', slotId: slots[0].id })).status, 201, 'the old place is free again');
  const list = await d.req('GET', `/api/appointments?date=${day}`, sup);
  t.equal(list.body.total, 2);
  t.ok(list.body.items[0].startsAt <= list.body.items[1].startsAt, 'the day list runs by time');
  const cancelled = await d.req('POST', `/api/appointments/${r.body.id}/cancel`, lawyer);
  t.equal(cancelled.body.status, 'cancelled');
  t.equal((await d.req('POST', `/api/appointments/${r.body.id}/cancel`, lawyer)).status, 409, 'cancelled once');
  const again = await d.req('POST', '/api/appointments', lawyer, { callerNumber: '13900005555', slotId: slots[1].id });
  t.equal(again.status, 201, 'the cancelled place is free');
  const noShow = await d.req('POST', `/api/appointments/${again.body.id}/attendance`, sup, { kept: false });
  t.equal(noShow.body.status, 'no_show');
  const missed = await d.req('GET', '/api/appointments?status=no_show', sup);
  t.equal(missed.body.total, 1, 'no-shows are counted');
  const bad = await d.req('POST', '/api/appointments', lawyer, { slotId: 'x', callerNumber: '12' });
  t.equal(bad.status, 400);
  t.same(bad.body.details.map((x: { field: string }) => x.field).sort(), ['callerNumber', 'slotId']);
});

t.test('capacity under concurrent bookings: 12 callers, one slot of capacity 2, exactly 2 booked', async (t) => {
  const day = nextWorkingDay();
  const slots = (await d.req('GET', `/api/appointment-slots?service=notarisation&date=${day}`, lawyer)).body;
  const slot = slots.at(-1);
  // Each booking on its own EntityManager and pooled connection, all at once.
  const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) =>
    book(d.orm.em.fork(), { slotId: slot.id, callerNumber: `1390000${String(i).padStart(4, '0')}`, channel: 'ivr', bookedBy: 'ivr' })));
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 2, 'two places, two bookings');
  t.ok(results.filter((r) => r.status === 'rejected').every((r) => /full/.test(String((r as PromiseRejectedResult).reason))), 'the rest: full');
  const conn = d.orm.em.fork().getConnection();
  const [row] = await conn.execute('select booked, capacity, (select count(*) from appointment where slot_id = s.id and status = \'booked\') as n from appointment_slot s where id = ?', [slot.id]);
  t.same({ booked: row.booked, n: Number(row.n) }, { booked: 2, n: 2 });
  // Also through the desk API, racing the last place of another slot.
  const other = slots.at(-2);
  const http = await Promise.all(Array.from({ length: 6 }, (_, i) =>
    d.req('POST', '/api/appointments', lawyer, { slotId: other.id, callerNumber: `1380000${String(i).padStart(4, '0')}` })));
  t.same(http.map((r) => r.status).sort(), [201, 201, 409, 409, 409, 409]);
  await t.rejects(conn.execute('update appointment_slot set booked = capacity + 1 where id = ?', [slot.id]), /appointment_slot_booked_check/, 'the table itself refuses overbooking');
});

t.test('the reminder goes out on the working day before, at opening time', async (t) => {
  t.equal(reminderDay(cal, '2025-10-09'), '2025-09-30', 'after National Day 2025: the last working day before it');
  t.equal(reminderDay(cal, '2025-10-13'), '2025-10-11', 'a Monday after a make-up Saturday: that Saturday');
  t.equal(reminderDay(cal, '2026-01-05'), '2026-01-04', 'the make-up Sunday before 2026-01-05');
  t.equal(reminderDay(cal, '2026-02-24'), '2026-02-14', 'after the Spring Festival 2026: the make-up Saturday 02-14');
  t.equal(reminderTime(cal, '2025-10-09').toISOString(), new Date('2025-09-30T08:30:00+08:00').toISOString());
  // remindersDueToday finds the next working day's appointments, only on a working day and before closing.
  const em = d.orm.em.fork();
  await em.getConnection().execute(`insert into appointment_slot (service, room, starts_at, ends_at, capacity, booked) values
    ('mediation', '调解室', '2025-10-09T09:00:00+08:00', '2025-10-09T10:00:00+08:00', 1, 1)`);
  const [{ id: slotId }] = await em.getConnection().execute(`select id from appointment_slot where starts_at = '2025-10-09T09:00:00+08:00'`);
  await em.getConnection().execute(`insert into appointment (slot_id, service, room, starts_at, caller_number, channel, booked_by)
    values (?, 'mediation', '调解室', '2025-10-09T09:00:00+08:00', '13900006666', 'desk', 'lawyer1')`, [slotId]);
  const due = async (at: string) => (await remindersDueToday(d.orm.em.fork(), cal, new Date(at))).map((r) => [r.appointment.callerNumber, r.at.toISOString()]);
  t.same(await due('2025-09-30T07:00:00+08:00'), [['13900006666', new Date('2025-09-30T08:30:00+08:00').toISOString()]], 'before opening: planned for the opening');
  t.same(await due('2025-09-30T15:00:00+08:00'), [['13900006666', new Date('2025-09-30T15:00:00+08:00').toISOString()]], 'during hours: now');
  t.same(await due('2025-09-30T18:00:00+08:00'), [], 'after closing: not in the evening');
  t.same(await due('2025-10-08T10:00:00+08:00'), [], 'a holiday: nobody is called');
  t.same(await due('2025-09-29T10:00:00+08:00'), [], 'two working days before: not yet');
});
