// The callback dialler of one controller. An automatic callback (queued, missed) waits for a lawyer like a caller
// does — in the same queue order: it joins the shared view of waiting calls (ivr/acd/shared-queue.ts) with its
// place, so it is served after callers who were waiting before it and before those who came after, and no
// controller takes a lawyer the selection gives to it. A click-to-call (task callbacks) rings the lawyer who
// clicked. Either way connect.ts places the call: the lawyer first, then the caller.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { TimerHandle, Timers } from '../../flows/timers.js';
import { AcdAri, type AriBinding } from '../acd/ari-ops.js';
import { DeskEvents } from '../acd/desk-events.js';
import { routingPass } from '../acd/pass.js';
import { SerialPasses } from '../acd/serial.js';
import type { Presence } from '../acd/presence.js';
import { SharedQueue } from '../acd/shared-queue.js';
import type { AgentDirectory } from '../acd/types.js';
import { connectCallback, type CallbackCall, type CallbackRecorder, type ConnectContext, type ConnectResult } from './connect.js';

export interface DiallerOptions {
  binding: AriBinding;
  app: string;
  presence: Presence;
  directory: AgentDirectory;
  redis: Redis;
  keyPrefix: string;
  log: Logger;
  timers: Timers;
  recorder: CallbackRecorder;
  dialString(number: string): string;
  callerId: string;
  lawyerRingMs?: number;
  callerRingMs?: number;
  tickMs?: number;
  /** Ring the caller first, then the lawyer (CALLBACK_CALLER_FIRST). */
  callerFirst?: boolean;
}

export interface CallbackToPlace { callbackId: string; kind: string; attempt: number; number: string; line: string; topic: string | null; priority: number; place: number }

interface Waiting {
  callId: string; token: string; line: string; topic?: string; priority: number; seq: number; skillUntil: number;
  state: 'waiting' | 'ringing' | 'done'; gone: boolean;
  cb: CallbackToPlace; onAttempt: () => Promise<void>; resolve: (r: ConnectResult | { kind: 'aborted' }) => void;
}

export class CallbackDialler {
  private readonly ari: AcdAri;
  private readonly desk: DeskEvents;
  private readonly entries = new Map<string, Waiting>();
  private readonly instance = `cb${randomBytes(4).toString('hex')}`;
  private readonly shared: SharedQueue;
  private readonly passes = new SerialPasses(() => this.pass(), {
    stopped: () => this.stopped,
    failed: (err) => this.o.log.warn({ err: err.message }, 'callback routing pass failed; the next tick retries'),
  });
  private tick?: TimerHandle;
  private unsubscribe?: () => Promise<void>;
  private stopped = false;

  constructor(private readonly o: DiallerOptions) {
    this.ari = new AcdAri(o.binding);
    this.desk = new DeskEvents(o.redis, o.keyPrefix, o.log);
    this.shared = new SharedQueue(o.redis, o.keyPrefix, this.instance, 3 * (o.tickMs ?? 2000) + 2000);
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.o.presence.subscribe((p) => { if (p.state === 'ready') this.pump(); });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tick !== undefined) this.o.timers.clearTimer(this.tick);
    for (const e of this.entries.values()) if (e.state === 'waiting') { e.state = 'done'; e.resolve({ kind: 'aborted' }); }
    this.entries.clear();
    await this.unsubscribe?.();
    await this.shared.stop().catch(() => undefined);
    this.ari.detach();
  }

  /** Callbacks waiting here (tests, shutdown). */
  get waiting(): number { return [...this.entries.values()].filter((e) => e.state === 'waiting').length; }

  private get ctx(): ConnectContext {
    return {
      ari: this.ari, presence: this.o.presence, desk: this.desk, recorder: this.o.recorder, timers: this.o.timers, log: this.o.log,
      app: this.o.app, dialString: this.o.dialString, callerId: this.o.callerId,
      lawyerRingMs: this.o.lawyerRingMs ?? 20_000, callerRingMs: this.o.callerRingMs ?? 30_000, callerFirst: this.o.callerFirst,
    };
  }

  private call(cb: CallbackToPlace): CallbackCall {
    const callId = `cb-${cb.callbackId}-${cb.attempt}-${randomBytes(3).toString('hex')}`;
    return { ...cb, callId, token: `${callId}@${this.instance}` };
  }

  /**
   * Waits at `cb.place` for a free lawyer, then places the call. `onAttempt` runs when the caller is about to be
   * dialled (the attempt goes on record). `signal` gives up waiting (the worker is stopping, the lease was lost).
   */
  waitAndConnect(cb: CallbackToPlace, onAttempt: () => Promise<void>, signal?: AbortSignal): Promise<ConnectResult | { kind: 'aborted' }> {
    if (this.stopped) return Promise.resolve({ kind: 'aborted' });
    const call = this.call(cb);
    return new Promise((resolve) => {
      const e: Waiting = {
        callId: call.callId, token: call.token, line: cb.line, topic: cb.topic ?? undefined, priority: cb.priority, seq: cb.place, skillUntil: 0,
        state: 'waiting', gone: false, cb, onAttempt, resolve,
      };
      this.entries.set(e.callId, e);
      signal?.addEventListener('abort', () => {
        if (e.state !== 'waiting') return;
        e.state = 'done';
        e.gone = true;
        this.entries.delete(e.callId);
        void this.shared.leave(e.token).catch(() => undefined);
        resolve({ kind: 'aborted' });
      }, { once: true });
      this.ensureTick();
      this.pump();
    });
  }

  /** Click-to-call: `staffNo` (not offline, not in a call) is rung, then the caller. */
  async direct(cb: CallbackToPlace, staffNo: string, onAttempt: () => Promise<void>): Promise<ConnectResult | { kind: 'lawyer-busy' }> {
    const agent = await this.o.directory.byStaffNo(staffNo);
    if (!agent) return { kind: 'lawyer-busy' };
    const call = this.call(cb);
    if (!(await this.o.presence.reserve(staffNo, call.token))) return { kind: 'lawyer-busy' };
    return connectCallback(this.ctx, call, agent, onAttempt);
  }

  private ensureTick(): void {
    if (this.tick !== undefined || this.stopped) return;
    this.tick = this.o.timers.setTimer(this.o.tickMs ?? 2000, () => {
      this.tick = undefined;
      this.pump();
      if (this.waiting) this.ensureTick();
    });
  }

  pump(): void { this.passes.request(); }

  private async pass(): Promise<void> {
    await routingPass({
      directory: this.o.directory, presence: this.o.presence, shared: this.shared, log: this.o.log, now: () => this.o.timers.now(),
      offer: (e, agent) => { void this.offer(e, agent); },
    }, this.entries.values());
  }

  private async offer(e: Waiting, agent: Parameters<typeof connectCallback>[2]): Promise<void> {
    e.state = 'ringing';
    await this.shared.leave(e.token).catch(() => undefined);
    const r = await connectCallback(this.ctx, { ...e.cb, callId: e.callId, token: e.token }, agent, e.onAttempt)
      .catch((err: Error): ConnectResult => ({ kind: 'lawyer-failed', reason: err.message }));
    if (r.kind === 'lawyer-failed' && !this.stopped) {
      // Nobody spoke to the caller: the callback keeps its place for the next lawyer (a fresh leg id).
      const next = this.call(e.cb);
      this.entries.delete(e.callId);
      Object.assign(e, { callId: next.callId, token: next.token, state: 'waiting' });
      this.entries.set(e.callId, e);
      this.pump();
      return;
    }
    e.state = 'done';
    this.entries.delete(e.callId);
    e.resolve(r);
  }
}
