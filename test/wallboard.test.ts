// The wallboard snapshot without a browser: waiting calls from live controllers only (a dead controller's entries
// are ignored), green-channel callers, the longest wait, lawyers counted on the lines they serve, today's figures
// from the rollup, and each alert (long wait, connection rate under 95 %, no lawyer ready).
import t from 'tap';
import { alertsFor, cstMidnight, type LineBoard } from '../agent-desk/stats/wallboard.js';
import { startDesk, type TestDesk } from './helpers/desk.js';

let d: TestDesk;
let cookie = '';

t.before(async () => {
  d = await startDesk();
  await d.staff({ staffNo: 'L1', role: 'agent', lines: ['consultation'] });
  await d.staff({ staffNo: 'L2', role: 'agent' });
  await d.staff({ staffNo: 'sup', role: 'supervisor' });
  cookie = await d.cookie('sup');
});
t.teardown(() => d.close());

t.test('a snapshot of the centre', async (t) => {
  const now = Date.now();
  const waiting = `${d.prefix}:acd:waiting`;
  await d.redis.zadd(`${d.prefix}:acd:alive`, now, 'ctl-a');
  await d.redis.hset(waiting,
    'a1', JSON.stringify({ instance: 'ctl-a', callId: 'w1', line: 'consultation', priority: 2, seq: (now - 20_000) * 1000 }),
    'a2', JSON.stringify({ instance: 'ctl-a', callId: 'w2', line: 'consultation', priority: 0, seq: (now - 5_000) * 1000 }),
    'x1', JSON.stringify({ instance: 'ctl-dead', callId: 'w3', line: 'application', priority: 0, seq: (now - 90_000) * 1000 }),
    'bad', 'not json');
  t.equal((await d.req('PUT', '/api/presence', await d.cookie('L1'), { state: 'ready' })).status, 200);
  // Today: one answered and one abandoned on 法律咨询 (50 %), one answered call still in progress on 业务申请.
  // Never before midnight (China Standard Time), or "today" would miss them right after it.
  const today = (ago: number) => new Date(Math.max(now - ago, cstMidnight(new Date(now)).getTime()));
  await d.insertCall({ callId: 't1', line: 'consultation', agent: 'L1', arrivedAt: today(600_000) });
  await d.insertCall({ callId: 't2', line: 'consultation', answered: false, arrivedAt: today(500_000) });
  await d.orm.em.fork().getConnection().execute(`insert into call_record (call_id, service_line, arrived_at, queued_at, answered_at, agent)
    values ('t3', 'application', ?, ?, ?, 'L2')`, [new Date(now - 60_000), new Date(now - 55_000), new Date(now - 50_000)]);

  const r = await d.req('GET', '/api/wallboard', cookie);
  t.equal(r.status, 200);
  const b = r.body;
  const line = (l: string) => b.lines.find((x: LineBoard) => x.line === l) as LineBoard;
  const c = line('consultation');
  t.same([c.waiting, c.greenWaiting, c.lawyers.ready, c.lawyers.offline], [2, 1, 1, 1], 'L1 ready, L2 (all lines) offline');
  t.ok(c.longestWaitSec >= 20 && c.longestWaitSec < 30, `longest wait ${c.longestWaitSec} s`);
  t.same([c.offered, c.answered, c.abandoned, c.connectionRate], [2, 1, 1, 0.5]);
  const a = line('application');
  t.same([a.waiting, a.inProgress, a.lawyers.ready, a.offered], [0, 1, 0, 1], 'the dead controller\'s caller is not shown; t3 is in progress');
  t.same([b.total.waiting, b.total.inProgress, b.total.offered], [2, 1, 3]);
  const kinds = b.alerts.filter((x: { kind: string }) => x.kind !== 'no_ready').map((x: { line: string; kind: string }) => `${x.line}:${x.kind}`).sort();
  t.same(kinds, ['consultation:long_wait', 'consultation:low_connection']);
  t.equal(await d.redis.hlen(waiting), 4, 'the wallboard only reads the ACD\'s hash');
});

t.test('alert rules', async (t) => {
  const l = (o: Partial<LineBoard>): LineBoard => ({
    line: 'complaint', name: '投诉建议', targetSec: 15, waiting: 0, greenWaiting: 0, longestWaitSec: 0, inProgress: 0,
    lawyers: { ready: 0, ringing: 0, on_call: 0, wrap_up: 0, not_ready: 0, offline: 0 }, offered: 0, answered: 0, abandoned: 0,
    abandoned15s: 0, serviceLevel: null, connectionRate: null, ...o,
  });
  const kinds = (x: LineBoard, open = true) => alertsFor([x], open).map((a) => a.kind);
  t.same(kinds(l({})), ['no_ready'], 'nobody working the line in hours');
  t.same(kinds(l({}), false), [], 'out of hours nobody needs to be ready');
  t.same(kinds(l({ lawyers: { ready: 0, ringing: 0, on_call: 3, wrap_up: 0, not_ready: 0, offline: 0 } })), [], 'everyone on calls, nobody waiting');
  t.same(kinds(l({ waiting: 1, longestWaitSec: 15, lawyers: { ready: 1, ringing: 0, on_call: 0, wrap_up: 0, not_ready: 0, offline: 0 } })), [], '15 s is still within target');
  t.same(kinds(l({ waiting: 1, longestWaitSec: 16, lawyers: { ready: 0, ringing: 0, on_call: 2, wrap_up: 0, not_ready: 0, offline: 0 } })), ['long_wait', 'no_ready']);
  t.same(kinds(l({ connectionRate: 0.95, lawyers: { ready: 1, ringing: 0, on_call: 0, wrap_up: 0, not_ready: 0, offline: 0 } })), [], '95 % meets the norm');
  t.same(kinds(l({ connectionRate: 0.949, lawyers: { ready: 1, ringing: 0, on_call: 0, wrap_up: 0, not_ready: 0, offline: 0 } })), ['low_connection']);
  t.equal(cstMidnight(new Date('2026-11-26T15:59:59Z')).toISOString(), '2026-11-25T16:00:00.000Z');
  t.equal(cstMidnight(new Date('2026-11-26T16:00:00Z')).toISOString(), '2026-11-26T16:00:00.000Z');
});
