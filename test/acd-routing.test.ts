// Who gets which call: two lawyers (101 labour and contracts on the consultation line; 102 family, land, legal aid on
// every line), several callers at once, walked through the real 12348 flow on pbx-sim. Line, skill, priority (green
// channel), longest idle, the skill fallback and ring-no-answer, checked by whose phone the caller is bridged with.
import t from 'tap';
import type { DeskEvent } from '../ivr/acd/types.js';
import { StaffDirectory } from '../ivr/acd/directory.js';
import pino from 'pino';
import {
  bridged, consult, deskEvent, legOwner, line, phone, phoneAction, startAcdHotline, waitedForOffer, type AcdHotline,
} from './helpers/acd.js';
import { sleep, until } from './helpers/sim.js';

let a: AcdHotline;
t.before(async () => { a = await startAcdHotline(); });
t.teardown(() => a.close());

const offeredTo = (id: string) => deskEvent(a, (e) => e.type === 'offered' && e.callId === id, `${id} offered`).then((e) => e.staffNo);

/** Lawyers ready in this order (the first is the longest idle). */
async function ready(...staffNos: string[]): Promise<void> {
  for (const s of staffNos) {
    await a.presence.setState(s, 'ready');
    await sleep(10);
  }
}

/** Ends every call (lawyers hang up, callers hang up), waits for the ACD to be idle, everybody offline. */
async function reset(ids: string[]): Promise<void> {
  for (const id of ids) if (!(await a.h.state(id)).hungUp) await a.h.hangup(id);
  await until(() => a.acd.stats().ringing + a.acd.stats().talking === 0 && a.acd.stats().timers === 0 && a.acd.stats().watched === 0, 'ACD idle');
  for (const s of ['101', '102']) {
    await until(async () => (await a.presence.setState(s, 'offline')).changed, `${s} offline`);
  }
  a.desk.length = 0;
}

t.test('the staff directory lists active agents with a phone', async (t) => {
  await a.h.sql(`insert into staff (staff_no, name, role, password_hash, endpoint) values ('900', '主任', 'supervisor', 'x', 'PJSIP/8009'),
    ('901', '离职', 'agent', 'x', 'PJSIP/8010'), ('902', '无电话', 'agent', 'x', null)`);
  await a.h.sql(`update staff set active = false where staff_no = '901'`);
  const dir = StaffDirectory.fromOrm(a.h.orm, pino({ level: 'silent' }), { ttlMs: 60_000 });
  const agents = await dir.agents();
  t.same(agents.map((x) => x.staffNo), ['101', '102']);
  t.match(agents[0], { name: '张律师', endpoint: 'PJSIP/8001', skills: ['labour-wages', 'contract-debt'], lines: ['consultation'], stars: 3 });
  await a.h.sql(`update staff set stars = 5 where staff_no = '102'`);
  t.equal((await dir.byStaffNo('102'))?.stars, 3, 'cached');
  dir.invalidate();
  t.equal((await dir.byStaffNo('102'))?.stars, 5, 'read again');
  await a.h.sql(`update staff set stars = 3 where staff_no = '102'`);
});

t.test('skill: two callers at once each reach the lawyer with their topic, whoever has waited longer', async (t) => {
  await ready('102', '101'); // 102 idle longest, yet the labour caller goes to 101
  const [labour, family] = await Promise.all([consult(a.h, '13900000101', '2'), consult(a.h, '13900000102', '1')]);
  t.equal(legOwner((await bridged(a.h, labour))[0]), '101', 'labour-wages -> 101');
  t.equal(legOwner((await bridged(a.h, family))[0]), '102', 'marriage-family -> 102');
  t.equal(await offeredTo(labour), '101');
  t.equal(await offeredTo(family), '102');
  await reset([labour, family]);
});

t.test('line: 101 answers consultation only, so application and appointment callers reach 102', async (t) => {
  await ready('101', '102');
  const appointment = await line(a.h, '13900000111', '3');
  t.equal(legOwner((await bridged(a.h, appointment))[0]), '102');
  await reset([appointment]);
  await ready('101', '102');
  const aid = await a.h.dial('13900000112');
  await a.h.waitHeard(aid, 'greeting');
  await a.h.press(aid, '2');
  await a.h.waitHeard(aid, 'application-menu');
  await a.h.press(aid, '1'); // legal aid
  t.equal(legOwner((await bridged(a.h, aid))[0]), '102');
  t.match(a.desk.find((e) => e.type === 'offered'), { line: 'application', topic: 'legal-aid' });
  await reset([aid]);
});

t.test('longest idle wins between equals', async (t) => {
  // Neither has the "other" topic: any consultation lawyer will do, the longest idle first.
  await ready('102', '101');
  const first = await consult(a.h, '13900000121', '6');
  t.equal(legOwner((await bridged(a.h, first))[0]), '102');
  await reset([first]);
  await ready('101', '102');
  const second = await consult(a.h, '13900000122', '6');
  t.equal(legOwner((await bridged(a.h, second))[0]), '101');
  await reset([second]);
});

t.test('skill fallback: nobody with the skill is ready, so after a short wait another lawyer of the line answers', async (t) => {
  await ready('102'); // 101 (labour) stays offline
  const id = await consult(a.h, '13900000131', '2');
  t.equal(await offeredTo(id), '102');
  // skillWaitMs 10 s at 20x: 500 ms real (timers may fire a hair early on a scaled clock).
  const waited = await waitedForOffer(a, id);
  t.ok(waited >= 480, `waited for a labour lawyer first (${waited} ms)`);
  await bridged(a.h, id);
  await reset([id]);
});

t.test('priority: a green-channel caller jumps the queue; then arrival order', async (t) => {
  await a.h.sql(`insert into vulnerable_caller (number, reason, added_by) values ('13900000149', 'elderly', 'test')`);
  const n1 = await line(a.h, '13900000141', '3');
  await a.h.waitHeard(n1, 'moh:default');
  const n2 = await line(a.h, '13900000142', '3');
  await a.h.waitHeard(n2, 'moh:default');
  const green = await line(a.h, '13900000149', '3');
  await a.h.waitHeard(green, 'moh:default');
  await ready('102');
  const order: string[] = [];
  for (let i = 0; i < 3; i++) {
    const ev = await deskEvent(a, (e) => e.type === 'answered' && !order.includes(e.callId), `answer #${i + 1}`);
    order.push(ev.callId);
    await phoneAction(a.h, 'PJSIP/8002', 'hangup'); // the lawyer ends it; wrap-up, then the next
  }
  t.same(order, [green, n1, n2]);
  const offers = a.desk.filter((e): e is Extract<DeskEvent, { type: 'offered' }> => e.type === 'offered');
  t.match(offers[0], { callId: green, priority: 5, green: true });
  t.match(offers[1], { callId: n1, priority: 0, green: false });
  await reset([n1, n2, green]);
  t.match(await a.h.record(green), { priority: 5, agent: '102' });
});

t.test('ring-no-answer: the lawyer goes not ready (no-answer) and the next lawyer is rung', async (t) => {
  await phone(a.h, 'PJSIP/8001', 'no-answer');
  await ready('101', '102');
  const id = await consult(a.h, '13900000151', '6');
  t.equal(await offeredTo(id), '101');
  await deskEvent(a, (e) => e.type === 'missed' && e.callId === id && e.staffNo === '101', 'missed by 101');
  const p = await a.presence.get('101');
  t.match(p, { state: 'not_ready', reason: 'no-answer' });
  t.equal(legOwner((await bridged(a.h, id))[0]), '102');
  t.ok(a.changes.some((c) => c.staffNo === '101' && c.state === 'not_ready' && c.reason === 'no-answer'), 'published');
  await until(async () => (await a.h.sql(`select 1 from presence_history where staff_no = '101' and state = 'not_ready' and reason = 'no-answer'`)).length === 1, 'in presence_history');
  await reset([id]);
  await phone(a.h, 'PJSIP/8001', 'answer');
});

t.test('a busy or unregistered phone is skipped the same way', async (t) => {
  await phone(a.h, 'PJSIP/8001', 'busy', 500);
  await ready('101', '102');
  const id = await consult(a.h, '13900000161', '6');
  t.equal(legOwner((await bridged(a.h, id))[0]), '102');
  t.match(await a.presence.get('101'), { state: 'not_ready', reason: 'busy' });
  await reset([id]);
  await phone(a.h, 'PJSIP/8001', 'offline');
  await ready('101', '102');
  const id2 = await consult(a.h, '13900000162', '6');
  t.equal(legOwner((await bridged(a.h, id2))[0]), '102');
  t.match(await a.presence.get('101'), { state: 'not_ready', reason: 'phone-unreachable' });
  await reset([id2]);
  await phone(a.h, 'PJSIP/8001', 'answer');
});
