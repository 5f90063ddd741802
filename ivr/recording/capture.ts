// Recording answered calls: once caller and lawyer are in their mixing bridge (the recording notice played at the
// start of the flow), the whole bridge is recorded. The lawyer (or a supervisor) can pause and resume it from the
// desk while the caller reads out an ID or bank number: pausing MUTES the live recording, which Asterisk writes as
// silence, so the file's timeline stays true (ARI's `pause` would cut the time out instead). What happens to a
// recording — started, paused, finished, failed — goes to the recordings queue (recordings-store/jobs.ts); the call
// path never waits on PostgreSQL or the store. A recording that cannot be made is flagged, never silently missing.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Timers } from '../../flows/timers.js';
import type { RecordingJobs } from '../../recordings-store/jobs.js';
import type { AriEvent } from '../ari/connection.js';
import { AcdAri, type AriBinding } from '../acd/ari-ops.js';
import { commandChannel, parseCommand, type AcdCommand } from '../acd/commands.js';

interface Live {
  name: string;
  callId: string;
  staffNo: string;
  /** Session clock when Asterisk started writing (offsets of pauses are measured from here). */
  startedAt?: number;
  startedIso: string;
  muted: boolean;
  /** Mute commands for one recording run one after another. */
  chain: Promise<void>;
}

export interface CaptureOptions {
  /** The controller's ARI (events and REST). */
  binding: AriBinding;
  jobs: RecordingJobs;
  /** Duplicated for the commands subscription. */
  redis: Redis;
  keyPrefix: string;
  log: Logger;
  timers: Timers;
  /** A recording could not be made: tag the live call (the recording row says so too). */
  onFailed?: (callId: string, cause: string) => void;
}

let seq = 0;

export class CallCapture {
  private readonly ari: AcdAri;
  private readonly live = new Map<string, Live>();
  private sub?: Redis;
  private readonly onEvent = (ev: AriEvent) => this.event(ev);

  constructor(private readonly o: CaptureOptions) {
    this.ari = new AcdAri(o.binding);
    o.binding.events.on('event', this.onEvent);
  }

  /** Starts listening for desk commands. */
  async start(): Promise<void> {
    const sub = this.sub = this.o.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
    sub.on('error', (err: Error) => this.o.log.warn({ err: err.message }, 'recording commands: redis unavailable'));
    sub.on('message', (_ch: string, msg: string) => {
      const c = parseCommand(msg);
      if (c?.type === 'recording') void this.command(c);
    });
    await sub.subscribe(commandChannel(this.o.keyPrefix));
  }

  async stop(): Promise<void> {
    this.o.binding.events.off('event', this.onEvent);
    this.ari.detach();
    if (this.sub) { await this.sub.quit().catch(() => undefined); this.sub = undefined; }
  }

  /** Recordings live on this controller (tests, shutdown). */
  get active(): number { return this.live.size; }

  /** OfferContext.onBridged: record the bridge. Never throws. */
  readonly onBridged = async (info: { callId: string; staffNo: string; bridgeId: string }): Promise<void> => {
    const name = `call-${info.callId}-${info.staffNo}-${(++seq).toString(36)}`.replace(/[^\w.-]/g, '_');
    const rec: Live = { name, callId: info.callId, staffNo: info.staffNo, startedIso: new Date().toISOString(), muted: false, chain: Promise.resolve() };
    this.live.set(name, rec);
    this.queue('started', () => this.o.jobs.started({ name, callId: info.callId, kind: 'call', staffNo: info.staffNo, startedAt: rec.startedIso }));
    try {
      await this.ari.recordBridge(info.bridgeId, name);
      rec.startedAt ??= this.o.timers.now();
    } catch (err) {
      this.failed(rec, `ARI refused the recording: ${(err as Error).message}`);
    }
  };

  private event(ev: AriEvent): void {
    if (!ev.type.startsWith('Recording')) return;
    const r = ev.recording as { name?: string; duration?: number; cause?: string } | undefined;
    const rec = r?.name ? this.live.get(r.name) : undefined;
    if (!rec) return;
    if (ev.type === 'RecordingStarted') rec.startedAt ??= this.o.timers.now();
    else if (ev.type === 'RecordingFailed') this.failed(rec, `RecordingFailed: ${r?.cause ?? 'no cause given'}`);
    else if (ev.type === 'RecordingFinished') {
      this.live.delete(rec.name);
      this.queue('finished', () => this.o.jobs.finished({
        name: rec.name, callId: rec.callId, kind: 'call', staffNo: rec.staffNo, startedAt: rec.startedIso,
        finishedAt: new Date().toISOString(), reportedDurationS: r?.duration,
      }));
    }
  }

  private failed(rec: Live, failure: string): void {
    if (!this.live.delete(rec.name)) return;
    this.o.log.error({ call: rec.callId, recording: rec.name, failure }, 'call recording failed: flagged on the call');
    this.o.onFailed?.(rec.callId, failure);
    this.queue('failed', () => this.o.jobs.failed({ name: rec.name, callId: rec.callId, kind: 'call', staffNo: rec.staffNo, failure }));
  }

  /** Acts on a desk command if the call's recording is live here (other controllers ignore it). */
  command(c: Extract<AcdCommand, { type: 'recording' }>): Promise<void> {
    const rec = [...this.live.values()].find((r) => r.callId === c.callId);
    if (!rec) return Promise.resolve();
    rec.chain = rec.chain.then(async () => {
      const mute = c.action === 'pause';
      if (rec.muted === mute || !this.live.has(rec.name)) return;
      try {
        await (mute ? this.ari.muteRecording(rec.name) : this.ari.unmuteRecording(rec.name));
      } catch (err) {
        this.o.log.warn({ call: rec.callId, recording: rec.name, action: c.action, err: (err as Error).message }, 'recording pause/resume refused');
        return;
      }
      rec.muted = mute;
      const offsetMs = Math.max(0, Math.round(this.o.timers.now() - (rec.startedAt ?? this.o.timers.now())));
      this.o.log.info({ call: rec.callId, recording: rec.name, action: c.action, by: c.staffNo, offsetMs }, 'recording paused/resumed');
      this.queue('pause', () => this.o.jobs.paused({ name: rec.name, callId: rec.callId, staffNo: c.staffNo, action: c.action, offsetMs, at: new Date().toISOString() }));
    });
    return rec.chain;
  }

  /** Adding a job waits on Redis only in the background; a lost add is logged loudly (the sweep finds the file). */
  private queue(what: string, fn: () => Promise<void>): void {
    fn().catch((err: Error) => this.o.log.error({ err: err.message, what }, 'recordings queue: could not add a job'));
  }
}
