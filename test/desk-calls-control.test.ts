// The desk's side of transfers and caller profiles, on the real database and Redis: who may ask for what, every bad
// body answered with the field, the command as a controller receives it, and the one work order a transferred call
// keeps (owned by the first lawyer, editable by the one now handling the call).
import t from 'tap';
import { Redis } from 'ioredis';
import pino from 'pino';
import { commandChannel, listenForCommands, parseCommand, sendCommand, type AcdCommand } from '../ivr/acd/commands.js';
import { startDesk, type TestDesk } from './helpers/desk.js';
import { until } from './helpers/sim.js';

let d: TestDesk;
t.before(async () => {
  d = await startDesk();
  await d.staff({ staffNo: 'lawyer1', role: 'agent', endpoint: 'PJSIP/8001' });
  await d.staff({ staffNo: 'lawyer2', role: 'agent', endpoint: 'PJSIP/8002' });
  await d.staff({ staffNo: 'lawyer3', role: 'agent', endpoint: 'PJSIP/8003' });
  await d.staff({ staffNo: 'nophone', role: 'agent' });
  await d.staff({ staffNo: 'supervisor', role: 'supervisor' });
});
t.teardown(() => d.close());

const at = () => new Date().toISOString();
async function offer(staffNo: string, callId: string, callerNumber: string, answered = true) {
  await d.publish({ type: 'offered', staffNo, callId, callerNumber, line: 'consultation', priority: 0, green: false, ivrPath: [], at: at() });
  if (answered) await d.publish({ type: 'answered', staffNo, callId, at: at() });
}

t.test('transfer: bad bodies name the field; only a call in progress on one\'s own phone', async (t) => {
  const c1 = await d.cookie('lawyer1');
  await offer('lawyer1', 'c-1', '13800000101');
  const both = await d.req('POST', '/api/calls/c-1/transfer', c1, { toLine: 'application', toAgent: 'lawyer2' });
  t.match(both, { status: 400, body: { code: 'bad_request', details: [{ field: 'toLine' }] } });
  t.match(await d.req('POST', '/api/calls/c-1/transfer', c1, {}), { status: 400, body: { details: [{ field: 'toLine' }] } });
  t.match(await d.req('POST', '/api/calls/c-1/transfer', c1, { toLine: 'nowhere' }), { status: 400, body: { details: [{ field: 'toLine' }] } });
  t.match(await d.req('POST', '/api/calls/c-1/transfer', c1, { toAgent: 'lawyer1' }), { status: 400, body: { details: [{ field: 'toAgent', message: 'is yourself' }] } });
  t.match(await d.req('POST', '/api/calls/c-1/transfer', c1, { toAgent: 'nophone' }), { status: 400, body: { details: [{ field: 'toAgent' }] } });
  t.match(await d.req('POST', '/api/calls/c-1/transfer', c1, { toAgent: 'ghost' }), { status: 400, body: { details: [{ field: 'toAgent' }] } });
  t.match(await d.req('POST', '/api/calls/c-1/transfer', c1, { toLine: 'application', extra: 1 }), { status: 400 });
  // Somebody else's call, or one only ringing: refused without revealing anything.
  const c2 = await d.cookie('lawyer2');
  t.match(await d.req('POST', '/api/calls/c-1/transfer', c2, { toLine: 'application' }), { status: 404 });
  await offer('lawyer2', 'c-2', '13800000102', false);
  t.match(await d.req('POST', '/api/calls/c-2/transfer', c2, { toLine: 'application' }), { status: 409, body: { code: 'conflict' } });
  // No controller listening: said at once, not swallowed.
  t.match(await d.req('POST', '/api/calls/c-1/transfer', c1, { toLine: 'application' }), { status: 503, body: { code: 'unavailable' } });
});

t.test('transfer: a controller receives exactly the command', async (t) => {
  const got: AcdCommand[] = [];
  const sub = d.redis.duplicate();
  sub.on('message', (_c: string, m: string) => { const c = parseCommand(m); if (c) got.push(c); });
  await sub.subscribe(commandChannel(d.prefix));
  t.teardown(() => sub.disconnect());
  await offer('lawyer1', 'c-3', '13800000103');
  const r = await d.req('POST', '/api/calls/c-3/transfer', await d.cookie('lawyer1'), { toAgent: 'lawyer2' });
  t.match(r, { status: 202, body: { callId: 'c-3', toAgent: 'lawyer2' } });
  const s = await d.req('POST', '/api/calls/c-9/transfer', await d.cookie('supervisor'), { toLine: 'complaint' });
  t.equal(s.status, 202, 'a supervisor may hand on any call');
  await until(() => got.length === 2, 'two commands');
  t.same(got, [
    { type: 'transfer', callId: 'c-3', by: 'lawyer1', toAgent: 'lawyer2' },
    { type: 'transfer', callId: 'c-9', by: 'supervisor', toLine: 'complaint' },
  ]);
  t.equal(parseCommand('{"type":"transfer","callId":"x","by":"y","toLine":"a","toAgent":"b"}'), undefined, 'both targets: not a command');
  t.equal(parseCommand('not json'), undefined);
});

t.test('transfer targets: the lines by name and the colleagues with their presence, not oneself', async (t) => {
  const r = await d.req('GET', '/api/transfer-targets', await d.cookie('lawyer1'));
  t.equal(r.status, 200);
  t.same(r.body.lines.map((l: { name: string }) => l.name).sort(), ['业务申请', '人工服务', '办事预约', '投诉建议', '政务监督', '法律咨询'].sort());
  t.same(r.body.lawyers.map((l: { staffNo: string }) => l.staffNo), ['lawyer2', 'lawyer3'], 'no phone, no transfer; never oneself');
  t.match(r.body.lawyers[0], { name: 'lawyer2', presence: { staffNo: 'lawyer2', state: 'offline' } });
});

t.test('a transferred call keeps one work order: the first lawyer owns it, the one handling it now may edit it', async (t) => {
  await d.insertCall({ callId: 'c-t', callerNumber: '13800000104', agent: 'lawyer1', line: 'consultation' });
  await offer('lawyer1', 'c-t', '13800000104');
  const w = await d.req('POST', '/api/work-orders', await d.cookie('lawyer1'),
    { callId: 'c-t', serviceLine: 'consultation', matter: '工伤赔偿', disposition: 'transferred' });
  t.equal(w.status, 201);
  await d.publish({ type: 'ended', staffNo: 'lawyer1', callId: 'c-t', at: at() });
  await offer('lawyer2', 'c-t', '13800000104');
  const edit = await d.req('PATCH', `/api/work-orders/${w.body.id}`, await d.cookie('lawyer2'), { answer: '可申请工伤认定', disposition: 'resolved' });
  t.match(edit, { status: 200, body: { staffNo: 'lawyer1', updatedBy: 'lawyer2', disposition: 'resolved' } });
  const again = await d.req('POST', '/api/work-orders', await d.cookie('lawyer2'),
    { callId: 'c-t', serviceLine: 'consultation', matter: '另写一张', disposition: 'follow_up' });
  t.equal(again.status, 409, 'never a second work order for the call');
  const other = await d.req('PATCH', `/api/work-orders/${w.body.id}`, await d.cookie('lawyer3'), { answer: 'x' });
  t.equal(other.status, 404, 'a lawyer not on the call does not even see it');
});

t.test('caller profile: dialect and green-channel listing, by the lawyer handling the caller or a supervisor', async (t) => {
  const c1 = await d.cookie('lawyer1');
  await offer('lawyer1', 'c-p', '13800000105');
  t.match(await d.req('GET', '/api/callers/13800000105', c1), { status: 200, body: { number: '13800000105', dialect: null, vulnerable: false } });
  t.match(await d.req('GET', '/api/callers/13800000999', c1), { status: 403 }, 'not a caller of mine');
  t.match(await d.req('PUT', '/api/callers/13800000105', c1, { vulnerable: true }), { status: 400, body: { details: [{ field: 'vulnerableReason' }] } });
  t.match(await d.req('PUT', '/api/callers/13800000105', c1, {}), { status: 400 });
  t.match(await d.req('PUT', '/api/callers/abc', c1, { dialect: '粤语' }), { status: 400, body: { details: [{ field: 'number' }] } });
  const put = await d.req('PUT', '/api/callers/13800000105', c1, { name: '王大爷', dialect: '粤语', vulnerable: true, vulnerableReason: '老年人' });
  t.match(put, { status: 200, body: { name: '王大爷', dialect: '粤语', vulnerable: true, vulnerableReason: '老年人', updatedBy: 'lawyer1' } });
  const rows = await d.orm.em.fork().getConnection().execute(`select reason, added_by from vulnerable_caller where number = '13800000105'`);
  t.same(rows, [{ reason: '老年人', added_by: 'lawyer1' }], 'on the green-channel list the IVR reads');
  const off = await d.req('PUT', '/api/callers/13800000105', await d.cookie('supervisor'), { vulnerable: false });
  t.match(off, { status: 200, body: { vulnerable: false, name: '王大爷', dialect: '粤语' } });
  t.equal((await d.orm.em.fork().getConnection().execute(`select 1 from vulnerable_caller where number = '13800000105'`)).length, 0);
});

t.test('a controller whose Redis connection fails fast (as npm start makes it) still hears desk commands', async (t) => {
  // Not connected yet, and no offline queue: a plain duplicate of it could not subscribe.
  const failFast = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  t.teardown(() => failFast.disconnect());
  const got: AcdCommand[] = [];
  const stop = await listenForCommands(failFast, `${d.prefix}-ff`, pino({ level: 'silent' }), (c) => got.push(c));
  t.teardown(stop);
  t.equal(await sendCommand(d.redis, `${d.prefix}-ff`, { type: 'transfer', callId: 'ff-1', by: 'lawyer1', toLine: 'complaint' }), 1, 'subscribed');
  await until(() => got.length === 1, 'the command heard');
  t.match(got[0], { callId: 'ff-1', toLine: 'complaint' });
});
