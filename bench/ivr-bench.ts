// `npm run bench [-- --calls 1000 --scale 5 --profile]`: the IVR benchmark of issue 3.
//
// N concurrent simulated callers (default 1,000) go through the real 12348 flow on pbx-sim: each dials, hears the
// greeting, presses 1 (法律咨询) during the main menu and 2 (labour and wages) during the consultation menu, and hangs up
// while waiting in the queue. In the same run, the same number of callers go through a minimal hand-written
// ari-client IVR doing the same steps (answer, play, collect a digit, play, hang up): the floor. Each IVR runs in its
// own child process, and the simulator in another, so each process's CPU is its own (process.cpuUsage in the child,
// sent back over IPC). The baseline runs first, then the controller, each on a fresh simulator.
//
// The controller needs PostgreSQL and Redis: DATABASE_URL / REDIS_URL when set, else 127.0.0.1:5432/test and
// 127.0.0.1:6379. The run makes a fresh database and Redis key prefix and removes both at the end. Call records are
// applied (Redis -> PostgreSQL) after the controller's measured window, so the applier's and PostgreSQL's work on
// them is not charged to the controller; the records then say whether each call took the path it should have.
//
// Prints JSON: concurrentCalls (peak channels in Stasis, from GET /sim/stats), controllerCpuMsPerCall,
// baselineCpuMsPerCall, cpuRatio, keypressToCommandP50Ms / P99Ms (ChannelDtmfReceived reaching the controller ->
// its next ARI request for that call leaving for the socket, measured inside the controller process), calls
// completed / failed each side, and under `interference` how busy the machine was with other work meanwhile (CPU
// time and above all latency are only comparable between runs on an otherwise quiet machine).
//
// Each side first takes --warmup calls (default 100, not measured: JIT, connection pools), then the --calls measured
// ones, dialed over --ramp-ms; callers act a random moment within --poll-ms of what they wait for, as real callers
// would. Options: --calls N, --scale S (SIM_TIME_SCALE, default 5), --ramp-ms, --hold-ms, --press-after-ms,
// --warmup N, --only baseline|controller, --profile (node --cpu-prof on both IVR children: summary on stderr,
// profiles under .data/bench/profiles/, `bench/cpuprofile-top.ts <file>` to read one again), --cold (see
// skipBufferDeprecationChecks in child-common.ts). Diagnostics that change the controller and so never give the
// benchmark figures: --ablate state,records,lookups and --experiment lean-rest,autopipeline (ivr-controller-child.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createOrm, migrateUp } from '../lib/db.js';
import { dropPostgresDatabase, ensurePostgresDatabase } from '../lib/services.js';
import { startCallRecordApplier } from '../ivr/records/applier.js';
import type { Report } from './child-common.js';
import { summarize } from './cpuprofile-top.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const arg = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
};
const CALLS = Math.round(arg('calls', 1000));
/** Simulator clock speed-up; the controller's timers run the same (scaledTimers). 5: the 21 s greeting takes 4.2 s. */
const SCALE = arg('scale', 5);
/** Callers are dialed evenly over this long (real ms). */
const RAMP_MS = arg('ramp-ms', 4000);
/** A caller presses a key this long (real ms) after first hearing the menu it answers. */
const PRESS_AFTER_MS = arg('press-after-ms', 300);
/** How long a caller stays in the queue (real ms) before hanging up; below the queue's first announcement. */
const HOLD_MS = arg('hold-ms', 1500);
const POLL_MS = arg('poll-ms', 100);
/** Calls through each IVR before the measured ones (0: none), dialed over WARMUP_RAMP_MS. */
const WARMUP = argv.includes('--warmup') && argv[argv.indexOf('--warmup') + 1] === '0' ? 0 : Math.round(arg('warmup', 100));
const WARMUP_RAMP_MS = arg('warmup-ramp-ms', 1000);
const PHASE_TIMEOUT_MS = arg('phase-timeout-ms', 60_000);
const PROFILE = flag('profile');
/** Leave Node's Buffer() deprecation checks on in the IVR children (see skipBufferDeprecationChecks). */
const COLD = flag('cold');
/** Diagnostics: parts of the controller to leave out (state, records, lookups), to see what each costs. */
const ABLATE = argv.includes('--ablate') ? argv[argv.indexOf('--ablate') + 1] : '';
/** Diagnostics: changes to try in the controller child only (lean-rest, autopipeline); see ivr-controller-child.ts. */
const EXPERIMENT = argv.includes('--experiment') ? argv[argv.indexOf('--experiment') + 1] : '';
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const DB_BASE = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const OUT_DIR = path.join(ROOT, '.data', 'bench');
const PROF_DIR = path.join(OUT_DIR, 'profiles');
mkdirSync(OUT_DIR, { recursive: true });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** Length of a PCM WAV prompt in ms (header byte rate; the simulator measures prompts the same way). */
function wavMs(id: string): number {
  const file = path.join(ROOT, 'sounds', 'zh', `${id}.wav`);
  const fd = openSync(file, 'r');
  const h = Buffer.alloc(44);
  readSync(fd, h, 0, 44, 0);
  closeSync(fd);
  return ((statSync(file).size - 44) / h.readUInt32LE(28)) * 1000;
}

/** Busy CPU ms of the whole machine so far (all cores), from /proc/stat; undefined where there is none. */
function hostBusyMs(): number | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0);
    return (busy * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const p = (srv.address() as net.AddressInfo).port;
  srv.close();
  return p;
}

// ---- child processes -------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

function kill(c: ChildProcess): void {
  if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  children.delete(c);
}

async function startSim(): Promise<{ proc: ChildProcess; url: string; recDir: string }> {
  const port = await freePort();
  const recDir = mkdtempSync(path.join(os.tmpdir(), 'bench-rec-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'pbx-sim/main.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env, SIM_HOST: '127.0.0.1', SIM_PORT: String(port), SIM_TIME_SCALE: String(SCALE), ARI_APP: 'hotline',
      ARI_USER: 'hotline', ARI_PASSWORD: 'hotline', SIM_SOUNDS_DIRS: path.join(ROOT, 'sounds'), SIM_RECORDINGS_DIR: recDir, LOG_LEVEL: 'warn',
    },
  });
  children.add(proc);
  await new Promise<void>((res, rej) => {
    proc.stdout!.on('data', (d) => { if (String(d).includes('pbx-sim: ARI')) res(); });
    proc.once('exit', (code) => rej(new Error(`pbx-sim exited (${code}) before it was ready`)));
  });
  return { proc, url: `http://127.0.0.1:${port}`, recDir };
}

interface Ivr { proc: ChildProcess; ask<T = unknown>(cmd: 'mark' | 'report' | 'stop'): Promise<T> }

async function startIvr(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Ivr> {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT, env: { ...process.env, ...env, BENCH_COLD: COLD ? '1' : '0' }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  // Their stdout (ari-client prints a swagger notice there) must not mix with the JSON on ours.
  proc.stdout!.on('data', (d) => process.stderr.write(d));
  children.add(proc);
  let seq = 0;
  const waiting = new Map<number, (body: unknown) => void>();
  let ready!: () => void;
  const readyP = new Promise<void>((res) => { ready = res; });
  proc.on('message', (m: { ready?: boolean; id?: number; body?: unknown }) => {
    if (m.ready) ready();
    else if (m.id !== undefined) { waiting.get(m.id)?.(m.body); waiting.delete(m.id); }
  });
  const exited = new Promise<never>((_, rej) => proc.once('exit', (code) => rej(new Error(`${script} exited (${code})`))));
  exited.catch(() => undefined);
  await Promise.race([readyP, exited]);
  return {
    proc,
    ask<T>(cmd: 'mark' | 'report' | 'stop') {
      const id = ++seq;
      proc.send({ id, cmd });
      return Promise.race([
        new Promise<T>((res, rej) => waiting.set(id, (body) => {
          const b = body as { error?: string };
          if (b && typeof b === 'object' && b.error) rej(new Error(b.error)); else res(body as T);
        })),
        exited,
      ]);
    },
  };
}

// ---- the callers ---------------------------------------------------------------------------------------------------

interface SimCall { id: string; inStasis: boolean; hungUp: boolean; cause: number | null; heard: Array<{ media: string; startedAt: string; finishedAt?: string }> }

/** One caller's script: what it waits to hear, then what it does. Returns true when the caller is done acting. */
type Step = { hear: string; after: number; act: 'dtmf1' | 'dtmf2' | 'hangup' };
interface Caller { id: string; step: number; seenAt?: number; ended: boolean; endedAtStep?: number }

interface PhaseResult {
  report: Report;
  peakInStasis: number;
  simCpuMs: number;
  driverCpuMs: number;
  host?: { windowMs: number; busyPercentOfMachine: number; otherCpuMs: number };
  wallMs: number;
  callers: Caller[];
  calls: Map<string, SimCall>;
  timedOut: boolean;
}

async function runPhase(name: string, sim: { url: string }, ivr: Ivr, script: Step[]): Promise<PhaseResult> {
  const base = sim.url;
  const post = (p: string, body?: unknown) => fetch(base + p, {
    method: 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => { const text = await r.text(); if (r.status >= 300) throw new Error(`POST ${p}: ${r.status} ${text}`); return text; });
  const get = async <T>(p: string) => (await (await fetch(base + p)).json()) as T;
  type Stats = { apps: Array<{ name: string; channels: number }>; process: { cpu: { user: number; system: number } } };
  const simCpu = (s: Stats) => (s.process.cpu.user + s.process.cpu.system) / 1000;
  let actionsFailed = 0;
  const act = (c: Caller, a: Step['act']) => {
    const p = a === 'hangup' ? post(`/sim/calls/${c.id}/hangup`) : post(`/sim/calls/${c.id}/dtmf`, { digits: a === 'dtmf1' ? '1' : '2', durationMs: 100 });
    p.catch(() => { actionsFailed++; });
  };

  /** Dials `count` callers evenly over `rampMs` while polling the simulator and acting each caller's script. */
  async function drive(count: number, rampMs: number, numberBase: number) {
    const callers: Caller[] = [];
    let peak = 0;
    const latest = new Map<string, SimCall>();
    const t0 = performance.now();
    let dialing = true;
    const dialer = (async () => {
      for (let i = 0; i < count; i++) {
        const wait = t0 + (i * rampMs) / count - performance.now();
        if (wait > 0) await sleep(wait);
        const { id } = JSON.parse(await post('/sim/calls', { from: `139${String(numberBase + i).padStart(8, '0')}`, to: '12348' })) as { id?: string };
        if (!id) throw new Error('dial answered without an id');
        callers.push({ id, step: 0, ended: false });
      }
    })();
    dialer.catch((err) => progress(`${name}: dialing failed: ${(err as Error).message}`)).finally(() => { dialing = false; });

    let timedOut = false;
    for (;;) {
      const [list, stats] = await Promise.all([get<SimCall[]>('/sim/calls'), get<Stats>('/sim/stats')]);
      peak = Math.max(peak, stats.apps.find((a) => a.name === 'hotline')?.channels ?? 0);
      latest.clear();
      for (const c of list) latest.set(c.id, c);
      const now = performance.now();
      let open = 0;
      for (const c of callers) {
        if (c.ended) continue;
        const s = latest.get(c.id);
        if (!s) { open++; continue; }
        if (s.hungUp) { c.ended = true; c.endedAtStep = c.step; continue; }
        open++;
        const step = script[c.step];
        if (!step) continue;
        if (!s.heard.some((h) => h.media === step.hear)) continue;
        c.seenAt ??= now;
        if (now - c.seenAt < step.after) continue;
        // Spread over the poll interval: real callers do not press keys in step with our polling.
        setTimeout(() => act(c, step.act), Math.random() * POLL_MS);
        c.step++;
        c.seenAt = undefined;
      }
      if (!dialing && open === 0) break;
      if (now - t0 > PHASE_TIMEOUT_MS) { timedOut = true; break; }
      await sleep(POLL_MS);
    }
    return { callers, latest, peak, timedOut, wallMs: performance.now() - t0 };
  }

  if (WARMUP) {
    // Not measured: the IVR's code paths get compiled (JIT) and its connection pools filled first.
    const w = await drive(WARMUP, WARMUP_RAMP_MS, 90_000_000);
    progress(`${name}: warm-up of ${WARMUP} calls done (${w.callers.filter((c) => c.ended && c.endedAtStep === script.length).length} as scripted)`);
    await sleep(500);
  }
  const h0 = hostBusyMs();
  const me0 = process.cpuUsage();
  await ivr.ask('mark');
  const s0 = await get<Stats>('/sim/stats');
  const d = await drive(CALLS, RAMP_MS, 0);
  // Trailing events (StasisEnd, the last call events to Redis) belong to the calls: give them a moment.
  await sleep(1000);
  const report = await ivr.ask<Report>('report');
  const s1 = await get<Stats>('/sim/stats');
  const me = process.cpuUsage(me0);
  const h1 = hostBusyMs();
  if (actionsFailed) progress(`${name}: ${actionsFailed} caller actions were refused by the simulator`);
  const simCpuMs = simCpu(s1) - simCpu(s0);
  const driverCpuMs = (me.user + me.system) / 1000;
  // How busy the machine was, and how much of that was not this run's three processes (PostgreSQL and Redis
  // serving the controller count there too): other work on a small machine skews CPU time and latency.
  const host = h0 === undefined || h1 === undefined ? undefined : {
    windowMs: Math.round(report.wallMs), busyPercentOfMachine: Math.round(((h1 - h0) / (report.wallMs * os.cpus().length)) * 100),
    otherCpuMs: Math.round(h1 - h0 - report.cpuMs - simCpuMs - driverCpuMs),
  };
  return { report, peakInStasis: d.peak, simCpuMs, driverCpuMs, host, wallMs: d.wallMs, callers: d.callers, calls: d.latest, timedOut: d.timedOut };
}

// ---- main ----------------------------------------------------------------------------------------------------------

const tag = randomBytes(4).toString('hex');
const prefix = `bench-${tag}`;
const dbUrl = (() => { const u = new URL(DB_BASE); u.pathname = `/hotline_bench_${tag}`; return u.toString(); })();
const quiet = pino({ level: 'silent' });
let orm: Awaited<ReturnType<typeof createOrm>> | undefined;
const sims: Array<{ proc: ChildProcess; recDir: string }> = [];

async function cleanup(): Promise<void> {
  for (const c of [...children]) kill(c);
  for (const s of sims) rmSync(s.recDir, { recursive: true, force: true });
  await orm?.close(true).catch(() => undefined);
  await dropPostgresDatabase(dbUrl).catch(() => undefined);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
process.on('SIGINT', () => { void cleanup().finally(() => process.exit(130)); });

/** The main thread's profile of an IVR child (tsx's loader thread writes another), cut to the measured window. */
function profileSummary(name: string, ivr: Ivr, report: Report): void {
  const prof = readdirSync(PROF_DIR).find((f) => f.includes(`.${ivr.proc.pid}.0.`) && f.endsWith('.cpuprofile'));
  if (!prof) { progress(`${name}: no CPU profile for pid ${ivr.proc.pid} in ${PROF_DIR}`); return; }
  const file = path.join(PROF_DIR, prof);
  writeFileSync(`${file}.window.json`, JSON.stringify(report.windowUs));
  progress(`${name} CPU profile: ${file}\n${summarize(file, 25, report.windowUs)}`);
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

try {
  const greetingMs = ['greeting', 'recording-notice', 'green-channel-offer'].reduce((a, id) => a + wavMs(id), 0) / SCALE;
  const firstMs = wavMs('consultation-menu') / SCALE;
  progress(`${CALLS} calls per side, time scale ${SCALE} (greeting ${Math.round(greetingMs)} ms real), ramp ${RAMP_MS} ms, hold ${HOLD_MS} ms`);

  // ---- baseline -----------------------------------------------------------------------------------------------
  let baseline: PhaseResult | undefined;
  if (ONLY !== 'controller') {
    const sim = await startSim();
    sims.push(sim);
    const ivr = await startIvr('bench/ivr-baseline-child.ts', { BENCH_ARI_URL: sim.url }, PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`] : []);
    progress('baseline: ari-client IVR up; dialing');
    // The caller keys in while the first prompt still plays (as the 12348 callers do), so it is cut short.
    baseline = await runPhase('baseline', sim, ivr, [{ hear: 'sound:consultation-menu', after: Math.min(firstMs * 0.7, firstMs - 200), act: 'dtmf1' }]);
    await ivr.ask('stop').catch(() => undefined);
    await once(ivr.proc, 'exit').catch(() => undefined);
    kill(ivr.proc);
    kill(sim.proc);
    if (PROFILE) profileSummary('baseline', ivr, baseline.report);
    progress(`baseline: done in ${Math.round(baseline.wallMs)} ms, ${round(baseline.report.cpuMs, 0)} ms CPU`);
  }

  // ---- 12348 flow controller ----------------------------------------------------------------------------------
  let controller: PhaseResult | undefined;
  let records: Record<string, unknown> | undefined;
  let recordOutcome: Map<string, { end_reason: string | null; service_line: string | null; legal_topic: string | null; queued: boolean }> | undefined;
  if (ONLY !== 'baseline') {
    await ensurePostgresDatabase(dbUrl, quiet);
    orm = await createOrm(dbUrl);
    await migrateUp(orm);
    const sim = await startSim();
    sims.push(sim);
    const ivr = await startIvr('bench/ivr-controller-child.ts', {
      BENCH_ARI_URL: sim.url, BENCH_DB_URL: dbUrl, BENCH_REDIS_URL: REDIS_URL, BENCH_PREFIX: prefix, BENCH_SCALE: String(SCALE),
      BENCH_LOG_FILE: path.join(OUT_DIR, 'controller.log'), BENCH_ABLATE: ABLATE, BENCH_EXPERIMENT: EXPERIMENT,
    }, PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`] : []);
    progress('controller: 12348 flow controller up; dialing');
    controller = await runPhase('controller', sim, ivr, [
      { hear: 'sound:main-menu', after: PRESS_AFTER_MS, act: 'dtmf1' },
      { hear: 'sound:consultation-menu', after: PRESS_AFTER_MS, act: 'dtmf2' },
      { hear: 'moh:default', after: HOLD_MS, act: 'hangup' },
    ]);
    await ivr.ask('stop').catch(() => undefined);
    await once(ivr.proc, 'exit').catch(() => undefined);
    kill(ivr.proc);
    kill(sim.proc);
    progress(`controller: done in ${Math.round(controller.wallMs)} ms, ${round(controller.report.cpuMs, 0)} ms CPU`);
    if (PROFILE) profileSummary('controller', ivr, controller.report);

    // Call records, applied now that the measured window is closed: did every call take the path it should have?
    const t = performance.now();
    const applier = startCallRecordApplier({ orm, redisUrl: REDIS_URL, keyPrefix: prefix, log: quiet, blockMs: 100, batchSize: 500 });
    const conn = orm.em.fork().getConnection();
    const ids = controller.callers.map((c) => c.id);
    let ended = 0;
    while (performance.now() - t < 60_000) {
      ended = Number((await conn.execute('select count(*) as n from call_record where ended_at is not null and call_id in (?)', [ids]))[0].n);
      if (ended >= ids.length) break;
      await sleep(250);
    }
    await applier.stop();
    const rows = await conn.execute('select call_id, end_reason, service_line, legal_topic, queued_at is not null as queued from call_record where call_id in (?)', [ids]) as Array<{ call_id: string; end_reason: string | null; service_line: string | null; legal_topic: string | null; queued: boolean }>;
    recordOutcome = new Map(rows.map((r) => [r.call_id, r]));
    records = { written: rows.length, ended, applyMs: Math.round(performance.now() - t) };
  }

  // ---- figures ----------------------------------------------------------------------------------------------------
  const tally = (reasons: Map<string, number>, r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
  let baselineSide: Record<string, unknown> | undefined;
  if (baseline) {
    const reasons = new Map<string, number>();
    let completed = 0;
    for (const c of baseline.callers) {
      const s = baseline.calls.get(c.id);
      const second = s?.heard.find((h) => h.media === 'sound:transferring');
      if (c.ended && c.endedAtStep === 1 && second?.finishedAt) completed++;
      else tally(reasons, !c.ended ? 'still up at the end' : `ended after ${c.endedAtStep} key(s)${second ? '' : ', second prompt never played'}`);
    }
    baselineSide = {
      completed, failed: CALLS - completed, failures: Object.fromEntries(reasons), peakInStasis: baseline.peakInStasis,
      ariRequestsPerCall: round(baseline.report.ariRequests / CALLS), ariEventsPerCall: round(baseline.report.ariEvents / CALLS),
      cpuMs: round(baseline.report.cpuMs, 0), driveWallMs: Math.round(baseline.wallMs), process: baseline.report,
      simCpuMs: round(baseline.simCpuMs, 0), driverCpuMs: round(baseline.driverCpuMs, 0), host: baseline.host, timedOut: baseline.timedOut,
    };
  }
  let controllerSide: Record<string, unknown> | undefined;
  if (controller) {
    const reasons = new Map<string, number>();
    let completed = 0;
    for (const c of controller.callers) {
      const r = recordOutcome?.get(c.id);
      const ok = c.ended && c.endedAtStep === 3 && r?.end_reason === 'abandoned_in_queue' && r.service_line === 'consultation' && r.legal_topic === 'labour-wages';
      if (ok) completed++;
      else if (!c.ended) tally(reasons, 'still up at the end');
      else if (c.endedAtStep !== 3) tally(reasons, `ended by the IVR after ${c.endedAtStep} of 3 caller actions (record: ${r?.end_reason ?? 'none'})`);
      else tally(reasons, `record: ${r ? `${r.end_reason}/${r.service_line}/${r.legal_topic}` : 'missing'}`);
    }
    controllerSide = {
      completed, failed: CALLS - completed, failures: Object.fromEntries(reasons), peakInStasis: controller.peakInStasis,
      ariRequestsPerCall: round(controller.report.ariRequests / CALLS), ariEventsPerCall: round(controller.report.ariEvents / CALLS),
      cpuMs: round(controller.report.cpuMs, 0), driveWallMs: Math.round(controller.wallMs), process: controller.report,
      simCpuMs: round(controller.simCpuMs, 0), driverCpuMs: round(controller.driverCpuMs, 0), host: controller.host, timedOut: controller.timedOut, records,
    };
  }
  const cPer = controller ? controller.report.cpuMs / CALLS : undefined;
  const bPer = baseline ? baseline.report.cpuMs / CALLS : undefined;
  const out = {
    calls: CALLS,
    ...(ABLATE || EXPERIMENT ? { ablated: ABLATE || undefined, experiment: EXPERIMENT || undefined, note: 'diagnostic run: the controller was changed for it; not the benchmark figures' } : {}),
    timeScale: SCALE,
    concurrentCalls: controller?.peakInStasis ?? baseline?.peakInStasis,
    controllerCpuMsPerCall: cPer === undefined ? null : round(cPer),
    baselineCpuMsPerCall: bPer === undefined ? null : round(bPer),
    cpuRatio: cPer !== undefined && bPer ? round(cPer / bPer) : null,
    keypressToCommandP50Ms: controller?.report.keypress.p50Ms ?? null,
    keypressToCommandP99Ms: controller?.report.keypress.p99Ms ?? null,
    controllerCallsCompleted: controllerSide?.completed ?? null,
    controllerCallsFailed: controllerSide?.failed ?? null,
    baselineCallsCompleted: baselineSide?.completed ?? null,
    baselineCallsFailed: baselineSide?.failed ?? null,
    interference: {
      controllerWindow: controller?.host, baselineWindow: baseline?.host,
      note: 'busyPercentOfMachine: all cores; otherCpuMs: CPU time of everything but the IVR child, the simulator and this driver (PostgreSQL and Redis serving the controller included)',
    },
    targets: {
      cpuRatioMax: 1.3, keypressP99MaxMs: 20,
      met: cPer !== undefined && bPer !== undefined && cPer / bPer <= 1.3 && (controller?.report.keypress.p99Ms ?? Infinity) <= 20,
    },
    controller: controllerSide,
    baseline: baselineSide,
    host: { cpus: os.cpus().length, node: process.version },
  };
  console.log(JSON.stringify(out, null, 2));
  await cleanup();
  process.exit(controllerSide && controllerSide.failed === 0 && (!baselineSide || baselineSide.failed === 0) ? 0 : 1);
} catch (err) {
  progress(`failed: ${(err as Error).stack ?? String(err)}`);
  await cleanup();
  process.exit(2);
}
