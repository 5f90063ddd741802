// The ARI connection (ivr/ari/connection.ts) against what ari-client 2.2.0 gets wrong (../shared/STACK-NOTES.md):
// wrong credentials, frames that are not JSON or name an unknown event, an Asterisk that goes away for longer than
// ari-client's ten retries, and a second socket for the application (ApplicationReplaced). Never a crash, never an
// unhandled rejection.
import t from 'tap';
import WebSocket from 'ws';
import { AriConnection, type AriEvent } from '../ivr/ari/connection.js';
import { AriRest } from '../ivr/ari/rest.js';
import { Controller } from '../ivr/controller.js';
import type { Sim } from '../pbx-sim/server.js';
import { captureLog, guardProcess } from './helpers/ivr-probe.js';
import { call, sleep, testSim, until } from './helpers/sim.js';

const guard = guardProcess(t);
let sim: Sim;
t.before(async () => { sim = await testSim({ timeScale: 20 }); });
t.teardown(async () => { await sim?.close(); });

const fast = { initialMs: 10, maxMs: 40 };

function connection(o: { password?: string; url?: string; rebuildAfter?: number } = {}) {
  const { log, lines } = captureLog();
  const conn = new AriConnection({
    url: o.url ?? sim.url, user: 'hotline', password: o.password ?? 'hotline', app: 'hotline', log, backoff: fast,
    rebuildAfter: o.rebuildAfter, attemptTimeoutMs: 2000,
  });
  const events: AriEvent[] = [];
  conn.on('event', (ev: AriEvent) => events.push(ev));
  return { conn, lines, events };
}

t.test('wrong credentials: a clear error, retries with backoff, no crash; a good connection beside it works', async (t) => {
  const bad = connection({ password: 'wrong' });
  let rejected = 0;
  bad.conn.on('rejected', () => rejected++);
  bad.conn.start();
  await until(() => bad.conn.stats.rejected >= 4, 'four refused attempts', 5000);
  t.ok(rejected >= 4, 'rejected is emitted at each refusal');
  t.notOk(bad.conn.connected);
  const errors = bad.lines.filter((l) => l.level >= 50 && /refused our credentials/.test(l.msg));
  t.ok(errors.length >= 4, 'logged at error level each time');
  t.match(String(errors[0].err), /rejected user "hotline" \(401\).*ARI_PASSWORD/, 'the message names the user and what to check');

  // ari-client keeps credentials module-global: the bad one never reaches ari-client, so a good one still works.
  const good = connection();
  good.conn.start();
  await until(() => good.conn.connected, 'the good connection');
  const app = await new AriRest(() => good.conn.client).getApplication('hotline');
  t.equal((app as unknown as { name: string }).name, 'hotline', 'REST through the good client');
  const before = bad.conn.stats.attempts;
  await until(() => bad.conn.stats.attempts > before + 2, 'the bad one still retrying');
  await bad.conn.stop();
  const stopped = bad.conn.stats.attempts;
  await sleep(100);
  t.equal(bad.conn.stats.attempts, stopped, 'stop() ends the retries');
  await good.conn.stop();
  guard.check(t);
});

t.test('a controller with a wrong password keeps retrying and the process lives on', async (t) => {
  const { log, lines } = captureLog();
  const c = new Controller({
    ari: { url: sim.url, user: 'hotline', password: 'nope', app: 'hotline' }, log,
    flows: { current: () => { throw new Error('no calls expected'); }, revision: () => undefined },
    recorder: { arrived() {}, node() {}, tagged() {}, queued() {}, ended() {} }, calendar: { isOpen: () => true },
    connection: { backoff: fast },
  });
  c.start();
  await until(() => c.conn.stats.rejected >= 3, 'three refused attempts', 5000);
  t.ok(lines.some((l) => l.level === 50 && /credentials/.test(l.msg)), 'error logged');
  t.notOk(c.conn.connected);
  await c.stop();
  guard.check(t);
});

t.test('a frame that is not JSON and an unknown event type are logged and skipped; events go on', async (t) => {
  const { conn, lines, events } = connection();
  conn.start();
  await until(() => conn.connected, 'connected');
  t.same((await call(sim, 'POST', '/sim/faults/frame', { frame: 'not json {' })).body, { affected: 1 });
  t.same((await call(sim, 'POST', '/sim/faults/frame', { frame: JSON.stringify({ type: 'NoSuchEvent', application: 'hotline' }) })).body, { affected: 1 });
  t.same((await call(sim, 'POST', '/sim/faults/frame', { frame: '[1,2]' })).body, { affected: 1 });
  await until(() => conn.stats.skippedFrames === 3, 'three frames skipped');
  t.ok(lines.some((l) => /not JSON/.test(l.msg) && String(l.frame).startsWith('not json')), 'non-JSON frame logged');
  t.ok(lines.some((l) => /not in its api-docs/.test(l.msg) && l.type === 'NoSuchEvent'), 'unknown event logged');
  t.ok(conn.connected, 'still connected');
  const id = (await call(sim, 'POST', '/sim/calls', { from: '13800000002' })).body.id as string;
  await until(() => events.some((e) => e.type === 'StasisStart' && (e.channel as { id: string }).id === id), 'a StasisStart after the bad frames');
  t.notOk(events.some((e) => e.type === 'NoSuchEvent'), 'the unknown event never reached the controller');
  await call(sim, 'POST', `/sim/calls/${id}/hangup`);
  await conn.stop();
  guard.check(t);
});

t.test('Asterisk gone for longer than the retry count, back on the same port: ari-client rebuilt, reconnected', async (t) => {
  const own = await testSim({ timeScale: 20 });
  const port = own.port;
  const { conn, lines, events } = connection({ url: own.url, rebuildAfter: 10 });
  let connects = 0;
  conn.on('connected', () => connects++);
  conn.start();
  await until(() => conn.connected, 'connected');
  t.equal(conn.stats.rebuilds, 1, 'one ari-client built');
  await own.close();
  await until(() => conn.stats.failures >= 14, 'more failures than ari-client would ever retry (10)', 10_000);
  t.notOk(conn.connected);
  t.ok(lines.some((l) => /will be rebuilt/.test(l.msg)), 'the rebuild is logged');
  const again = await testSim({ timeScale: 20, port });
  try {
    await until(() => conn.connected, 'reconnected to the restarted simulator', 5000);
    t.ok(conn.stats.rebuilds >= 2, `ari-client rebuilt (${conn.stats.rebuilds} builds)`);
    t.equal(connects, 2);
    t.equal(conn.stats.failures, 0, 'backoff reset once connected');
    const app = await new AriRest(() => conn.client).getApplication('hotline');
    t.equal((app as unknown as { name: string }).name, 'hotline', 'REST works on the new client');
    const id = (await call(again, 'POST', '/sim/calls', { from: '13800000003' })).body.id as string;
    await until(() => events.some((e) => e.type === 'StasisStart' && (e.channel as { id: string }).id === id), 'events from the new simulator');
  } finally {
    await conn.stop();
    await again.close();
  }
  guard.check(t);
});

t.test('ApplicationReplaced: the replaced connection stands down (no reconnect fight) until started again', async (t) => {
  const { conn, lines } = connection();
  let replaced = 0;
  conn.on('replaced', () => replaced++);
  conn.start();
  await until(() => conn.connected, 'connected');
  const other = new WebSocket(`${sim.url.replace('http', 'ws')}/ari/events?app=hotline&api_key=hotline:hotline`);
  const otherGot: string[] = [];
  other.on('message', (d) => otherGot.push(String(d)));
  await new Promise((r) => other.once('open', r));
  await until(() => replaced === 1, 'replaced');
  t.ok(conn.replaced);
  t.notOk(conn.connected);
  t.ok(lines.some((l) => l.level === 50 && /standing down/.test(l.msg)), 'logged at error level');
  const attempts = conn.stats.attempts;
  await sleep(400); // forty backoff periods
  t.equal(conn.stats.attempts, attempts, 'no reconnect attempt while another process owns the application');
  t.notOk(otherGot.some((f) => f.includes('ApplicationReplaced')), 'the new owner is left alone');
  const stats = (await call(sim, 'GET', '/sim/stats')).body as { apps: Array<{ name: string; connected: boolean }> };
  t.ok(stats.apps.find((a) => a.name === 'hotline')?.connected, 'the application is served by the new owner');

  // An explicit start() takes it back (an operator's decision), and then the other one is told.
  conn.start();
  await until(() => conn.connected, 'taken back');
  await until(() => otherGot.some((f) => f.includes('ApplicationReplaced')), 'the other socket replaced');
  t.notOk(conn.replaced);
  other.terminate();
  await conn.stop();
  guard.check(t);
});

t.test('stop() while connecting leaves nothing running', async (t) => {
  const { conn } = connection();
  conn.start();
  void conn.stop();
  await sleep(100);
  t.notOk(conn.connected, 'a connection stopped while connecting does not come up');
  const stats = (await call(sim, 'GET', '/sim/stats')).body as { apps: Array<{ name: string; connected: boolean }> };
  t.notOk(stats.apps.find((a) => a.name === 'hotline')?.connected, 'no socket left open at the simulator');
  guard.check(t);
});
