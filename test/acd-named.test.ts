// 点名 (a caller asks for a lawyer by staff number) and 首问负责 (a caller with an open matter is offered to the lawyer
// who owns it) on pbx-sim: the chosen lawyer is offered the call first, even when another is idle longer or has the
// topic's skill; when they are not free within the set time, do not answer, or do not exist, the queue takes over.
import t from 'tap';
import { bridged, consult, deskEvent, legOwner, phone, startAcdHotline, waitedForOffer, type AcdHotline } from './helpers/acd.js';
import { sleep, until } from './helpers/sim.js';

const OWNERS: Record<string, string> = { '13900000401': '102', '13900000402': '102', '13900000403': '777' };
let a: AcdHotline;
t.before(async () => {
  a = await startAcdHotline({ firstInquiry: { ownerFor: async (n) => OWNERS[n] } });
});
t.teardown(() => a.close());

async function ready(...staffNos: string[]): Promise<void> {
  for (const s of staffNos) { await a.presence.setState(s, 'ready'); await sleep(10); }
}

async function reset(ids: string[]): Promise<void> {
  for (const id of ids) if (!(await a.h.state(id)).hungUp) await a.h.hangup(id);
  await until(() => { const s = a.acd.stats(); return s.ringing + s.talking === 0 && s.timers === 0 && s.watched === 0; }, 'ACD idle');
  for (const s of ['101', '102']) await until(async () => (await a.presence.setState(s, 'offline')).changed, `${s} offline`);
  a.desk.length = 0;
}

/** 1 consultation, 7 a named lawyer, the staff number and #. */
async function askFor(from: string, staffNo: string): Promise<string> {
  const id = await a.h.dial(from);
  await a.h.waitHeard(id, 'greeting');
  await a.h.press(id, '1');
  await a.h.waitHeard(id, 'consultation-menu');
  await a.h.press(id, '7');
  await a.h.waitHeard(id, 'lawyer-id-prompt');
  await a.h.press(id, `${staffNo}#`);
  return id;
}

const offers = (id: string) => a.desk.filter((e) => e.type === 'offered' && e.callId === id).map((e) => e.staffNo);

t.test('named lawyer: offered to the lawyer asked for, though another is idle longer', async (t) => {
  await ready('101', '102');
  const id = await askFor('13900000301', '102');
  t.equal(legOwner((await bridged(a.h, id))[0]), '102');
  t.match(a.desk.find((e) => e.type === 'offered'), { staffNo: '102', requestedAgent: '102', line: 'consultation' });
  t.same(offers(id), ['102']);
  await reset([id]);
  const rec = await a.h.record(id);
  t.match(rec, { requested_agent: '102', agent: '102' });
});

t.test('named lawyer not free: after the set time the queue takes the call', async (t) => {
  await ready('101'); // 102 offline
  const id = await askFor('13900000302', '102');
  t.equal(legOwner((await bridged(a.h, id))[0]), '101');
  // namedWaitMs 20 s at 20x: 1 s.
  const waited = await waitedForOffer(a, id);
  t.ok(waited >= 980, `waited for 102 first (${waited} ms)`);
  await reset([id]);
});

t.test('named lawyer does not answer: straight to the queue, not after the rest of the wait', async (t) => {
  await phone(a.h, 'PJSIP/8002', 'no-answer');
  await ready('101', '102');
  const id = await askFor('13900000303', '102');
  t.equal(legOwner((await bridged(a.h, id))[0]), '101');
  t.same(offers(id), ['102', '101']);
  t.match(await a.presence.get('102'), { state: 'not_ready', reason: 'no-answer' });
  await reset([id]);
  await phone(a.h, 'PJSIP/8002', 'answer');
});

t.test('a staff number that is no lawyer goes to the queue at once', async (t) => {
  await ready('101');
  const id = await askFor('13900000304', '999');
  t.equal(legOwner((await bridged(a.h, id))[0]), '101');
  const waited = await waitedForOffer(a, id);
  t.ok(waited < 900, `no wait for a lawyer who does not exist (${waited} ms)`);
  await reset([id]);
});

t.test('first inquiry: the owner of the caller’s open matter is offered the call first', async (t) => {
  await ready('102', '101');
  // A labour question (101's skill) from a caller whose matter 102 owns.
  const id = await consult(a.h, '13900000401', '2');
  t.equal(legOwner((await bridged(a.h, id))[0]), '102');
  t.same(offers(id), ['102']);
  await reset([id]);
});

t.test('first inquiry: owner not free within the set time, then the queue (the skilled lawyer)', async (t) => {
  await ready('101');
  const id = await consult(a.h, '13900000402', '2');
  t.equal(legOwner((await bridged(a.h, id))[0]), '101');
  const waited = await waitedForOffer(a, id);
  t.ok(waited >= 980, `waited for the owner first (${waited} ms)`);
  await reset([id]);
});

t.test('first inquiry owned by somebody who is no lawyer here: the queue at once; no owner: the queue', async (t) => {
  await ready('101');
  const id = await consult(a.h, '13900000403', '2');
  await deskEvent(a, (e) => e.type === 'offered' && e.callId === id, 'offered');
  t.same(offers(id), ['101']);
  await reset([id]);
});
