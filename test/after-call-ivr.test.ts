// After the call on the whole call path (pbx-sim through ari-client, the controller on the real 12348 flow, real
// PostgreSQL and Redis): the IVR reads a legal-aid application's status by its case number, a caller books the
// earliest free slot with one key, the reminder call goes out through ARI on the working day before, and a
// complaint is answered by callback; outcomes are recorded.
import t from 'tap';
import pino from 'pino';
import { loadCalendar } from '../lib/calendar/index.js';
import { beijingTime } from '../lib/calendar/civil.js';
import { AfterCallJobs } from '../lib/after-call/jobs.js';
import { LegalAid } from '../lib/after-call/legal-aid.js';
import { OutboundCaller } from '../lib/after-call/outbound.js';
import { Tickets } from '../lib/after-call/tickets.js';
import { ariBinding } from '../ivr/acd/ari-ops.js';
import { datePrompts, timePrompts } from '../prompts/say.js';
import { startHotline, REDIS_URL, type TestHotline } from './helpers/hotline.js';
import { finished, GREETING, hangUpInQueue, MOH, pressAt } from './helpers/paths.js';
import { call, until } from './helpers/sim.js';

let h: TestHotline;
const cal = loadCalendar();
t.before(async () => {
  h = await startHotline();
  await h.sql(`insert into staff (staff_no, name, role, password_hash) values ('sup1', '主任', 'supervisor', 'x'), ('8001', '王律师', 'agent', 'x')`);
});
t.teardown(() => h.close());

const ARRIVAL = ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:open'];

t.test('the IVR reads the status of an application taken on the desk, by its case number', async (t) => {
  const la = new LegalAid(cal);
  const a = await la.create(h.orm.em.fork(), { applicantName: '张三', matterType: 'labour-wages' }, '8001');
  await la.changeStatus(h.orm.em.fork(), a.id, 'under_review', { by: 'sup1' });
  const id = await h.dial('13900008001');
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '5');
  await pressAt(h, id, 'case-number-prompt', `${a.caseNumber}#`);
  await h.waitEnded(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'case-number-prompt', 'status-intro', `digits:${a.caseNumber}`, 'status-under-review', 'goodbye']);
  t.ok(f.path.includes('status-lookup:found'));
});

t.test('self-service: 3, a service, the earliest free time read out, 1 books it', async (t) => {
  const from = '13900008002';
  const id = await h.dial(from);
  await pressAt(h, id, 'main-menu', '3');
  await pressAt(h, id, 'appointment-menu', '1');
  await pressAt(h, id, 'appointment-confirm-menu', '1');
  await h.waitEnded(id);
  const f = await finished(h, id);
  const [row] = await h.sql(`select * from appointment where call_id = ?`, [id]);
  t.match(row, { caller_number: from, service: 'notarisation', channel: 'ivr', status: 'booked', booked_by: 'ivr' });
  const when = beijingTime(new Date(row.starts_at));
  t.ok(cal.isWorkingDay(when.date), `${when.date} is a working day`);
  t.ok(new Date(row.starts_at).getTime() > Date.now() + 59 * 60_000, 'not sooner than an hour from now');
  t.same(f.heard, [...GREETING, 'main-menu', 'appointment-menu', 'appointment-earliest', ...datePrompts(when.date), ...timePrompts(when.minute),
    'appointment-confirm-menu', 'appointment-booked', 'goodbye'], 'the time read out is the time booked');
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[3]', 'line-appointment:done', 'appointment-menu:chosen[1]', 'svc-notarisation:done',
    'slot-lookup:found', 'slot-offer:chosen[1]', 'slot-book:found', 'appointment-booked:done', 'goodbye:done']);
  t.match(f.record, { service_line: 'appointment', legal_topic: 'notarisation', end_reason: 'completed' });
  const [slot] = await h.sql('select booked from appointment_slot where id = ?', [row.slot_id]);
  t.equal(slot.booked, 1);
});

t.test('self-service: 0 at the offer reaches a person of the appointment line', async (t) => {
  const id = await h.dial('13900008003');
  await pressAt(h, id, 'main-menu', '3');
  await pressAt(h, id, 'appointment-menu', '3');
  await pressAt(h, id, 'appointment-confirm-menu', '0');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.equal(f.heard.at(-1), MOH);
  t.ok(f.path.includes('slot-offer:chosen[0]'));
  t.same(await h.sql('select * from appointment where call_id = ?', [id]), [], 'nothing booked');
});

/** After-call jobs on the hotline's own ARI connection, with the clock set to `now`. */
function jobs(now: Date, name: string) {
  const log = pino({ level: 'silent' });
  const outbound = new OutboundCaller(ariBinding(h.controller), { app: 'hotline', endpoint: 'PJSIP/{number}', callerId: '12348', ringTimeoutMs: 10_000, lang: 'zh', log });
  return new AfterCallJobs({ orm: h.orm, redisUrl: REDIS_URL, prefix: `${h.prefix}-${name}`, calendar: cal, outbound, log, now: () => now, sweepEveryMs: 3_600_000 });
}

async function phone(number: string, behaviour: string) {
  const r = await call(h.sim, 'PUT', `/sim/endpoints/PJSIP/${number}`, { behaviour, answerAfterMs: 2000 });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
}

t.test('the reminder call: on the working day before (after National Day 2025: 09-30), time and place, outcome recorded', async (t) => {
  await phone('13900009001', 'answer');
  await phone('13900009002', 'busy');
  const slot = async (at: string) => (await h.sql(`insert into appointment_slot (service, room, starts_at, ends_at, capacity, booked)
    values ('mediation', '调解室', ?, ?, 2, 2) on conflict (service, room, starts_at) do update set booked = 2 returning id`, [at, new Date(new Date(at).getTime() + 3600_000)]))[0].id;
  const s1 = await slot('2025-10-09T09:00:00+08:00');
  const s2 = await slot('2025-10-10T09:00:00+08:00');
  const add = async (slotId: string, at: string, number: string) => (await h.sql(`insert into appointment (slot_id, service, room, starts_at, caller_number, channel, booked_by)
    values (?, 'mediation', '调解室', ?, ?, 'desk', '8001') returning id`, [slotId, at, number]))[0].id as string;
  const answered = await add(s1, '2025-10-09T09:00:00+08:00', '13900009001');
  const busy = await add(s1, '2025-10-09T09:00:00+08:00', '13900009002');
  const later = await add(s2, '2025-10-10T09:00:00+08:00', '13900009001');

  // 2025-10-08 is a holiday: nothing is planned.
  const holiday = jobs(new Date('2025-10-08T10:00:00+08:00'), 'r0');
  t.same((await holiday.sweep()).reminders, []);
  await holiday.stop();

  const j = jobs(new Date('2025-09-30T10:00:00+08:00'), 'r1');
  // Sweep before the worker starts: its scheduled sweep would otherwise race this one to queue the calls.
  const report = await j.sweep();
  await j.start();
  t.same(report.reminders.sort(), [answered, busy].sort(), '09-30 reminds the appointments of 10-09 (the next working day), not 10-10');
  const ids = (await j.queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized'])).map((x) => x.id).filter((x) => x?.startsWith('reminder-')).sort();
  t.same(ids, [`reminder-${answered}-2025-09-30`, `reminder-${busy}-2025-09-30`].sort(), 'job ids from the appointment and the day');
  const status = async (id: string) => (await h.sql('select reminder_status from appointment where id = ?', [id]))[0].reminder_status;
  await until(async () => (await status(answered)) === 'answered' && (await status(busy)) === 'busy', 'the reminder outcomes', 20_000);
  t.equal(await status(later), null, 'the 10-10 appointment waits for its own day');
  t.same((await j.sweep()).reminders, [], 'a second sweep calls nobody twice');
  t.same(AfterCallJobs.reminderPrompts({ startsAt: new Date('2025-10-09T09:00:00+08:00') }, 'place-mediation'),
    ['appointment-reminder', 'number-10', 'date-month', 'number-9', 'date-day', 'weekday-4', 'time-morning', 'number-9', 'time-hour',
      'appointment-reminder-place', 'place-mediation', 'appointment-reminder-end'], '10月9号 星期四 上午9点, 地点');
  const chans = await call(h.sim, 'GET', '/ari/channels');
  t.notOk((chans.body as Array<{ id: string }>).some((c) => c.id.startsWith('reminder-')), 'reminder channels hung up');
  await j.stop();
});

t.test('a complaint forwarded, answered by callback and closed with the caller\'s rating', async (t) => {
  await phone('13900009003', 'answer');
  const now = new Date('2025-09-30T10:00:00+08:00');
  const tickets = new Tickets(cal);
  const tk = await tickets.create(h.orm.em.fork(), {
    kind: 'complaint', category: 'service-attitude', concernsStaffNo: '8001', summary: '律师态度不好', callerNumber: '13900009003',
    department: '律师管理科', deadlineDays: 5,
  }, '8001', now);
  t.match(tk, { handler: 'sup1', status: 'in_progress', dueDate: '2025-10-14' }, 'to a supervisor, never lawyer 8001; 5 working days over National Day (10-09, 10, 11 make-up, 13, 14)');
  await tickets.forward(h.orm.em.fork(), tk.id, '司法局督查室', '涉及律师执业纪律，转督查室', 'sup1');
  await tickets.requestCallback(h.orm.em.fork(), tk.id, { reply: '已约谈该律师并责令整改', number: '13900009003', dueAt: now, by: 'sup1' });
  const j = jobs(now, 'cb');
  t.same((await j.sweep()).callbacks, [tk.id]);
  await j.start();
  await until(async () => (await h.sql('select status from ticket where id = ?', [tk.id]))[0].status === 'replied', 'the callback to be answered', 20_000);
  t.same((await j.sweep()).callbacks, [], 'queued once');
  const closed = await tickets.close(h.orm.em.fork(), tk.id, 'satisfied', '', 'sup1', new Date('2025-10-09T10:00:00+08:00'));
  t.match(closed, { status: 'closed', rating: 'satisfied', closedOnTime: true, department: '司法局督查室' });
  const events = (await h.sql('select kind, details from ticket_event where ticket_id = ? order by id', [tk.id])) as Array<{ kind: string; details: any }>;
  t.same(events.map((e) => e.kind), ['created', 'assigned', 'forwarded', 'callback_requested', 'callback_result', 'replied', 'closed']);
  t.equal(events.find((e) => e.kind === 'callback_result')!.details.outcome, 'answered');
  await j.stop();
});
