import t from 'tap';
import { call, connectAri, testSim, until } from './helpers/sim.js';

t.test('an inbound caller through ari-client: answer, play, DTMF, hang-up', async (t) => {
  const sim = await testSim({ timeScale: 20 });
  const client = await connectAri(sim);
  t.teardown(async () => { await client.stop(); await sim.close(); });
  const events: any[] = [];
  client.on('*' as any, (ev: any) => events.push(ev));
  let started: any;
  client.on('StasisStart', (ev, ch) => { started = ch; });
  const r = await call(sim, 'POST', '/sim/calls', { from: '13800138000', to: '12348' });
  t.equal(r.status, 201);
  await until(() => !!started, 'StasisStart');
  t.equal(started.caller.number, '13800138000');
  t.same(events[0].args, ['inbound']);
  await started.answer();
  const pb = client.Playback('pb-1');
  const finished = new Promise((res) => pb.once('PlaybackFinished', res));
  await started.play({ media: 'sound:hello-world' }, pb);
  await finished;
  await call(sim, 'POST', `/sim/calls/${r.body.id}/dtmf`, { digits: '1#' });
  await until(() => events.filter((e) => e.type === 'ChannelDtmfReceived').length === 2, 'two digits');
  await call(sim, 'POST', `/sim/calls/${r.body.id}/hangup`);
  await until(() => events.some((e) => e.type === 'StasisEnd'), 'StasisEnd');
  const types = events.map((e) => e.type);
  // A SIP BYE on an answered call: five RTPAUDIOQOS* ChannelVarset come first (as in f-sip-baresip).
  const rtpStats = Array<string>(5).fill('ChannelVarset');
  t.same(types, ['StasisStart', 'ChannelStateChange', 'PlaybackStarted', 'PlaybackFinished', 'ChannelDtmfReceived', 'ChannelDtmfReceived', ...rtpStats, 'ChannelHangupRequest', 'StasisEnd']);
  const state = await call(sim, 'GET', `/sim/calls/${r.body.id}`);
  t.equal(state.body.hungUp, true);
  t.equal(state.body.heard[0].media, 'sound:hello-world');
  t.ok(state.body.heard[0].finishedAt);
});
