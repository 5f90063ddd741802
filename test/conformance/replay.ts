// Replays a recorded Asterisk scenario against a target (the simulator, or a real Asterisk when ARI_URL points at
// one): the same REST requests in the same order and at the same pace, the same caller and phone actions, events
// received through ari-client. The result is compared with what the real Asterisk sent.
import ari from 'ari-client';
import WebSocket from 'ws';
import { loadTrace, type AriEvent, type RestExchange, type TimelineEntry, type Trace } from './trace.js';

export interface Target {
  kind: 'sim' | 'asterisk';
  url: string;
  user: string;
  password: string;
  app: string;
  /** Trace time is divided by this when pacing (the simulator runs its clock at the same scale). */
  scale: number;
  /** Simulator control API (kind sim only). */
  control?: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
}

export interface RestResult { seq: number; method: string; path: string; expected: RestExchange; status: number; body: unknown }

export interface ReplayResult {
  trace: Trace;
  expected: AriEvent[];
  actual: AriEvent[];
  rawExpected: AriEvent[];
  rawActual: AriEvent[];
  rest: RestResult[];
  skipped?: string;
}

type NoteAction = (ctx: ReplayContext, m: RegExpExecArray) => Promise<void>;

/** Scenario-specific knowledge: what to set up first, and what each harness note means as an action. */
export interface ScenarioPlan {
  setup?: (ctx: ReplayContext) => Promise<void>;
  notes?: Array<[RegExp, NoteAction]>;
  /** A reason this scenario cannot run against the given target (e.g. it needs a SIP phone driver). */
  unsupported?: (t: Target) => string | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ReplayContext {
  client?: ari.Client;
  raw?: WebSocket;
  readonly events: AriEvent[] = [];
  readonly rawEvents: AriEvent[] = [];
  /** Trace id -> target id, learnt from events and REST bodies as they arrive. */
  readonly ids = new Map<string, string>();
  /** The simulated SIP caller of f / l7 scenarios. */
  sipCall?: string;
  private expectedStream: AriEvent[] = [];

  constructor(readonly target: Target, readonly trace: Trace) {
    this.expectedStream = trace.events.filter((_, i) => trace.eventConn[i] !== 'raw-ws');
  }

  async connect(): Promise<void> {
    const client = await ari.connect(this.target.url, this.target.user, this.target.password);
    client.on('*' as 'StasisStart', (ev: unknown) => this.onEvent(ev as AriEvent, this.events));
    await client.start(this.target.app);
    this.client = client;
  }

  async stopClient(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.stop();
  }

  /** Drops ari-client's socket without a close frame; ari-client reconnects by itself. */
  terminateClientSocket(): void {
    (this.client as unknown as { _ws?: WebSocket })._ws?.terminate();
  }

  async openRaw(): Promise<void> {
    const u = new URL(this.target.url);
    const ws = new WebSocket(`ws://${u.host}/ari/events?app=${this.target.app}&api_key=${this.target.user}:${this.target.password}`);
    ws.on('message', (d) => this.onEvent(JSON.parse(String(d)), this.rawEvents));
    await new Promise<void>((res, rej) => { ws.once('open', () => res()); ws.once('error', rej); });
    this.raw = ws;
  }

  async closeRaw(): Promise<void> {
    const ws = this.raw;
    this.raw = undefined;
    if (!ws) return;
    await new Promise<void>((res) => { ws.once('close', () => res()); ws.close(); });
  }

  private onEvent(ev: AriEvent, into: AriEvent[]): void {
    const exp = into === this.events ? this.expectedStream[into.length] : undefined;
    if (exp) this.learn(exp, ev);
    into.push(ev);
  }

  /** Pairs ids in the expected and actual versions of the same object. */
  learn(exp: unknown, act: unknown): void {
    if (!exp || !act || typeof exp !== 'object' || typeof act !== 'object') return;
    const e = exp as Record<string, unknown>, a = act as Record<string, unknown>;
    // Where Asterisk's order was racy the same index can hold different channels: never pair ;1 with ;2 or SIP with Local.
    if (typeof e.name === 'string' && typeof a.name === 'string' && nameShape(e.name) !== nameShape(a.name)) return;
    if (typeof e.id === 'string' && typeof a.id === 'string' && e.id !== a.id && !this.ids.has(e.id)) this.ids.set(e.id, a.id);
    for (const k of ['channel', 'peer', 'bridge', 'playback', 'replace_channel']) this.learn(e[k], a[k]);
  }

  mapId(s: string): string { return this.ids.get(s) ?? s; }

  mapPath(p: string): string {
    return p.split('/').map((seg) => this.mapId(decodeURIComponent(seg))).map((seg) => encodeURIComponent(seg).replace(/%3A/gi, ':')).join('/');
  }

  async control(method: string, path: string, body?: unknown) {
    if (!this.target.control) throw new Error(`this step needs the simulator's control API (${method} ${path})`);
    return this.target.control(method, path, body);
  }
}

/** A channel name without its counter: `Local/x@ctx-0000000a;2` -> `Local/x@ctx;2`. */
function nameShape(name: string): string {
  return name.replace(/-[0-9a-f]{8}(;[12])?$/, '$1');
}

/** Orders trace entries by when the harness acted (REST by request time, the rest by arrival). */
function actionOrder(trace: Trace): Array<{ at: number; entry: TimelineEntry }> {
  const bySeq = new Map(trace.rest.map((r) => [r.seq, r]));
  return trace.timeline
    .map((entry) => ({ entry, at: Date.parse(entry.kind === 'rest' ? (bySeq.get(entry.seq)?.t ?? entry.t) : entry.t) }))
    .sort((a, b) => a.at - b.at);
}

async function doRest(ctx: ReplayContext, ex: RestExchange): Promise<{ status: number; body: unknown }> {
  const t = ctx.target;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(ex.query ?? {})) {
    for (const x of Array.isArray(v) ? v : [v]) qs.append(k, typeof x === 'string' ? x.split(',').map((s) => ctx.mapId(s)).join(',') : String(x));
  }
  const url = `${t.url}/ari${ctx.mapPath(ex.path)}${qs.size ? `?${qs}` : ''}`;
  const headers: Record<string, string> = { authorization: 'Basic ' + Buffer.from(`${t.user}:${t.password}`).toString('base64') };
  let body: string | undefined;
  if (ex.requestBody !== undefined && ex.requestBody !== null) { headers['content-type'] = 'application/json'; body = JSON.stringify(ex.requestBody); }
  const res = await fetch(url, { method: ex.method, headers, body });
  const buf = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  let parsed: unknown = buf.length ? buf : null;
  if (type.includes('json') && buf.length) parsed = JSON.parse(buf.toString('utf8'));
  ctx.learn(ex.body, parsed);
  return { status: res.status, body: parsed };
}

const GENERIC_NOTES: Array<[RegExp, NoteAction]> = [
  [/^TERMINATING ari-client websocket abruptly/, async (c) => c.terminateClientSocket()],
  [/^STOPPING ari-client \(clean close\)/, async (c) => c.stopClient()],
  [/^RECONNECTING: new ari-client connection/, async (c) => c.connect()],
  [/^opening raw ws/, async (c) => c.openRaw()],
  [/^closing the raw ws/, async (c) => c.closeRaw()],
  [/^restarting ari-client connection/, async (c) => { await c.stopClient(); await c.connect(); }],
];

/**
 * Node loads its fetch machinery on first use (tens of ms). Paid inside the schedule, that delay lands on the first
 * requests and, at CONFORMANCE_SCALE, shifts them by a sizeable slice of trace time (a recording started that late
 * comes out a second short). A request with no side effects pays it before the clock starts.
 */
async function warmUp(t: Target): Promise<void> {
  const auth = 'Basic ' + Buffer.from(`${t.user}:${t.password}`).toString('base64');
  await fetch(`${t.url}/ari/asterisk/ping`, { headers: { authorization: auth } }).then((r) => r.arrayBuffer()).catch(() => undefined);
}

/** Runs one scenario; resolves when every expected event has arrived (or the settle time ran out). */
export async function replay(scenario: string, target: Target, plan: ScenarioPlan = {}): Promise<ReplayResult> {
  const trace = loadTrace(scenario);
  const ctx = new ReplayContext(target, trace);
  const rawExpected = trace.events.filter((_, i) => trace.eventConn[i] === 'raw-ws');
  const expected = trace.events.filter((_, i) => trace.eventConn[i] !== 'raw-ws');
  const result: ReplayResult = { trace, expected, actual: ctx.events, rawExpected, rawActual: ctx.rawEvents, rest: [] };
  const why = plan.unsupported?.(target);
  if (why) return { ...result, skipped: why };

  await ctx.connect();
  try {
    await plan.setup?.(ctx);
    const steps = actionOrder(trace);
    await warmUp(target);
    let t0 = Date.now();
    const start = steps[0]?.at ?? 0;
    let seenClient = 0, seenRaw = 0;
    const notes = [...(plan.notes ?? []), ...GENERIC_NOTES];
    for (const { at, entry } of steps) {
      if (entry.kind === 'event') {
        if (entry.conn === 'raw-ws') seenRaw++; else seenClient++;
        continue;
      }
      let action: (() => Promise<void>) | undefined;
      if (entry.kind === 'rest') {
        const ex = entry.exchange ?? trace.rest.find((r) => r.seq === entry.seq)!;
        action = async () => { const r = await doRest(ctx, ex); result.rest.push({ seq: ex.seq, method: ex.method, path: ex.path, expected: ex, ...r }); };
      } else {
        for (const [re, fn] of notes) {
          const m = re.exec(entry.text);
          if (m) { action = () => fn(ctx, m); break; }
        }
      }
      if (!action) continue;
      // Pace: the events that came before this step in the trace, and the trace's own gap (scaled).
      const due = t0 + (at - start) / target.scale;
      const deadline = Date.now() + 4000 + Math.max(0, due - Date.now());
      const eventsIn = () => ctx.events.length >= seenClient && ctx.rawEvents.length >= seenRaw;
      // When the step could go: the previous steps are done and the events before it have come.
      let ready = eventsIn() ? Date.now() : 0;
      while ((!eventsIn() || Date.now() < due) && Date.now() < deadline) {
        await sleep(2);
        if (!ready && eventsIn()) ready = Date.now();
      }
      // A step that could only go late (the steps before it took longer than Asterisk did) moves the rest of the
      // schedule with it, so the trace's gaps after it hold; otherwise a recording started late in a burst of requests
      // and stopped on time comes out short. (Not after a wait for events that never came: that run has failed.)
      if (ready) t0 += Math.max(0, ready - due);
      await action();
    }
    const settleUntil = Date.now() + 4000;
    while ((ctx.events.length < expected.length || ctx.rawEvents.length < rawExpected.length) && Date.now() < settleUntil) await sleep(5);
    await sleep(Math.max(50, 300 / target.scale));
  } finally {
    await ctx.closeRaw();
    await ctx.stopClient();
  }
  return result;
}
