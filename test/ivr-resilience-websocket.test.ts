// The events websocket lost mid-call (pbx-sim's /sim/faults/websocket: abrupt drop and clean close), events lost
// while it is down, and a second controller taking the application over (ApplicationReplaced). In every case the
// caller keeps hearing prompts, can still press keys and reach the queue, and the call leaves exactly one record.
import t, { type Test } from 'tap';
import type { Controller } from '../ivr/controller.js';
import { startHotline, type TestHotline } from './helpers/hotline.js';
import { guardProcess, pathNodes, records } from './helpers/ivr-probe.js';
import { call, until } from './helpers/sim.js';

const guard = guardProcess(t);
let h: TestHotline;
t.before(async () => { h = await startHotline(); });
t.teardown(() => h?.close());

const dial = (t: Test, from: string) => h.dialFor(t, from);

/** Counts 'connected' from now on. */
function connects(c: Controller): () => number {
  let n = 0;
  c.conn.on('connected', () => n++);
  return () => n;
}

async function fault(mode: 'drop' | 'close') {
  const r = await call(h.sim, 'POST', '/sim/faults/websocket', { mode, app: 'hotline' });
  if (r.body.affected !== 1) throw new Error(`websocket fault hit ${r.body.affected} sockets`);
}

/** From the main menu to the labour topic's queue, then a hang-up: the caller is served after the fault. */
async function onToQueue(id: string): Promise<void> {
  await h.press(id, '1');
  await h.waitHeard(id, 'consultation-menu');
  await h.press(id, '2');
  await h.waitHeard(id, 'moh:default');
  await h.hangup(id);
}

async function checkRecord(t: Test, c: Controller, id: string, reason: string, mustPass: string[]) {
  const r = await h.record(id);
  t.equal((await records(h, id)).length, 1, 'one record');
  t.equal(r.end_reason, reason, 'end reason');
  const nodes = pathNodes(r);
  for (const n of mustPass) t.ok(nodes.includes(n), `path passes ${n} (${nodes.join(' > ')})`);
  await until(() => !c.calls.has(id), 'session over');
  t.equal(c.calls.size, 0, 'no session left');
  t.equal(c.waiters.size, 0, 'no waiter left');
  t.equal((await h.redis.keys(`${h.prefix}:session:${id}`)).length, 0, 'saved state dropped');
  return r;
}

for (const mode of ['drop', 'close'] as const) {
  t.test(`websocket ${mode} in the middle of a prompt: the caller hears on, presses keys, reaches the queue`, async (t) => {
    const c = h.controller;
    const id = await dial(t, '13800000011');
    await h.waitHeard(id, 'main-menu');
    const heard = (await h.heard(id)).length;
    const n = connects(c);
    await fault(mode);
    await until(() => n() === 1 && c.conn.connected, 'reconnected');
    await onToQueue(id);
    t.ok((await h.heard(id)).length > heard + 1, 'the heard list grew after the fault');
    await checkRecord(t, c, id, 'abandoned_in_queue', ['main-menu', 'consultation-menu', 'topic-labour', 'queue-line']);
    guard.check(t);
  });
}

t.test('websocket closed while the menu waits for a key: keys after the reconnect are taken', async (t) => {
  const c = h.controller;
  const id = await dial(t, '13800000012');
  await h.waitFinished(id, 'main-menu');
  const n = connects(c);
  await fault('close');
  await until(() => n() === 1 && c.conn.connected, 'reconnected');
  await onToQueue(id);
  await checkRecord(t, c, id, 'abandoned_in_queue', ['consultation-menu', 'queue-line']);
  guard.check(t);
});

t.test('PlaybackFinished lost while disconnected: the session asks Asterisk and goes on (no silence)', async (t) => {
  const c = h.controller;
  const apps = h.sim.engine.w.apps;
  let id = '';
  let lost = false;
  // The greeting's PlaybackFinished is the last thing the socket would have carried: lose it, and the socket.
  apps.frameHook = (_app, frame) => {
    if (lost || !id || !frame.includes('"PlaybackFinished"') || !frame.includes(`"${id}-pb`)) return frame;
    lost = true;
    void fault('drop');
    return null;
  };
  try {
    const n = connects(c);
    id = await dial(t, '13800000013');
    await until(() => lost, 'the PlaybackFinished was lost', 5000);
    await until(() => n() === 1, 'reconnected');
    await h.waitHeard(id, 'main-menu', 1, 3000);
    t.pass('the main menu follows the greeting whose end was never reported');
  } finally {
    apps.frameHook = undefined;
  }
  await onToQueue(id);
  const r = await checkRecord(t, c, id, 'abandoned_in_queue', ['greeting', 'hours', 'main-menu', 'queue-line']);
  t.equal((r.path as Array<{ node: string; outcome: string }>).find((s) => s.node === 'greeting')?.outcome, 'done');
  guard.check(t);
});

t.test('the caller hangs up while the websocket is down: the session ends on reconnect, the record is closed', async (t) => {
  const c = h.controller;
  const id = await dial(t, '13800000014');
  await h.waitHeard(id, 'main-menu');
  const n = connects(c);
  await fault('drop');
  await h.hangup(id); // its ChannelHangupRequest and StasisEnd are lost with the socket
  await until(() => n() === 1, 'reconnected');
  await checkRecord(t, c, id, 'caller_hangup', ['main-menu']);
  guard.check(t);
});

t.test('a second controller takes the application over: the first stands down, the second adopts the call', async (t) => {
  const first = h.controller;
  const id = await dial(t, '13800000015');
  await h.waitHeard(id, 'main-menu');
  let replaced = 0;
  first.conn.on('replaced', () => replaced++);
  const second = await h.startController();
  await until(() => replaced === 1, 'the first one replaced');
  await until(() => second.calls.has(id), 'the call adopted by the second');
  t.equal(first.calls.size, 0, 'the first let go of the call');
  await h.waitHeard(id, 'main-menu', 2);
  t.pass('the caller hears the main menu again from the new owner');
  const attempts = first.conn.stats.attempts;
  await onToQueue(id);
  t.equal(first.conn.stats.attempts, attempts, 'the first never tried to take the application back');
  t.ok(second.conn.connected && !second.conn.replaced, 'the second kept it');
  await checkRecord(t, second, id, 'abandoned_in_queue', ['main-menu', 'consultation-menu', 'queue-line']);
  guard.check(t);
});
