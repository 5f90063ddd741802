import type { Channel } from './channel.js';
import type { Engine } from './engine.js';
import { AriError } from './types.js';

const REASONS: Record<string, number> = {
  normal: 16, busy: 17, congestion: 34, no_answer: 19, timeout: 18, rejected: 21, unallocated: 1,
  normal_unspecified: 31, number_incomplete: 28, codec_mismatch: 58, interworking: 127, failure: 38,
  answered_elsewhere: 26,
};

/** DELETE /channels/{id} parameters -> cause, with Asterisk's 400s. */
export function causeFromParams(reason?: string, reasonCode?: string): number {
  if (reason !== undefined && reasonCode !== undefined) throw new AriError(400, "The reason and reason_code can't both be specified");
  if (reasonCode !== undefined) {
    if (!/^\d+$/.test(reasonCode)) throw new AriError(400, 'Invalid reason for hangup reason code provided');
    return Number(reasonCode);
  }
  if (reason === undefined) return 16;
  const c = REASONS[reason];
  if (c === undefined) throw new AriError(400, 'Invalid reason for hangup reason provided');
  return c;
}

export interface HangupRequestFields { cause?: number; soft?: boolean; tech_cause?: number }

/**
 * Tears a channel down in the order Asterisk reports it: hang-up request, recordings and playbacks ended,
 * bridge left, snoops detached, StasisEnd, then ChannelDestroyed (which only followers see).
 */
export function teardown(e: Engine, ch: Channel, req: HangupRequestFields | null, finalCause: number, techCause?: number,
  hooks: { beforeLeave?: () => void; beforeDestroy?: () => void } = {}): void {
  if (ch.hangupRequested || ch.destroyed) return;
  ch.hangupRequested = true;
  ch.cause = finalCause;
  ch.dialplanStop?.();
  ch.dialplanStop = undefined;
  for (const sp of ch.speech) if (!Number.isFinite(sp.end)) sp.end = e.w.clock.now();
  if (req) e.w.emitChannel(ch, 'ChannelHangupRequest', { ...req });
  e.recorders.targetGone(`channel:${ch.id}`);
  if (ch.bridge && ch.bridge.type !== 'holding' && ch.vars.get('BRIDGEPEER')) e.w.setVar(ch, 'BRIDGEPEER', '');
  if (ch.bridge && ch.bridge.type !== 'holding' && ch.vars.get('BRIDGEPVTCALLID')) e.w.setVar(ch, 'BRIDGEPVTCALLID', '');
  hooks.beforeLeave?.();
  e.media.abortAll(ch);
  let emptied: string | undefined;
  if (ch.bridge) {
    const b = ch.bridge;
    e.bridges.leave(ch, 'hangup');
    if (!b.members.length) emptied = b.id;
  }
  e.w.leaveStasis(ch);
  // The bridge recorder, left alone, is kicked out: its RecordingFinished follows the last member's StasisEnd.
  if (emptied) e.recorders.targetGone(`bridge:${emptied}`);
  // Snoops end once their target has left Stasis (its StasisEnd comes first in the traces).
  for (const snoop of [...ch.snoops]) endSnoopOnTargetGone(e, snoop);
  hooks.beforeDestroy?.();
  e.w.destroy(ch, finalCause, techCause);
}

/** A snoop whose target hung up: it leaves its bridge and Stasis without a hang-up request of its own. */
function endSnoopOnTargetGone(e: Engine, snoop: Channel): void {
  if (snoop.hangupRequested) return;
  teardown(e, snoop, null, 16);
}

/** RTP statistics a real SIP leg reports as it ends (the traces show five of these before the hang-up request). */
export function emitRtpStats(e: Engine, ch: Channel): void {
  const stats: Array<[string, string]> = [
    ['RTPAUDIOQOS', 'ssrc=1;themssrc=2;lp=0;rxjitter=0.000000;rxcount=0;txjitter=0.000000;txcount=0;rlp=0;rtt=0.000000;rxmes=0.000000;txmes=0.000000'],
    ['RTPAUDIOQOSJITTER', 'minrxjitter=000.000000;maxrxjitter=000.000000;avgrxjitter=000.000000;stdevrxjitter=000.000000;mintxjitter=000.000000;maxtxjitter=000.000000;avgtxjitter=000.000000;stdevtxjitter=000.000000;'],
    ['RTPAUDIOQOSLOSS', '  minrxlost=000.000000;  maxrxlost=000.000000;  avgrxlost=000.000000;  stdevrxlost=000.000000;  mintxlost=000.000000;  maxtxlost=000.000000;  avgtxlost=000.000000;  stdevtxlost=000.000000;'],
    ['RTPAUDIOQOSRTT', '     minrtt=000.000000;     maxrtt=000.000000;     avgrtt=000.000000;     stdevrtt=000.000000;'],
    ['RTPAUDIOQOSMES', '   minrxmes=000.000000;   maxrxmes=000.000000;   avgrxmes=000.000000;   stdevrxmes=000.000000;   mintxmes=000.000000;   maxtxmes=000.000000;   avgtxmes=000.000000;   stdevtxmes=000.000000;'],
  ];
  for (const [k, v] of stats) e.w.setVar(ch, k, v);
}
