import type { Channel } from './channel.js';
import { parseCallerId, splitArgs, type OriginateParams } from './calls.js';
import { runDialplan } from './dialplan-runner.js';
import type { Engine } from './engine.js';
import { emitRtpStats, teardown } from './hangup.js';

/** SIP timer B: an INVITE nobody answers at the transport level gives up after 32 s. */
const TIMER_B_MS = 32_000;

/** A far end's RTP address when nobody chose one: loopback, an even port per call. */
const rtpAddress = (suffix: string) => `127.0.0.1:${10000 + 2 * (parseInt(suffix, 16) % 5000)}`;

/** PJSIP channels: lawyers' desk phones (originated) and trunk callers (inbound through /sim/calls). */
export class SipChannels {
  constructor(private readonly e: Engine) {}

  originate(p: OriginateParams, resource: string): Channel | undefined {
    const w = this.e.w;
    const phone = w.phones.get(resource);
    if (!phone || phone.behaviour === 'offline') return undefined;
    const suffix = w.nextTechSuffix();
    const ch = w.newChannel('pjsip', `PJSIP/${resource}-${suffix}`, p.channelId);
    ch.protocolId = w.callId();
    ch.rtp = { dest: rtpAddress(suffix), nativeFormat: '(ulaw)' }; // not traced for desk phones
    const cid = parseCallerId(p.callerId);
    if (cid) { ch.caller = { ...cid }; ch.connected = { ...cid }; }
    ch.dialplan = { context: 'hotline-agents', exten: 's', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' };
    if (p.app) { ch.originatedFor = p.app; ch.followers.add(p.app); }
    w.phones.attach(phone, ch);
    ch.originate = {
      dialstring: resource, app: p.app, appArgs: splitArgs(p.appArgs), context: p.context, extension: p.extension,
      priority: p.priority, label: p.label, timeoutMs: (p.timeout ?? 30) * 1000,
    };
    const start = () => {
      if (ch.destroyed) return;
      const o = ch.originate!;
      this.e.calls.dialEvent(ch, '', resource);
      if (phone.behaviour === 'unreachable') {
        if (o.timeoutMs > 0 && o.timeoutMs < TIMER_B_MS) o.timer = w.after(ch, o.timeoutMs, () => this.timeout(ch));
        else o.timer = w.after(ch, TIMER_B_MS, () => this.fail(ch, 18, 408, 'NOANSWER'));
        return;
      }
      w.setState(ch, 'Ringing');
      this.e.calls.dialEvent(ch, 'RINGING', resource);
      if (o.timeoutMs > 0) o.timer = w.after(ch, o.timeoutMs, () => this.timeout(ch));
      if (phone.behaviour === 'answer') w.after(ch, phone.answerAfterMs, () => this.answered(ch, phone.talks));
      if (phone.behaviour === 'busy') w.after(ch, phone.answerAfterMs, () => this.fail(ch, 17, 486, 'BUSY'));
      if (phone.behaviour === 'reject') w.after(ch, phone.answerAfterMs, () => this.fail(ch, 21, 603, 'BUSY'));
    };
    ch.startDial = start;
    w.clock.after(0, () => { if (!ch.pendingDial) start(); });
    return ch;
  }

  private answered(ch: Channel, talks: boolean): void {
    const o = ch.originate;
    if (!o || ch.hangupRequested) return;
    ch.originate = undefined;
    o.timer?.cancel();
    const w = this.e.w;
    w.setState(ch, 'Up');
    this.e.calls.dialEvent(ch, 'ANSWER', o.dialstring);
    if (talks) ch.speech.push({ start: w.clock.now(), end: Infinity });
    if (o.app) {
      if (!ch.stasisApp && !w.originatedIntoStasis(ch, o.app, o.appArgs)) teardown(this.e, ch, null, 16);
    } else if (o.context) {
      runDialplan(this.e, ch, { context: o.context, exten: o.extension ?? 's', priority: o.priority ?? 1, label: o.label })
        || teardown(this.e, ch, null, 0);
    }
  }

  /**
   * The person at a desk phone acts now: answer or reject a ringing call, or hang up a call in progress
   * (a SIP BYE: a hang-up request with no cause). Returns the channels affected.
   */
  phoneAction(resource: string, action: 'answer' | 'reject' | 'busy' | 'hangup'): string[] {
    const w = this.e.w;
    const phone = w.phones.get(resource);
    if (!phone) return [];
    const done: string[] = [];
    for (const id of [...phone.channelIds]) {
      const ch = w.channels.get(id);
      if (!ch || ch.hangupRequested) continue;
      if (ch.originate && action === 'answer') this.answered(ch, phone.talks);
      else if (ch.originate && action === 'busy') this.fail(ch, 17, 486, 'BUSY');
      else if (ch.originate && action === 'reject') this.fail(ch, 21, 603, 'BUSY');
      else if (!ch.originate && action === 'hangup') teardown(this.e, ch, {}, 16);
      else continue;
      done.push(id);
    }
    return done;
  }

  /** The phone refused or the INVITE failed: the request, the dial status, then the end. */
  private fail(ch: Channel, cause: number, techCause: number, dialstatus: string): void {
    const o = ch.originate;
    if (!o || ch.hangupRequested) return;
    ch.originate = undefined;
    o.timer?.cancel();
    teardown(this.e, ch, { cause, tech_cause: techCause }, cause, techCause, {
      beforeLeave: () => this.e.calls.dialEvent(ch, dialstatus, o.dialstring),
    });
  }

  /** Originate timeout: only ChannelDestroyed, no hang-up request and no NOANSWER (as traced). */
  private timeout(ch: Channel): void {
    const o = ch.originate;
    if (!o) return;
    ch.originate = undefined;
    if (ch.stasisApp) return; // created + dialled: stays in Stasis until the app hangs it up
    ch.hangupRequested = true;
    this.e.w.destroy(ch, 19, 480);
  }

  /**
   * An inbound caller from the SIP trunk: the dialplan sends it to Stasis(app,inbound). The caller's UA picks the
   * Call-ID and its RTP address (SDP); a test may fix them to replay a traced caller.
   */
  inbound(from: string, to: string, name = '', via = 'trunk', ua: { callId?: string; rtp?: string } = {}): Channel {
    const w = this.e.w;
    const suffix = w.nextTechSuffix();
    const ch = w.newChannel('trunk', `PJSIP/${via}-${suffix}`);
    ch.protocolId = ua.callId ?? w.callId();
    ch.rtp = { dest: ua.rtp ?? rtpAddress(suffix), nativeFormat: '(ulaw)' };
    ch.caller = { name, number: from };
    ch.connected = { name, number: from };
    ch.state = 'Ring';
    // A configured endpoint (baresip) lists the call in its channel_ids; anonymous trunk callers have none.
    const endpoint = w.phones.get(via);
    if (endpoint) w.phones.attach(endpoint, ch);
    w.setVar(ch, 'SIPDOMAIN', '127.0.0.1');
    ch.dialplan = { context: 'hotline-in', exten: to, priority: 1, app_name: '', app_data: '' };
    if (!runDialplan(this.e, ch, { context: 'hotline-in', exten: to, priority: 1 })) this.e.calls.unknownExtension(ch);
    return ch;
  }

  /**
   * The caller hangs up: a SIP BYE carries no cause, so the request has none and the channel ends with cause 0.
   * An answered call first reports its RTP statistics.
   */
  callerHangup(ch: Channel): void {
    if (ch.hangupRequested) return;
    if (ch.state === 'Up') emitRtpStats(this.e, ch);
    teardown(this.e, ch, {}, ch.state === 'Up' ? 0 : 16);
  }
}
