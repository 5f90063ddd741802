// One offer of a waiting call to one lawyer: ring their phone through ARI, and if they pick up, bridge them with the
// caller until either side hangs up. The lawyer was already claimed (ringing) by the queue; every way out of here
// leaves their presence right: not_ready after a ring nobody answered, ready again when the caller gave up, wrap-up
// after a conversation.
import type { Logger } from 'pino';
import type { TimerHandle, Timers } from '../../flows/timers.js';
import type { AriEvent } from '../ari/connection.js';
import type { AriCallPort } from '../session/ari-port.js';
import type { AcdAri } from './ari-ops.js';
import type { DeskEvents } from './desk-events.js';
import type { Presence } from './presence.js';
import type { Agent } from './types.js';

export interface OfferContext {
  ari: AcdAri;
  presence: Presence;
  desk: DeskEvents;
  timers: Timers;
  log: Logger;
  app: string;
  ringTimeoutMs: number;
  /** A person answered: the call record's answered_at and agent. */
  onAnswered?: (callId: string, staffNo: string) => void;
  /** Caller and lawyer are in their mixing bridge (recording starts here; ivr/recording/capture.ts). Never awaited. */
  onBridged?: (info: { callId: string; staffNo: string; bridgeId: string }) => Promise<void> | void;
}

/** The queue's side of an offer: the caller, whether they are still there, and their waiting media. */
export interface OfferedCall {
  readonly callId: string;
  /**
   * What the lawyer's presence is claimed with: the call id and this ACD instance, because two Asterisk nodes
   * without distinct system names hand out the same channel ids, and one controller must never end another's claim.
   */
  readonly token: string;
  readonly callerNumber: string;
  readonly port: AriCallPort;
  readonly gone: boolean;
  /** The lawyer's leg being rung or talked to (set here, read after a reconnect). */
  leg?: string;
  /** Calls `fn` once when the caller hangs up; returns the unsubscribe. */
  onGone(fn: () => void): () => void;
  /** The lawyer picked up: stop announcements and music on hold (Asterisk keeps MOH playing inside a bridge). */
  quiet(): Promise<void>;
  /** Caller and lawyer are bridged: from now on the call can be handed on (transfer). */
  talking(staffNo: string): void;
}

export type OfferResult =
  | { kind: 'talked'; ms: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'caller-gone' }
  | { kind: 'error'; message: string; retry: boolean };

export type Ring = { kind: 'answered' } | { kind: 'failed'; reason: string } | { kind: 'caller-gone' } | { kind: 'error'; message: string };

const HANGUP = new Set(['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);

/** Why a ring ended, from Dial's status or the destroyed channel's cause (BEHAVIOUR g and l). */
export function failure(ev: AriEvent): string | undefined {
  if (ev.type === 'Dial') {
    const s = String(ev.dialstatus ?? '');
    if (s === 'BUSY') return 'busy';
    if (s === 'NOANSWER') return 'no-answer';
    if (s === 'CHANUNAVAIL' || s === 'CONGESTION') return 'phone-unreachable';
    return undefined;
  }
  if (ev.type === 'ChannelDestroyed') {
    const cause = Number(ev.cause);
    return cause === 17 ? 'busy' : cause === 21 ? 'rejected' : cause === 0 || cause === 34 ? 'phone-unreachable' : 'no-answer';
  }
  return undefined;
}

let legSeq = 0;
/** Recognisable in `GET /channels`: whose phone, for which call. */
export const legIdFor = (callId: string, staffNo: string) => `acd-${staffNo}-${callId}-${(++legSeq).toString(36)}`;

/** Rings the lawyer's phone for `call`; resolves when they answer (their leg entered the app), fail, or the caller goes. */
export function ring(ctx: Pick<OfferContext, 'ari' | 'timers' | 'app' | 'ringTimeoutMs'>, call: Pick<OfferedCall, 'callId' | 'callerNumber' | 'gone' | 'onGone'>, agent: Agent, legId: string): Promise<Ring> {
  return new Promise<Ring>((resolve) => {
    let done = false;
    let timer: TimerHandle | undefined;
    const stops: Array<() => void> = [];
    const finish = (r: Ring) => {
      if (done) return;
      done = true;
      if (timer !== undefined) ctx.timers.clearTimer(timer);
      for (const s of stops) s();
      resolve(r);
    };
    // Watch before originating: StasisStart or a failure can arrive before the 200.
    stops.push(ctx.ari.watch(legId, (ev) => {
      if (ev.type === 'StasisStart' && (ev.args as string[] | undefined)?.[0] === 'agent') { finish({ kind: 'answered' }); return; }
      const why = failure(ev);
      if (why) finish({ kind: 'failed', reason: why });
    }));
    stops.push(call.onGone(() => finish({ kind: 'caller-gone' })));
    if (call.gone) { finish({ kind: 'caller-gone' }); return; }
    // Our timer decides; Asterisk's originate timeout is only the backstop should this process die.
    timer = ctx.timers.setTimer(ctx.ringTimeoutMs, () => { timer = undefined; finish({ kind: 'failed', reason: 'no-answer' }); });
    ctx.ari.originate({
      endpoint: agent.endpoint, app: ctx.app, callId: call.callId, channelId: legId, callerId: call.callerNumber,
      timeoutSec: Math.ceil(ctx.ringTimeoutMs / 1000) + 5,
    }).catch((err: { allocationFailed?: boolean; message: string }) => {
      finish(err.allocationFailed ? { kind: 'failed', reason: 'phone-unreachable' } : { kind: 'error', message: err.message });
    });
  });
}

/** Rings `agent` for `call` and, if they answer, carries the conversation to its end. */
export async function runOffer(ctx: OfferContext, call: OfferedCall, agent: Agent, extra: { line: string; topic?: string; priority: number; requestedAgent?: string; ivrPath: Array<{ node: string; digits?: string }> }): Promise<OfferResult> {
  const legId = legIdFor(call.callId, agent.staffNo);
  const staffNo = agent.staffNo;
  call.leg = legId;
  ctx.desk.publish({
    type: 'offered', staffNo, callId: call.callId, callerNumber: call.callerNumber, line: extra.line, topic: extra.topic,
    priority: extra.priority, green: extra.priority > 0, requestedAgent: extra.requestedAgent, ivrPath: extra.ivrPath, at: new Date().toISOString(),
  });
  const r = await ring(ctx, call, agent, legId);
  const hangupLeg = () => ctx.ari.hangup(legId).catch(() => undefined);
  if (r.kind === 'answered' && !call.gone) return converse(ctx, call, agent, legId);
  // Asterisk leaves an originated leg ringing when the caller goes (BEHAVIOUR l): we hang it up ourselves.
  await hangupLeg();
  const safe = (p: Promise<unknown>, what: string) => p.catch((err: Error) => ctx.log.warn({ err: err.message, staffNo, call: call.callId }, `presence ${what} failed`));
  if (r.kind === 'failed') {
    ctx.log.info({ staffNo, call: call.callId, reason: r.reason }, 'lawyer did not answer: not ready');
    await safe(ctx.presence.failed(staffNo, call.token, r.reason), 'not-ready');
    ctx.desk.publish({ type: 'missed', staffNo, callId: call.callId, at: new Date().toISOString() });
    return { kind: 'failed', reason: r.reason };
  }
  await safe(ctx.presence.release(staffNo, call.token), 'release');
  ctx.desk.publish({ type: 'ended', staffNo, callId: call.callId, at: new Date().toISOString() });
  if (r.kind === 'error') {
    ctx.log.warn({ staffNo, call: call.callId, err: r.message }, 'could not ring the lawyer');
    return { kind: 'error', message: r.message, retry: true };
  }
  return { kind: 'caller-gone' };
}

async function converse(ctx: OfferContext, call: OfferedCall, agent: Agent, legId: string): Promise<OfferResult> {
  const staffNo = agent.staffNo;
  const started = ctx.timers.now();
  const bridgeId = `${legId}-bridge`;
  let stopLease: () => void = () => undefined;
  let ended: (who: 'caller' | 'lawyer') => void = () => undefined;
  const end = new Promise<'caller' | 'lawyer'>((resolve) => { ended = resolve; });
  const stops = [
    ctx.ari.watch(legId, (ev) => { if (HANGUP.has(ev.type)) ended('lawyer'); }),
    call.onGone(() => ended('caller')),
  ];
  try {
    await ctx.presence.answered(staffNo, call.token).catch((err: Error) => ctx.log.warn({ err: err.message, staffNo }, 'presence on_call failed'));
    // The caller is no longer waiting: a hang-up from here on is not an abandoned call.
    call.port.inQueue = false;
    try {
      await call.quiet();
      await ctx.ari.createBridge(bridgeId);
      await ctx.ari.addToBridge(bridgeId, [call.callId, legId]);
    } catch (err) {
      if (!call.gone) {
        ctx.log.error({ err: (err as Error).message, call: call.callId, staffNo }, 'could not bridge caller and lawyer');
        await ctx.ari.hangup(legId).catch(() => undefined);
        await ctx.ari.destroyBridge(bridgeId).catch(() => undefined);
        await ctx.presence.ended(staffNo, call.token).catch(() => undefined);
        ctx.desk.publish({ type: 'ended', staffNo, callId: call.callId, at: new Date().toISOString() });
        return { kind: 'error', message: (err as Error).message, retry: false };
      }
    }
    ctx.desk.publish({ type: 'answered', staffNo, callId: call.callId, at: new Date().toISOString() });
    ctx.onAnswered?.(call.callId, staffNo);
    call.talking(staffNo);
    void Promise.resolve().then(() => ctx.onBridged?.({ callId: call.callId, staffNo, bridgeId }))
      .catch((err: Error) => ctx.log.error({ err: err.message, call: call.callId }, 'onBridged failed'));
    stopLease = ctx.presence.keepLease(staffNo, call.token, ctx.timers);
    const who = call.gone ? 'caller' : await end;
    // Either side ends the conversation. The caller gone: hang up the lawyer. The lawyer gone: the caller stays
    // for the rest of the flow (the survey).
    if (who === 'caller') await ctx.ari.hangup(legId).catch(() => undefined);
    await ctx.ari.destroyBridge(bridgeId).catch(() => undefined);
    // Keys pressed while talking to the lawyer are not answers to the next prompt.
    if (!call.gone) call.port.takeTypeAhead();
    await ctx.presence.ended(staffNo, call.token).catch((err: Error) => ctx.log.warn({ err: err.message, staffNo }, 'presence wrap-up failed'));
    ctx.desk.publish({ type: 'ended', staffNo, callId: call.callId, at: new Date().toISOString() });
    return { kind: 'talked', ms: ctx.timers.now() - started };
  } finally {
    stopLease();
    for (const s of stops) s();
  }
}
