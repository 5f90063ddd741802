// Shared by the two IVR child processes of `npm run bench` (bench/ivr-bench.ts): the IPC protocol with the parent,
// per-process CPU accounting, and the keypress -> next ARI request timer.
import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

export type Command = { id: number; cmd: 'mark' | 'report' | 'stop' };
export interface Report {
  cpuMs: number;
  wallMs: number;
  rssMB: number;
  eventLoopUtilization: number;
  /** The measured window on the monotonic clock, in µs. */
  windowUs: [number, number];
  ariRequests: number;
  ariEvents: number;
  keypress: LatencySummary;
  [k: string]: unknown;
}
interface Percentiles { samples: number; p50Ms: number | null; p90Ms: number | null; p99Ms: number | null; maxMs: number | null }
export interface LatencySummary extends Percentiles {
  unmatched: number;
  /** Where the IVR can say so: key -> the moment its code called its ARI layer (the rest is the client library). */
  toAriLayerCall?: Percentiles;
}

export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/**
 * Time from a ChannelDtmfReceived reaching the IVR to the first ARI request it then sends for that call, taken
 * where the request really leaves: node's `http.client.request.start` diagnostics channel fires when the
 * ClientRequest is created, after ari-client (swagger-client + request) has done its part. Requests are matched to
 * calls by the channel id in /ari/channels/<id>/... or the playback id (<channel id>-pbN) in /ari/playbacks/<id>.
 * Nothing is recorded until start() (the measured window).
 */
export class KeypressTimer {
  private readonly pending = new Map<string, { t0: number; call?: number }>();
  private readonly samples: number[] = [];
  private readonly callSamples: number[] = [];
  private on = false;
  /** ARI requests sent in the window. */
  requests = 0;
  /** ARI events received in the window (counted by the IVR child). */
  events = 0;

  constructor() {
    dc.subscribe('http.client.request.start', (msg) => {
      const req = (msg as { request: ClientRequest }).request;
      if (this.on && req.path.startsWith('/ari/')) this.requests++;
      if (!this.pending.size) return;
      const m = /^\/ari\/(?:channels|playbacks)\/([^/?]+)/.exec(req.path);
      if (!m) return;
      const id = decodeURIComponent(m[1]).replace(/-pb\d+$/, '');
      const p = this.pending.get(id);
      if (p === undefined) return;
      this.pending.delete(id);
      this.samples.push(performance.now() - p.t0);
      if (p.call !== undefined) this.callSamples.push(p.call - p.t0);
    });
  }

  start(): void { this.on = true; this.samples.length = 0; this.callSamples.length = 0; this.pending.clear(); this.requests = 0; this.events = 0; }

  event(): void { if (this.on) this.events++; }

  /** A key reached the IVR; the clock runs until its next request for the call (an earlier key keeps its start). */
  dtmf(channelId: string): void {
    if (this.on && !this.pending.has(channelId)) this.pending.set(channelId, { t0: performance.now() });
  }

  /**
   * Optional breakdown: the IVR's code asked its ARI layer for a request on the call (before ari-client's own work).
   * The first such moment after the key is kept.
   */
  requested(id: string): void {
    const p = this.pending.get(id.replace(/-pb\d+$/, ''));
    if (p && p.call === undefined) p.call = performance.now();
  }

  /** The call ended: a key that led to no request is not a sample. */
  forget(channelId: string): void { this.pending.delete(channelId); }

  summary(): LatencySummary {
    const sum = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { samples: s.length, p50Ms: round(percentile(s, 50)), p90Ms: round(percentile(s, 90)), p99Ms: round(percentile(s, 99)), maxMs: round(s.length ? s[s.length - 1] : null) };
    };
    return { ...sum(this.samples), unmatched: this.pending.size, ...(this.callSamples.length ? { toAriLayerCall: sum(this.callSamples) } : {}) };
  }
}

/**
 * Answers the parent: `mark` opens the measured window (CPU and latency from here), `report` closes it and sends
 * the figures, `stop` shuts the IVR down and exits.
 */
export function serveParent(o: { timer: KeypressTimer; extra?: () => Record<string, unknown>; stop: () => Promise<void> }): void {
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  let elu0 = performance.eventLoopUtilization();
  // Monotonic µs, the clock CPU profiles (--cpu-prof) stamp samples with: the window can be cut out of a profile.
  const hrUs = () => Number(process.hrtime.bigint() / 1000n);
  let hr0 = hrUs();
  const reply = (id: number, body: unknown) => process.send!({ id, body });
  process.on('message', (m: Command) => {
    void (async () => {
      try {
        if (m.cmd === 'mark') {
          cpu0 = process.cpuUsage();
          t0 = performance.now();
          elu0 = performance.eventLoopUtilization();
          hr0 = hrUs();
          o.timer.start();
          reply(m.id, { ok: true });
        } else if (m.cmd === 'report') {
          const cpu = process.cpuUsage(cpu0);
          const report: Report = {
            cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0, rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
            eventLoopUtilization: Math.round(performance.eventLoopUtilization(elu0).utilization * 1000) / 1000,
            ariRequests: o.timer.requests, ariEvents: o.timer.events, keypress: o.timer.summary(), windowUs: [hr0, hrUs()], ...(o.extra?.() ?? {}),
          };
          reply(m.id, report);
        } else if (m.cmd === 'stop') {
          await o.stop();
          reply(m.id, { ok: true });
          // Let the IPC message go out, then exit (with --cpu-prof the profile is written on exit).
          setTimeout(() => process.exit(0), 50);
        }
      } catch (err) {
        reply(m.id, { error: (err as Error).stack ?? String(err) });
      }
    })();
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => process.exit(0));
}

/**
 * Node checks, on each of the first 10,000 calls of the deprecated Buffer() constructor, whether the caller is inside
 * node_modules (a stack capture, tens of µs); ari-client's HTTP library (shred) calls it on every request, in both
 * IVRs. A long-running IVR is past those 10,000 calls within minutes, so both children start in that steady state:
 * one call from outside node_modules emits the (silenced) deprecation warning, which ends the checks for good.
 * `--cold` on the bench leaves it out.
 */
export function skipBufferDeprecationChecks(): void {
  if (process.env.BENCH_COLD === '1') return;
  const was = process.noDeprecation;
  process.noDeprecation = true;
  (Buffer as unknown as (n: number) => Buffer)(0);
  process.noDeprecation = was;
}
