// What a simulated caller heard (GET /sim/calls/:id `heard`) around holding-bridge MOH and playback control,
// following what the h-holding-bridge and i-barge-in traces showed Asterisk doing.
import t, { type Test } from 'tap';
import { call, connectAri, testSim, until } from './helpers/sim.js';

interface Ev { type: string; channel?: { id: string }; playback?: { id: string } }

async function setup(t: Test) {
  const sim = await testSim({ timeScale: 20 });
  const client = await connectAri(sim);
  t.teardown(async () => { await client.stop(); await sim.close(); });
  const events: Ev[] = [];
  client.on('*' as 'StasisStart', (ev: unknown) => { events.push(ev as Ev); });
  const r = await call(sim, 'POST', '/sim/calls', { from: '13600136000', to: '12348' });
  await until(() => events.some((e) => e.type === 'StasisStart'), 'StasisStart');
  const id = events.find((e) => e.type === 'StasisStart')!.channel!.id;
  await call(sim, 'POST', `/ari/channels/${id}/answer`);
  const finished = (pb: string) => until(() => events.some((e) => e.type === 'PlaybackFinished' && e.playback?.id === pb), `${pb} finished`);
  const heard = async () => (await call(sim, 'GET', `/sim/calls/${r.body.id}`)).body.heard as Array<{ media: string; startedAt: string; finishedAt?: string }>;
  return { sim, id, finished, heard };
}

t.test('holding bridge: MOH, a channel play instead of it, a refused bridge play, then a bridge play', async (t) => {
  const { sim, id, finished, heard } = await setup(t);
  t.equal((await call(sim, 'POST', '/ari/bridges?type=holding&bridgeId=wait')).status, 200);
  await call(sim, 'POST', `/ari/bridges/wait/addChannel?channel=${id}&role=participant`);
  await call(sim, 'POST', '/ari/bridges/wait/moh?mohClass=default');
  await call(sim, 'POST', `/ari/channels/${id}/play/pb-ch?media=sound:hello-world`);
  await finished('pb-ch');
  await call(sim, 'POST', '/ari/bridges/wait/play/pb-refused?media=sound:hello-world');
  await finished('pb-refused');
  await call(sim, 'DELETE', '/ari/bridges/wait/moh');
  await call(sim, 'POST', '/ari/bridges/wait/play/pb-br?media=sound:tt-weasels');
  await finished('pb-br');
  await call(sim, 'POST', '/ari/bridges/wait/moh');
  await call(sim, 'POST', `/ari/bridges/wait/removeChannel?channel=${id}`);
  const h = await heard();
  t.same(h.map((x) => x.media), ['moh:default', 'sound:hello-world', 'moh:default', 'sound:tt-weasels', 'moh:default']);
  t.ok(h.every((x) => x.finishedAt), 'everything heard has ended once the caller left the bridge');
  for (let i = 1; i < h.length; i++) t.ok(h[i].startedAt >= h[i - 1].finishedAt!, `${h[i].media} starts after ${h[i - 1].media} ends`);
});

t.test('playback control: pause ends what is heard, unpause and restart start it again', async (t) => {
  const { sim, id, finished, heard } = await setup(t);
  await call(sim, 'POST', `/ari/channels/${id}/play/pb?media=sound:tt-monkeys`);
  await call(sim, 'POST', '/ari/playbacks/pb/control?operation=pause');
  const paused = await heard();
  t.ok(paused[0].finishedAt, 'nothing is heard while paused');
  await call(sim, 'POST', '/ari/playbacks/pb/control?operation=unpause');
  await call(sim, 'POST', '/ari/playbacks/pb/control?operation=restart');
  await call(sim, 'DELETE', '/ari/playbacks/pb');
  await finished('pb');
  const h = await heard();
  t.same(h.map((x) => x.media), ['sound:tt-monkeys', 'sound:tt-monkeys', 'sound:tt-monkeys']);
  t.ok(h.every((x) => x.finishedAt));
});

t.test('a DELETEd queued play is never heard and finishes when its turn comes', async (t) => {
  const { sim, id, finished, heard } = await setup(t);
  await call(sim, 'POST', `/ari/channels/${id}/play/q1?media=sound:hello-world`);
  await call(sim, 'POST', `/ari/channels/${id}/play/q2?media=sound:vm-goodbye`);
  await call(sim, 'DELETE', '/ari/playbacks/q2');
  t.equal((await call(sim, 'GET', '/ari/playbacks/q2')).body.state, 'done');
  await finished('q2');
  t.same((await heard()).map((x) => x.media), ['sound:hello-world']);
  t.equal((await call(sim, 'GET', '/ari/playbacks/q2')).status, 404);
});
