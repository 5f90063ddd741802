import { randomUUID } from 'node:crypto';
import { Apps } from './apps.js';
import { Channel, type ChannelKind } from './channel.js';
import { astTime, SimClock, type TimerHandle } from './clock.js';
import type { Bridge } from './bridge.js';
import type { Playback } from './media.js';
import type { LiveRecording, StoredRecordings } from './recording.js';
import type { Dialplan } from './dialplan.js';
import type { Phones } from './phones.js';
import type { AriEvent } from './types.js';

export interface SoundLookup {
  get(id: string, lang?: string): { durationMs: number } | undefined;
  list(filter?: { lang?: string; format?: string }): Array<{ id: string; text?: string; formats: Array<{ language: string; format: string }> }>;
}

export const CAUSE_TEXT: Record<number, string> = {
  0: 'Unknown', 1: 'Unallocated (unassigned) number', 16: 'Normal Clearing', 17: 'User busy',
  18: 'No user responding', 19: 'User alerting, no answer', 21: 'Call Rejected', 26: 'Answered elsewhere',
  27: 'Destination out of order', 28: 'Invalid number format (addr incomplete)', 31: 'Normal, unspecified',
  34: 'Circuit/channel congestion', 38: 'Network out of order', 41: 'Temporary failure', 42: 'Switching equipment congestion',
  127: 'Interworking, unspecified',
};

/**
 * The simulated Asterisk: every channel, bridge, playback and recording, and the rules for which application hears
 * about what. Behaviour follows the Asterisk 22 traces in shared/ari-traces (see BEHAVIOUR.md there).
 */
export class World {
  readonly channels = new Map<string, Channel>();
  readonly bridges = new Map<string, Bridge>();
  readonly playbacks = new Map<string, Playback>();
  readonly liveRecordings = new Map<string, LiveRecording>();
  readonly deviceStates = new Map<string, string>();
  readonly globals = new Map<string, string>();
  readonly apps: Apps;
  readonly startedAt: number;
  private uniqueSeq = 0;
  private localSeq = 0;
  private techSeq = 0;
  readonly epoch: number;

  constructor(
    readonly clock: SimClock,
    readonly asteriskId: string,
    readonly sounds: SoundLookup,
    readonly stored: StoredRecordings,
    readonly dialplan: Dialplan,
    readonly phones: Phones,
    readonly systemName = 'hotline-sim',
  ) {
    this.apps = new Apps(asteriskId, () => this.stamp());
    this.startedAt = clock.now();
    this.epoch = Math.floor(this.startedAt / 1000);
  }

  stamp(): string { return astTime(this.clock.now()); }

  uniqueId(): string { return `${this.epoch}.${this.uniqueSeq++}`; }
  nextLocalSuffix(): string { return (this.localSeq++).toString(16).padStart(8, '0'); }
  nextTechSuffix(): string { return (this.techSeq++).toString(16).padStart(8, '0'); }
  callId(): string { return randomUUID(); }

  newChannel(kind: ChannelKind, name: string, id?: string): Channel {
    const ch = new Channel(id ?? this.uniqueId(), name, kind, this.stamp());
    this.channels.set(ch.id, ch);
    return ch;
  }

  after(ch: Channel, simMs: number, fn: () => void): TimerHandle {
    const handle = this.clock.after(simMs, () => { ch.timers.delete(handle); if (!ch.destroyed) fn(); });
    ch.timers.add(handle);
    return handle;
  }

  // ---- event delivery -------------------------------------------------------------------------------------

  /** A channel event goes to the apps following the channel and to subscribeAll apps. */
  emitChannel(ch: Channel, type: string, extra: Record<string, unknown> = {}): void {
    const event: AriEvent = { type, ...extra, channel: ch.toJson() };
    this.apps.send([...ch.followers, ...this.apps.subscribedAll()], event);
  }

  /** ChannelEnteredBridge / ChannelLeftBridge go to the channel's and the bridge's followers. */
  emitChannelBridge(ch: Channel, b: Bridge, type: string): void {
    this.apps.send([...ch.followers, ...b.followers, ...this.apps.subscribedAll()], { type, bridge: b.toJson(), channel: ch.toJson() });
  }

  /** Events whose subject is not a channel (bridge, playback, recording) go to whoever follows their target. */
  emitTo(apps: Iterable<string>, event: AriEvent): void {
    this.apps.send([...apps, ...this.apps.subscribedAll()], event);
  }

  followersOfTarget(targetUri: string): Set<string> {
    const [kind, id] = splitTarget(targetUri);
    if (kind === 'channel') return new Set(this.channels.get(id)?.followers ?? []);
    if (kind === 'bridge') return new Set(this.bridges.get(id)?.followers ?? []);
    return new Set();
  }

  setState(ch: Channel, state: string): void {
    if (ch.state === state || ch.destroyed) return;
    ch.state = state;
    if (state === 'Up' && ch.answeredAt === undefined) ch.answeredAt = this.clock.now();
    this.emitChannel(ch, 'ChannelStateChange');
    this.flushCallerId(ch);
  }

  /** A snapshot of the channel went out: a caller id change it carries is reported after it, as Asterisk does. */
  flushCallerId(ch: Channel): void {
    if (!ch.callerIdPending) return;
    ch.callerIdPending = false;
    this.emitChannel(ch, 'ChannelCallerId', { caller_presentation: 0, caller_presentation_txt: 'Presentation Allowed, Not Screened' });
  }

  setVar(ch: Channel, variable: string, value: string): void {
    ch.vars.set(variable, value);
    this.emitChannel(ch, 'ChannelVarset', { variable, value });
  }

  setDialplan(ch: Channel, appName: string, appData: string, loc?: { context: string; exten: string; priority: number }): void {
    if (loc) Object.assign(ch.dialplan, loc);
    ch.dialplan.app_name = appName;
    ch.dialplan.app_data = appData;
    this.emitChannel(ch, 'ChannelDialplan', { dialplan_app: appName, dialplan_app_data: appData });
    this.flushCallerId(ch);
  }

  /** An originated channel handed to an app: Stasis() takes AppDial2's place (no ChannelDialplan) until the end. */
  originatedIntoStasis(ch: Channel, app: string, args: string[]): boolean {
    ch.dialplanBeforeStasis ??= { app_name: ch.dialplan.app_name, app_data: ch.dialplan.app_data };
    ch.dialplan.app_name = 'Stasis';
    ch.dialplan.app_data = [app, ...args].join(',');
    return this.enterStasis(ch, app, args);
  }

  // ---- Stasis ---------------------------------------------------------------------------------------------

  /** Stasis(app,args): false when the app has no websocket (STASISSTATUS=FAILED, dialplan goes on). */
  enterStasis(ch: Channel, app: string, args: string[]): boolean {
    // Asterisk always clears STASISSTATUS, even when Stasis() then fails (d2); only apps already following the
    // channel (its originator) see it.
    if (this.apps.isActive(app)) this.showStasisApp(ch, app, args);
    this.setVar(ch, 'STASISSTATUS', '');
    if (!this.apps.isActive(app)) return false;
    ch.stasisApp = app;
    ch.everInStasis = true;
    ch.followers.add(app);
    this.apps.ensure(app).channelIds.add(ch.id);
    const event: AriEvent = { type: 'StasisStart', args, channel: ch.toJson() };
    this.apps.send([app], event);
    return true;
  }

  /**
   * An originated channel runs Stasis as its application: snapshots read Stasis(app,args) from then on (no
   * ChannelDialplan: Asterisk only announces a change of context/exten/priority), and the previous one is back after.
   */
  private showStasisApp(ch: Channel, app: string, args: string[]): void {
    if (ch.dialplan.app_name === 'Stasis') return;
    ch.appBeforeStasis = { app_name: ch.dialplan.app_name, app_data: ch.dialplan.app_data };
    ch.dialplan.app_name = 'Stasis';
    ch.dialplan.app_data = [app, ...args].join(',');
  }

  /**
   * /channels/create: StasisStart at once, and the app follows the channel to its end. Unlike an originate, this
   * announces Stasis with ChannelDialplan and clears STASISSTATUS first (traced in c7).
   */
  enterStasisCreated(ch: Channel, app: string, args: string[]): void {
    ch.originatedFor = app;
    ch.followers.add(app);
    ch.appBeforeStasis = { app_name: ch.dialplan.app_name, app_data: ch.dialplan.app_data };
    this.setDialplan(ch, 'Stasis', [app, ...args].join(','));
    this.setVar(ch, 'STASISSTATUS', '');
    ch.stasisApp = app;
    ch.everInStasis = true;
    this.apps.ensure(app).channelIds.add(ch.id);
    this.apps.send([app], { type: 'StasisStart', args, channel: ch.toJson() });
  }

  /** continueInDialplan: StasisEnd and nothing more reaches the app. */
  leaveStasisForContinue(ch: Channel): void {
    const app = ch.stasisApp;
    if (!app) return;
    ch.stasisApp = undefined;
    this.apps.send([app], { type: 'StasisEnd', channel: ch.toJson() });
    this.apps.get(app)?.channelIds.delete(ch.id);
    ch.followers.delete(app);
    ch.originatedFor = undefined;
    ch.vars.set('STASISSTATUS', 'SUCCESS');
  }

  /** Events about a channel that carry it under another key (Dial's peer). */
  emitChannelLike(ch: Channel, event: AriEvent): void {
    this.apps.send([...ch.followers, ...this.apps.subscribedAll()], event);
  }

  leaveStasis(ch: Channel): void {
    const app = ch.stasisApp;
    if (!app) return;
    ch.stasisApp = undefined;
    this.apps.send([app], { type: 'StasisEnd', channel: ch.toJson() });
    this.apps.get(app)?.channelIds.delete(ch.id);
    if (ch.originatedFor !== app) ch.followers.delete(app);
    this.setVar(ch, 'STASISSTATUS', 'SUCCESS');
    if (ch.appBeforeStasis) { Object.assign(ch.dialplan, ch.appBeforeStasis); ch.appBeforeStasis = undefined; }
  }

  /** The channel is gone: last event, then it leaves every registry. */
  destroy(ch: Channel, cause: number, techCause?: number): void {
    if (ch.destroyed) return;
    ch.destroyed = true;
    ch.clearTimers();
    ch.dialplanStop?.();
    // The running dialplan application returns as the channel goes, leaving none (seen on every ;2 half).
    if (ch.ranDialplan && !ch.stasisApp) { ch.dialplan.app_name = ''; ch.dialplan.app_data = ''; }
    const extra: Record<string, unknown> = { cause, cause_txt: CAUSE_TEXT[cause] ?? 'Unknown' };
    if (techCause !== undefined) extra.tech_cause = techCause;
    // Its last snapshot: an originated channel shows AppDial2 again, one that ran dialplan shows no application.
    if (ch.dialplanBeforeStasis) Object.assign(ch.dialplan, ch.dialplanBeforeStasis);
    else if (ch.kind === 'local2' || ch.kind === 'snoop' || ch.kind === 'trunk') Object.assign(ch.dialplan, { app_name: '', app_data: '' });
    this.emitChannel(ch, 'ChannelDestroyed', extra);
    this.flushCallerId(ch);
    this.channels.delete(ch.id);
    this.phones.release(ch);
    for (const app of this.apps.all.values()) app.channelIds.delete(ch.id);
    for (const fn of ch.onDestroy.splice(0)) fn();
  }

  findChannel(id: string): Channel | undefined { return this.channels.get(id); }

  stop(): void {
    this.clock.stopAll();
    for (const ch of this.channels.values()) ch.clearTimers();
  }
}

export function splitTarget(uri: string): [string, string] {
  const i = uri.indexOf(':');
  return [uri.slice(0, i), uri.slice(i + 1)];
}
