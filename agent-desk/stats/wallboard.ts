// The live wallboard (实时大屏): per service line the callers waiting and the longest wait (the ACD's shared queue in
// Redis, every controller's), lawyers by presence state (Redis), calls in progress and today's figures (PostgreSQL:
// open call records and the hourly rollup), with alerts when a line crosses a threshold. One snapshot is computed
// every `intervalMs` while anybody watches and pushed to every watcher, so ten screens cost what one does.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { DeskPresence } from '../presence.js';
import { LINE_NAMES } from './definitions.js';
import { callFigures } from './query.js';

export const LAWYER_STATES = ['ready', 'ringing', 'on_call', 'wrap_up', 'not_ready', 'offline'] as const;
type LawyerState = (typeof LAWYER_STATES)[number];

export interface LineBoard {
  line: string; name: string; targetSec: number;
  waiting: number; greenWaiting: number; longestWaitSec: number;
  lawyers: Record<LawyerState, number>;
  inProgress: number;
  offered: number; answered: number; abandoned: number; abandoned15s: number;
  serviceLevel: number | null; connectionRate: number | null;
}
export interface Alert { line: string; kind: 'long_wait' | 'low_connection' | 'no_ready'; message: string }
export interface Board { at: string; open: boolean; stale: boolean; lines: LineBoard[]; total: Omit<LineBoard, 'line' | 'name' | 'targetSec'>; alerts: Alert[] }

export interface WallboardOptions {
  orm: MikroORM; redis: Redis; prefix: string; presence: DeskPresence; log: Logger;
  /** Whether the centre is open now (the "no lawyer ready" alert only matters during hours). */
  isOpen: () => boolean;
  intervalMs?: number;
  /** A controller whose heartbeat is older than this is dead: its waiting calls are not shown. */
  controllerStaleMs?: number;
}

/** Connection rate below this raises an alert (GB/T 33358: >= 95 %). */
export const CONNECTION_TARGET = 0.95;

const zeroStates = (): Record<LawyerState, number> => ({ ready: 0, ringing: 0, on_call: 0, wrap_up: 0, not_ready: 0, offline: 0 });
const num = (v: unknown) => Number(v ?? 0);

/** Midnight in China Standard Time, as an instant. */
export function cstMidnight(now: Date): Date {
  const t = now.getTime() + 8 * 3600_000;
  return new Date(t - (t % 86_400_000) - 8 * 3600_000);
}

export class Wallboard {
  private readonly watchers = new Set<WebSocket>();
  private timer?: NodeJS.Timeout;
  private busy = false;
  private last?: Board;

  constructor(private readonly o: WallboardOptions) {}

  watch(socket: WebSocket): () => void {
    this.watchers.add(socket);
    if (this.last) socket.send(JSON.stringify(this.last));
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.o.intervalMs ?? 500);
      this.tick();
    }
    return () => {
      this.watchers.delete(socket);
      if (this.watchers.size === 0 && this.timer) { clearInterval(this.timer); this.timer = undefined; this.last = undefined; }
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    // A slow database must not pile snapshots up: skip a beat instead.
    if (this.busy) return;
    this.busy = true;
    this.snapshot().then((b) => {
      this.last = b;
      const json = JSON.stringify(b);
      for (const ws of this.watchers) if (ws.readyState === ws.OPEN) ws.send(json);
    }, (err: Error) => {
      this.o.log.warn({ err: err.message }, 'wallboard snapshot failed; showing the last one as stale');
      if (this.last) {
        const json = JSON.stringify({ ...this.last, stale: true });
        for (const ws of this.watchers) if (ws.readyState === ws.OPEN) ws.send(json);
      }
    }).finally(() => { this.busy = false; });
  }

  async snapshot(now = new Date()): Promise<Board> {
    const conn = this.o.orm.em.fork().getConnection();
    const [queues, staff, today, progress, waiting] = await Promise.all([
      conn.execute<Array<{ line: string; name: string; answer_target_sec: number }>>(
        'select line, name, answer_target_sec from service_queue where active order by line'),
      conn.execute<Array<{ staff_no: string; lines: string[] }>>(`select staff_no, lines from staff where active and role = 'agent'`),
      conn.execute<Array<Record<string, unknown>>>(`select service_line, sum(offered) offered, sum(answered) answered, sum(answered_15s) answered_15s,
          sum(abandoned) abandoned, sum(abandoned_15s) abandoned_15s from call_stats_hourly where hour >= ? group by service_line`, [cstMidnight(now)]),
      conn.execute<Array<{ service_line: string; n: string }>>(`select coalesce(service_line, '') service_line, count(*) n from call_record
          where answered_at is not null and ended_at is null and arrived_at > ? and coalesce(tags->>'direction', '') <> 'callback'
          group by 1`, [new Date(now.getTime() - 86_400_000)]),
      this.waiting(now),
    ]);
    const presence = new Map((await this.o.presence.many(staff.map((s) => s.staff_no))).map((p) => [p.staffNo, p.state]));
    const open = this.o.isOpen();
    const lines: LineBoard[] = queues.map((q) => {
      const lawyers = zeroStates();
      for (const s of staff) {
        if (s.lines.length && !s.lines.includes(q.line)) continue;
        lawyers[(presence.get(s.staff_no) ?? 'offline') as LawyerState]++;
      }
      const w = waiting.get(q.line) ?? { n: 0, green: 0, oldest: 0 };
      const f = callFigures(today.find((r) => r.service_line === q.line) ?? {});
      return {
        line: q.line, name: LINE_NAMES[q.line] ?? q.name, targetSec: q.answer_target_sec,
        waiting: w.n, greenWaiting: w.green, longestWaitSec: w.oldest, lawyers,
        inProgress: num(progress.find((p) => p.service_line === q.line)?.n),
        offered: f.offered, answered: f.answered, abandoned: f.abandoned, abandoned15s: f.abandoned15s,
        serviceLevel: f.serviceLevel, connectionRate: f.connectionRate,
      };
    });
    const all = callFigures(today.reduce<Record<string, number>>((a, r) => {
      for (const k of ['offered', 'answered', 'answered_15s', 'abandoned', 'abandoned_15s']) a[k] = (a[k] ?? 0) + num(r[k]);
      return a;
    }, {}));
    const lawyers = zeroStates();
    for (const s of staff) lawyers[(presence.get(s.staff_no) ?? 'offline') as LawyerState]++;
    const total = {
      waiting: lines.reduce((a, l) => a + l.waiting, 0), greenWaiting: lines.reduce((a, l) => a + l.greenWaiting, 0),
      longestWaitSec: Math.max(0, ...lines.map((l) => l.longestWaitSec)), lawyers,
      inProgress: progress.reduce((a, p) => a + num(p.n), 0),
      offered: all.offered, answered: all.answered, abandoned: all.abandoned, abandoned15s: all.abandoned15s,
      serviceLevel: all.serviceLevel, connectionRate: all.connectionRate,
    };
    return { at: now.toISOString(), open, stale: false, lines, total, alerts: alertsFor(lines, open) };
  }

  /** Waiting calls per line from the ACD's shared queue, live controllers only. */
  private async waiting(now: Date): Promise<Map<string, { n: number; green: number; oldest: number }>> {
    const hash = `${this.o.prefix}:acd:waiting`;
    const alive = `${this.o.prefix}:acd:alive`;
    const [[e1, all], [e2, live]] = (await this.o.redis.multi().hgetall(hash)
      .zrangebyscore(alive, Date.now() - (this.o.controllerStaleMs ?? 10_000), '+inf').exec()) as [[Error | null, Record<string, string>], [Error | null, string[]]];
    if (e1 || e2) throw e1 ?? e2;
    const liveSet = new Set(live);
    const out = new Map<string, { n: number; green: number; oldest: number }>();
    for (const raw of Object.values(all)) {
      let c: { instance?: string; line?: string; priority?: number; seq?: number };
      try { c = JSON.parse(raw) as typeof c; } catch { continue; }
      if (!c.instance || !liveSet.has(c.instance) || !c.line) continue;
      const e = out.get(c.line) ?? { n: 0, green: 0, oldest: 0 };
      e.n++;
      if ((c.priority ?? 0) > 0) e.green++;
      // seq is the arrival time in epoch microseconds (ivr/acd/acd.ts).
      const waited = Math.max(0, Math.floor((now.getTime() - (c.seq ?? 0) / 1000) / 1000));
      if (c.seq) e.oldest = Math.max(e.oldest, waited);
      out.set(c.line, e);
    }
    return out;
  }
}

export function alertsFor(lines: LineBoard[], open: boolean): Alert[] {
  const alerts: Alert[] = [];
  for (const l of lines) {
    if (l.waiting > 0 && l.longestWaitSec > l.targetSec) {
      alerts.push({ line: l.line, kind: 'long_wait', message: `${l.name}：最长等待 ${l.longestWaitSec} 秒，超过 ${l.targetSec} 秒` });
    }
    if (l.connectionRate !== null && l.connectionRate < CONNECTION_TARGET) {
      alerts.push({ line: l.line, kind: 'low_connection', message: `${l.name}：今日接通率 ${(l.connectionRate * 100).toFixed(1)}%，低于 95%` });
    }
    // Nobody ready matters when callers wait, or when nobody works the line at all (all offline or on a break);
    // every lawyer busy on calls with an empty queue is a full line, not an alert.
    const working = l.lawyers.ready + l.lawyers.ringing + l.lawyers.on_call + l.lawyers.wrap_up;
    if (open && l.lawyers.ready === 0 && (l.waiting > 0 || working === 0)) {
      alerts.push({ line: l.line, kind: 'no_ready', message: `${l.name}：服务时间内没有就绪的律师${l.waiting ? `，${l.waiting} 人在等待` : ''}` });
    }
  }
  return alerts;
}
