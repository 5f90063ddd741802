// Queue fairness across controllers. Each controller holds the calls on its own Asterisk, but the lawyers are shared:
// without a common view, a lawyer who becomes ready goes to whichever controller claims first, not to the caller who
// has waited longest (or a green-channel caller on another node). So every controller publishes its waiting calls to
// one Redis hash, reads everybody's before a routing pass, runs the same selection over all of them, and acts only
// on its own: a lawyer the selection gives to another controller's call is left for that controller to claim.
// Entries of a controller that stopped renewing its heartbeat are ignored (and removed), so a crash blocks nobody.
import type { Redis } from 'ioredis';
import type { WaitingCall } from './selection.js';

interface Published {
  instance: string; callId: string; line: string; topic?: string; priority: number; seq: number;
  /** Still in effect when published: the selection treats them as lasting until the owner says otherwise. */
  preferred?: { staffNo: string; kind: NonNullable<WaitingCall['preferred']>['kind'] };
  skillOnly: boolean; dialect?: string; dialectOnly: boolean;
}

export class SharedQueue {
  private readonly written = new Map<string, string>();
  private readonly hash: string;
  private readonly alive: string;

  constructor(private readonly redis: Redis, prefix: string, private readonly instance: string, private readonly staleMs: number) {
    this.hash = `${prefix}:acd:waiting`;
    this.alive = `${prefix}:acd:alive`;
  }

  /** Whether a pass must talk to Redis at all: something of ours is waiting or still published. */
  busy(ownWaiting: number): boolean { return ownWaiting > 0 || this.written.size > 0; }

  /**
   * Publishes our waiting calls as they are at `now` (token -> call), withdraws those no longer waiting, and returns
   * the other controllers' waiting calls, in selection form. One round trip.
   */
  async sync(own: Map<string, WaitingCall>, now: number): Promise<WaitingCall[]> {
    const wall = Date.now();
    const m = this.redis.multi().zadd(this.alive, wall, this.instance);
    for (const [token, call] of own) {
      const json = JSON.stringify(publish(this.instance, call, now));
      if (this.written.get(token) !== json) { m.hset(this.hash, token, json); this.written.set(token, json); }
    }
    const gone = [...this.written.keys()].filter((t) => !own.has(t));
    if (gone.length) { m.hdel(this.hash, ...gone); for (const t of gone) this.written.delete(t); }
    m.hgetall(this.hash).zrangebyscore(this.alive, wall - this.staleMs, '+inf');
    const res = await m.exec();
    if (!res) throw new Error('shared queue: transaction aborted');
    for (const [err] of res) if (err) throw err;
    const all = res[res.length - 2][1] as Record<string, string>;
    const live = new Set(res[res.length - 1][1] as string[]);
    const foreign: WaitingCall[] = [];
    const dead: string[] = [];
    for (const [token, raw] of Object.entries(all)) {
      let p: Published;
      try { p = JSON.parse(raw) as Published; } catch { dead.push(token); continue; }
      if (p.instance === this.instance) continue;
      if (!live.has(p.instance)) { dead.push(token); continue; }
      foreign.push(toWaiting(p));
    }
    if (dead.length) await this.redis.hdel(this.hash, ...dead);
    return foreign;
  }

  /** A call of ours left the queue (offered, answered, gone): withdraw it at once. */
  async leave(token: string): Promise<void> {
    if (!this.written.delete(token)) return;
    await this.redis.hdel(this.hash, token);
  }

  async stop(): Promise<void> {
    const tokens = [...this.written.keys()];
    this.written.clear();
    if (tokens.length) await this.redis.hdel(this.hash, ...tokens);
    await this.redis.zrem(this.alive, this.instance);
  }
}

function publish(instance: string, c: WaitingCall, now: number): Published {
  return {
    instance, callId: c.callId, line: c.line, ...(c.topic ? { topic: c.topic } : {}), priority: c.priority, seq: c.seq,
    ...(c.preferred && now < c.preferred.until ? { preferred: { staffNo: c.preferred.staffNo, kind: c.preferred.kind } } : {}),
    skillOnly: !!c.topic && now < c.skillUntil,
    ...(c.dialect ? { dialect: c.dialect } : {}), dialectOnly: !!c.dialect && now < (c.dialectUntil ?? 0),
  };
}

function toWaiting(p: Published): WaitingCall {
  return {
    callId: `${p.callId}@${p.instance}`, line: p.line, topic: p.topic, priority: p.priority, seq: p.seq,
    preferred: p.preferred ? { ...p.preferred, until: Infinity } : undefined,
    skillUntil: p.skillOnly ? Infinity : 0, dialect: p.dialect, dialectUntil: p.dialectOnly ? Infinity : 0,
  };
}
