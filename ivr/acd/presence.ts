// Lawyers' presence in Redis, shared by every controller and desk process. One JSON value per lawyer at
// `<prefix>:presence:<staffNo>` (the layout agent-desk/presence.ts reads: an AgentPresence, plus fields only the ACD
// uses), every change published on `<prefix>:presence`. Each transition is one Lua script: read, check, write and
// publish happen atomically, so two controllers can never both move one lawyer from ready to ringing.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { realTimers, type TimerHandle, type Timers } from '../../flows/timers.js';
import type { AgentPresence, PresenceState } from './types.js';

export const presenceKey = (prefix: string, staffNo: string) => `${prefix}:presence:${staffNo}`;
export const presenceChannel = (prefix: string) => `${prefix}:presence`;

/** What the ACD keeps beside the AgentPresence fields (the desk ignores them). */
export interface PresenceView extends AgentPresence {
  /** Ready since (kept across a ring that came to nothing): the longest-idle order. */
  idle?: number;
  /** End of wrap-up, or of the ringing / on-call lease a live controller keeps renewing. */
  deadline?: number;
  /** The claim a ringing or on-call lawyer is held by (the ACD's token: call id and ACD instance). */
  call?: string;
}

/** Where changes are appended (presence_history). Must return at once and never throw: routing never waits on it. */
export interface PresenceHistory { append(change: AgentPresence): void }

export interface PresenceOptions {
  redis: Redis;
  keyPrefix: string;
  log: Logger;
  history?: PresenceHistory;
  /** Epoch milliseconds shared by every process (tests pass a sped-up one). */
  clock?: () => number;
  /** For the timer that ends wrap-up on time (same speed as `clock`). */
  timers?: Timers;
  /** Wrap-up after a call, then ready again unless the lawyer chose otherwise meanwhile. */
  wrapUpMs?: number;
  /** A ringing / on-call state not renewed for this long belonged to a controller that died: the lawyer is freed. */
  leaseMs?: number;
}

// Shared by every operation: decode (a value the desk wrote has only AgentPresence fields), settle (a wrap-up whose
// time is up, or a lease nobody renewed, becomes ready), save (and publish the AgentPresence part when it changed;
// during wrap-up with the time left, for the desk's countdown: a duration, since browsers' clocks are often wrong).
const PRELUDE = `
local now, chan = tonumber(ARGV[2]), ARGV[3]
local changes = {}
local function load(key, staff)
  local raw = redis.call('GET', key)
  if raw then
    local ok, v = pcall(cjson.decode, raw)
    if ok and type(v) == 'table' and type(v.state) == 'string' then
      if v.reason == cjson.null then v.reason = nil end
      return v
    end
  end
  return { staffNo = staff, state = 'offline', since = 0 }
end
local function save(key, v, changed)
  redis.call('SET', key, cjson.encode(v))
  if changed then
    local shown = { staffNo = v.staffNo, state = v.state, reason = v.reason, since = v.since }
    if v.state == 'wrap_up' and v.deadline then shown.wrapUpLeftMs = math.max(0, v.deadline - now) end
    local msg = cjson.encode(shown)
    redis.call('PUBLISH', chan, msg)
    table.insert(changes, msg)
  end
end
local function settle(key, v)
  local d = tonumber(v.deadline)
  if d and d <= now and (v.state == 'wrap_up' or v.state == 'ringing' or v.state == 'on_call') then
    local idle = d
    if v.state == 'ringing' then idle = v.idle or d end
    v = { staffNo = v.staffNo, state = 'ready', since = d, idle = idle }
    save(key, v, true)
  end
  return v
end
local function reply(ok, v)
  local out = { ok, cjson.encode(v) }
  for _, c in ipairs(changes) do table.insert(out, c) end
  return out
end
`;

// ARGV: op, now, channel, staffNo, claim token|desk state, leaseMs|reason|wrapMs
const TRANSITION = `${PRELUDE}
local key, op, staff, a, b = KEYS[1], ARGV[1], ARGV[4], ARGV[5], ARGV[6]
local v = settle(key, load(key, staff))
local busy = v.state == 'ringing' or v.state == 'on_call'
local mine = busy and v.call == a
if op == 'settle' then return reply(1, v) end
if op == 'desk' then
  if busy then return reply(0, v) end
  local reason = nil
  if b ~= '' then reason = b end
  if v.state == a and v.reason == reason then return reply(1, v) end
  local n = { staffNo = staff, state = a, since = now, reason = reason }
  if a == 'ready' then n.idle = now end
  save(key, n, true)
  return reply(1, n)
end
if op == 'claim' or op == 'reserve' then
  -- claim: the ACD takes a ready lawyer. reserve: a lawyer placing a call themselves (click-to-call), from any state
  -- but offline or a call in progress.
  if (op == 'claim' and v.state ~= 'ready') or (op == 'reserve' and (busy or v.state == 'offline')) then return reply(0, v) end
  local n = { staffNo = staff, state = 'ringing', since = now, call = a, deadline = now + tonumber(b), idle = v.idle or v.since }
  save(key, n, true)
  return reply(1, n)
end
if op == 'answer' then
  -- Whoever picked up is on the phone: only a ring or call for another caller blocks the change.
  if busy and not mine then return reply(0, v) end
  local n = { staffNo = staff, state = 'on_call', since = now, call = a, deadline = now + tonumber(b), idle = v.idle }
  save(key, n, v.state ~= 'on_call')
  return reply(1, n)
end
if op == 'renew' then
  if not mine then return reply(0, v) end
  v.deadline = now + tonumber(b)
  save(key, v, false)
  return reply(1, v)
end
if op == 'release' then
  if not (mine and v.state == 'ringing') then return reply(0, v) end
  local n = { staffNo = staff, state = 'ready', since = now, idle = v.idle or now }
  save(key, n, true)
  return reply(1, n)
end
if op == 'fail' then
  if not (mine and v.state == 'ringing') then return reply(0, v) end
  local n = { staffNo = staff, state = 'not_ready', since = now, reason = b }
  save(key, n, true)
  return reply(1, n)
end
if op == 'end' then
  if not (mine and v.state == 'on_call') then return reply(0, v) end
  local wrap = tonumber(b)
  local n = { staffNo = staff, state = 'wrap_up', since = now, deadline = now + wrap }
  if wrap <= 0 then n = { staffNo = staff, state = 'ready', since = now, idle = now } end
  save(key, n, true)
  return reply(1, n)
end
return redis.error_reply('unknown presence op ' .. op)
`;

// KEYS: every lawyer's key; ARGV[4..]: their staff numbers. Settles each; returns the values, then the changes.
const SNAPSHOT = `${PRELUDE}
local out = {}
for i, key in ipairs(KEYS) do table.insert(out, cjson.encode(settle(key, load(key, ARGV[3 + i])))) end
for _, c in ipairs(changes) do table.insert(out, c) end
return out
`;

export type DeskState = 'ready' | 'not_ready' | 'offline';

function parse(raw: string, staffNo: string): PresenceView {
  const v = JSON.parse(raw) as Partial<PresenceView>;
  const out: PresenceView = { staffNo, state: (v.state ?? 'offline') as PresenceState, since: Number(v.since) || 0 };
  if (typeof v.reason === 'string' && v.reason) out.reason = v.reason;
  if (v.idle !== undefined) out.idle = Number(v.idle);
  else if (out.state === 'ready') out.idle = out.since; // written by the desk: ready since `since`
  if (v.deadline !== undefined) out.deadline = Number(v.deadline);
  if (typeof v.call === 'string') out.call = v.call;
  return out;
}

export class Presence {
  private readonly clock: () => number;
  private readonly timers: Timers;
  private readonly wrapTimers = new Map<string, TimerHandle>();
  readonly wrapUpMs: number;
  readonly leaseMs: number;
  private readonly sha = new Map<string, string>();

  constructor(private readonly o: PresenceOptions) {
    this.clock = o.clock ?? Date.now;
    this.timers = o.timers ?? realTimers;
    this.wrapUpMs = o.wrapUpMs ?? 15_000;
    this.leaseMs = o.leaseMs ?? 90_000;
  }

  get channel(): string { return presenceChannel(this.o.keyPrefix); }
  private key(staffNo: string): string { return presenceKey(this.o.keyPrefix, staffNo); }
  /** The presence clock (epoch milliseconds in production). */
  now(): number { return Math.floor(this.clock()); }

  /** EVALSHA with a fallback to EVAL (a restarted Redis has forgotten the script). */
  private async run(script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    const sha = this.sha.get(script);
    if (sha) {
      try { return await this.o.redis.evalsha(sha, keys.length, ...keys, ...args); } catch (err) {
        if (!/NOSCRIPT/.test((err as Error).message)) throw err;
      }
    }
    this.sha.set(script, (await this.o.redis.script('LOAD', script)) as string);
    return this.o.redis.evalsha(this.sha.get(script)!, keys.length, ...keys, ...args);
  }

  private record(changes: string[]): void {
    for (const c of changes) {
      let p: AgentPresence;
      try { p = JSON.parse(c) as AgentPresence; } catch { continue; }
      try { this.o.history?.append(p); } catch (err) { this.o.log.warn({ err: (err as Error).message }, 'presence history append failed'); }
    }
  }

  private async op(op: string, staffNo: string, a = '', b: string | number = ''): Promise<{ ok: boolean; presence: PresenceView }> {
    const r = (await this.run(TRANSITION, [this.key(staffNo)], [op, this.now(), this.channel, staffNo, a, b])) as [number, string, ...string[]];
    this.record(r.slice(2) as string[]);
    return { ok: r[0] === 1, presence: parse(r[1], staffNo) };
  }

  /** A lawyer's presence now (settled: an ended wrap-up reads ready). */
  async get(staffNo: string): Promise<PresenceView> { return (await this.op('settle', staffNo)).presence; }

  /** Every lawyer's presence in one round trip, settled as `get` does. */
  async snapshot(staffNos: readonly string[]): Promise<Map<string, PresenceView>> {
    const out = new Map<string, PresenceView>();
    if (!staffNos.length) return out;
    const r = (await this.run(SNAPSHOT, staffNos.map((s) => this.key(s)), ['snapshot', this.now(), this.channel, ...staffNos])) as string[];
    staffNos.forEach((s, i) => out.set(s, parse(r[i], s)));
    this.record(r.slice(staffNos.length));
    return out;
  }

  /**
   * The desk's choice (ready / not ready with a reason / offline). Refused while the ACD holds the lawyer in a call
   * (ringing, on call), as agent-desk/presence.ts does; a choice during wrap-up ends it at once.
   */
  async setState(staffNo: string, state: DeskState, reason?: string): Promise<{ changed: boolean; presence: PresenceView }> {
    const r = await this.op('desk', staffNo, state, state === 'not_ready' ? (reason ?? '') : '');
    if (r.ok) this.clearWrap(staffNo);
    return { changed: r.ok, presence: r.presence };
  }

  /**
   * ready -> ringing, only if the lawyer is still ready. False: someone else got them first. `token` names the claim
   * (unique to the call and the process ringing; the ACD passes `<callId>@<instance>`); the transitions below act only
   * for the same token.
   */
  async claim(staffNo: string, token: string): Promise<boolean> { return (await this.op('claim', staffNo, token, this.leaseMs)).ok; }

  /** Click-to-call: the lawyer (not offline, not in a call) -> ringing under `token`, whatever they chose before. */
  async reserve(staffNo: string, token: string): Promise<boolean> { return (await this.op('reserve', staffNo, token, this.leaseMs)).ok; }

  /**
   * Keeps a ringing / on-call lease alive (every third of it) until the returned stop, so no other process frees the
   * lawyer mid-conversation. `timers` is the caller's clock (its pending timers are counted there).
   */
  keepLease(staffNo: string, token: string, timers: Timers = this.timers): () => void {
    const every = Math.max(1000, Math.floor(this.leaseMs / 3));
    let h: TimerHandle | undefined;
    const tick = () => { h = timers.setTimer(every, () => { void this.renew(staffNo, token).catch(() => undefined); tick(); }); };
    tick();
    return () => { if (h !== undefined) timers.clearTimer(h); h = undefined; };
  }

  /** ringing -> on_call (the lawyer picked up). */
  async answered(staffNo: string, token: string): Promise<boolean> { return (await this.op('answer', staffNo, token, this.leaseMs)).ok; }

  /** Keeps a ringing / on-call lease alive (the controller handling the call is alive). */
  async renew(staffNo: string, token: string): Promise<boolean> { return (await this.op('renew', staffNo, token, this.leaseMs)).ok; }

  /** ringing -> ready, keeping the lawyer's place in the idle order (the caller left; not the lawyer's doing). */
  async release(staffNo: string, token: string): Promise<boolean> { return (await this.op('release', staffNo, token)).ok; }

  /** ringing -> not_ready with a reason (no-answer, busy, phone-unreachable): the next lawyer is tried. */
  async failed(staffNo: string, token: string, reason: string): Promise<boolean> { return (await this.op('fail', staffNo, token, reason)).ok; }

  /** on_call -> wrap_up, and ready again after wrapUpMs unless the lawyer chooses otherwise meanwhile. */
  async ended(staffNo: string, token: string): Promise<boolean> {
    const r = await this.op('end', staffNo, token, this.wrapUpMs);
    if (r.ok && r.presence.state === 'wrap_up') {
      this.clearWrap(staffNo);
      // The lazy settle in every script is what routing relies on; this timer makes desks see the change on time.
      this.wrapTimers.set(staffNo, this.timers.setTimer(this.wrapUpMs + 1, () => {
        this.wrapTimers.delete(staffNo);
        void this.get(staffNo).catch((err: Error) => this.o.log.warn({ err: err.message, staffNo }, 'ending wrap-up failed'));
      }));
    }
    return r.ok;
  }

  private clearWrap(staffNo: string): void {
    const t = this.wrapTimers.get(staffNo);
    if (t !== undefined) this.timers.clearTimer(t);
    this.wrapTimers.delete(staffNo);
  }

  /** Pending wrap-up timers (a test checks nothing is left behind). */
  get pendingTimers(): number { return this.wrapTimers.size; }

  /**
   * Calls `fn` for every change any process publishes. Returns the unsubscribe (closes its connection). Resolves once
   * subscribed; the connection queues the SUBSCRIBE until Redis answers and re-subscribes after every reconnect
   * (the command connection may be fail-fast, a subscriber must not be).
   */
  async subscribe(fn: (p: AgentPresence) => void): Promise<() => Promise<void>> {
    const sub = this.o.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true });
    sub.on('error', (err) => this.o.log.warn({ err: err.message }, 'presence subscription: redis error'));
    sub.on('message', (_ch: string, msg: string) => {
      try { fn(JSON.parse(msg) as AgentPresence); } catch (err) { this.o.log.warn({ err: (err as Error).message }, 'bad presence message'); }
    });
    await sub.subscribe(this.channel);
    return async () => { await sub.quit().catch(() => sub.disconnect()); };
  }

  stop(): void {
    for (const t of this.wrapTimers.values()) this.timers.clearTimer(t);
    this.wrapTimers.clear();
  }
}
