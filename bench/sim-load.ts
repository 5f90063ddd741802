// Load run for pbx-sim: N concurrent simulated callers (default 1,000), each answered by a minimal ari-client app,
// hearing prompts and pressing keys. The simulator runs as its own process so its CPU is measured alone.
// `npm run bench:sim [-- --calls 1000]`. Prints JSON.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import ari from 'ari-client';

const arg = (name: string, dflt: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const CALLS = arg('calls', 1000);
const RAMP_MS = arg('ramp-ms', 5000);

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const p = (srv.address() as net.AddressInfo).port;
  srv.close();
  return p;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const port = await freePort();
const sim = spawn(process.execPath, ['--import', 'tsx', 'pbx-sim/main.ts'], {
  env: { ...process.env, SIM_PORT: String(port), SIM_TIME_SCALE: '1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((res) => sim.stdout!.on('data', (d) => { if (String(d).includes('pbx-sim: ARI')) res(); }));
const base = `http://127.0.0.1:${port}`;
const post = (path: string, body: unknown) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const stats = async () => (await fetch(`${base}/sim/stats`)).json() as Promise<any>;

const client = await ari.connect(base, 'hotline', 'hotline');
let started = 0, ended = 0, dtmf = 0, playbacksDone = 0, peak = 0;
client.on('StasisStart', (_e, ch) => {
  started++;
  void ch.answer().then(() => ch.play({ media: "sound:hello-world" }, client.Playback())).catch(() => undefined);
});
client.on('ChannelDtmfReceived', (e, ch) => {
  dtmf++;
  if (e.digit === '1') void ch.play({ media: "sound:tt-weasels" }, client.Playback()).catch(() => undefined);
  else void ch.hangup().catch(() => undefined);
});
client.on('PlaybackFinished', () => { playbacksDone++; });
client.on('StasisEnd', () => { ended++; });
await client.start('hotline');

const before = await stats();
const t0 = Date.now();
const ids: string[] = [];
for (let i = 0; i < CALLS; i++) {
  const r = await post('/sim/calls', { from: `1380000${String(i).padStart(4, '0')}` });
  ids.push(((await r.json()) as { id: string }).id);
  await sleep(RAMP_MS / CALLS);
}
// Every caller presses 1 (another prompt), waits, then 2 (the app hangs up): all calls overlap.
await Promise.all(ids.map((id) => post(`/sim/calls/${id}/dtmf`, { digits: '1' })));
const mid = await stats();
peak = Math.max(peak, mid.channels);
await sleep(4000);
peak = Math.max(peak, (await stats()).channels);
await Promise.all(ids.map((id) => post(`/sim/calls/${id}/dtmf`, { digits: '2' })));
const deadline = Date.now() + 30_000;
while (ended < CALLS && Date.now() < deadline) await sleep(50);
const wallMs = Date.now() - t0;
const after = await stats();
const cpuMs = ((after.process.cpu.user + after.process.cpu.system) - (before.process.cpu.user + before.process.cpu.system)) / 1000;
let heardOk = 0;
for (const id of ids.slice(0, 50)) {
  const c = await (await fetch(`${base}/sim/calls/${id}`)).json() as any;
  if (c.hungUp && c.heard.some((h: any) => h.media === 'sound:hello-world') && c.heard.some((h: any) => h.media === 'sound:tt-weasels')) heardOk++;
}
console.log(JSON.stringify({
  concurrentCallsPeak: peak, calls: CALLS, started, ended, dtmfEvents: dtmf, playbacksFinished: playbacksDone,
  sampleCallsHeardBothPrompts: `${heardOk}/50`, wallMs, simCpuMs: Math.round(cpuMs), simCpuPercentOfOneCore: Math.round((cpuMs / wallMs) * 100),
  simRssMB: Math.round(after.process.rssBytes / 2 ** 20),
}, null, 2));
await client.stop();
sim.kill('SIGTERM');
process.exit(started === CALLS && ended === CALLS ? 0 : 1);
