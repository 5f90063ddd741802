// The ACD end to end on pbx-sim, real Redis and PostgreSQL: an answered call is bridged with the lawyer's phone and
// the music stops; the conversation ends from either side; presence goes ringing -> on_call -> wrap_up -> ready; the
// call record says who answered and when; nothing (timers, watchers) is left behind.
import t from 'tap';
import { bridged, consult, deskEvent, legOwner, passedThrough, phoneAction, presenceIs, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { until } from './helpers/sim.js';

let a: AcdHotline;
t.before(async () => { a = await startAcdHotline(); });
t.teardown(() => a.close());

const idle = async () => {
  await until(() => a.acd.stats().timers === 0 && a.acd.stats().watched === 0 && a.timers.pending === 0, 'the ACD to be idle', 5000);
};

t.test('answered: bridged with the lawyer, MOH stopped; the lawyer hangs up and the caller rates the service', async (t) => {
  await a.presence.setState('101', 'ready');
  const id = await consult(a.h, '13900000001', '2'); // labour-wages
  const offered = await deskEvent(a, (e) => e.type === 'offered' && e.callId === id, 'offered');
  t.match(offered, { staffNo: '101', callerNumber: '13900000001', line: 'consultation', topic: 'labour-wages', priority: 0, green: false });
  const [leg] = await bridged(a.h, id);
  t.equal(legOwner(leg), '101', 'bridged with 101’s phone');
  const agentLeg = (await (await fetch(`${a.h.sim.url}/ari/channels/${leg}`, { headers: { authorization: 'Basic ' + Buffer.from('hotline:hotline').toString('base64') } })).json()) as { name: string };
  t.match(agentLeg.name, /^PJSIP\/8001-/, 'the leg is the desk phone PJSIP/8001');
  await presenceIs(a, '101', 'on_call');
  const heard = (await a.h.state(id)).heard;
  const moh = heard.filter((x) => x.media === 'moh:default');
  t.ok(moh.length >= 1, 'heard music on hold while waiting');
  await until(async () => (await a.h.state(id)).heard.filter((x) => x.media === 'moh:default').every((x) => x.finishedAt), 'MOH stopped');
  await deskEvent(a, (e) => e.type === 'answered' && e.callId === id, 'answered');

  await phoneAction(a.h, 'PJSIP/8001', 'hangup');
  await a.h.waitHeard(id, 'survey-intro');
  t.same((await a.h.state(id)).bridgedWith, [], 'out of the bridge');
  await passedThrough(a, '101', 'wrap_up');
  await a.h.waitHeard(id, 'survey-menu');
  await a.h.press(id, '1');
  const rec = await a.h.record(id);
  t.match(rec, { end_reason: 'completed', agent: '101', survey_rating: 1, service_line: 'consultation', legal_topic: 'labour-wages' });
  t.ok(rec.answered_at, 'answered_at');
  t.ok(new Date(rec.answered_at) >= new Date(rec.queued_at), 'answered after queued');
  await deskEvent(a, (e) => e.type === 'ended' && e.callId === id, 'ended');
  await presenceIs(a, '101', 'ready'); // wrap-up over by itself
  await idle();
});

t.test('the caller hangs up mid-conversation: the lawyer’s leg is hung up, the record is not an abandoned call', async (t) => {
  await presenceIs(a, '101', 'ready');
  const id = await consult(a.h, '13900000002', '3'); // contract-debt
  const [leg] = await bridged(a.h, id);
  await presenceIs(a, '101', 'on_call');
  await a.h.hangup(id);
  await until(async () => (await fetch(`${a.h.sim.url}/ari/channels/${leg}`, { headers: { authorization: 'Basic ' + Buffer.from('hotline:hotline').toString('base64') } })).status === 404, 'the lawyer’s leg to be gone');
  await until(() => a.changes.filter((c) => c.staffNo === '101' && c.state === 'wrap_up').length === 2, '101 in wrap-up again');
  const rec = await a.h.record(id);
  t.match(rec, { end_reason: 'caller_hangup', agent: '101' });
  t.ok(rec.answered_at);
  await idle();
  await presenceIs(a, '101', 'ready');
});

t.test('presence history in PostgreSQL follows the transitions', async (t) => {
  await until(async () => (await a.h.sql(`select count(*)::int as n from presence_history where staff_no = '101'`))[0].n >= 9, 'history rows');
  const rows = await a.h.sql(`select state, reason from presence_history where staff_no = '101' order by id`);
  t.same(rows.map((r: any) => r.state), ['ready', 'ringing', 'on_call', 'wrap_up', 'ready', 'ringing', 'on_call', 'wrap_up', 'ready']);
});
