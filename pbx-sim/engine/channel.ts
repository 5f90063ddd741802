import type { TimerHandle } from './clock.js';
import type { CallerId, ChannelJson, DialplanCep } from './types.js';
import type { Bridge } from './bridge.js';
import type { Playback } from './media.js';

export type ChannelKind = 'local1' | 'local2' | 'pjsip' | 'trunk' | 'snoop';

/** What a simulated party heard, for GET /sim/calls/:id. */
export interface Heard { media: string; startedAt: string; finishedAt?: string }

/** An originate in progress on this channel: what to do when answered, and its no-answer timer. */
export interface OriginateState {
  dialstring: string;
  app?: string; appArgs: string[];
  context?: string; extension?: string; priority?: number; label?: string;
  timeoutMs: number;
  timer?: TimerHandle;
}

export class Channel {
  originate?: OriginateState;
  /** /channels/create made it; POST /dial starts the call. */
  pendingDial = false;
  startDial?: () => void;
  state = 'Down';
  protocolId = '';
  caller: CallerId = { name: '', number: '' };
  connected: CallerId = { name: '', number: '' };
  accountcode = '';
  dialplan: DialplanCep = { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' };
  language = 'en';
  readonly vars = new Map<string, string>();
  /** Apps that get this channel's events. */
  readonly followers = new Set<string>();
  /** The app that originated the channel keeps following it after StasisEnd, up to ChannelDestroyed. */
  originatedFor?: string;
  stasisApp?: string;
  everInStasis = false;
  bridge?: Bridge;
  /** The other half of a Local pair. */
  peer?: Channel;
  hangupRequested = false;
  destroyed = false;
  cause = 0;
  techCause?: number;
  moh = false;
  mohClass = '';
  silence = false;
  held = false;
  muted = new Set<'in' | 'out'>();
  /** Playback queue on this channel: the head plays, the rest wait. */
  readonly playQueue: Playback[] = [];
  readonly timers = new Set<TimerHandle>();
  readonly heard: Heard[] = [];
  /** Intervals (sim ms) when this party talks; recordings carry audio there. */
  readonly speech: Array<{ start: number; end: number }> = [];
  readonly snoops = new Set<Channel>();
  snoopOf?: Channel;
  /** Set by whoever runs dialplan on the channel, so hang-up can stop it. */
  dialplanStop?: () => void;
  /** An originated channel runs Stasis() in place of AppDial2; ChannelDestroyed shows AppDial2 again. */
  dialplanBeforeStasis?: { app_name: string; app_data: string };
  /** Caller id changed without a snapshot of its own (Local pair): ChannelCallerId follows the next snapshot. */
  callerIdPending = false;
  /** Called by the engine once the channel is gone (used by originate waiters). */
  readonly onDestroy: Array<() => void> = [];
  answeredAt?: number;
  /** True when the channel's Stasis entry came from the dialplan (not an originate to an app). */
  fromDialplan = false;
  /** Made by /channels/create: after the first Dial event, Asterisk reports an empty dialstring. */
  createdForDial = false;
  /** The application Stasis replaced (AppDial2 on an originated channel); it comes back after StasisEnd. */
  appBeforeStasis?: { app_name: string; app_data: string };
  /** Dialplan ran on this channel: once it is gone its current application reads empty. */
  ranDialplan = false;
  /** Answer() on the far half of a Local pair waits for audio from this half (see dialplan-runner). */
  onMediaOut?: () => void;
  /** Variables set with report_events: every later snapshot carries them in channelvars. */
  readonly reportedVars = new Set<string>();
  /** SIP channels: where Asterisk sends the RTP (the far end's SDP address) and the codec negotiated. */
  rtp?: { dest: string; nativeFormat: string };

  constructor(
    readonly id: string,
    readonly name: string,
    readonly kind: ChannelKind,
    readonly creationtime: string,
  ) {}

  toJson(): ChannelJson {
    const json: ChannelJson = {
      id: this.id,
      name: this.name,
      state: this.state,
      protocol_id: this.protocolId,
      caller: { ...this.caller },
      connected: { ...this.connected },
      accountcode: this.accountcode,
      dialplan: { ...this.dialplan },
      creationtime: this.creationtime,
      language: this.language,
    };
    if (this.reportedVars.size) {
      json.channelvars = Object.fromEntries([...this.reportedVars].map((k) => [k, this.vars.get(k) ?? '']));
    }
    return json;
  }

  clearTimers(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}
