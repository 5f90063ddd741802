import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Flow } from '../flows/nodes/index.js';
import { realTimers, type Timers } from '../flows/timers.js';
import type { Calendar } from '../flows/types.js';
import { AriConnection, type AriEvent } from './ari/connection.js';
import { AriRest } from './ari/rest.js';
import type { CallInfo } from './port.js';
import { AriCallPort, type Acd, type Lookup } from './session/ari-port.js';
import { FlowSession } from './session/session.js';
import type { EndReason as RecordEndReason } from './records/events.js';
import { SessionStateStore } from './session/state-store.js';
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
}

interface Live { port: AriCallPort; session: FlowSession; flowName: string; seq: number }

/**
 * The call controller: one FlowSession per inbound channel, events routed to it, and on every (re)connect the calls
 * already in Stasis are adopted so that none is left in silence.
 */
export class Controller {
  readonly conn: AriConnection;
  readonly rest: AriRest;
  readonly waiters = new Waiters();
  readonly calls = new Map<string, Live>();
  private readonly state: SessionStateStore;
  private readonly timers: Timers;
  private readonly acd: Acd;

  constructor(private readonly o: ControllerOptions) {
    this.conn = new AriConnection({ ...o.ari, log: o.log });
    this.rest = new AriRest(() => this.conn.client);
    this.state = new SessionStateStore(o.redis, o.keyPrefix);
    this.timers = o.timers ?? realTimers;
    this.acd = o.acd ?? new HoldingQueue(this.rest, { announceEveryMs: 20_000, defaultAnnouncement: ['queue-please-hold'] });
    this.conn.on('event', (ev: AriEvent) => this.onEvent(ev));
    this.conn.on('connected', () => { void this.adopt(); });
  }

  start(): void { this.conn.start(); }

  async stop(): Promise<void> {
    await this.conn.stop();
    // Calls stay in Stasis: the next controller adopts them.
    for (const live of this.calls.values()) live.port.end();
  }

  private onEvent(ev: AriEvent): void {
    const ch = ev.channel as { id: string } | undefined;
    switch (ev.type) {
      case 'StasisStart': {
        const args = (ev.args as string[]) ?? [];
        if (args[0] === 'inbound' && ch && !this.calls.has(ch.id)) void this.startCall(ev.channel as AriChannel);
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

  private newPort(info: CallInfo, channelId: string): AriCallPort {
    return new AriCallPort(info, channelId, {
      rest: this.rest, waiters: this.waiters, timers: this.timers, log: this.o.log, acd: this.acd, lookups: this.o.lookups ?? {},
      onTag: (k, v) => this.o.recorder.tagged(info.callId, k, v), lang: this.o.lang ?? 'zh',
      onQueued: (q) => this.o.recorder.queued(info.callId, { serviceLine: q.line, legalTopic: q.topic, priority: q.priority, requestedAgent: q.requestedAgent }),
      playbackStartTimeoutMs: this.o.playbackStartTimeoutMs ?? 3000,
    });
  }

  private session(info: CallInfo, port: AriCallPort, flow: { name: string; revision: number; flow: Flow }): Live {
    const live: Live = { port, flowName: flow.name, seq: 0, session: undefined as unknown as FlowSession };
    live.session = new FlowSession(flow.flow, flow.revision, port, { calendar: this.o.calendar }, {
      nodeEntered: (node, type, vars) => {
        this.state.save(info.callId, { flow: flow.name, revision: flow.revision, node, vars, arrivedAt: info.arrivedAt, seq: ++live.seq });
        this.o.recorder.node(info.callId, { node, type });
      },
      nodeLeft: (node, type, outcome, option, entries) => this.o.recorder.node(info.callId, { node, type, outcome, option, entries }),
      ended: (reason) => {
        this.calls.delete(info.callId);
        this.state.drop(info.callId);
        const v = live.session.vars;
        // The record distinguishes how a call ended beyond the session's own view: abandoned while queued, a message.
        const recorded: RecordEndReason = reason === 'caller_hangup' && port.endedInQueue ? 'abandoned_in_queue'
          : reason === 'completed' && v.voicemail !== undefined ? 'voicemail'
            : reason === 'completed' && v.afterHours === true ? 'after_hours' : reason;
        this.o.recorder.ended(info.callId, recorded);
      },
      rescue: (p) => this.rescue(p),
    }, this.o.log);
    this.calls.set(info.callId, live);
    return live;
  }

  private async startCall(ch: AriChannel): Promise<void> {
    const info: CallInfo = { callId: ch.id, callerNumber: ch.caller?.number ?? '', calledNumber: ch.dialplan?.exten ?? '', arrivedAt: new Date().toISOString(), attributes: {} };
    const flow = this.o.flows.current();
    const port = this.newPort(info, ch.id);
    const live = this.session(info, port, flow);
    this.o.recorder.arrived(info, flow);
    try {
      await this.rest.answer(ch.id);
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message, call: ch.id }, 'answer failed');
      live.session.finish('caller_hangup');
      return;
    }
    await live.session.run();
  }

  /** A bug or a lost state: apologise and hand the caller to a person, never hang up on them. */
  private async rescue(port: AriCallPort): Promise<void> {
    await port.play(this.o.apology ?? ['error-apology'], { interruptible: false });
    await port.enqueue({ line: 'operator', priority: 1, maxWaitMs: 120_000 });
  }

  /** After every (re)connect: end sessions whose call went while we were away, resync the rest, adopt orphans. */
  private async adopt(): Promise<void> {
    let ids: string[];
    try {
      ids = ((await this.rest.getApplication(this.o.ari.app)) as unknown as { channel_ids: string[] }).channel_ids;
    } catch (err) {
      this.o.log.error({ err: (err as Error).message }, 'could not list the calls in Stasis');
      return;
    }
    const live = new Set(ids);
    for (const [id, call] of this.calls) {
      if (!live.has(id)) { call.port.end(); continue; }
      const pb = call.port.currentPlayback;
      // A PlaybackFinished lost while disconnected would leave the caller waiting in silence: ask.
      if (pb) await this.rest.getPlayback(pb).catch(() => this.waiters.deliver(pb, { type: 'PlaybackFinished', playback: { id: pb, state: 'done' } }));
    }
    for (const id of ids) {
      if (this.calls.has(id)) continue;
      let ch: AriChannel;
      try { ch = (await this.rest.getChannel(id)) as unknown as AriChannel; } catch { continue; }
      if (!String(ch.dialplan?.app_data ?? '').includes(',inbound')) continue; // not a caller (agent legs, snoops)
      void this.adoptCall(ch);
    }
  }

  private async adoptCall(ch: AriChannel): Promise<void> {
    const saved = await this.state.load(ch.id);
    const flow = (saved && this.o.flows.revision(saved.revision)) || this.o.flows.current();
    const info: CallInfo = { callId: ch.id, callerNumber: ch.caller?.number ?? '', calledNumber: ch.dialplan?.exten ?? '', arrivedAt: saved?.arrivedAt ?? new Date().toISOString(), attributes: {} };
    const port = this.newPort(info, ch.id);
    this.o.log.warn({ call: ch.id, resumeAt: saved?.node }, 'adopting a call already in Stasis');
    if (ch.state !== 'Up') await this.rest.answer(ch.id).catch(() => undefined);
    // Resume only on the same revision the call started with; otherwise the safe path.
    if (saved && saved.revision === flow.revision && flow.flow.nodes[saved.node]) {
      const live = this.session(info, port, flow);
      live.seq = saved.seq;
      await live.session.run(saved.node, saved.vars);
      return;
    }
    const live = this.session(info, port, flow);
    this.o.recorder.arrived(info, flow);
    try {
      await this.rescue(port);
      await port.hangup();
      live.session.finish('controller_lost');
    } catch {
      live.session.finish('caller_hangup');
    }
  }
}

interface AriChannel { id: string; state: string; caller?: { number: string }; dialplan?: { exten: string; app_data?: string } }
