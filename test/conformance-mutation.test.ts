// The conformance suite must catch a simulator that drifts from Asterisk: here the simulator is broken on purpose
// (one event delivered late, one REST answer with another status) and the same comparison must fail.
import t from 'tap';
import { testSim } from './helpers/sim.js';
import { conformanceDialplan } from '../pbx-sim/engine/dialplan.js';
import { replay, type Target } from './conformance/replay.js';
import { restProblems } from './conformance/harness.js';
import { compareEvents } from './conformance/trace.js';
import { AriError } from '../pbx-sim/engine/types.js';

async function run(mutate: (sim: Awaited<ReturnType<typeof testSim>>) => void) {
  const sim = await testSim({ timeScale: 5, dialplan: conformanceDialplan('hotline') });
  mutate(sim);
  const target: Target = {
    kind: 'sim', url: sim.url, user: 'hotline', password: 'hotline', app: 'hotline', scale: 5,
    control: async (method, path, body) => {
      const res = await fetch(sim.url + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json().catch(() => undefined) };
    },
  };
  try { return await replay('a-inbound', target); } finally { await sim.close(); }
}

t.test('the untouched simulator matches a-inbound', async (t) => {
  const r = await run(() => undefined);
  t.ok(compareEvents(r.expected, r.actual).ok);
});

t.test('an event delivered out of order is caught', async (t) => {
  const r = await run((sim) => {
    let held: { app: string; frame: string } | undefined;
    // Hold back the first ChannelStateChange and send it after the next frame: the order of two events changes.
    sim.engine.w.apps.frameHook = (app, frame) => {
      if (!held && frame.includes('"ChannelStateChange"')) { held = { app, frame }; return null; }
      if (held) {
        const h = held; held = undefined;
        setImmediate(() => sim.engine.w.apps.get(h.app)?.socket?.send(h.frame));
      }
      return frame;
    };
  });
  const cmp = compareEvents(r.expected, r.actual);
  t.notOk(cmp.ok, 'the comparison fails');
  t.match(cmp.diff, /events differ at index 1/);
});

t.test('a different status code is caught', async (t) => {
  const r = await run((sim) => {
    // The last request of the scenario, GET /recordings/stored/rec-test, answers 404 instead of Asterisk's 200.
    sim.engine.w.stored.get = () => { throw new AriError(404, 'Recording not found'); };
  });
  const last = r.rest[r.rest.length - 1];
  t.equal(last.path, '/recordings/stored/rec-test');
  t.equal(last.expected.status, 200);
  t.equal(last.status, 404, 'the replay sees the broken status');
  t.same(restProblems(r), [`#${last.seq} GET /recordings/stored/rec-test: status 404, Asterisk gave 200`], 'and the harness reports it');
});
