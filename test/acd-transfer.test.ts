// Desk transfers and dialect routing on the real ACD, pbx-sim and the 12348 flow. 101 (labour, consultation only),
// 102 (family, land, legal aid; every line) and 103 (every line, speaks 粤语). A transfer command goes out on Redis as
// the desk sends it; the caller must end up bridged with the right lawyer, the first lawyer in wrap-up, and the call
// record must keep the first lawyer and list the hand-over.
import t from 'tap';
import { sendCommand } from '../ivr/acd/commands.js';
import type { DeskEvent } from '../ivr/acd/types.js';
import {
  bridged, consult, deskEvent, legOwner, line, phoneAction, presenceIs, startAcdHotline, type AcdHotline,
} from './helpers/acd.js';
import { sleep, until } from './helpers/sim.js';

let a: AcdHotline;
const ALL = ['101', '102', '103'];
t.before(async () => {
  a = await startAcdHotline({
    lawyers: [
      { staffNo: '101', name: '张律师', endpoint: 'PJSIP/8001', skills: ['labour-wages', 'contract-debt'], lines: ['consultation'] },
      { staffNo: '102', name: '李律师', endpoint: 'PJSIP/8002', skills: ['marriage-family', 'land-housing', 'legal-aid'] },
      { staffNo: '103', name: '陈律师', endpoint: 'PJSIP/8003', dialects: ['粤语'] },
    ],
    wrapUpMs: 600_000, // nobody drifts back to ready during a test: readiness is set by hand
  });
});
t.teardown(() => a.close());

async function ready(...staffNos: string[]): Promise<void> {
  for (const s of staffNos) { await a.presence.setState(s, 'ready'); await sleep(10); }
}

async function reset(ids: string[]): Promise<void> {
  for (const id of ids) if (!(await a.h.state(id)).hungUp) await a.h.hangup(id);
  await until(() => a.acd.stats().ringing + a.acd.stats().talking === 0 && a.acd.stats().timers === 0 && a.acd.stats().watched === 0, () => `ACD idle ${JSON.stringify(a.acd.stats())}`);
  for (const s of ALL) await until(async () => (await a.presence.setState(s, 'offline')).changed, `${s} offline`);
  a.desk.length = 0;
}

const transferEvent = (id: string) => deskEvent(a, (e) => e.type === 'transfer' && e.callId === id, `${id} transfer outcome`) as Promise<Extract<DeskEvent, { type: 'transfer' }>>;

t.test('to another line: the caller waits again, is answered there, and the record keeps both lawyers', async (t) => {
  await ready('101');
  const id = await consult(a.h, '13900000501', '2'); // labour -> 101
  const [leg1] = await bridged(a.h, id);
  t.equal(legOwner(leg1), '101');
  await ready('102', '103');
  t.equal(await sendCommand(a.h.redis, a.h.prefix, { type: 'transfer', callId: id, by: '101', toLine: 'application' }), 1, 'one controller heard it');
  t.match(await transferEvent(id), { staffNo: '101', ok: true, toLine: 'application' });
  await a.h.waitHeard(id, 'transfer-handover');
  const [leg2] = await bridged(a.h, id);
  t.ok(leg2 !== leg1 && ['102', '103'].includes(legOwner(leg2)!), `answered on the application line by ${legOwner(leg2)}`);
  const second = legOwner(leg2)!;
  t.match(a.desk.find((e) => e.type === 'offered' && e.callId === id && e.staffNo === second), { line: 'application' });
  t.ok(a.desk.some((e) => e.type === 'ended' && e.callId === id && e.staffNo === '101'), '101\'s desk: call ended');
  t.equal((await a.presence.get('101')).state, 'wrap_up', 'the first lawyer wraps up');
  t.notOk((await a.h.state(id)).bridgedWith.includes(leg1), 'the first lawyer\'s leg is gone');
  await phoneAction(a.h, second === '102' ? 'PJSIP/8002' : 'PJSIP/8003', 'hangup');
  await a.h.waitHeard(id, 'survey-menu'); // the flow goes on after the last conversation
  await a.h.hangup(id);
  const rec = await a.h.record(id);
  t.equal(rec.agent, '101', 'the first lawyer keeps the call (首问负责)');
  t.match(rec.transfers, [{ from: '101', by: '101', toLine: 'application', answeredBy: second }]);
  t.equal(rec.transfers.length, 1);
  await reset([id]);
});

t.test('to a named colleague: offered to them alone for a while (others free), then bridged with them', async (t) => {
  await ready('102');
  const id = await consult(a.h, '13900000502', '1'); // family -> 102
  await bridged(a.h, id);
  await ready('103'); // free, but not the one asked for
  await sendCommand(a.h.redis, a.h.prefix, { type: 'transfer', callId: id, by: '102', toAgent: '101' });
  t.match(await transferEvent(id), { ok: true, toAgent: '101' });
  await a.h.waitHeard(id, 'moh:default', 2);
  await sleep(300); // 6 s of the 20 s at 20x: 103 is free yet not offered the call
  t.notOk(a.desk.some((e) => e.type === 'offered' && e.callId === id && e.staffNo === '103'), 'not offered to 103 meanwhile');
  await ready('101');
  const [leg] = await bridged(a.h, id);
  t.equal(legOwner(leg), '101', 'bridged with the colleague asked for, even though 101 does not serve this topic');
  await a.h.hangup(id);
  const rec = await a.h.record(id);
  t.match(rec.transfers, [{ from: '102', toAgent: '101', answeredBy: '101' }]);
  await reset([id]);
});

t.test('to a named colleague who stays away: after the wait anyone on the line answers', async (t) => {
  await ready('102');
  const id = await consult(a.h, '13900000503', '1');
  await bridged(a.h, id);
  await ready('103');
  await sendCommand(a.h.redis, a.h.prefix, { type: 'transfer', callId: id, by: '102', toAgent: '101' }); // 101 offline
  t.match(await transferEvent(id), { ok: true });
  const started = Date.now();
  const offer = await deskEvent(a, (e) => e.type === 'offered' && e.callId === id && e.staffNo === '103', 'offered to 103', 15_000);
  t.ok(offer && Date.now() - started >= 800, `103 only after the transfer wait (${Date.now() - started} ms real)`);
  t.equal(legOwner((await bridged(a.h, id))[0]), '103');
  await reset([id]);
});

t.test('refused: no conversation to hand on, an unknown colleague, oneself; the call is untouched', async (t) => {
  const id = await line(a.h, '13900000504', '3'); // appointment, nobody ready: waiting
  await a.h.waitHeard(id, 'moh:default');
  await sendCommand(a.h.redis, a.h.prefix, { type: 'transfer', callId: id, by: '102', toLine: 'operator' });
  t.match(await transferEvent(id), { ok: false, reason: 'not_talking' });
  a.desk.length = 0;
  await ready('102');
  await bridged(a.h, id);
  await sendCommand(a.h.redis, a.h.prefix, { type: 'transfer', callId: id, by: '102', toAgent: '999' });
  t.match(await transferEvent(id), { ok: false, reason: 'unknown_lawyer' });
  a.desk.length = 0;
  await sendCommand(a.h.redis, a.h.prefix, { type: 'transfer', callId: id, by: '102', toAgent: '102' });
  t.match(await transferEvent(id), { ok: false, reason: 'same_lawyer' });
  t.ok((await a.h.state(id)).bridgedWith.length > 0, 'still talking to 102');
  await a.h.hangup(id);
  t.same((await a.h.record(id)).transfers, []);
  await reset([id]);
});

t.test('dialect: a caller known to speak 粤语 goes to the lawyer who speaks it, past the longest idle', async (t) => {
  await a.h.sql(`insert into caller (number, dialect, updated_by) values ('13900000505', '粤语', 'test')`);
  await ready('102', '103'); // 102 idle longest
  const id = await line(a.h, '13900000505', '3');
  t.equal(legOwner((await bridged(a.h, id))[0]), '103');
  await reset([id]);
});

t.test('dialect fallback: nobody who speaks it is ready, so after a short wait another lawyer answers', async (t) => {
  await ready('102'); // 103 offline
  const started = Date.now();
  const id = await line(a.h, '13900000505', '3');
  const offer = await deskEvent(a, (e) => e.type === 'offered' && e.callId === id, 'offered', 15_000);
  t.equal(offer.staffNo, '102');
  t.ok(Date.now() - started >= 480, 'waited for a 粤语 speaker first (10 s at 20x)');
  await bridged(a.h, id);
  await reset([id]);
});

t.test('a caller without a profile or a dialect nobody speaks is not held back', async (t) => {
  await a.h.sql(`insert into caller (number, dialect, updated_by) values ('13900000506', '闽南话', 'test')`);
  await ready('102');
  for (const n of ['13900000506', '13900000507']) {
    const id = await line(a.h, n, '3');
    const offer = await deskEvent(a, (e) => e.type === 'offered' && e.callId === id, 'offered');
    t.equal(offer.staffNo, '102');
    t.ok(a.receivedAt.get(offer)! - a.enqueuedAt.get(id)! < 450, `${n}: offered without waiting`);
    await reset([id]);
    await ready('102');
  }
  await presenceIs(a, '102', 'ready');
});
