import type { Channel } from './channel.js';
import { parseCallerId, splitArgs, type OriginateParams } from './calls.js';
import { findExten } from './dialplan.js';
import { runDialplan } from './dialplan-runner.js';
import type { Engine } from './engine.js';

/**
 * Local channels: a pair of halves. ;1 is the originated channel (it goes to the app or to the given extension
 * once answered); ;2 runs the dialplan at exten@context, and answering it answers ;1.
 */
export class LocalChannels {
  constructor(private readonly e: Engine) {}

  originate(p: OriginateParams, resource: string): Channel {
    const w = this.e.w;
    const [exten, context] = resource.split('@');
    const suffix = w.nextLocalSuffix();
    const base = `Local/${exten}@${context}-${suffix}`;
    const one = w.newChannel('local1', `${base};1`, p.channelId);
    const two = w.newChannel('local2', `${base};2`, p.otherChannelId ?? (p.channelId ? `${p.channelId};2` : undefined));
    one.peer = two; two.peer = one;
    const cid = parseCallerId(p.callerId);
    for (const ch of [one, two]) {
      ch.dialplan = { context, exten, priority: 1, app_name: ch === one ? 'AppDial2' : '', app_data: ch === one ? '(Outgoing Line)' : '' };
    }
    // ;2 gets the caller ID only when the call is placed (its ChannelCallerId), after the originate variables.
    if (cid) { one.caller = { ...cid }; one.connected = { ...cid }; }
    two.state = 'Ring';
    if (p.app) { one.originatedFor = p.app; one.followers.add(p.app); two.followers.add(p.app); }
    const args = splitArgs(p.appArgs);
    one.originate = {
      dialstring: resource, app: p.app, appArgs: args, context: p.context, extension: p.extension,
      priority: p.priority, label: p.label, timeoutMs: (p.timeout ?? 30) * 1000,
    };
    const start = () => {
      if (one.destroyed) return;
      if (!findExten(w.dialplan, context, exten)) {
        // No such extension or context: both halves vanish with cause 0 (after the 200). A created channel already
        // in Stasis just leaves it and ends normally, with no hang-up request (traced in c7c).
        two.hangupRequested = one.hangupRequested = true;
        w.destroy(two, 0);
        if (one.stasisApp) { w.leaveStasis(one); w.destroy(one, 16); } else w.destroy(one, 0);
        return;
      }
      for (const [k, v] of Object.entries(p.variables ?? {})) w.setVar(two, k, v);
      if (cid) {
        two.caller = { ...cid }; two.connected = { ...cid };
        w.emitChannel(two, 'ChannelCallerId', { caller_presentation: 0, caller_presentation_txt: 'Presentation Allowed, Not Screened' });
        w.emitChannel(two, 'ChannelConnectedLine');
      }
      this.e.calls.dialEvent(one, '', resource);
      const o = one.originate;
      // After /channels/create + /dial only the first Dial event names the dialstring (traced in c7).
      if (o && one.createdForDial) o.dialstring = '';
      if (o && o.timeoutMs > 0) o.timer = w.after(one, o.timeoutMs, () => this.noAnswer(one, two));
      runDialplan(this.e, two, { context, exten, priority: 1 });
    };
    one.startDial = start;
    w.clock.after(0, () => { if (!one.pendingDial) start(); });
    return one;
  }

  /** The originate timeout passed with the far half still ringing. */
  private noAnswer(one: Channel, two: Channel): void {
    const w = this.e.w;
    one.originate = undefined;
    two.hangupRequested = true;
    two.dialplanStop?.();
    w.emitChannel(two, 'ChannelHangupRequest', { cause: 19 });
    if (one.stasisApp) { w.setState(one, 'Ringing'); }
    else { one.hangupRequested = true; w.destroy(one, 19); }
    w.emitChannel(two, 'ChannelHangupRequest', { cause: 16, soft: true });
    w.destroy(two, 19);
  }
}
