// A hotline with the real ACD for the acd-*.test.ts files: pbx-sim, controller, call records (test/helpers/hotline.ts)
// plus presence in Redis, the staff directory over PostgreSQL, desk events collected from Redis, and lawyers whose
// desk phones are the simulator's PJSIP endpoints.
import type { Redis } from 'ioredis';
import pino from 'pino';
import { scaledTimers, type TimerHandle, type Timers } from '../../flows/timers.js';
import { RoutingAcd, type AcdOptions } from '../../ivr/acd/acd.js';
import { ariBinding } from '../../ivr/acd/ari-ops.js';
import { StaffDirectory } from '../../ivr/acd/directory.js';
import { serviceQueueSettings } from '../../ivr/acd/queue-settings.js';
import { Presence, type PresenceHistory } from '../../ivr/acd/presence.js';
import { PgPresenceHistory } from '../../ivr/acd/presence-history.js';
import { deskChannel, type AgentDirectory, type DeskEvent, type FirstInquiry } from '../../ivr/acd/types.js';
import type { Acd } from '../../ivr/session/ari-port.js';
import { callerRouting } from '../../agent-desk/first-inquiry.js';
import { startHotline, type TestHotline } from './hotline.js';
import { call, until } from './sim.js';

export const SCALE = 20;

export interface Lawyer { staffNo: string; name?: string; endpoint: string; skills?: string[]; dialects?: string[]; lines?: string[]; stars?: number }

/** 101 on PJSIP/8001: labour and contracts, consultation only. 102 on PJSIP/8002: family, land, legal aid, every line. */
export const LAWYERS: Lawyer[] = [
  { staffNo: '101', name: '张律师', endpoint: 'PJSIP/8001', skills: ['labour-wages', 'contract-debt'], lines: ['consultation'] },
  { staffNo: '102', name: '李律师', endpoint: 'PJSIP/8002', skills: ['marriage-family', 'land-housing', 'legal-aid'], lines: [] },
];

/** Epoch milliseconds running as fast as the simulator (presence deadlines shared by every process of a test). */
export function scaledEpoch(scale: number): () => number {
  const t0 = Date.now();
  return () => t0 + (Date.now() - t0) * scale;
}

/** Scaled timers that count what is pending (a finished call must leave no timer behind). */
export function countingTimers(scale: number): Timers & { readonly pending: number } {
  const base = scaledTimers(scale);
  const live = new Set<TimerHandle>();
  return {
    now: () => base.now(),
    setTimer(ms, fn) { const h = base.setTimer(ms, () => { live.delete(h); fn(); }); live.add(h); return h; },
    clearTimer(h) { live.delete(h); base.clearTimer(h); },
    get pending() { return live.size; },
  };
}

export interface AcdHotline {
  h: TestHotline;
  acd: RoutingAcd;
  presence: Presence;
  timers: ReturnType<typeof countingTimers>;
  desk: DeskEvent[];
  /** When each desk event reached the test (after the ACD published it). */
  receivedAt: WeakMap<DeskEvent, number>;
  /** When each call was handed to the ACD (real time in this process). */
  enqueuedAt: Map<string, number>;
  /** Every presence change published, in order. */
  changes: Array<{ staffNo: string; state: string; reason?: string }>;
  close(): Promise<void>;
}

export interface AcdHotlineOptions extends Partial<Pick<AcdOptions, 'ringTimeoutMs' | 'namedWaitMs' | 'firstInquiryWaitMs' | 'skillWaitMs' | 'announceEveryMs' | 'averageHandleMs' | 'dialects' | 'dialectWaitMs' | 'transferWaitMs' | 'sharedQueue' | 'onBridged'>> {
  /** Wraps the staff directory (e.g. to slow this controller's routing passes down). */
  directory?: (base: AgentDirectory) => AgentDirectory;
  lawyers?: Lawyer[];
  firstInquiry?: FirstInquiry;
  wrapUpMs?: number;
  history?: PresenceHistory;
  /** Share presence with another hotline (two controllers, one Redis). */
  keyPrefix?: string;
  clock?: () => number;
}

export async function startAcdHotline(o: AcdHotlineOptions = {}): Promise<AcdHotline> {
  // The harness makes the key prefix and the controller: the ACD is built once they exist and takes the calls then.
  const late: { acd?: RoutingAcd } = {};
  const enqueuedAt = new Map<string, number>();
  const forward: Acd = { enqueue: (port, req) => { enqueuedAt.set(port.call.callId, Date.now()); return late.acd!.enqueue(port, req); } };
  const h = await startHotline({ acd: forward, timeScale: SCALE });
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  for (const l of o.lawyers ?? LAWYERS) await addLawyer(h, l);
  const prefix = o.keyPrefix ?? h.prefix;
  const timers = countingTimers(SCALE);
  const history = o.history ?? PgPresenceHistory.fromOrm(h.orm, log, { flushEveryMs: 20 });
  const presence = new Presence({
    redis: h.redis, keyPrefix: prefix, log, history, clock: o.clock ?? scaledEpoch(SCALE), timers: scaledTimers(SCALE),
    wrapUpMs: o.wrapUpMs ?? 10_000,
  });
  const acd = late.acd = new RoutingAcd({
    redis: h.redis, keyPrefix: prefix, app: 'hotline', log, timers, presence, firstInquiry: o.firstInquiry,
    directory: (o.directory ?? ((d) => d))(StaffDirectory.fromOrm(h.orm, log, { ttlMs: 200 })), sharedQueue: o.sharedQueue,
    ringTimeoutMs: o.ringTimeoutMs ?? 15_000, namedWaitMs: o.namedWaitMs ?? 20_000, firstInquiryWaitMs: o.firstInquiryWaitMs ?? 20_000,
    skillWaitMs: o.skillWaitMs ?? 10_000, announceEveryMs: o.announceEveryMs ?? 60_000, averageHandleMs: o.averageHandleMs,
    onAnswered: (callId, staffNo) => h.recorder.answered(callId, staffNo), onBridged: o.onBridged,
    onTransferred: (callId, tr) => h.recorder.transferred(callId, tr),
    ivrPath: (callId) => h.controller.ivrPath(callId),
    queueSettings: serviceQueueSettings(h.orm, log, 100),
    dialects: o.dialects ?? callerRouting(h.orm), dialectWaitMs: o.dialectWaitMs ?? 10_000, transferWaitMs: o.transferWaitMs ?? 20_000,
  });
  await acd.bind(ariBinding(h.controller));
  const desk: DeskEvent[] = [];
  const receivedAt = new WeakMap<DeskEvent, number>();
  const changes: AcdHotline['changes'] = [];
  const sub: Redis = h.redis.duplicate();
  sub.on('message', (ch: string, msg: string) => {
    if (ch === deskChannel(prefix)) {
      const ev = JSON.parse(msg) as DeskEvent;
      receivedAt.set(ev, Date.now());
      desk.push(ev);
    }
    else changes.push(JSON.parse(msg) as AcdHotline['changes'][number]);
  });
  await sub.subscribe(deskChannel(prefix), presence.channel);
  for (const l of o.lawyers ?? LAWYERS) await phone(h, l.endpoint, 'answer');
  const r: AcdHotline = {
    h, acd, presence, timers, desk, receivedAt, enqueuedAt, changes,
    async close() {
      await acd.stop();
      presence.stop();
      if (history instanceof PgPresenceHistory) await history.close();
      await sub.quit();
      await h.close();
    },
  };
  return r;
}

export async function addLawyer(h: TestHotline, l: Lawyer): Promise<void> {
  await h.sql(`insert into staff (staff_no, name, role, password_hash, skills, dialects, lines, endpoint, stars)
    values (?, ?, 'agent', 'x', ?::jsonb, ?::jsonb, ?::jsonb, ?, ?)`,
  [l.staffNo, l.name ?? `律师${l.staffNo}`, JSON.stringify(l.skills ?? []), JSON.stringify(l.dialects ?? []), JSON.stringify(l.lines ?? []), l.endpoint, l.stars ?? 3]);
}

/** How the simulated desk phone behaves from now on. */
export async function phone(h: TestHotline, endpoint: string, behaviour: 'answer' | 'no-answer' | 'busy' | 'reject' | 'offline', answerAfterMs = 2000): Promise<void> {
  const r = await call(h.sim, 'PUT', `/sim/endpoints/${endpoint}`, { behaviour, answerAfterMs });
  if (r.status !== 200) throw new Error(`phone ${endpoint}: ${r.status}`);
}

/** The person at the desk phone acts now (answer, reject, hang up). */
export async function phoneAction(h: TestHotline, endpoint: string, action: 'answer' | 'reject' | 'busy' | 'hangup'): Promise<string[]> {
  return (await call(h.sim, 'POST', `/sim/endpoints/${endpoint}/action`, { action })).body.channels;
}

/** Waits for a desk event matching `pred` and returns it. */
export async function deskEvent(a: AcdHotline, pred: (e: DeskEvent) => boolean, label: string, timeoutMs = 10_000): Promise<DeskEvent> {
  let found: DeskEvent | undefined;
  await until(() => !!(found = a.desk.find(pred)), label, timeoutMs);
  return found!;
}

/**
 * Real milliseconds from the call reaching the ACD to its (first) offer being published: a lower bound a loaded
 * machine can only lengthen.
 */
export async function waitedForOffer(a: AcdHotline, callId: string): Promise<number> {
  const ev = await deskEvent(a, (e) => e.type === 'offered' && e.callId === callId, `${callId} offered`);
  return a.receivedAt.get(ev)! - a.enqueuedAt.get(callId)!;
}

/** Waits until the lawyer has passed through `state` (from the published changes: transient states included). */
export async function passedThrough(a: AcdHotline, staffNo: string, state: string, timeoutMs = 10_000): Promise<void> {
  await until(() => a.changes.some((c) => c.staffNo === staffNo && c.state === state), `${staffNo} to go ${state}`, timeoutMs);
}

/** Waits until the lawyer is in `state` (read from Redis). */
export async function presenceIs(a: AcdHotline, staffNo: string, state: string, timeoutMs = 10_000): Promise<void> {
  await until(async () => (await a.presence.get(staffNo)).state === state, `${staffNo} to be ${state}`, timeoutMs);
}

/** Walks a caller into a consultation topic's queue (1 consultation, then the topic key). */
export async function consult(h: TestHotline, from: string, topicKey: string): Promise<string> {
  const id = await h.dial(from);
  await h.waitHeard(id, 'greeting');
  await h.press(id, '1');
  await h.waitHeard(id, 'consultation-menu');
  await h.press(id, topicKey);
  return id;
}

/** Walks a caller to a line without topics (3 appointment, 4 supervision, 5 complaint) or to the operator (0). */
export async function line(h: TestHotline, from: string, key: string): Promise<string> {
  const id = await h.dial(from);
  await h.waitHeard(id, 'greeting');
  await h.press(id, key);
  return id;
}

/** Waits until the caller is in a mixing bridge with somebody; returns the other channels. */
export async function bridged(h: TestHotline, id: string, timeoutMs = 10_000): Promise<string[]> {
  let other: string[] = [];
  await until(async () => (other = (await h.state(id)).bridgedWith).length > 0, `${id} to be bridged`, timeoutMs);
  return other;
}

/** Whose phone a leg id rings (acd-<staffNo>-<callId>-<n>). */
export const legOwner = (legId: string) => /^acd-([^-]+)-/.exec(legId)?.[1];
