// The permission matrix: every /api and /ws route of the desk, for an anonymous caller and each role, with the status
// each must get. The desk's own list of routes is compared with the matrix both ways, so a route added without a
// row here (or a row for a route that is gone) fails this test.
import t from 'tap';
import { loadCalendar } from '../lib/calendar/index.js';
import type { Role } from '../lib/entities/staff.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeyRing } from '../recordings-store/crypto.js';
import { FsBlobStore } from '../recordings-store/storage.js';
import { Queue } from 'bullmq';
import type { DeskCallbacks } from '../agent-desk/callbacks.js';
import { PASSWORD, REDIS_URL, startDesk, type TestDesk } from './helpers/desk.js';
import { seedRecording } from './helpers/recording-seed.js';

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', 'agent', 'supervisor', 'admin'];
/** The account each role uses. */
const ACCOUNT: Record<Role, string> = { agent: 'lawyer1', supervisor: 'supervisor', admin: 'admin' };

interface Row {
  /** Builds a request that succeeds for an allowed role (fresh data per role, so order does not matter). */
  request(who: Who): Promise<{ url: string; body?: unknown }>;
  expect: Record<Who, number>;
}

let d: TestDesk;
let workOrderId = '';
const HANDLED_CALLER = '13800000077';

/** A call lawyer1 is talking on now (as the ACD reports it); returns its id. */
async function talking(callId: string): Promise<string> {
  const at = new Date().toISOString();
  await d.publish({ type: 'offered', staffNo: 'lawyer1', callId, callerNumber: HANDLED_CALLER, line: 'consultation', priority: 0, green: false, ivrPath: [], at });
  await d.publish({ type: 'answered', staffNo: 'lawyer1', callId, at });
  return callId;
}
let recordingId = '';
const storeDir = mkdtempSync(path.join(os.tmpdir(), 'perm-rec-'));
const keys = new KeyRing({ id: 't', key: randomBytes(32) });
const hold = async () => String((await d.orm.em.fork().getConnection().execute(`insert into legal_hold (call_id, reason, created_by) values ('owned', '保全', 'supervisor') returning id`))[0].id);

const MATRIX: Record<string, Row> = {
  'POST /api/login': {
    request: async () => ({ url: '/api/login', body: { staffNo: 'lawyer2', password: PASSWORD } }),
    expect: { anonymous: 200, agent: 200, supervisor: 200, admin: 200 },
  },
  'POST /api/logout': { request: async () => ({ url: '/api/logout' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 200 } },
  'GET /api/me': { request: async () => ({ url: '/api/me' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 200 } },
  'PUT /api/me/password': {
    request: async () => ({ url: '/api/me/password', body: { currentPassword: PASSWORD, newPassword: PASSWORD } }),
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 200 },
  },
  'GET /api/handling': { request: async () => ({ url: '/api/handling' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/staff': { request: async () => ({ url: '/api/staff' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 200 } },
  'POST /api/staff': {
    request: async (who) => ({ url: '/api/staff', body: { staffNo: `new-${who}`, name: '新律师', role: 'agent', password: 'long-enough-1' } }),
    expect: { anonymous: 401, agent: 403, supervisor: 403, admin: 201 },
  },
  'PATCH /api/staff/:staffNo': {
    request: async () => ({ url: '/api/staff/lawyer2', body: { stars: 4 } }),
    expect: { anonymous: 401, agent: 403, supervisor: 403, admin: 200 },
  },
  'PUT /api/presence': { request: async () => ({ url: '/api/presence', body: { state: 'ready' } }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'PUT /api/presence/:staffNo': {
    request: async () => ({ url: '/api/presence/lawyer2', body: { state: 'not_ready', reason: '会议' } }),
    expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 },
  },
  'GET /api/presence': { request: async () => ({ url: '/api/presence' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'POST /api/work-orders': {
    request: async (who) => {
      await d.insertCall({ callId: `m-${who}`, callerNumber: '13800000001', agent: 'lawyer1', line: 'consultation' });
      return { url: '/api/work-orders', body: { callId: `m-${who}`, serviceLine: 'consultation', matter: '欠薪', answer: '可申请劳动仲裁', disposition: 'resolved' } };
    },
    expect: { anonymous: 401, agent: 201, supervisor: 201, admin: 403 },
  },
  'PATCH /api/work-orders/:id': {
    request: async () => ({ url: `/api/work-orders/${workOrderId}`, body: { answer: '补充答复' } }),
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 },
  },
  'GET /api/work-orders/:id': { request: async () => ({ url: `/api/work-orders/${workOrderId}` }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/work-orders': { request: async () => ({ url: '/api/work-orders' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/work-orders/export.csv': { request: async () => ({ url: '/api/work-orders/export.csv' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/calls': { request: async () => ({ url: '/api/calls' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'POST /api/calls/:callId/transfer': {
    request: async (who) => ({ url: `/api/calls/${await talking(`x-${who}`)}/transfer`, body: { toLine: 'application' } }),
    expect: { anonymous: 401, agent: 202, supervisor: 202, admin: 403 },
  },
  'GET /api/transfer-targets': { request: async () => ({ url: '/api/transfer-targets' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/callers/:number': {
    request: async () => ({ url: `/api/callers/${HANDLED_CALLER}` }),
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 },
  },
  'PUT /api/callers/:number': {
    request: async () => ({ url: `/api/callers/${HANDLED_CALLER}`, body: { dialect: '粤语' } }),
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 },
  },
  // After the call (issue 8): calendar, legal aid, appointments, tickets. Each row makes its own fresh matter.
  'GET /api/calendar': { request: async () => ({ url: '/api/calendar' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 200 } },
  'PUT /api/calendar/years/:year': {
    request: async () => ({ url: '/api/calendar/years/2027', body: { source: 'test', holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], workdays: [] } }),
    expect: { anonymous: 401, agent: 403, supervisor: 403, admin: 200 },
  },
  'POST /api/legal-aid': { request: async () => ({ url: '/api/legal-aid', body: { applicantName: '张三', matterType: 'labour-wages' } }), expect: { anonymous: 401, agent: 201, supervisor: 201, admin: 403 } },
  'GET /api/legal-aid': { request: async () => ({ url: '/api/legal-aid' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/legal-aid/:id': { request: async () => ({ url: `/api/legal-aid/${await application()}` }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'POST /api/legal-aid/:id/status': {
    request: async () => ({ url: `/api/legal-aid/${await application()}/status`, body: { to: 'under_review' } }),
    expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 },
  },
  'GET /api/appointment-services': { request: async () => ({ url: '/api/appointment-services' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 200 } },
  'GET /api/appointment-slots': {
    request: async () => ({ url: `/api/appointment-slots?service=notarisation&date=${loadCalendar().addWorkingDays(new Date(), 1)}` }),
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 },
  },
  'POST /api/appointments': { request: async () => ({ url: '/api/appointments', body: { slotId: await freeSlot(), callerNumber: '13900000001' } }), expect: { anonymous: 401, agent: 201, supervisor: 201, admin: 403 } },
  'GET /api/appointments': { request: async () => ({ url: '/api/appointments' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'PATCH /api/appointments/:id': {
    request: async () => ({ url: `/api/appointments/${await appointment()}`, body: { slotId: await freeSlot() } }),
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 },
  },
  'POST /api/appointments/:id/cancel': { request: async () => ({ url: `/api/appointments/${await appointment()}/cancel` }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'POST /api/appointments/:id/attendance': {
    request: async () => ({ url: `/api/appointments/${await appointment()}/attendance`, body: { kept: true } }),
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 },
  },
  'POST /api/tickets': {
    request: async () => ({ url: '/api/tickets', body: { kind: 'complaint', category: 'other', summary: '投诉', department: '办公室', deadlineDays: 5 } }),
    expect: { anonymous: 401, agent: 201, supervisor: 201, admin: 403 },
  },
  'GET /api/tickets': { request: async () => ({ url: '/api/tickets' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/tickets/:id': { request: async () => ({ url: `/api/tickets/${await ticket()}` }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'POST /api/tickets/:id/assign': {
    request: async () => ({ url: `/api/tickets/${await ticket()}/assign`, body: { handler: 'lawyer2' } }),
    expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 },
  },
  'POST /api/tickets/:id/forward': {
    request: async () => ({ url: `/api/tickets/${await ticket()}/forward`, body: { department: '司法所', note: '转办' } }),
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 },
  },
  'POST /api/tickets/:id/callback': {
    request: async () => ({ url: `/api/tickets/${await ticket()}/callback`, body: { reply: '已处理' } }),
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 },
  },
  'POST /api/tickets/:id/close': {
    request: async () => {
      const id = await ticket();
      await d.req('POST', `/api/tickets/${id}/callback`, await d.cookie('lawyer1'), { reply: '已处理' });
      return { url: `/api/tickets/${id}/close`, body: { rating: 'satisfied' } };
    },
    expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 },
  },
  'GET /api/recordings': { request: async () => ({ url: '/api/recordings' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/recordings/:id': { request: async () => ({ url: `/api/recordings/${recordingId}` }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/recordings/:id/audio': { request: async () => ({ url: `/api/recordings/${recordingId}/audio` }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/recordings/:id/waveform': { request: async () => ({ url: `/api/recordings/${recordingId}/waveform` }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  // Download: RECORDINGS_DOWNLOAD_ROLES, supervisors by default.
  'GET /api/recordings/:id/download': { request: async () => ({ url: `/api/recordings/${recordingId}/download` }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/recording-audit': { request: async () => ({ url: '/api/recording-audit' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 200 } },
  'POST /api/legal-holds': { request: async () => ({ url: '/api/legal-holds', body: { callId: 'owned', reason: '诉讼保全' } }), expect: { anonymous: 401, agent: 403, supervisor: 201, admin: 201 } },
  'GET /api/legal-holds': { request: async () => ({ url: '/api/legal-holds' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 200 } },
  'DELETE /api/legal-holds/:id': { request: async () => ({ url: `/api/legal-holds/${await hold()}` }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 200 } },
  // lawyer1 is talking on `owned` (see before()); a controller listens for commands.
  'POST /api/calls/:callId/recording/pause': { request: async () => ({ url: '/api/calls/owned/recording/pause' }), expect: { anonymous: 401, agent: 202, supervisor: 202, admin: 403 } },
  'POST /api/calls/:callId/recording/resume': { request: async () => ({ url: '/api/calls/owned/recording/resume' }), expect: { anonymous: 401, agent: 202, supervisor: 202, admin: 403 } },
  // QA scoring (issue 6 item 5): supervisors score (the call `owned`, lawyer1's); lawyers read their own scores.
  'GET /api/qa/scorecard': { request: async () => ({ url: '/api/qa/scorecard' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 200 } },
  'POST /api/qa/scorecards': {
    request: async () => ({ url: '/api/qa/scorecards', body: { name: '评分表', criteria: [{ id: 'basis', label: '法律依据准确', weight: 100, kind: 'score' }] } }),
    expect: { anonymous: 401, agent: 403, supervisor: 201, admin: 201 },
  },
  'POST /api/qa/scores': {
    request: async () => ({ url: '/api/qa/scores', body: { callId: 'owned', answers: await fullMarks() } }),
    expect: { anonymous: 401, agent: 403, supervisor: 201, admin: 403 },
  },
  'GET /api/qa/scores': { request: async () => ({ url: '/api/qa/scores' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/qa/assignments': { request: async () => ({ url: '/api/qa/assignments' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/qa/summary': { request: async () => ({ url: '/api/qa/summary' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  // Statistics, wallboard and reports (issue 7): supervisors only.
  'GET /api/stats': { request: async () => ({ url: '/api/stats?from=2026-11-01&to=2026-11-30' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/stats/export.csv': { request: async () => ({ url: '/api/stats/export.csv?from=2026-11-01&to=2026-11-30&by=line' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/stats/export.xlsx': { request: async () => ({ url: '/api/stats/export.xlsx?from=2026-11-01&to=2026-11-30' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/reports/period': { request: async () => ({ url: '/api/reports/period?from=2026-11-01&to=2026-11-30' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/reports/period.docx': { request: async () => ({ url: '/api/reports/period.docx?from=2026-11-01&to=2026-11-30' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/insight/repeat-callers': { request: async () => ({ url: '/api/insight/repeat-callers?from=2026-11-01&to=2026-11-30' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/insight/vulnerable': { request: async () => ({ url: '/api/insight/vulnerable?from=2026-11-01&to=2026-11-30' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/insight/lawyers': { request: async () => ({ url: '/api/insight/lawyers?from=2026-11-01&to=2026-11-30' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/wallboard': { request: async () => ({ url: '/api/wallboard' }), expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 } },
  'GET /api/wallboard/ws': { request: async () => ({ url: '/api/wallboard/ws' }), expect: { anonymous: 401, agent: 403, supervisor: 101, admin: 403 } },
  // Callbacks (issue 5): each row makes a fresh task callback of the lawyers' team; dialling needs a phone that is not offline.
  'GET /api/callbacks': { request: async () => ({ url: '/api/callbacks?view=team' }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'GET /api/callbacks/:id': { request: async () => ({ url: `/api/callbacks/${await callback()}` }), expect: { anonymous: 401, agent: 200, supervisor: 200, admin: 403 } },
  'POST /api/callbacks/:id/dial': {
    request: async (who) => {
      if (who === 'agent' || who === 'supervisor') await d.req('PUT', '/api/presence', await d.cookie(ACCOUNT[who]), { state: 'ready' });
      return { url: `/api/callbacks/${await callback()}/dial` };
    },
    expect: { anonymous: 401, agent: 202, supervisor: 202, admin: 403 },
  },
  'POST /api/callbacks/:id/cancel': {
    request: async () => ({ url: `/api/callbacks/${await callback()}/cancel`, body: { reason: '重复' } }),
    expect: { anonymous: 401, agent: 403, supervisor: 200, admin: 403 },
  },
  // 101: the upgrade succeeded.
  'GET /ws': { request: async () => ({ url: '/ws' }), expect: { anonymous: 401, agent: 101, supervisor: 101, admin: 403 } },
};

/** Full marks on whichever scorecard is active (a row above may have made a new version). */
async function fullMarks(): Promise<Record<string, number | boolean>> {
  const card = (await d.req('GET', '/api/qa/scorecard', await d.cookie('supervisor'))).body as { criteria: Array<{ id: string; kind: string }> };
  return Object.fromEntries(card.criteria.map((c) => [c.id, c.kind === 'score' ? 5 : true]));
}
/** Fresh matters owned by lawyer1, made as lawyer1 through the API. */
async function application(): Promise<string> {
  return (await d.req('POST', '/api/legal-aid', await d.cookie('lawyer1'), { applicantName: '李四', matterType: 'other' })).body.id;
}
async function ticket(): Promise<string> {
  return (await d.req('POST', '/api/tickets', await d.cookie('lawyer1'),
    { kind: 'supervision', category: 'other', summary: '监督', callerNumber: '13900000002', department: '办公室', handler: 'lawyer1', deadlineDays: 5 })).body.id;
}
let callbacks = 0;
async function callback(): Promise<string> {
  callbacks += 1;
  const [r] = await d.orm.em.fork().getConnection().execute(
    `insert into callback (kind, trigger_key, number, place, mode, team, due_at, deadline_at, next_attempt_at)
     values ('voicemail', ?, '13900000009', ?, 'task', 'lawyers', now(), now() + interval '2 hours', now()) returning id`, [`perm-${callbacks}`, callbacks]);
  return String(r.id);
}
async function freeSlot(): Promise<string> {
  const day = loadCalendar().addWorkingDays(new Date(), 1);
  const slots = (await d.req('GET', `/api/appointment-slots?service=notarisation&date=${day}`, await d.cookie('supervisor'))).body as Array<{ id: string; free: number }>;
  return slots.find((x) => x.free > 0)!.id;
}
async function appointment(): Promise<string> {
  return (await d.req('POST', '/api/appointments', await d.cookie('lawyer1'), { slotId: await freeSlot(), callerNumber: '13900000003' })).body.id;
}

const dialQueue = new Queue(`t-perm-${randomBytes(4).toString('hex')}-callbacks`, { connection: { url: REDIS_URL } });
const dials: DeskCallbacks = {
  queue: dialQueue,
  requestDial: async (id, attempt, staffNo) => (await dialQueue.add('dial', { id, attempt, staffNo }, { jobId: `dial-${id}-a${attempt}` })).id!,
};

t.before(async () => {
  const store = new FsBlobStore(storeDir);
  d = await startDesk({ login: { max: 1000, timeWindowMs: 60_000 }, recordings: { store, keys }, callbacks: dials });
  await d.staff({ staffNo: 'lawyer1', role: 'agent', endpoint: 'PJSIP/8001' });
  await d.staff({ staffNo: 'lawyer2', role: 'agent', endpoint: 'PJSIP/8002' });
  await d.staff({ staffNo: 'supervisor', role: 'supervisor', endpoint: 'PJSIP/8009' });
  await d.staff({ staffNo: 'admin', role: 'admin' });
  await d.insertCall({ callId: 'owned', callerNumber: '13800000002', agent: 'lawyer1', line: 'consultation' });
  const r = await d.req('POST', '/api/work-orders', await d.cookie('lawyer1'),
    { callId: 'owned', serviceLine: 'consultation', matter: '合同纠纷', answer: '建议协商', disposition: 'resolved' });
  workOrderId = r.body.id;
  await talking('handled');
  recordingId = (await seedRecording(d.orm, store, keys, { name: 'perm-rec', callId: 'owned', staffNo: 'lawyer1' })).id;
  await d.publish({ type: 'offered', staffNo: 'lawyer1', callId: 'owned', callerNumber: '13800000002', line: 'consultation', priority: 0, green: false, ivrPath: [], at: new Date().toISOString() });
  await d.publish({ type: 'answered', staffNo: 'lawyer1', callId: 'owned', at: new Date().toISOString() });
  // A call controller listening for desk commands (transfers and recording pauses are accepted once one has them).
  const controller = d.redis.duplicate();
  await controller.subscribe(`${d.prefix}:acd:commands`);
  t.teardown(() => controller.disconnect());
});
t.teardown(async () => {
  await d.close();
  await dialQueue.obliterate({ force: true });
  await dialQueue.close();
  rmSync(storeDir, { recursive: true, force: true });
});

const isWs = (url: string) => url === '/ws' || url.endsWith('/ws');

async function wsStatus(url: string, cookie?: string): Promise<number> {
  try {
    const ws = await d.app.injectWS(url, cookie ? { headers: { cookie } } : {});
    ws.terminate();
    return 101;
  } catch (e) {
    const m = /Unexpected server response: (\d+)/.exec((e as Error).message);
    if (!m) throw e;
    return Number(m[1]);
  }
}

t.test('every guarded route of the desk is in the matrix, and every matrix row is a route', async (t) => {
  const routes = d.app.deskRoutes.map((r) => `${r.method} ${r.url}`).sort();
  t.same(routes, Object.keys(MATRIX).sort());
});

t.test('every route documents its answers: a success schema (but the websocket) and the error vocabulary', async (t) => {
  for (const r of d.app.deskRoutes) {
    const route = `${r.method} ${r.url}`;
    t.ok(r.responses.includes('4xx') && r.responses.includes('5xx'), `${route}: error schemas`);
    if (!isWs(r.url)) t.ok(r.responses.some((s) => /^2\d\d$/.test(s)), `${route}: success schema`);
  }
});

t.test('each role gets the status the matrix says, on each route', async (t) => {
  for (const [route, row] of Object.entries(MATRIX)) {
    const [method] = route.split(' ');
    for (const who of WHO) {
      const cookie = who === 'anonymous' ? undefined : await d.cookie(ACCOUNT[who]);
      const { url, body } = await row.request(who);
      const status = isWs(url) ? await wsStatus(url, cookie) : (await d.req(method, url, cookie, body)).status;
      t.equal(status, row.expect[who], `${route} as ${who}`);
    }
  }
});

t.test('a refusal is in the error vocabulary and comes before the body is looked at', async (t) => {
  const agent = await d.cookie('lawyer1');
  const r = await d.req('POST', '/api/staff', agent, { nonsense: true });
  t.equal(r.status, 403, 'not a 400: a wrong role learns nothing about the schema');
  t.same(r.body, { code: 'forbidden', message: 'not allowed for role agent' });
  const anon = await d.req('POST', '/api/work-orders', undefined, { nonsense: true });
  t.equal(anon.status, 401);
});
