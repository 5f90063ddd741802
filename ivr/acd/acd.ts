// The automatic call distributor (ARI has no queues: this is ours). A queue per service line plus the operator's,
// held by the controller the calls live on; lawyers' presence is global in Redis, so several controllers share the
// lawyers and a claim (ready -> ringing) decides atomically who rings whom. While waiting the caller hears music on
// hold with their place and the estimated wait announced every so often; after the maximum wait the flow's
// overflow branch takes over.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { realTimers, type TimerHandle, type Timers } from '../../flows/timers.js';
import type { PromptRef, QueueRequest, QueueResult } from '../port.js';
import type { ServiceLine } from '../records/events.js';
import type { Acd, AriCallPort } from '../session/ari-port.js';
import { estimatedMinutes, positionPrompts } from './announce.js';
import { AcdAri, type AriBinding } from './ari-ops.js';
import { listenForCommands, type AcdCommand } from './commands.js';
import type { Entry, EntryState as State } from './entry.js';
import { DeskEvents } from './desk-events.js';
import { runOffer, type OfferContext, type OfferResult } from './offer.js';
import type { Presence } from './presence.js';
import { routingPass } from './pass.js';
import { SerialPasses } from './serial.js';
import { preferencesFor } from './preferences.js';
import { queueOrder } from './selection.js';
import { SharedQueue } from './shared-queue.js';
import { bounded } from './bounded.js';
import { applyTransfer, requestTransfer, type TransferDeps } from './transfer.js';
import type { QueueSettings } from './queue-settings.js';
import type { Agent, AgentDirectory, CallerDialects, FirstInquiry } from './types.js';

export interface AcdOptions {
  /** Commands (desk events). */
  redis: Redis;
  keyPrefix: string;
  /** The Stasis app the lawyers' legs enter (`appArgs: agent,<callId>`). */
  app: string;
  directory: AgentDirectory;
  presence: Presence;
  /** 首问负责: the owner of the caller's open matter, offered the call first. */
  firstInquiry?: FirstInquiry;
  /** Per-queue announcement interval and skill wait (service_queue); the options below are the defaults. */
  queueSettings?: QueueSettings;
  /** The caller's dialect from their profile, when the flow did not ask. */
  dialects?: CallerDialects;
  /** How long a call waits for a lawyer who speaks the caller's dialect before anyone will do. */
  dialectWaitMs?: number;
  log: Logger;
  /** The session clock (the controller's; scaled in tests). */
  timers?: Timers;
  ringTimeoutMs?: number;
  /** 点名: how long the named lawyer alone is offered the call. */
  namedWaitMs?: number;
  firstInquiryWaitMs?: number;
  /** How long a call waits for a lawyer with the topic's skill before any lawyer of the line will do. */
  skillWaitMs?: number;
  announceEveryMs?: number;
  /** Starting estimate of a conversation's length (the estimate then follows the conversations held here). */
  averageHandleMs?: number;
  mohClass?: string;
  /** Safety net: how often waiting calls are re-examined without a presence change. */
  tickMs?: number;
  /** A person answered: record it (CallEvents.answered). */
  onAnswered?: (callId: string, staffNo: string) => void;
  /** Caller and lawyer bridged (OfferContext.onBridged): the call recording starts. */
  onBridged?: OfferContext['onBridged'];
  /** The IVR path of a call for the screen pop. */
  ivrPath?: (callId: string) => Array<{ node: string; digits?: string }>;
  /** A desk transfer was carried out: record it (CallEvents.transferred). */
  onTransferred?: (callId: string, t: { from: string; by: string; toLine?: ServiceLine; toAgent?: string }) => void;
  /** Route with the other controllers' waiting calls in view (default on; one controller loses nothing by it). */
  sharedQueue?: boolean;
  /** How long the lawyer a call was transferred to is offered it alone before anyone on the line may take it. */
  transferWaitMs?: number;
}

const HANGUP = new Set(['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);

export class RoutingAcd implements Acd {
  private ari?: AcdAri;
  private binding?: AriBinding;
  private readonly entries = new Map<string, Entry>();
  private readonly timers: Timers;
  private readonly desk: DeskEvents;
  private seq = 0;
  /** Tells this process's claims from another controller's (see OfferedCall.token). */
  private readonly instance = randomBytes(4).toString('hex');
  private readonly passes = new SerialPasses(() => this.pass(), {
    stopped: () => this.stopped,
    failed: (err) => this.o.log.warn({ err: err.message }, 'routing pass failed; the next tick retries'),
  });
  private tick?: TimerHandle;
  private unsubscribe?: () => Promise<void>;
  private unlisten?: () => Promise<void>;
  private stopped = false;
  private averageHandleMs: number;
  private staffed = new Map<string, number>();
  private readonly onConnected = () => { void this.resync(); };

  /** The other controllers' waiting calls (fairness); off with `sharedQueue: false`. */
  private readonly shared?: SharedQueue;

  constructor(private readonly o: AcdOptions) {
    if (o.sharedQueue !== false) this.shared = new SharedQueue(o.redis, o.keyPrefix, this.instance, 3 * (o.tickMs ?? 2000) + 2000);
    this.timers = o.timers ?? realTimers;
    this.desk = new DeskEvents(o.redis, o.keyPrefix, o.log);
    this.averageHandleMs = o.averageHandleMs ?? 240_000;
  }

  /** Attaches to ARI (the controller's events and client) and to presence changes. Call before calls arrive. */
  async bind(binding: AriBinding): Promise<void> {
    this.binding = binding;
    this.ari = new AcdAri(binding);
    binding.events.on('connected', this.onConnected);
    // A lawyer who becomes ready anywhere (a desk, another controller's wrap-up) may be waited for here. Start-up
    // never waits long on Redis: until subscribed, the periodic tick finds ready lawyers.
    const sub = this.o.presence.subscribe((p) => { if (p.state === 'ready') this.pump(); });
    sub.then((unsub) => { if (this.stopped) void unsub(); else this.unsubscribe = unsub; },
      (err: Error) => this.o.log.error({ err: err.message }, 'presence subscription failed: routing on the periodic tick only'));
    await bounded(sub, 3000).catch(() => undefined);
    // Transfers from the desk: every controller hears them, the one holding the call acts.
    const cmds = listenForCommands(this.o.redis, this.o.keyPrefix, this.o.log, (cmd) => this.command(cmd));
    cmds.then((unlisten) => { if (this.stopped) void unlisten(); else this.unlisten = unlisten; },
      (err: Error) => this.o.log.error({ err: err.message }, 'desk command subscription failed: transfers unavailable'));
    await bounded(cmds, 3000).catch(() => undefined);
  }

  private get transferDeps(): TransferDeps {
    return {
      directory: this.o.directory, desk: this.desk, log: this.o.log,
      hangupLeg: (leg) => this.ari!.hangup(leg).catch((err: Error) => this.o.log.warn({ err: err.message, leg }, 'transfer: hanging up the lawyer failed')),
    };
  }

  private command(cmd: AcdCommand): void {
    if (cmd.type !== 'transfer') return; // recording commands are the capture's (ivr/recording/capture.ts)
    const e = this.entries.get(cmd.callId);
    if (!e || this.stopped) return; // another controller's call (or none's: the desk checked it was answered)
    void requestTransfer(this.transferDeps, e, cmd).catch((err: Error) => this.o.log.warn({ err: err.message, call: e.callId }, 'transfer failed'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tick !== undefined) this.timers.clearTimer(this.tick);
    this.tick = undefined;
    for (const e of this.entries.values()) {
      // A phone ringing for a call this process will no longer follow is hung up and its lawyer freed (the offer
      // sees this as the caller leaving). Conversations go on in Asterisk; the lawyer's lease then runs out.
      if (e.state === 'ringing') for (const fn of [...e.goneFns]) fn();
      this.settle(e, { reason: 'error', message: 'ACD stopped' });
    }
    this.binding?.events.off('connected', this.onConnected);
    this.ari?.detach();
    await this.unsubscribe?.();
    await this.unlisten?.();
    await this.shared?.stop().catch(() => undefined);
  }

  private get ctx(): OfferContext {
    return {
      ari: this.ari!, presence: this.o.presence, desk: this.desk, timers: this.timers, log: this.o.log, app: this.o.app,
      ringTimeoutMs: this.o.ringTimeoutMs ?? 20_000, onAnswered: this.o.onAnswered, onBridged: this.o.onBridged,
    };
  }

  /** Calls waiting / ringing / talking on this controller, per line (supervisors, tests). */
  stats(): { waiting: Record<string, number>; ringing: number; talking: number; timers: number; watched: number } {
    const waiting: Record<string, number> = {};
    let ringing = 0; let talking = 0; let timers = 0;
    for (const e of this.entries.values()) {
      if (e.state === 'waiting' || e.state === 'resolving') waiting[e.line] = (waiting[e.line] ?? 0) + 1;
      if (e.state === 'ringing') ringing++;
      if (e.state === 'talking') talking++;
      timers += e.timers.size;
    }
    return { waiting, ringing, talking, timers: timers + (this.tick === undefined ? 0 : 1), watched: this.ari?.watched ?? 0 };
  }

  async enqueue(port: AriCallPort, req: QueueRequest): Promise<QueueResult> {
    if (!this.ari || this.stopped) return { reason: 'error', message: 'the ACD is not bound to ARI' };
    const ari = this.ari;
    let resolve!: (r: QueueResult) => void;
    const result = new Promise<QueueResult>((r) => { resolve = r; });
    const e: Entry = {
      callId: port.call.callId, token: `${port.call.callId}@${this.instance}`, callerNumber: port.call.callerNumber, port, req, line: req.line, topic: req.topic,
      priority: req.priority, seq: Date.now() * 1000 + (++this.seq % 1000), skillUntil: 0, state: 'resolving', gone: false, overdue: false, announced: 0,
      announcing: false, media: Promise.resolve(), timers: new Set(), goneFns: new Set(), stops: [], resolve,
      onGone: (fn) => { e.goneFns.add(fn); return () => e.goneFns.delete(fn); },
      quiet: () => this.quiet(e),
      talking: (staffNo) => { if (e.state === 'ringing') { e.state = 'talking'; e.talkingWith = staffNo; } },
    };
    this.entries.set(e.callId, e);
    e.stops.push(ari.watch(e.callId, (ev) => {
      if (HANGUP.has(ev.type)) this.gone(e);
      else if (ev.type === 'ChannelDtmfReceived' && req.callbackKey && ev.digit === req.callbackKey && (e.state === 'waiting' || e.state === 'resolving')) {
        // The caller would rather be called back: their place (seq) goes with them.
        e.port.takeTypeAhead();
        this.settle(e, { reason: 'callback', place: e.seq });
      }
    }));
    if (port.isEnded) this.gone(e);
    this.media(e, () => this.moh(e));
    this.after(e, req.maxWaitMs, () => this.maxWait(e));
    this.ensureTick();
    void this.prepare(e);
    const r = await result;
    for (const t of e.timers) this.timers.clearTimer(t);
    e.timers.clear();
    for (const s of e.stops) s();
    e.goneFns.clear();
    if (this.entries.get(e.callId) === e) this.entries.delete(e.callId);
    void this.shared?.leave(e.token).catch(() => undefined);
    if (r.reason !== 'answered' && !port.isEnded) {
      await e.media;
      await ari.stopMoh(e.callId).catch(() => undefined);
    }
    return r;
  }

  private settle(e: Entry, r: QueueResult): void {
    if (e.state === 'done') return;
    e.state = 'done';
    e.resolve(r);
  }

  private after(e: Entry, ms: number, fn: () => void): void {
    if (e.state === 'done') return; // settled: its timers are already cleared and must stay so
    const h = this.timers.setTimer(Math.max(0, ms), () => { e.timers.delete(h); fn(); });
    e.timers.add(h);
  }

  private media(e: Entry, op: () => Promise<void>): void {
    e.media = e.media.then(op).catch((err: Error) => this.o.log.warn({ err: err.message, call: e.callId }, 'queue media failed'));
  }

  private async moh(e: Entry): Promise<void> {
    if (e.gone || (e.state !== 'resolving' && e.state !== 'waiting' && e.state !== 'ringing')) return;
    await this.ari!.startMoh(e.callId, this.o.mohClass ?? 'default').catch((err: { notFound?: boolean; message: string }) => {
      if (!err.notFound) throw err;
    });
  }

  /** The caller hung up (their channel's events, or the port found ended). */
  private gone(e: Entry): void {
    if (e.gone) return;
    e.gone = true;
    for (const fn of [...e.goneFns]) fn();
    // Ringing or talking: the offer sees it through onGone, cleans up the lawyer's side and then settles.
    if (e.state === 'waiting' || e.state === 'resolving') this.settle(e, { reason: 'error', message: 'caller hung up' });
  }

  /** Who is asked first (点名, 首问负责) and whether to wait for a skilled lawyer; then the call may be offered. */
  private async prepare(e: Entry): Promise<void> {
    const now = this.timers.now();
    const setting = await bounded(this.o.queueSettings?.forLine(e.line) ?? Promise.resolve(undefined), 1000).catch(() => undefined);
    e.announceEveryMs = setting?.announceEveryMs ?? this.o.announceEveryMs ?? 30_000;
    this.after(e, e.announceEveryMs, () => this.announce(e));
    try {
      const agents = await this.o.directory.agents();
      const o = this.o;
      Object.assign(e, await preferencesFor({
        firstInquiry: o.firstInquiry, dialects: o.dialects, log: o.log, namedWaitMs: o.namedWaitMs ?? 30_000,
        firstInquiryWaitMs: o.firstInquiryWaitMs ?? 30_000, skillWaitMs: setting?.skillWaitMs ?? o.skillWaitMs ?? 20_000, dialectWaitMs: o.dialectWaitMs ?? 20_000,
      }, e, agents, now));
      // Each deadline re-examines the call: it may go to more lawyers from then on.
      for (const until of [e.skillUntil, e.dialectUntil ?? 0, e.preferred?.until ?? 0]) if (until) this.after(e, until - now, () => this.pump());
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message, call: e.callId }, 'queue: staff directory unavailable');
    }
    if (e.state === 'resolving') e.state = 'waiting';
    this.pump();
  }

  private maxWait(e: Entry): void {
    if (e.state === 'waiting' || e.state === 'resolving') this.settle(e, { reason: 'overflow', place: e.seq });
    else if (e.state === 'ringing') e.overdue = true; // the ring in progress may still be answered
  }

  /** Position and estimated wait, between stretches of music; skipped while a lawyer's phone rings for the call. */
  private announce(e: Entry): void {
    if (e.state === 'done' || e.gone) return;
    const every = e.announceEveryMs ?? this.o.announceEveryMs ?? 30_000;
    if (e.state !== 'waiting') { this.after(e, every, () => this.announce(e)); return; }
    this.media(e, async () => {
      if (e.state !== 'waiting' || e.gone) return;
      const prompts: PromptRef[] = [...(e.announced === 0 ? e.req.announce ?? [] : []), ...this.positionOf(e)];
      e.announced++;
      e.announcing = true;
      try {
        await this.ari!.stopMoh(e.callId).catch(() => undefined);
        // Checked again right before playing: a lawyer may have answered meanwhile (quiet() then stops the play).
        if (e.state === 'waiting' && !e.gone) await e.port.play(prompts, { interruptible: false });
      } catch { /* hang-up: the entry is settled by gone() */ } finally {
        e.announcing = false;
      }
      await this.moh(e);
    });
    this.after(e, every, () => this.announce(e));
  }

  private positionOf(e: Entry): PromptRef[] {
    const ahead = [...this.entries.values()].filter((o) => o !== e && o.line === e.line && o.state !== 'talking' && o.state !== 'done' && !o.gone && queueOrder(o, e) < 0).length;
    return positionPrompts(ahead, estimatedMinutes(ahead, this.averageHandleMs, this.staffed.get(e.line) ?? 0));
  }

  /** The lawyer picked up: stop any announcement and the music before bridging. */
  private async quiet(e: Entry): Promise<void> {
    for (let i = 0; e.announcing && i < 10; i++) {
      const pb = e.port.currentPlayback;
      if (pb) await this.ari!.stopPlayback(pb).catch(() => undefined);
      await Promise.race([e.media, new Promise<void>((r) => setTimeout(r, 50))]);
    }
    await e.media;
    await this.ari!.stopMoh(e.callId).catch(() => undefined);
  }

  private ensureTick(): void {
    if (this.tick !== undefined || this.stopped) return;
    this.tick = this.timers.setTimer(this.o.tickMs ?? 2000, () => {
      this.tick = undefined;
      // Events lost while the websocket was down: the controller ends such ports, we notice here.
      for (const e of this.entries.values()) if (e.port.isEnded) this.gone(e);
      this.pump();
      if (this.entries.size) this.ensureTick();
    });
  }

  /** After a reconnect: callers or lawyers who left while events were lost are noticed (their channel is gone). */
  private async resync(): Promise<void> {
    for (const e of [...this.entries.values()]) {
      if (e.port.isEnded) { this.gone(e); continue; }
      if (!e.leg || (e.state !== 'ringing' && e.state !== 'talking')) continue;
      const leg = e.leg;
      await this.ari!.getChannel(leg).catch((err: { notFound?: boolean }) => {
        if (err.notFound) this.ari!.inject({ type: 'ChannelDestroyed', channel: { id: leg }, cause: 16 });
      });
    }
    this.pump();
  }

  /** A routing pass soon (one at a time; see serial.ts). */
  pump(): void { this.passes.request(); }

  private async pass(): Promise<void> {
    const staffed = await routingPass({
      directory: this.o.directory, presence: this.o.presence, shared: this.shared, log: this.o.log, now: () => this.timers.now(),
      offer: (e, agent) => { void this.offer(e, agent); },
    }, this.entries.values());
    if (staffed) this.staffed = staffed;
  }

  /** The caller waits again after a transfer: a short notice, music, a fresh maximum wait, the new queue. */
  private handOn(e: Entry, t: NonNullable<Entry['transfer']>): void {
    applyTransfer(this.transferDeps, e, t, this.timers.now(), this.o.transferWaitMs ?? this.o.namedWaitMs ?? 30_000);
    this.o.onTransferred?.(e.callId, { from: t.from, by: t.by, toLine: t.toLine as ServiceLine | undefined, toAgent: t.toAgent });
    e.state = 'waiting';
    e.port.inQueue = true;
    for (const h of e.timers) this.timers.clearTimer(h);
    e.timers.clear();
    this.media(e, async () => {
      if (e.state !== 'waiting' || e.gone) return;
      await e.port.play(['transfer-handover'], { interruptible: false }).catch(() => undefined);
      await this.moh(e);
    });
    this.after(e, e.req.maxWaitMs, () => this.maxWait(e));
    this.after(e, e.announceEveryMs ?? this.o.announceEveryMs ?? 30_000, () => this.announce(e));
    if (e.preferred) this.after(e, e.preferred.until - this.timers.now(), () => this.pump());
    this.pump();
  }

  private async offer(e: Entry, agent: Agent): Promise<void> {
    e.state = 'ringing';
    void this.shared?.leave(e.token).catch(() => undefined);
    let r: OfferResult;
    try {
      r = await runOffer(this.ctx, e, agent, {
        line: e.line, topic: e.topic, priority: e.priority, requestedAgent: e.req.requestedAgent, ivrPath: this.o.ivrPath?.(e.callId) ?? [],
      });
    } catch (err) {
      r = { kind: 'error', message: (err as Error).message, retry: true };
    }
    if (r.kind === 'talked') {
      this.averageHandleMs = Math.round(this.averageHandleMs * 0.8 + r.ms * 0.2);
      const t = e.transfer;
      if (t && !e.gone && !e.port.isEnded) { this.handOn(e, t); return; }
      this.settle(e, { reason: 'answered', agent: agent.staffNo });
      return;
    }
    if (e.gone || r.kind === 'caller-gone') { this.settle(e, { reason: 'error', message: 'caller hung up' }); return; }
    if (r.kind === 'error' && !r.retry) { this.settle(e, { reason: 'error', message: r.message }); return; }
    if (e.overdue) { this.settle(e, { reason: 'overflow', place: e.seq }); return; }
    // The lawyer asked for (or owning the matter) did not take it: the queue now, not after the rest of their time.
    if (e.preferred?.staffNo === agent.staffNo) e.preferred = undefined;
    if ((e.state as State) === 'ringing') e.state = 'waiting';
    if (r.kind === 'error') this.after(e, 1000, () => this.pump());
    else this.pump();
  }
}
