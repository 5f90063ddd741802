import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Flow } from '../flows/nodes/index.js';
import { realTimers, type TimerHandle, type Timers } from '../flows/timers.js';
import type { Calendar } from '../flows/types.js';
import { AriConnection, type AriConnectionOptions, type AriEvent } from './ari/connection.js';
import { AriRequestError, AriRest } from './ari/rest.js';
import type { CallInfo } from './port.js';
import { AriCallPort, type Acd, type Lookup } from './session/ari-port.js';
import { FlowSession } from './session/session.js';
import type { EndReason as RecordEndReason } from './records/events.js';
import { SessionStateStore, type SavedState } from './session/state-store.js';
import { Waiters } from './session/waiters.js';
import { HoldingQueue } from './acd/holding-queue.js';

/** The published flow new calls start on. */
export interface FlowSource {
  current(): { name: string; revision: number; flow: Flow };
  /** An earlier revision, so that an adopted call finishes on the revision it started with. */
  revision(revision: number): { name: string; revision: number; flow: Flow } | undefined;
}

/** Call facts for the call record, emitted as events; writes never block the call (see ivr/records). */
export interface CallRecorder {
  arrived(call: CallInfo, flow: { name: string; revision: number }): void;
  node(callId: string, e: { node: string; type: string; outcome?: string; option?: string; entries?: string[] }): void;
  tagged(callId: string, key: string, value: string | number | boolean): void;
  queued(callId: string, q: { serviceLine: string; legalTopic?: string; priority?: number; requestedAgent?: string }): void;
  /** A person answered the call (the agent's staff number or endpoint). */
  answered?(callId: string, agent: string): void;
  ended(callId: string, reason: RecordEndReason): void;
}

export interface ControllerOptions {
  ari: { url: string; user: string; password: string; app: string };
  log: Logger;
  flows: FlowSource;
  recorder: CallRecorder;
  calendar: Calendar;
  redis?: Redis;
  keyPrefix?: string;
  timers?: Timers;
  acd?: Acd;
  lookups?: Record<string, Lookup>;
  lang?: string;
  playbackStartTimeoutMs?: number;
  /** What a caller whose state was lost hears before being handed to a person. */
  apology?: string[];
  /** Connection tuning: backoff, ari-client rebuild, pings (tests use small values). */
  connection?: Pick<AriConnectionOptions, 'backoff' | 'rebuildAfter' | 'pingIntervalMs' | 'attemptTimeoutMs'>;
}

interface Live {
  port: AriCallPort; session: FlowSession; flowName: string; seq: number; saved?: SavedState;
  /** The menus and keys the caller went through, for the lawyer's screen pop. */
  path: Array<{ node: string; digits?: string }>;
}

/** Calls this process saw end, remembered so that a state key being deleted is never taken for an orphan. */
const RECENTLY_ENDED_MAX = 5000;

/**
 * The call controller: one FlowSession per inbound channel, events routed to it, and on every (re)connect the calls
 * already in Stasis are adopted so that none is left in silence.
 */
export class Controller {
  readonly conn: AriConnection;
  readonly rest: AriRest;
  readonly waiters = new Waiters();
  readonly calls = new Map<string, Live>();
  /** Calls being taken over (between GET /channels and their session): never adopted twice. */
  private readonly adopting = new Set<string>();
  private readonly recentlyEnded = new Set<string>();
  private readonly state: SessionStateStore;
  private readonly timers: Timers;
  private readonly acd: Acd;
  private active = false;
  private adoptRetry?: TimerHandle;

  constructor(private readonly o: ControllerOptions) {
    this.conn = new AriConnection({ ...o.ari, ...o.connection, log: o.log });
    this.rest = new AriRest(() => this.conn.client);
    this.state = new SessionStateStore(o.redis, o.keyPrefix);
    this.timers = o.timers ?? realTimers;
    this.acd = o.acd ?? new HoldingQueue(this.rest, { announceEveryMs: 20_000, defaultAnnouncement: ['queue-apology'] });
    this.conn.on('event', (ev: AriEvent) => this.onEvent(ev));
    this.conn.on('connected', () => { void this.adopt(); });
    // Another controller owns the application now: it adopts our calls, so let go of them (no fight, no double play).
    this.conn.on('replaced', () => { this.active = false; this.detachAll(); });
  }

  start(): void {
    this.active = true;
    this.conn.start();
  }

  /** Stops taking events. Calls stay in Stasis with their saved state and open records: the next controller adopts them. */
  async stop(): Promise<void> {
    this.active = false;
    await this.conn.stop();
    this.detachAll();
  }

  private detachAll(): void {
    if (this.adoptRetry !== undefined) this.timers.clearTimer(this.adoptRetry);
    this.adoptRetry = undefined;
    for (const live of [...this.calls.values()]) live.port.detach();
    // The sessions unwind on their own (microtasks later); the map says at once that none is ours any more.
    this.calls.clear();
  }

  private onEvent(ev: AriEvent): void {
    const ch = ev.channel as { id: string } | undefined;
    switch (ev.type) {
      case 'StasisStart': {
        const args = (ev.args as string[]) ?? [];
        if (args[0] === 'inbound' && ch && !this.calls.has(ch.id) && !this.adopting.has(ch.id)) void this.startCall(ev.channel as AriChannel);
        return;
      }
      case 'ChannelDtmfReceived':
        if (ch) this.calls.get(ch.id)?.port.onDtmf(String(ev.digit));
        return;
      case 'ChannelHangupRequest': case 'StasisEnd': case 'ChannelDestroyed':
        if (ch) this.calls.get(ch.id)?.port.end();
        return;
      case 'PlaybackStarted': case 'PlaybackFinished':
        this.waiters.deliver((ev.playback as { id: string }).id, ev);
        return;
      case 'RecordingStarted': case 'RecordingFinished': case 'RecordingFailed':
        this.waiters.deliver((ev.recording as { name: string }).name, ev);
        return;
    }
  }

  private newPort(info: CallInfo, channelId: string, holder: { live?: Live }): AriCallPort {
    return new AriCallPort(info, channelId, {
      rest: this.rest, waiters: this.waiters, timers: this.timers, log: this.o.log, acd: this.acd, lookups: this.o.lookups ?? {},
      onTag: (k, v) => this.o.recorder.tagged(info.callId, k, v), lang: this.o.lang ?? 'zh',
      onQueued: (q) => this.o.recorder.queued(info.callId, { serviceLine: q.line, legalTopic: q.topic, priority: q.priority, requestedAgent: q.requestedAgent }),
      onAnswered: (agent) => this.o.recorder.answered?.(info.callId, agent),
      playbackStartTimeoutMs: this.o.playbackStartTimeoutMs ?? 3000,
      onMedia: (m) => {
        const saved = holder.live?.saved;
        if (saved && !holder.live?.port.isEnded) this.state.save(info.callId, { ...saved, ...m });
      },
    });
  }

  private session(info: CallInfo, port: AriCallPort, flow: { name: string; revision: number; flow: Flow }, holder: { live?: Live }): Live {
    const id = info.callId;
    const live: Live = { port, flowName: flow.name, seq: 0, path: [], session: undefined as unknown as FlowSession };
    holder.live = live;
    const release = () => { if (this.calls.get(id) === live) this.calls.delete(id); };
    live.session = new FlowSession(flow.flow, flow.revision, port, { calendar: this.o.calendar }, {
      nodeEntered: (node, type, vars) => {
        live.saved = { flow: flow.name, revision: flow.revision, node, vars, arrivedAt: info.arrivedAt, seq: ++live.seq };
        this.state.save(id, live.saved);
        this.o.recorder.node(id, { node, type });
      },
      nodeLeft: (node, type, outcome, option, entries) => {
        if (type === 'menu' || type === 'collect') live.path.push({ node, digits: option ?? entries?.filter(Boolean).join('') });
        this.o.recorder.node(id, { node, type, outcome, option, entries });
      },
      ended: (reason) => {
        release();
        this.rememberEnded(id);
        this.state.drop(id);
        const v = live.session.vars;
        // The record distinguishes how a call ended beyond the session's own view: abandoned while queued, a message.
        // A caller who hangs up while their message is recorded has left it (the recording is kept); one who hangs up
        // after hours without a message is an after-hours call, not a hang-up in the flow.
        const over = reason === 'completed' || reason === 'caller_hangup';
        const recorded: RecordEndReason = reason === 'caller_hangup' && port.endedInQueue ? 'abandoned_in_queue'
          : over && (v.voicemail !== undefined || port.endedRecording) ? 'voicemail'
            : over && v.afterHours === true ? 'after_hours' : reason;
        this.o.recorder.ended(id, recorded);
      },
      detached: release,
      rescue: (p) => this.rescue(p),
    }, this.o.log);
    this.calls.set(id, live);
    return live;
  }

  private rememberEnded(id: string): void {
    this.recentlyEnded.add(id);
    if (this.recentlyEnded.size > RECENTLY_ENDED_MAX) this.recentlyEnded.delete(this.recentlyEnded.values().next().value!);
  }

  private async startCall(ch: AriChannel): Promise<void> {
    const info: CallInfo = { callId: ch.id, callerNumber: ch.caller?.number ?? '', calledNumber: ch.dialplan?.exten ?? '', arrivedAt: new Date().toISOString(), attributes: {} };
    const flow = this.o.flows.current();
    const holder: { live?: Live } = {};
    const port = this.newPort(info, ch.id, holder);
    const live = this.session(info, port, flow, holder);
    this.o.recorder.arrived(info, flow);
    try {
      await this.rest.answer(ch.id);
    } catch (err) {
      // Not answered: the caller would ring on in Stasis with nobody running the call. Hang it up and close the
      // record (a channel already gone is a caller who hung up first).
      const gone = err instanceof AriRequestError && err.notFound;
      this.o.log.warn({ err: (err as Error).message, call: ch.id }, 'answer failed: ending the call');
      const reason = gone || (port.isEnded && !port.isDetached) ? 'caller_hangup' : 'error';
      if (reason === 'error' && !port.isEnded) await this.hangUpAfterFailure(port);
      live.session.finish(reason);
      return;
    }
    await live.session.run();
  }

  /** Hang-up after a failed request: a few tries, since the failure may be a passing one. */
  private async hangUpAfterFailure(port: AriCallPort): Promise<void> {
    for (let i = 1; i <= 3 && !port.isEnded; i++) {
      try {
        await this.rest.hangup(port.channelId, 'normal');
        return;
      } catch (err) {
        if (err instanceof AriRequestError && err.notFound) return;
        this.o.log.warn({ err: (err as Error).message, call: port.channelId, try: i }, 'hang-up failed');
      }
      await port.wait(250 * i).catch(() => undefined);
    }
  }

  /** The IVR choices of a call in progress (menus and keys), for the ACD's screen pop. */
  ivrPath(callId: string): Array<{ node: string; digits?: string }> {
    return [...(this.calls.get(callId)?.path ?? [])];
  }

  /** A bug or a lost state: apologise and hand the caller to a person, never hang up on them. */
  private async rescue(port: AriCallPort): Promise<void> {
    await port.play(this.o.apology ?? ['error-apology'], { interruptible: false });
    await port.enqueue({ line: 'operator', priority: 1, maxWaitMs: 120_000 });
  }

  /** After every (re)connect: end sessions whose call went while we were away, resync the rest, adopt orphans. */
  private async adopt(): Promise<void> {
    if (this.adoptRetry !== undefined) this.timers.clearTimer(this.adoptRetry);
    this.adoptRetry = undefined;
    // Only sessions that existed before the question can be missing from its answer; a call whose StasisStart
    // arrives while we ask is not in the answer but very much alive.
    const before = new Map(this.calls);
    let ids: string[];
    try {
      ids = ((await this.rest.getApplication(this.o.ari.app)) as unknown as { channel_ids: string[] }).channel_ids;
    } catch (err) {
      // Without the list nothing is known to be lost: try again shortly (a PlaybackFinished lost meanwhile would
      // otherwise keep a caller in silence).
      this.o.log.error({ err: (err as Error).message }, 'could not list the calls in Stasis: retrying');
      if (this.conn.connected && this.active) this.adoptRetry = this.timers.setTimer(1000, () => { this.adoptRetry = undefined; void this.adopt(); });
      return;
    }
    if (!this.active) return;
    const inStasis = new Set(ids);
    for (const [id, live] of before) {
      if (this.calls.get(id) !== live) continue;
      if (!inStasis.has(id)) live.port.end(); // hung up while we were not listening
      else void this.resync(live.port);
    }
    for (const id of ids) {
      if (this.calls.has(id) || this.adopting.has(id)) continue;
      this.adopting.add(id);
      void this.adoptCall(id).catch((err) => this.o.log.error({ err, call: id }, 'adopting a call failed')).finally(() => this.adopting.delete(id));
    }
    await this.closeOrphans(inStasis);
  }

  /** Events lost while disconnected: a playback or recording that started or ended meanwhile. */
  private async resync(port: AriCallPort): Promise<void> {
    const pb = port.currentPlayback;
    if (pb) {
      try {
        const p = (await this.rest.getPlayback(pb)) as unknown as { id: string; state: string };
        if (p.state === 'playing') this.waiters.deliver(pb, { type: 'PlaybackStarted', playback: p });
      } catch (err) {
        if (err instanceof AriRequestError && err.notFound) this.waiters.deliver(pb, { type: 'PlaybackFinished', playback: { id: pb, state: 'done' } });
      }
    }
    const rec = port.currentRecording;
    if (rec) {
      try {
        await this.rest.getLiveRecording(rec);
      } catch (err) {
        if (err instanceof AriRequestError && err.notFound) this.waiters.deliver(rec, { type: 'RecordingFinished', recording: { name: rec, state: 'done', duration: 0 } });
      }
    }
  }

  /**
   * Saved state of calls no longer in Stasis: a controller (this one before a restart, or another) ran them and went
   * away before seeing them end. Their records are closed here, as controller_lost, and the state dropped.
   */
  private async closeOrphans(inStasis: Set<string>): Promise<void> {
    for (const id of await this.state.callIds()) {
      if (inStasis.has(id) || this.calls.has(id) || this.adopting.has(id) || this.recentlyEnded.has(id)) continue;
      const saved = await this.state.load(id);
      if (!saved || !this.active || this.calls.has(id) || this.recentlyEnded.has(id)) continue;
      this.o.log.warn({ call: id, lastNode: saved.node }, 'a call ended while no controller followed it: closing its record');
      this.rememberEnded(id);
      this.state.drop(id);
      this.o.recorder.ended(id, 'controller_lost');
    }
  }

  private async adoptCall(id: string): Promise<void> {
    let ch: AriChannel;
    try { ch = (await this.rest.getChannel(id)) as unknown as AriChannel; } catch { return; }
    if (!String(ch.dialplan?.app_data ?? '').includes(',inbound')) return; // not a caller (agent legs, snoops)
    const saved = await this.state.load(ch.id);
    if (!this.active || this.calls.has(id)) return;
    const flow = (saved && this.o.flows.revision(saved.revision)) || this.o.flows.current();
    const info: CallInfo = { callId: ch.id, callerNumber: ch.caller?.number ?? '', calledNumber: ch.dialplan?.exten ?? '', arrivedAt: saved?.arrivedAt ?? new Date().toISOString(), attributes: {} };
    const holder: { live?: Live } = {};
    const port = this.newPort(info, ch.id, holder);
    // Resume only on the same revision the call started with; otherwise the safe path.
    const resumeAt = saved && saved.revision === flow.revision && flow.flow.nodes[saved.node] ? saved.node : undefined;
    this.o.log.warn({ call: ch.id, resumeAt }, 'adopting a call already in Stasis');
    const live = this.session(info, port, flow, holder);
    // What the old controller had going would hold our prompts up (a play queues behind one still playing).
    if (saved?.playback) await this.rest.stopPlayback(saved.playback).catch(() => undefined);
    if (saved?.recording) await this.rest.stopRecording(saved.recording).catch(() => undefined);
    if (!resumeAt || flow.flow.nodes[resumeAt].type !== 'queue') await this.rest.stopMoh(ch.id).catch(() => undefined);
    if (ch.state !== 'Up') await this.rest.answer(ch.id).catch(() => undefined);
    if (resumeAt && saved) {
      live.seq = saved.seq;
      await live.session.run(resumeAt, saved.vars);
      return;
    }
    // Nothing to resume from: an apology and a person. No new `arrived`: the record of the call goes on (the first
    // fact from this session opens it as adopted).
    port.tag('adoptedWithoutState', true);
    try {
      await this.rescue(port);
      await port.hangup();
      live.session.finish('error');
    } catch {
      live.session.finish('caller_hangup');
    }
  }
}

interface AriChannel { id: string; state: string; caller?: { number: string }; dialplan?: { exten: string; app_data?: string } }
