import type { Logger } from 'pino';
import { DtmfCollector } from '../../flows/dtmf-collector.js';
import type { TimerHandle, Timers } from '../../flows/timers.js';
import { AriRequestError, type AriRest } from '../ari/rest.js';
import {
  HangupError, type CallInfo, type CallPort, type CollectOptions, type CollectResult, type PlayResult, type PromptRef,
  type QueueRequest, type QueueResult, type RecordOptions, type RecordResult,
} from '../port.js';
import type { Waiters } from './waiters.js';

/** Where a call goes when the flow hands it to a queue. The real ACD (issue 4) implements this. */
export interface Acd {
  enqueue(port: AriCallPort, req: QueueRequest): Promise<QueueResult>;
}

export type Lookup = (args: Record<string, unknown>, call: CallInfo) => Promise<{ reason: 'found'; value: Record<string, unknown> } | { reason: 'notFound' }>;

export interface PortDeps {
  rest: AriRest;
  waiters: Waiters;
  timers: Timers;
  log: Logger;
  acd: Acd;
  lookups: Record<string, Lookup>;
  onTag: (key: string, value: string | number | boolean) => void;
  /** The call entered a queue (for the call record's queued_at and line). */
  onQueued: (req: QueueRequest) => void;
  /** Language folder of the prompts (sounds/<lang>/<id>.wav). */
  lang: string;
  /** No PlaybackStarted within this long (and Asterisk does not say it is playing): the prompt failed (never silence). */
  playbackStartTimeoutMs: number;
  /** A playback or recording started on the call (saved with the session state: an adopting controller stops it). */
  onMedia?: (m: { playback?: string; recording?: string }) => void;
  /** A person took the call (the ACD answered it): the call record's answered_at and agent. */
  onAnswered?: (agent: string) => void;
}

/** Start timeouts a playback may spend queued behind another one on the channel before it counts as failed. */
const MAX_QUEUED_WAITS = 10;

const media = (p: PromptRef): string => (typeof p === 'string' ? `sound:${p}` : 'digits' in p ? `digits:${p.digits}` : `number:${p.number}`);

/**
 * The CallPort of one call, over ARI. Every wait races the caller hanging up: once the call has ended every
 * pending and later operation rejects with HangupError, timers are cleared and no event is acted on.
 */
export class AriCallPort implements CallPort {
  private typeAhead = '';
  private collector?: DtmfCollector;
  private interruptPlayback?: (digit: string) => void;
  private readonly endWaiters = new Set<(e: HangupError) => void>();
  private readonly timers = new Set<TimerHandle>();
  // Playback ids are <channel id>-pb<n>: n starts from the clock so that a controller adopting the call after a
  // restart never reuses an id the old one still has playing (its events would end the new prompt).
  private playSeq = Date.now() * 1000;
  private ended = false;
  private detached = false;
  /** Playback in progress, for resync after a lost websocket. */
  currentPlayback?: string;
  /** Live recording in progress, for resync after a lost websocket. */
  currentRecording?: string;

  constructor(readonly call: CallInfo, readonly channelId: string, readonly d: PortDeps) {}

  get isEnded(): boolean { return this.ended; }
  /** Ended without the call ending: the controller stopped or another took the application over (the call stays). */
  get isDetached(): boolean { return this.detached; }
  /** Session-clock timers this port holds (0 once the call is over). */
  get pendingTimers(): number { return this.timers.size; }
  /** Operations waiting on the call's end (0 once the call is over). */
  get pendingWaits(): number { return this.endWaiters.size; }
  /** Wall-clock epoch ms (the hours node reads the date from it). */
  now(): number { return Date.now(); }
  /** The session clock that timeouts run on (scaled in tests). */
  clock(): number { return this.d.timers.now(); }

  /** The call is over (hang-up, StasisEnd, transfer): release everything that waits. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.endedInQueue = this.inQueue;
    this.endedRecording = this.currentRecording !== undefined;
    for (const t of this.timers) this.d.timers.clearTimer(t);
    this.timers.clear();
    this.collector?.cancel('hangup');
    const err = new HangupError();
    for (const r of this.endWaiters) r(err);
    this.endWaiters.clear();
  }

  /**
   * This controller lets go of the call but the call goes on (stop, ApplicationReplaced): everything that waits is
   * released like at a hang-up, nothing more is sent to Asterisk, and the session leaves the call record and the
   * saved state for the controller that adopts the call.
   */
  detach(): void {
    if (this.ended) return;
    this.detached = true;
    this.end();
  }

  onDtmf(digit: string): void {
    if (this.ended) return;
    if (this.collector && !this.collector.done) {
      this.collector.feed(digit);
      this.interruptPlayback?.(digit);
      return;
    }
    this.typeAhead += digit;
    this.interruptPlayback?.(digit);
  }

  takeTypeAhead(max = Number.POSITIVE_INFINITY): string {
    const t = this.typeAhead.slice(0, max);
    this.typeAhead = this.typeAhead.slice(t.length);
    return t;
  }

  private guard(): void { if (this.ended) throw new HangupError(); }

  /** Rejects with HangupError when the call ends first. */
  private untilEnd<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.ended) { reject(new HangupError()); return; }
      const onEnd = (e: HangupError) => reject(e);
      this.endWaiters.add(onEnd);
      p.then((v) => { this.endWaiters.delete(onEnd); resolve(v); }, (e) => { this.endWaiters.delete(onEnd); reject(e); });
    });
  }

  private sleep(ms: number): { promise: Promise<void>; cancel(): void } {
    let handle: TimerHandle;
    const promise = new Promise<void>((resolve) => {
      handle = this.d.timers.setTimer(ms, () => { this.timers.delete(handle); resolve(); });
      this.timers.add(handle);
    });
    return { promise, cancel: () => { this.d.timers.clearTimer(handle); this.timers.delete(handle); } };
  }

  async play(prompts: PromptRef[], opts: { interruptible: boolean }): Promise<PlayResult> {
    this.guard();
    if (!prompts.length) return { reason: 'done' };
    if (opts.interruptible && this.typeAhead) return { reason: 'interrupted', digit: this.typeAhead[0] };
    const id = `${this.channelId}-pb${++this.playSeq}`;
    // Stage -> subscribe -> exec: the waiters exist before the request goes out.
    const started = this.d.waiters.wait(id, ['PlaybackStarted', 'PlaybackFinished']);
    const finished = this.d.waiters.wait(id, ['PlaybackFinished']);
    let interrupted: string | undefined;
    const interrupt = new Promise<void>((resolve) => {
      if (opts.interruptible) this.interruptPlayback = (digit) => { interrupted ??= digit; resolve(); };
    });
    const startTimer = this.sleep(this.d.playbackStartTimeoutMs);
    this.currentPlayback = id;
    this.d.onMedia?.({ playback: id });
    try {
      try {
        await this.untilEnd(this.d.rest.play(this.channelId, id, prompts.map(media), this.d.lang));
      } catch (err) {
        if (err instanceof HangupError) throw err;
        this.guard();
        this.d.log.warn({ err: (err as Error).message, call: this.call.callId }, 'play request failed');
        return { reason: 'error', message: (err as Error).message };
      }
      let first = await this.untilEnd(Promise.race([started.promise, startTimer.promise.then(() => undefined), interrupt.then(() => null)]));
      for (let queued = 0; first === undefined;) {
        // No PlaybackStarted in time. It may have been lost with the websocket: ask Asterisk before giving up.
        const state = await this.untilEnd(this.playbackState(id));
        if (state === 'gone') return { reason: 'done' }; // played and finished while we heard nothing of it
        if (state === 'playing') { first = { type: 'PlaybackStarted', playback: { id, state } }; break; }
        if (state === 'queued' && ++queued < MAX_QUEUED_WAITS) {
          // Behind another playback on the channel (one a previous controller left playing, or one being stopped):
          // the caller hears that one, and ours starts when it ends.
          const again = this.sleep(this.d.playbackStartTimeoutMs);
          try {
            first = await this.untilEnd(Promise.race([started.promise, again.promise.then(() => undefined), interrupt.then(() => null)]));
          } finally {
            again.cancel();
          }
          continue;
        }
        void this.d.rest.stopPlayback(id).catch(() => undefined);
        return { reason: 'error', message: 'playback did not start' };
      }
      if (first !== null && first.type === 'PlaybackFinished') {
        return (first.playback as { state?: string })?.state === 'failed' ? { reason: 'error', message: 'playback failed' } : { reason: 'done' };
      }
      if (first === null) return this.stopForKey(id);
      const end = await this.untilEnd(Promise.race([finished.promise, interrupt.then(() => null)]));
      if (end === null) return this.stopForKey(id);
      return (end.playback as { state?: string })?.state === 'failed' ? { reason: 'error', message: 'playback failed' } : { reason: 'done' };
    } finally {
      started.cancel(); finished.cancel(); startTimer.cancel();
      this.interruptPlayback = undefined;
      this.currentPlayback = undefined;
    }
  }

  /** 'playing', 'queued', 'gone' (404: over), or 'unknown' (ARI failed). */
  private async playbackState(id: string): Promise<string> {
    try {
      return String((await this.d.rest.getPlayback(id) as { state?: string }).state ?? 'unknown');
    } catch (err) {
      return err instanceof AriRequestError && err.notFound ? 'gone' : 'unknown';
    }
  }

  private stopForKey(id: string): PlayResult {
    // The key stays as type-ahead (or in the collector): the next input uses it.
    void this.d.rest.stopPlayback(id).catch(() => undefined);
    const digit = this.typeAhead[0] ?? this.collector?.entered.slice(-1) ?? '';
    return { reason: 'interrupted', digit };
  }

  async collect(o: CollectOptions): Promise<CollectResult> {
    this.guard();
    const ahead = this.takeTypeAhead();
    const collector = new DtmfCollector({
      maxDigits: o.maxDigits, terminator: o.terminator, firstDigitTimeoutMs: o.firstDigitTimeoutMs,
      interDigitTimeoutMs: o.interDigitTimeoutMs, promptsPlaying: o.prompts.length > 0 && ahead === '',
    }, this.d.timers);
    this.collector = collector;
    try {
      for (const d of ahead) collector.feed(d);
      if (!collector.done && o.prompts.length && ahead === '') {
        const r = await this.play(o.prompts, { interruptible: true });
        if (r.reason === 'error') this.d.log.warn({ call: this.call.callId }, 'collect prompts failed; still listening');
        collector.promptsFinished();
      }
      return await this.untilEnd(collector.result);
    } finally {
      collector.cancel('left');
      this.collector = undefined;
    }
  }

  async record(o: RecordOptions): Promise<RecordResult> {
    this.guard();
    const done = this.d.waiters.wait(o.name, ['RecordingFinished', 'RecordingFailed']);
    this.currentRecording = o.name;
    this.d.onMedia?.({ recording: o.name });
    try {
      await this.untilEnd(this.d.rest.record(this.channelId, {
        name: o.name, format: 'wav', maxDurationSeconds: Math.ceil(o.maxDurationMs / 1000), maxSilenceSeconds: Math.ceil(o.maxSilenceMs / 1000),
        ifExists: 'overwrite', beep: o.beep, terminateOn: o.terminateOn,
      }));
      const ev = await this.untilEnd(done.promise);
      const rec = ev.recording as { duration?: number; cause?: string };
      if (ev.type === 'RecordingFailed') return { reason: 'error', message: rec.cause ?? 'recording failed' };
      return { reason: 'recorded', recording: o.name, durationMs: (rec.duration ?? 0) * 1000 };
    } catch (err) {
      if (err instanceof HangupError) throw err;
      return { reason: 'error', message: (err as Error).message };
    } finally {
      done.cancel();
      this.currentRecording = undefined;
    }
  }

  /** True while the call waits in a queue: a hang-up then is an abandoned call. */
  inQueue = false;
  endedInQueue = false;
  /** The call ended while a message was being recorded (the recording is kept: the caller left a message). */
  endedRecording = false;

  async enqueue(req: QueueRequest): Promise<QueueResult> {
    this.guard();
    this.d.onQueued(req);
    this.inQueue = true;
    try {
      const r = await this.untilEnd(this.d.acd.enqueue(this, req));
      if (r.reason === 'answered') this.d.onAnswered?.(r.agent);
      return r;
    } finally {
      this.inQueue = false;
    }
  }

  async transfer(target: string): Promise<{ reason: 'transferred' } | { reason: 'failed'; message: string }> {
    this.guard();
    try {
      await this.untilEnd(this.d.rest.continueInDialplan(this.channelId, 'hotline-transfer', target, 1));
      return { reason: 'transferred' };
    } catch (err) {
      if (err instanceof HangupError) throw err;
      return { reason: 'failed', message: (err as Error).message };
    }
  }

  async hangup(): Promise<void> {
    if (this.ended) return;
    await this.d.rest.hangup(this.channelId, 'normal').catch(() => undefined);
  }

  tag(key: string, value: string | number | boolean): void { this.d.onTag(key, value); }

  async lookup(name: string, args: Record<string, unknown>) {
    this.guard();
    const fn = this.d.lookups[name];
    if (!fn) return { reason: 'error' as const, message: `no lookup named ${name}` };
    try {
      return await this.untilEnd(fn(args, this.call));
    } catch (err) {
      if (err instanceof HangupError) throw err;
      return { reason: 'error' as const, message: (err as Error).message };
    }
  }

  /** Waits `ms` on the session clock, or until the call ends (used by queues between announcements). */
  wait(ms: number): Promise<void> {
    const s = this.sleep(ms);
    return this.untilEnd(s.promise).finally(() => s.cancel());
  }
}
