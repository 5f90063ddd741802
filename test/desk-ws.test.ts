// The desk's WebSocket: DeskEvents published on Redis (as the ACD does) reach the lawyer they are for, with the
// caller's earlier work orders on an offer, and every supervisor; never another lawyer. Presence changes likewise.
// Logging out closes the socket.
import t from 'tap';
import type { WebSocket } from 'ws';
import { presenceChannel } from '../agent-desk/presence.js';
import type { DeskEvent } from '../ivr/acd/types.js';
import { sleep, until } from './helpers/sim.js';
import { startDesk, type TestDesk } from './helpers/desk.js';

let d: TestDesk;
t.before(async () => {
  d = await startDesk();
  await d.staff({ staffNo: 'lawyer1', role: 'agent', endpoint: 'PJSIP/8001' });
  await d.staff({ staffNo: 'lawyer2', role: 'agent', endpoint: 'PJSIP/8002' });
  await d.staff({ staffNo: 'supervisor', role: 'supervisor' });
  await d.insertCall({ callId: 'old-1', callerNumber: '13800138000', agent: 'lawyer2', line: 'consultation' });
  const r = await d.req('POST', '/api/work-orders', await d.cookie('lawyer2'), {
    callId: 'old-1', serviceLine: 'consultation', matter: '工伤认定', answer: '先申请工伤认定', disposition: 'follow_up',
  });
  t.equal(r.status, 201);
});
t.teardown(() => d.close());

interface Client { ws: WebSocket; msgs: any[]; closed?: number }

async function connect(staffNo: string, cookie?: string): Promise<Client> {
  const msgs: any[] = [];
  const c = { msgs } as Client;
  // Listen from the start: the server's hello may arrive before injectWS resolves.
  c.ws = await d.app.injectWS('/ws', { headers: { cookie: cookie ?? (await d.cookie(staffNo)) } }, {
    onInit: (ws) => {
      ws.on('message', (m) => msgs.push(JSON.parse(String(m))));
      ws.on('close', (code) => { c.closed = code; });
    },
  });
  await until(() => c.msgs.length > 0, `${staffNo} hello`);
  return c;
}

const desk = (c: Client) => c.msgs.filter((m) => m.type === 'desk');
const presence = (c: Client) => c.msgs.filter((m) => m.type === 'presence');
const offer = (staffNo: string, callId: string, callerNumber: string): DeskEvent => ({
  type: 'offered', staffNo, callId, callerNumber, line: 'consultation', topic: 'labour-wages', priority: 1, green: true,
  ivrPath: [{ node: 'main-menu', digits: '1' }, { node: 'consult-topics', digits: '2' }], at: new Date().toISOString(),
});

t.test('a DeskEvent reaches its lawyer (with the caller\'s history) and supervisors, not another lawyer', async (t) => {
  const l1 = await connect('lawyer1');
  const l2 = await connect('lawyer2');
  const sup = await connect('supervisor');
  t.same(l1.msgs[0], { type: 'hello', staffNo: 'lawyer1', role: 'agent' });

  await d.publish(offer('lawyer1', 'new-1', '13800138000'));
  await until(() => desk(l1).length === 1 && desk(sup).length === 1, 'the offer to arrive');
  const pop = desk(l1)[0];
  t.match(pop.event, { type: 'offered', staffNo: 'lawyer1', callId: 'new-1', callerNumber: '13800138000', green: true, priority: 1 });
  t.same(pop.event.ivrPath, [{ node: 'main-menu', digits: '1' }, { node: 'consult-topics', digits: '2' }]);
  t.equal(pop.history.length, 1, 'the screen pop carries the caller\'s earlier work order');
  t.match(pop.history[0], { callId: 'old-1', staffNo: 'lawyer2', matter: '工伤认定', disposition: 'follow_up' });
  t.same(desk(sup)[0].event, pop.event);

  // Something for lawyer2 next: if lawyer1's offer had reached lawyer2, it would arrive before this one.
  await d.publish({ type: 'answered', staffNo: 'lawyer2', callId: 'other', at: new Date().toISOString() });
  await until(() => desk(l2).length === 1 && desk(sup).length === 2, 'lawyer2\'s event');
  t.same(desk(l2).map((m) => m.event.staffNo), ['lawyer2'], 'lawyer2 never saw lawyer1\'s offer');
  t.same(desk(l1).map((m) => m.event.callId), ['new-1'], 'lawyer1 never saw lawyer2\'s event');
  for (const c of [l1, l2, sup]) c.ws.terminate();
});

t.test('presence changes reach the lawyer and supervisors, from the desk and from the ACD', async (t) => {
  const l1 = await connect('lawyer1');
  const l2 = await connect('lawyer2');
  const sup = await connect('supervisor');
  const put = await d.req('PUT', '/api/presence', await d.cookie('lawyer1'), { state: 'not_ready', reason: '小休' });
  t.equal(put.status, 200);
  await until(() => presence(l1).length === 1 && presence(sup).length === 1, 'presence to arrive');
  t.match(presence(l1)[0].presence, { staffNo: 'lawyer1', state: 'not_ready', reason: '小休' });
  const sql = `select state, reason from presence_history where staff_no = 'lawyer1'`;
  await until(async () => (await d.orm.em.fork().getConnection().execute(sql)).length > 0, 'presence history');
  t.same(await d.orm.em.fork().getConnection().execute(sql), [{ state: 'not_ready', reason: '小休' }], 'the change is in presence_history');
  // The ACD writes the same key and channel when it rings a phone.
  const ringing = { staffNo: 'lawyer1', state: 'ringing', since: Date.now() };
  await d.redis.set(`${d.prefix}:presence:lawyer1`, JSON.stringify(ringing));
  await d.redis.publish(presenceChannel(d.prefix), JSON.stringify(ringing));
  await until(() => presence(l1).length === 2, 'the ACD\'s presence change');
  t.equal(presence(l1)[1].presence.state, 'ringing');
  const busy = await d.req('PUT', '/api/presence', await d.cookie('lawyer1'), { state: 'ready' });
  t.equal(busy.status, 409, 'a click cannot overwrite ringing');
  t.equal(busy.body.code, 'busy');
  await sleep(50);
  t.same(presence(l2), [], 'lawyer2 saw none of it');
  const all = await d.req('GET', '/api/presence', await d.cookie('supervisor'));
  t.match(all.body.find((p: any) => p.staffNo === 'lawyer1'), { state: 'ringing', endpoint: 'PJSIP/8001' });
  t.match(all.body.find((p: any) => p.staffNo === 'lawyer2'), { state: 'offline', since: 0 });
  for (const c of [l1, l2, sup]) c.ws.terminate();
});

t.test('the socket needs a session, and logging out closes it', async (t) => {
  await t.rejects(d.app.injectWS('/ws'), /Unexpected server response: 401/);
  const login = await d.login('lawyer2');
  const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0];
  const c = await connect('lawyer2', cookie);
  t.equal((await d.req('POST', '/api/logout', cookie)).status, 200);
  await until(() => c.closed !== undefined, 'the socket to close');
  t.equal(c.closed, 4001);
});

t.test('a malformed message on the desk channel is ignored and the hub keeps going', async (t) => {
  const l1 = await connect('lawyer1');
  await d.publish({ nonsense: true } as unknown as DeskEvent);
  await d.publish(offer('lawyer1', 'new-2', '13500135000'));
  await until(() => desk(l1).length === 1, 'the next good event');
  t.equal(desk(l1)[0].event.callId, 'new-2');
  t.same(desk(l1)[0].history, []);
  l1.ws.terminate();
});
