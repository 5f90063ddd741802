// The simulator's /sim/ control API and the ARI edges a controller depends on: auth, bad requests, faults.
import t from 'tap';
import WebSocket from 'ws';
import { call, connectAri, testSim, until } from './helpers/sim.js';

t.test('ARI credentials: Basic and api_key accepted, anything else 401 as Asterisk words it', async (t) => {
  const sim = await testSim();
  t.teardown(() => sim.close());
  t.equal((await call(sim, 'GET', '/ari/asterisk/ping')).status, 200);
  t.equal((await fetch(`${sim.url}/ari/asterisk/ping?api_key=hotline:hotline`)).status, 200);
  const bad = await fetch(`${sim.url}/ari/channels`, { headers: { authorization: 'Basic ' + Buffer.from('hotline:nope').toString('base64') } });
  t.equal(bad.status, 401);
  t.same(await bad.json(), { message: 'Authentication required' });
  t.match(bad.headers.get('www-authenticate'), /Basic realm="Asterisk REST Interface"/);
  const ws = new WebSocket(`ws://127.0.0.1:${sim.port}/ari/events?app=hotline&api_key=hotline:wrong`);
  const status = await new Promise<number>((res) => ws.on('unexpected-response', (_req, r) => res(r.statusCode ?? 0)));
  t.equal(status, 401);
});

t.test('bad ARI requests get Asterisk status codes and bodies, never a crash', async (t) => {
  const sim = await testSim();
  t.teardown(() => sim.close());
  t.same(await call(sim, 'GET', '/ari/channels/nosuch').then((r) => [r.status, r.body]), [404, { message: 'Channel not found' }]);
  t.same(await call(sim, 'POST', '/ari/channels?endpoint=Local/x@sim').then((r) => [r.status, r.body]), [400, { message: 'Application or extension must be specified' }]);
  t.same(await call(sim, 'POST', '/ari/channels?endpoint=Bogus/1&app=hotline').then((r) => [r.status, r.body]), [500, { error: 'Allocation failed' }]);
  const badJson = await fetch(`${sim.url}/ari/channels/x/variables`, { method: 'POST', headers: { authorization: 'Basic aG90bGluZTpob3RsaW5l', 'content-type': 'application/json' }, body: '{nope' });
  t.equal(badJson.status, 400);
  t.same(await call(sim, 'GET', '/ari/no/such/resource').then((r) => r.status), 404);
  t.equal((await call(sim, 'GET', '/ari/asterisk/ping')).status, 200, 'still serving after bad input');
});

t.test('/sim/ requests with bad bodies get a 4xx naming the field', async (t) => {
  const sim = await testSim();
  t.teardown(() => sim.close());
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', '/sim/calls', {}, 'from'],
    ['POST', '/sim/calls', { from: '138 0013' }, 'from'],
    ['PUT', '/sim/endpoints/PJSIP/8001', { behaviour: 'sleep' }, 'behaviour'],
    ['PUT', '/sim/endpoints/PJSIP/8001', { behaviour: 'answer', answerAfterMs: -1 }, 'answerAfterMs'],
    ['POST', '/sim/faults/websocket', { mode: 'explode' }, 'mode'],
  ];
  for (const [m, path, body, field] of cases) {
    const r = await call(sim, m, path, body);
    t.equal(r.status, 400, `${m} ${path} ${JSON.stringify(body)}`);
    t.equal(r.body.field, field);
  }
  const raw = await fetch(`${sim.url}/sim/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"from":' });
  t.equal(raw.status, 400);
  t.equal((await raw.json()).field, '(body)');
  const unknown = await call(sim, 'POST', '/sim/calls/nosuch/dtmf', { digits: '1' });
  t.equal(unknown.status, 404);
  t.equal(unknown.body.field, 'id');
  const dtmf = await call(sim, 'POST', (await call(sim, 'POST', '/sim/calls', { from: '13800138000' })).body.id ? `/sim/calls/${(await call(sim, 'GET', '/sim/calls')).body[0].id}/dtmf` : '', { digits: 'x' });
  t.equal(dtmf.body.field, 'digits');
});

t.test('a call while no app is connected fails Stasis and the dialplan fallback runs', async (t) => {
  const sim = await testSim({ timeScale: 50 });
  t.teardown(() => sim.close());
  const r = await call(sim, 'POST', '/sim/calls', { from: '13800138000' });
  await until(async () => (await call(sim, 'GET', `/sim/calls/${r.body.id}`)).body.hungUp, 'fallback to end the call');
  const c = await call(sim, 'GET', `/sim/calls/${r.body.id}`);
  t.equal(c.body.inStasis, false);
  t.same(c.body.heard.map((h: any) => h.media), ['sound:hotline-unavailable', 'sound:hotline-callback-later'], 'an apology, never silence');
  t.ok(c.body.heard.every((h: any) => h.finishedAt), 'each prompt played to its end');
});

t.test('desk phones: behaviours set through /sim/endpoints decide what an originate does', async (t) => {
  const sim = await testSim({ timeScale: 20 });
  const client = await connectAri(sim);
  t.teardown(async () => { await client.stop(); await sim.close(); });
  const seen: any[] = [];
  client.on('*' as any, (e: any) => seen.push(e));
  await call(sim, 'PUT', '/sim/endpoints/PJSIP/8001', { behaviour: 'busy', answerAfterMs: 100 });
  await call(sim, 'PUT', '/sim/endpoints/PJSIP/8002', { behaviour: 'answer', answerAfterMs: 100 });
  await call(sim, 'PUT', '/sim/endpoints/PJSIP/8003', { behaviour: 'offline' });
  t.equal((await call(sim, 'POST', '/ari/channels?endpoint=PJSIP/8003&app=hotline')).status, 500);
  await call(sim, 'POST', '/ari/channels?endpoint=PJSIP/8001&app=hotline&channelId=busy-1');
  await call(sim, 'POST', '/ari/channels?endpoint=PJSIP/8002&app=hotline&channelId=ans-1&appArgs=agent');
  await until(() => seen.some((e) => e.type === 'StasisStart' && e.channel.id === 'ans-1'), 'agent answered');
  await until(() => seen.some((e) => e.type === 'ChannelDestroyed' && e.channel.id === 'busy-1'), 'busy destroyed');
  const busy = seen.find((e) => e.type === 'ChannelDestroyed' && e.channel.id === 'busy-1');
  t.same([busy.cause, busy.tech_cause], [17, 486]);
  t.same(seen.find((e) => e.type === 'StasisStart').args, ['agent']);
  const ep = await call(sim, 'GET', '/ari/endpoints/PJSIP/8002');
  t.same(ep.body.channel_ids, ['ans-1']);
});

t.test('fault injection: dropped and closed sockets, a non-JSON frame, failing and slow REST', async (t) => {
  const sim = await testSim();
  t.teardown(() => sim.close());
  const open = async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${sim.port}/ari/events?app=hotline&api_key=hotline:hotline`);
    await new Promise((r) => ws.once('open', r));
    return ws;
  };
  let ws = await open();
  let closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  t.equal((await call(sim, 'POST', '/sim/faults/websocket', { mode: 'drop' })).body.affected, 1);
  t.equal(await closed, 1006, 'abrupt: no close frame');
  ws = await open();
  closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  await call(sim, 'POST', '/sim/faults/websocket', { mode: 'close', app: 'hotline' });
  t.equal(await closed, 1000, 'clean close');
  ws = await open();
  const frame = new Promise<string>((r) => ws.once('message', (d) => r(String(d))));
  await call(sim, 'POST', '/sim/faults/frame', { frame: 'this is not JSON' });
  t.equal(await frame, 'this is not JSON');
  ws.terminate();
  await call(sim, 'POST', '/sim/faults/rest', { failNext: 2 });
  t.equal((await call(sim, 'GET', '/ari/asterisk/ping')).status, 500);
  t.equal((await call(sim, 'GET', '/ari/channels')).status, 500);
  t.equal((await call(sim, 'GET', '/ari/channels')).status, 200, 'only the next N fail');
  await call(sim, 'POST', '/sim/faults/rest', { delayMs: 150 });
  const t0 = Date.now();
  await call(sim, 'GET', '/ari/channels');
  t.ok(Date.now() - t0 >= 140, 'delayed');
  await call(sim, 'DELETE', '/sim/faults');
});

t.test('sounds are listed with their files; a recording carries the caller\'s voice where they spoke', async (t) => {
  const sim = await testSim({ timeScale: 10 });
  const client = await connectAri(sim);
  t.teardown(async () => { await client.stop(); await sim.close(); });
  const sounds = await call(sim, 'GET', '/ari/sounds');
  t.ok(sounds.body.some((s: any) => s.id === 'hello-world' && s.formats.some((f: any) => f.format === 'wav')));
  let ch: any;
  client.on('StasisStart', (_e, c) => { ch = c; });
  const id = (await call(sim, 'POST', '/sim/calls', { from: '13800138000' })).body.id;
  await until(() => !!ch, 'StasisStart');
  await ch.answer();
  const done = new Promise((r) => client.once('RecordingFinished', r));
  await ch.record({ name: 'voice-test', format: 'wav', ifExists: 'overwrite' });
  await call(sim, 'POST', `/sim/calls/${id}/say`, { durationMs: 1000 });
  await new Promise((r) => setTimeout(r, 300)); // 3 s of simulated time: 1 s of voice, 2 s of silence
  await call(sim, 'POST', '/ari/recordings/live/voice-test/stop');
  const fin: any = await done;
  t.ok(fin.recording.duration >= 3, 'at least the 3 s of simulated time that passed');
  const res = await fetch(`${sim.url}/ari/recordings/stored/voice-test/file`, { headers: { authorization: 'Basic aG90bGluZTpob3RsaW5l' } });
  t.equal(res.headers.get('content-type'), 'audio/wav');
  const wav = Buffer.from(await res.arrayBuffer());
  const { parseWav, decodePcm16, rms } = await import('../pbx-sim/media/wav.js');
  const info = parseWav(wav);
  t.same([info.sampleRate, info.channels, info.bitsPerSample], [8000, 1, 16]);
  // The file is as long as the simulated time that passed (a loaded machine lets a little more pass), and agrees
  // with RecordingFinished's whole seconds.
  t.ok(info.durationMs >= 3000 && info.durationMs < 5000, `3 s or a little more (${info.durationMs} ms)`);
  t.equal(Math.floor(info.durationMs / 1000), fin.recording.duration, 'file length matches RecordingFinished');
  const pcm = decodePcm16(wav);
  t.ok(rms(pcm, 800, 7200) > 500, 'voice in the first second');
  t.equal(rms(pcm, 9600, 22400), 0, 'silence after it');
});
