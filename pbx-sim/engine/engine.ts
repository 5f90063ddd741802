import { Bridges } from './bridges.js';
import { Calls } from './calls.js';
import type { Channel } from './channel.js';
import { findExten } from './dialplan.js';
import { LocalChannels } from './local.js';
import { Media } from './media.js';
import { Recorders } from './recorder.js';
import { SipChannels } from './sip.js';
import { AriError } from './types.js';
import type { World } from './world.js';

/** The simulator's engine: the world plus the services that act on it. REST routes and /sim/ talk to this. */
export class Engine {
  readonly media: Media;
  readonly bridges: Bridges;
  readonly recorders: Recorders;
  readonly calls: Calls;
  readonly local: LocalChannels;
  readonly sip: SipChannels;

  constructor(readonly w: World) {
    this.media = new Media(w);
    this.bridges = new Bridges(w, this.media);
    this.recorders = new Recorders(w, this.bridges);
    this.bridges.onEmptiedByApp = (b) => this.recorders.targetGone(`bridge:${b.id}`);
    this.bridges.onMembership = (b, ch, joined) => this.recorders.membership(b.id, ch, joined);
    this.calls = new Calls(this);
    this.local = new LocalChannels(this);
    this.sip = new SipChannels(this);
  }

  channel(id: string, message = 'Channel not found'): Channel {
    const ch = this.w.channels.get(id);
    if (!ch) throw new AriError(404, message);
    return ch;
  }

  /** Operations that need the channel under the app's control answer 409 otherwise. */
  stasisChannel(id: string): Channel {
    const ch = this.channel(id);
    if (!ch.stasisApp) throw new AriError(409, 'Channel not in Stasis application');
    return ch;
  }

  findSteps(context: string, exten: string) { return findExten(this.w.dialplan, context, exten); }

  startMoh(ch: Channel, mohClass: string): void {
    ch.moh = true;
    ch.mohClass = mohClass;
    ch.heard.push({ media: `moh:${mohClass}`, startedAt: this.w.stamp() });
    ch.onMediaOut?.();
  }

  stopMoh(ch: Channel): void {
    if (!ch.moh) return;
    ch.moh = false;
    const h = [...ch.heard].reverse().find((x) => x.media.startsWith('moh:') && !x.finishedAt);
    if (h) h.finishedAt = this.w.stamp();
  }

  /** The simulated party on this channel talks for ms (recordings carry audio there). */
  talk(ch: Channel, ms: number): void {
    const now = this.w.clock.now();
    ch.speech.push({ start: now, end: now + ms });
    this.recorders.talk(ch);
  }
}
