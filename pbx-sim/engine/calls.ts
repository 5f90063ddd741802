import type { Channel } from './channel.js';
import { runDialplan } from './dialplan-runner.js';
import type { Engine } from './engine.js';
import { causeFromParams, emitRtpStats, teardown } from './hangup.js';
import { AriError } from './types.js';

export interface OriginateParams {
  endpoint?: string; extension?: string; context?: string; priority?: number; label?: string;
  app?: string; appArgs?: string; callerId?: string; timeout?: number; channelId?: string; otherChannelId?: string;
  variables?: Record<string, string>;
}

/** "Name" <number> or a bare number, as Asterisk parses callerId. */
export function parseCallerId(s?: string): { name: string; number: string } | undefined {
  if (!s) return undefined;
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(s);
  return m ? { name: m[1], number: m[2] } : { name: '', number: s.trim() };
}

/** Call control: originate, answer, hang up, DTMF, continue. Dialplan applications call back in here. */
export class Calls {
  constructor(private readonly e: Engine) {}

  private get w() { return this.e.w; }

  answer(ch: Channel): void {
    if (ch.state === 'Up') return;
    this.w.setState(ch, 'Up');
    const peer = ch.peer;
    if (ch.kind === 'local2' && peer && !peer.destroyed && peer.state !== 'Up') {
      this.w.setState(peer, 'Up');
      this.peerAnswered(peer);
    }
  }

  /** The originated side of a call has been answered: Dial ANSWER, then into the app or the dialplan. */
  private peerAnswered(ch: Channel): void {
    const o = ch.originate;
    if (!o) return;
    ch.originate = undefined;
    o.timer?.cancel();
    this.dialEvent(ch, 'ANSWER', o.dialstring);
    if (o.app) {
      if (ch.stasisApp) return; // created with /channels/create: already in Stasis
      if (!this.w.originatedIntoStasis(ch, o.app, o.appArgs)) this.hangupQuietly(ch, 16);
    } else if (o.context) {
      runDialplan(this.e, ch, { context: o.context, exten: o.extension ?? 's', priority: o.priority ?? 1, label: o.label }) || this.hangupQuietly(ch, 0);
    }
  }

  dialEvent(ch: Channel, dialstatus: string, dialstring: string): void {
    this.w.emitChannelLike(ch, { type: 'Dial', peer: ch.toJson(), dialstring, dialstatus });
  }

  /**
   * Ringing() on the far half of a Local pair makes the originated half ring at once; the dialler reads the ringing
   * a moment later, so Dial RINGING follows the far half's next application (traced in c4, c5, l6).
   */
  localRinging(ch: Channel): void {
    const peer = ch.kind === 'local2' ? ch.peer : undefined;
    if (!peer || peer.state === 'Up') return;
    this.w.setState(peer, 'Ringing');
    this.w.after(peer, 0, () => { if (peer.originate) this.dialEvent(peer, 'RINGING', peer.originate.dialstring); });
  }

  /** Busy()/Congestion() on the far half: the originate fails with that dial status. */
  localBusy(ch: Channel, cause: number, dialstatus: string): void {
    const peer = ch.peer;
    this.w.setState(ch, dialstatus === 'BUSY' ? 'Busy' : ch.state);
    if (peer?.originate) { this.dialEvent(peer, dialstatus, peer.originate.dialstring); peer.originate.timer?.cancel(); peer.originate = undefined; }
    ch.hangupRequested = true;
    ch.dialplanStop?.();
    this.w.emitChannel(ch, 'ChannelHangupRequest', { cause: 0 });
    if (peer && !peer.stasisApp) { peer.hangupRequested = true; this.w.destroy(peer, 0); }
    else if (peer) this.w.setState(peer, 'Ringing');
    this.w.emitChannel(ch, 'ChannelHangupRequest', { cause: 16, soft: true });
    this.w.destroy(ch, cause);
  }

  /** Hangup() in dialplan: this half goes, and the other half of a Local pair is hung up as the far end. */
  dialplanHangup(ch: Channel, cause: number): void {
    if (ch.hangupRequested) return;
    const peer = ch.peer;
    if (!peer || peer.destroyed) { teardown(this.e, ch, { cause }, cause); return; }
    ch.hangupRequested = true;
    ch.dialplanStop?.();
    // The half's own Hangup() is a soft hang-up request; the other half hears a plain one (traced in c1).
    this.w.emitChannel(ch, 'ChannelHangupRequest', { cause, soft: true });
    teardown(this.e, peer, { cause }, cause, undefined, { beforeLeave: () => this.w.destroy(ch, cause) });
  }

  /** Sound played by one half of a Local pair is what the other half receives (recordings hear it). */
  talkToPeer(ch: Channel, ms: number): void {
    const target = ch.peer ?? ch;
    const now = this.w.clock.now();
    target.speech.push({ start: now, end: now + ms });
    this.e.recorders.talk(target);
  }

  dtmfToPeer(ch: Channel, digit: string, durationMs: number): void {
    const target = ch.peer;
    if (target && !target.destroyed) this.deliverDtmf(target, digit, durationMs);
  }

  /** A key press arriving on a channel: reported at the end of the tone, as Asterisk does. */
  deliverDtmf(ch: Channel, digit: string, durationMs: number): void {
    if (ch.destroyed || ch.hangupRequested) return;
    this.w.emitChannel(ch, 'ChannelDtmfReceived', { digit, duration_ms: durationMs });
    this.e.recorders.dtmf(ch, digit);
  }

  hangupQuietly(ch: Channel, cause: number): void { teardown(this.e, ch, null, cause); }

  // ---- originate -------------------------------------------------------------------------------------------

  originate(p: OriginateParams, opts: { create?: boolean } = {}): Channel {
    if (!p.endpoint) throw new AriError(400, 'Endpoint must be specified');
    if (!opts.create && !p.app && !p.extension) throw new AriError(400, 'Application or extension must be specified');
    if (opts.create && !p.app) throw new AriError(400, 'Application must be specified'); // not traced
    for (const id of [p.channelId, p.otherChannelId]) {
      if (id && this.w.channels.has(id)) throw new AriError(409, 'Channel with given unique ID already exists');
    }
    const slash = p.endpoint.indexOf('/');
    const tech = p.endpoint.slice(0, slash), resource = p.endpoint.slice(slash + 1);
    const ch = tech === 'Local' && resource.includes('@') ? this.e.local.originate(p, resource)
      : tech === 'PJSIP' ? this.e.sip.originate(p, resource)
        : undefined;
    if (!ch) throw new AriError(500, 'Allocation failed', 'error');
    if (opts.create) {
      // /channels/create: the channel enters Stasis at once, before any dialling; the app never hears of the far
      // half of a Local pair (traced in c7).
      ch.pendingDial = true;
      ch.createdForDial = true;
      ch.dialplan.app_name = ''; ch.dialplan.app_data = ''; // not dialled yet: no AppDial2
      if (ch.peer) ch.peer.followers.delete(p.app!);
      this.w.enterStasisCreated(ch, p.app!, splitArgs(p.appArgs));
    }
    return ch;
  }

  dial(ch: Channel, timeout?: number): void {
    if (!ch.pendingDial) throw new AriError(409, 'Channel is not in a state to dial'); // not traced
    ch.pendingDial = false;
    if (timeout !== undefined && ch.originate) ch.originate.timeoutMs = timeout * 1000;
    ch.startDial?.();
  }

  /** DELETE /channels/{id} from the app. */
  appHangup(ch: Channel, reason?: string, reasonCode?: string): void {
    const cause = causeFromParams(reason, reasonCode);
    if (ch.hangupRequested) return;
    const soft = { cause: 32, soft: true };
    const peer = ch.peer;
    if (ch.kind === 'local1' && peer && peer.stasisApp && !ch.originate) { this.farEndHungUp(ch, peer, cause); return; }
    if (ch.kind === 'local1' && peer) {
      const wasRinging = !!ch.originate;
      if (wasRinging) ch.originate!.timer?.cancel();
      if (peer.stasisApp) {
        // The caller's own half: the app's ;2 sees its far end hang up (traced in l5, l6).
        teardown(this.e, peer, { cause }, cause, undefined, { beforeDestroy: () => teardown(this.e, ch, null, cause) });
        return;
      }
      teardown(this.e, ch, soft, cause, undefined, {
        beforeLeave: () => { if (wasRinging) this.dialEvent(ch, 'NOANSWER', ch.originate!.dialstring); },
        beforeDestroy: () => {
          if (peer.destroyed) return;
          peer.hangupRequested = true; peer.dialplanStop?.();
          this.w.emitChannel(peer, 'ChannelHangupRequest', { cause: wasRinging ? 16 : cause });
          // A ringing pair: the far half is gone before the originated one (traced in c6).
          if (wasRinging) this.endFarHalf(peer, cause);
        },
      });
      if (!peer.destroyed) this.endFarHalf(peer, cause);
      return;
    }
    if (ch.kind === 'local2' && peer) {
      teardown(this.e, ch, soft, cause);
      if (!peer.destroyed) teardown(this.e, peer, null, cause);
      return;
    }
    if (ch.kind === 'pjsip') {
      const ringing = !!ch.originate;
      if (ringing) ch.originate!.timer?.cancel();
      if (ch.state === 'Up') emitRtpStats(this.e, ch);
      teardown(this.e, ch, soft, cause, cause === 17 ? 486 : undefined, {
        beforeLeave: () => { if (ringing) this.dialEvent(ch, 'NOANSWER', ch.originate!.dialstring); },
      });
      return;
    }
    if (ch.kind === 'trunk') {
      // Unanswered, Asterisk answers the INVITE with 486 (busy) or 503 (congestion), which becomes tech_cause.
      if (ch.state === 'Up') emitRtpStats(this.e, ch);
      teardown(this.e, ch, soft, cause, cause === 17 ? 486 : cause === 34 && ch.state !== 'Up' ? 503 : undefined);
      return;
    }
    teardown(this.e, ch, soft, cause);
  }

  /** The far half of a Local pair ends after its partner: a soft request of its own, then gone. */
  private endFarHalf(peer: Channel, cause: number): void {
    this.w.emitChannel(peer, 'ChannelHangupRequest', { cause: 16, soft: true });
    this.w.destroy(peer, cause);
  }

  /**
   * DELETE of the ;1 half while the ;2 half is in Stasis (the caller hanging up in g..l): ;1 goes at once, and ;2 is
   * torn down as a hang-up from the far end: one request (cause 16) the app sees, bridge left, snoops ended,
   * StasisEnd, then a soft request only subscribeAll apps see.
   */
  private farEndHungUp(ch: Channel, peer: Channel, cause: number): void {
    teardown(this.e, ch, { cause: 32, soft: true }, cause, undefined, {
      beforeDestroy: () => {
        this.w.emitChannel(ch, 'ChannelHangupRequest', { cause: 16, soft: true });
        this.w.emitChannel(peer, 'ChannelHangupRequest', { cause: 16 });
      },
    });
    teardown(this.e, peer, null, 16, undefined, {
      beforeDestroy: () => this.w.emitChannel(peer, 'ChannelHangupRequest', { cause: 16, soft: true }),
    });
  }

  continueInDialplan(ch: Channel, p: { context?: string; extension?: string; priority?: number; label?: string }): void {
    if (!ch.stasisApp) throw new AriError(409, 'Channel not in Stasis application');
    const context = p.context || ch.dialplan.context;
    const exten = p.extension || ch.dialplan.exten;
    const explicit = p.context || p.extension || p.priority !== undefined || p.label;
    const priority = p.priority ?? (explicit ? 1 : ch.dialplan.priority + 1);
    if (p.label) {
      const steps = this.e.findSteps(context, exten);
      if (steps && !steps.some((s) => s.label === p.label)) throw new AriError(404, 'Requested label can not be found');
    }
    if (ch.bridge) this.e.bridges.leave(ch, 'continue');
    this.w.leaveStasisForContinue(ch);
    this.w.clock.after(0, () => {
      if (ch.destroyed) return;
      if (!runDialplan(this.e, ch, { context, exten, priority, label: p.label })) this.unknownExtension(ch);
    });
  }

  /** Dialplan went to an extension that does not exist: Asterisk hangs both halves up with cause 0. */
  unknownExtension(ch: Channel): void {
    const peer = ch.peer;
    teardown(this.e, ch, null, 0);
    if (peer && !peer.destroyed) teardown(this.e, peer, null, 0);
  }
}

export function splitArgs(s?: string): string[] {
  return s ? s.split(',') : [];
}
