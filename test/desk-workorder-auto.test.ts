// Every answered call ends with exactly one work order: the desk drafts one when the real ACD reports a call answered
// (DeskEvent 'answered' on Redis), owned by the lawyer who answered, line and topic from the call record; replayed
// events, a second desk process and the sweep add none; the lawyer completes the draft on the desk (the page's POST
// fills it, PATCH edits it) and a completed work order is not overwritten.
import t from 'tap';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { buildDesk, type DeskApp } from '../agent-desk/app.js';
import { DRAFT_BY, DRAFT_MATTER, WorkOrderDrafter } from '../agent-desk/auto-work-order.js';
import { SESSION_COOKIE, SessionStore } from '../agent-desk/sessions.js';
import { deskChannel } from '../ivr/acd/types.js';
import { bridged, consult, deskEvent, presenceIs, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { REDIS_URL } from './helpers/hotline.js';
import { until } from './helpers/sim.js';

let a: AcdHotline;
const desks: DeskApp[] = [];
const log = pino({ level: process.env.TEST_LOG ?? 'silent' });

async function desk(): Promise<DeskApp> {
  const config = loadConfig({ KEY_PREFIX: a.h.prefix, DATABASE_URL: a.h.dbUrl, REDIS_URL });
  const app = buildDesk({ config, orm: a.h.orm, redis: a.h.redis, log }, { autoWorkOrders: { sweepEveryMs: 0, retryMs: 100 } });
  await app.ready();
  desks.push(app);
  return app;
}

async function req(app: DeskApp, method: string, url: string, staffNo: string, payload?: object) {
  const token = await new SessionStore(a.h.redis, a.h.prefix).create(staffNo);
  const r = await app.inject({ method: method as 'GET', url, headers: { cookie: `${SESSION_COOKIE}=${token}` }, ...(payload ? { payload } : {}) });
  return { status: r.statusCode, body: r.json() };
}

const workOrders = () => a.h.sql('select * from work_order order by id');

t.before(async () => {
  a = await startAcdHotline();
  await a.h.sql(`insert into staff (staff_no, name, role, password_hash) values ('900', '值班主任', 'supervisor', 'x')`);
});
t.teardown(async () => {
  for (const d of desks) await d.close();
  await a.close();
});

const calls: Record<string, string> = {};

t.test('two answered calls -> two draft work orders, each owned by the lawyer who answered', async (t) => {
  const d1 = await desk();
  await a.presence.setState('101', 'ready');
  await a.presence.setState('102', 'ready');
  const first = calls.first = await consult(a.h, '13900001111', '2'); // labour-wages -> 101
  const second = calls.second = await consult(a.h, '13900002222', '1'); // marriage-family -> 102
  await deskEvent(a, (e) => e.type === 'answered' && e.callId === first, 'first answered');
  await deskEvent(a, (e) => e.type === 'answered' && e.callId === second, 'second answered');
  await bridged(a.h, first);
  await bridged(a.h, second);
  await until(async () => (await workOrders()).length === 2, 'two work orders', 10_000);
  const rows = await workOrders();
  const byCall = Object.fromEntries(rows.map((r: any) => [r.call_id, r]));
  t.match(byCall[first], { staff_no: '101', caller_number: '13900001111', service_line: 'consultation', legal_topic: 'labour-wages', disposition: 'follow_up', updated_by: DRAFT_BY, matter: DRAFT_MATTER });
  t.match(byCall[second], { staff_no: '102', caller_number: '13900002222', service_line: 'consultation', legal_topic: 'marriage-family', updated_by: DRAFT_BY });
  t.ok(d1, 'desk running');
});

t.test('replayed events, a second desk process and the sweep create no duplicates', async (t) => {
  const d2 = await desk(); // sweeps at start, and hears every event too
  for (let i = 0; i < 3; i++) {
    for (const [callId, staffNo] of [[calls.first, '101'], [calls.second, '102']]) {
      await a.h.redis.publish(deskChannel(a.h.prefix), JSON.stringify({ type: 'answered', staffNo, callId, at: new Date().toISOString() }));
    }
  }
  const drafter = new WorkOrderDrafter({ orm: a.h.orm, redis: a.h.redis, prefix: a.h.prefix, log, options: { retries: 0 } });
  const results = await Promise.all([...Array(5)].map(() => drafter.draft(calls.first, '101')));
  t.same([...new Set(results)], ['exists'], 'a direct replay finds the work order');
  t.equal(await drafter.sweep(), 0, 'the sweep finds nothing missing');
  await d2.deskLive.idle();
  await new Promise((r) => setTimeout(r, 500));
  const rows = await workOrders();
  t.equal(rows.length, 2, 'still two work orders');
  t.same(rows.map((r: any) => r.call_id).sort(), [calls.first, calls.second].sort());
});

t.test('the lawyer completes the draft on the desk; a completed work order is not replaced', async (t) => {
  const [d] = desks;
  const draft = (await workOrders()).find((r: any) => r.call_id === calls.first)!;
  // The desk page POSTs the form: for an untouched draft of their own call that fills the draft.
  const form = { callId: calls.first, serviceLine: 'consultation', legalTopic: 'labour-wages', matter: '公司拖欠三个月工资', answer: '可向劳动监察大队投诉，或申请劳动仲裁', disposition: 'resolved', callerDeclinedName: false, riskFlag: false };
  const other = await req(d, 'POST', '/api/work-orders', '102', form);
  t.equal(other.status, 403, 'another lawyer cannot fill it');
  const r = await req(d, 'POST', '/api/work-orders', '101', form);
  t.equal(r.status, 201);
  t.match(r.body, { id: String(draft.id), callId: calls.first, staffNo: '101', matter: '公司拖欠三个月工资', disposition: 'resolved', updatedBy: '101' });
  const again = await req(d, 'POST', '/api/work-orders', '101', form);
  t.equal(again.status, 409, 'a second POST is the usual conflict');
  t.match(again.body, { code: 'conflict', details: [{ field: 'callId' }] });
  // Or through the API's edit.
  const second = (await workOrders()).find((r: any) => r.call_id === calls.second)!;
  const p = await req(d, 'PATCH', `/api/work-orders/${second.id}`, '102', { matter: '离婚财产分割', disposition: 'follow_up' });
  t.equal(p.status, 200);
  t.match(p.body, { matter: '离婚财产分割', updatedBy: '102' });
  // A replayed event after completion changes nothing.
  await a.h.redis.publish(deskChannel(a.h.prefix), JSON.stringify({ type: 'answered', staffNo: '101', callId: calls.first, at: new Date().toISOString() }));
  await new Promise((r) => setTimeout(r, 300));
  const rows = await workOrders();
  t.equal(rows.length, 2);
  t.match(rows.find((x: any) => x.call_id === calls.first), { matter: '公司拖欠三个月工资', updated_by: '101' });
  const s = await req(d, 'GET', `/api/work-orders?callId=${calls.first}`, '900');
  t.match(s.body, { total: 1, items: [{ staffNo: '101', matter: '公司拖欠三个月工资' }] }, 'the supervisor finds it');
  for (const id of [calls.first, calls.second]) await a.h.hangup(id);
  for (const id of [calls.first, calls.second]) await a.h.record(id);
  await presenceIs(a, '101', 'wrap_up').catch(() => undefined);
});

t.test('an answered call whose event nobody heard is drafted by the sweep', async (t) => {
  await a.h.sql(`insert into call_record (call_id, caller_number, agent, service_line, legal_topic, arrived_at, answered_at, ended_at, end_reason, priority)
    values ('missed-event-1', '13900003333', '102', null, null, now() - interval '5 minutes', now() - interval '4 minutes', now() - interval '1 minute', 'completed', 0),
           ('unanswered-1', '13900004444', null, 'consultation', null, now() - interval '5 minutes', null, now() - interval '1 minute', 'abandoned_in_queue', 0)`);
  const drafter = new WorkOrderDrafter({ orm: a.h.orm, redis: a.h.redis, prefix: a.h.prefix, log });
  t.equal(await drafter.sweep(), 1);
  t.equal(await drafter.sweep(), 0, 'and only once');
  const [w] = await a.h.sql(`select * from work_order where call_id = 'missed-event-1'`);
  t.match(w, { staff_no: '102', service_line: 'operator', updated_by: DRAFT_BY });
  t.same(await a.h.sql(`select 1 from work_order where call_id = 'unanswered-1'`), [], 'an unanswered call gets none');
});
