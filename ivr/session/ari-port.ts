import type { Logger } from 'pino';
import { DtmfCollector } from '../../flows/dtmf-collector.js';
import type { TimerHandle, Timers } from '../../flows/timers.js';
import type { AriEvent } from '../ari/connection.js';
import type { AriRest } from '../ari/rest.js';
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
  /** No PlaybackStarted within this long: the prompt is treated as failed (never silence). */
  playbackStartTimeoutMs: number;
}

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
  private playSeq = 0;
  private ended = false;
  /** Playback in progress, for resync after a lost websocket. */
  currentPlayback?: string;

  constructor(readonly call: CallInfo, readonly channelId: string, readonly d: PortDeps) {}

  get isEnded(): boolean { return this.ended; }
  /** Wall-clock epoch ms (the hours node reads the date from it). */
  now(): number { return Date.now(); }
  /** The session clock that timeouts run on (scaled in tests). */
  clock(): number { return this.d.timers.now(); }

  /** The call is over (hang-up, StasisEnd, transfer): release everything that waits. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.endedInQueue = this.inQueue;
    for (const t of this.timers) this.d.timers.clearTimer(t);
    this.timers.clear();
    this.collector?.cancel('hangup');
    const err = new HangupError();
    for (const r of this.endWaiters) r(err);
    this.endWaiters.clear();
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

  takeTypeAhead(): string {
    const t = this.typeAhead;
    this.typeAhead = '';
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
    try {
      try {
        await this.untilEnd(this.d.rest.play(this.channelId, id, prompts.map(media), this.d.lang));
      } catch (err) {
        if (err instanceof HangupError) throw err;
        this.guard();
        this.d.log.warn({ err: (err as Error).message, call: this.call.callId }, 'play request failed');
        return { reason: 'error', message: (err as Error).message };
      }
      const first = await this.untilEnd(Promise.race([started.promise, startTimer.promise.then(() => undefined), interrupt.then(() => null)]));
      if (first === undefined) {
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
    }
  }

  /** True while the call waits in a queue: a hang-up then is an abandoned call. */
  inQueue = false;
  endedInQueue = false;

  async enqueue(req: QueueRequest): Promise<QueueResult> {
    this.guard();
    this.d.onQueued(req);
    this.inQueue = true;
    try {
      return await this.untilEnd(this.d.acd.enqueue(this, req));
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
