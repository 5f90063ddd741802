// One callback call: the lawyer's phone first (screen pop as for any call), then the caller, both in a mixing bridge
// with the callback greeting played into it, until either side hangs up. It is a call of its own in the ledger
// (call record with tags direction=callback and callbackId; a work order is drafted when it is answered), and the
// lawyer's presence goes ringing -> on call -> wrap-up exactly as for an inbound call.
import type { Logger } from 'pino';
import type { Timers } from '../../flows/timers.js';
import type { AttemptOutcome } from '../../lib/entities/callback.js';
import type { AcdAri } from '../acd/ari-ops.js';
import type { DeskEvents } from '../acd/desk-events.js';
import { failure, ring } from '../acd/offer.js';
import type { Presence } from '../acd/presence.js';
import type { Agent } from '../acd/types.js';
import type { ServiceLine } from '../records/events.js';
import { connectCallerFirst } from './caller-first.js';

export interface CallbackRecorder {
  arrived(call: { callId: string; callerNumber: string; calledNumber: string }, flow: { name: string; revision: number }): void;
  tagged(callId: string, key: string, value: string | number | boolean): void;
  queued(callId: string, q: { serviceLine: ServiceLine; legalTopic?: string; priority?: number }): void;
  answered(callId: string, agent: string): void;
  ended(callId: string, reason: 'completed' | 'not_reached' | 'error'): void;
}

export interface ConnectContext {
  ari: AcdAri;
  presence: Presence;
  desk: DeskEvents;
  recorder: CallbackRecorder;
  timers: Timers;
  log: Logger;
  app: string;
  /** The dial string of a number (throws for something that is not one). */
  dialString(number: string): string;
  callerId: string;
  lawyerRingMs: number;
  callerRingMs: number;
  /** Ring the caller first, then the lawyer (caller-first.ts); default: the lawyer first. */
  callerFirst?: boolean;
}

export interface CallbackCall {
  callbackId: string; kind: string; attempt: number; number: string; line: string; topic: string | null; priority: number;
  /** Our id for the caller's leg and the call record. */
  callId: string;
  /** The lawyer's claim (presence.claim) was made with this token. */
  token: string;
}

export type ConnectResult =
  /** The lawyer's phone was not answered: they go not ready, the callback waits for the next lawyer (no attempt used). */
  | { kind: 'lawyer-failed'; reason: string }
  /** The caller was dialled: an attempt with its outcome. */
  | { kind: 'attempt'; outcome: AttemptOutcome; staffNo: string; callId: string; detail?: string };

export const HANGUP = new Set(['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
const KIND_LABEL: Record<string, string> = { queued: '排队回拨', missed: '漏接回拨', voicemail: '留言回拨', dissatisfied: '不满意回访', promised: '约定回拨' };

export async function connectCallback(ctx: ConnectContext, cb: CallbackCall, agent: Agent, onAttempt: () => Promise<void>): Promise<ConnectResult> {
  if (ctx.callerFirst) return connectCallerFirst(ctx, cb, agent, onAttempt);
  const staffNo = agent.staffNo;
  const at = () => new Date().toISOString();
  const legId = `cbl-${staffNo}-${cb.callId}`;
  offerToDesk(ctx, cb, staffNo);
  const ringCtx = { ari: ctx.ari, timers: ctx.timers, app: ctx.app, ringTimeoutMs: ctx.lawyerRingMs };
  const r = await ring(ringCtx, { callId: cb.callId, callerNumber: cb.number, gone: false, onGone: () => () => undefined }, agent, legId)
    .catch((err: Error) => ({ kind: 'error' as const, message: err.message }));
  if (r.kind !== 'answered') {
    await ctx.ari.hangup(legId).catch(() => undefined);
    const reason = r.kind === 'failed' ? r.reason : r.kind === 'error' ? r.message : 'no-answer';
    await ctx.presence.failed(staffNo, cb.token, reason).catch(() => undefined);
    ctx.desk.publish({ type: 'missed', staffNo, callId: cb.callId, at: at() });
    return { kind: 'lawyer-failed', reason };
  }
  await ctx.presence.answered(staffNo, cb.token).catch(() => undefined);
  // Keep the on-call lease alive for the whole call, or another process would take the lawyer for free mid-call.
  const stopLease = ctx.presence.keepLease(staffNo, cb.token, ctx.timers);
  openCallbackRecord(ctx, cb);
  const bridgeId = `${cb.callId}-bridge`;
  let ended: (who: 'caller' | 'lawyer') => void = () => undefined;
  const end = new Promise<'caller' | 'lawyer'>((res) => { ended = res; });
  const stops: Array<() => void> = [ctx.ari.watch(legId, (ev) => { if (HANGUP.has(ev.type)) ended('lawyer'); })];
  const finish = async (reason: 'completed' | 'not_reached' | 'error') => {
    stopLease();
    for (const s of stops) s();
    await ctx.ari.destroyBridge(bridgeId).catch(() => undefined);
    await ctx.presence.ended(staffNo, cb.token).catch(() => undefined);
    ctx.desk.publish({ type: 'ended', staffNo, callId: cb.callId, at: at() });
    ctx.recorder.ended(cb.callId, reason);
  };
  try {
    await ctx.ari.createBridge(bridgeId);
    await ctx.ari.addToBridge(bridgeId, [legId]);
    void ctx.ari.playOnBridge(bridgeId, 'sound:callback-lawyer-intro').catch(() => undefined);
  } catch (err) {
    await ctx.ari.hangup(legId).catch(() => undefined);
    await finish('error');
    return { kind: 'lawyer-failed', reason: `bridge: ${(err as Error).message}` };
  }
  await onAttempt();
  const dialled = await dialCaller(ctx, cb, end);
  if (dialled.outcome !== 'answered') {
    await ctx.ari.hangup(legId).catch(() => undefined);
    await finish('not_reached');
    return { kind: 'attempt', outcome: dialled.outcome, staffNo, callId: cb.callId, detail: dialled.detail };
  }
  stops.push(ctx.ari.watch(cb.callId, (ev) => { if (HANGUP.has(ev.type)) ended('caller'); }));
  try {
    await ctx.ari.addToBridge(bridgeId, [cb.callId]);
    void ctx.ari.playOnBridge(bridgeId, 'sound:callback-intro').catch(() => undefined);
  } catch (err) {
    ctx.log.error({ err: (err as Error).message, callback: cb.callbackId }, 'callback: could not bridge the caller');
  }
  ctx.recorder.answered(cb.callId, staffNo);
  ctx.desk.publish({ type: 'answered', staffNo, callId: cb.callId, at: at() });
  const who = await end;
  await ctx.ari.hangup(who === 'caller' ? legId : cb.callId).catch(() => undefined);
  await finish('completed');
  return { kind: 'attempt', outcome: 'answered', staffNo, callId: cb.callId };
}

/** The screen pop of a callback call: the caller's number and which callback it is (kind, attempt, `note`). */
export function offerToDesk(ctx: ConnectContext, cb: CallbackCall, staffNo: string, note = ''): void {
  ctx.desk.publish({
    type: 'offered', staffNo, callId: cb.callId, callerNumber: cb.number, line: cb.line, topic: cb.topic ?? undefined, priority: cb.priority,
    green: cb.priority > 0, ivrPath: [{ node: `${KIND_LABEL[cb.kind] ?? '回拨'}（第${cb.attempt}次${note}）` }], at: new Date().toISOString(),
  });
}

/** The callback call's own record: an outbound call (direction=callback) of its callback, on the callback's line. */
export function openCallbackRecord(ctx: ConnectContext, cb: CallbackCall): void {
  ctx.recorder.arrived({ callId: cb.callId, callerNumber: cb.number, calledNumber: 'callback' }, { name: 'callback', revision: 0 });
  ctx.recorder.tagged(cb.callId, 'direction', 'callback');
  ctx.recorder.tagged(cb.callId, 'callbackId', cb.callbackId);
  ctx.recorder.queued(cb.callId, { serviceLine: cb.line as ServiceLine, ...(cb.topic ? { legalTopic: cb.topic } : {}), priority: cb.priority });
}

/** Rings the caller into the app; the lawyer hanging up meanwhile gives up on this attempt. */
export function dialCaller(ctx: ConnectContext, cb: CallbackCall, lawyerGone: Promise<unknown>): Promise<{ outcome: AttemptOutcome; detail?: string }> {
  return new Promise((resolve) => {
    let endpoint: string;
    try { endpoint = ctx.dialString(cb.number); } catch (err) { resolve({ outcome: 'invalid_number', detail: (err as Error).message }); return; }
    let done = false;
    const finish = (r: { outcome: AttemptOutcome; detail?: string }) => {
      if (done) return;
      done = true;
      ctx.timers.clearTimer(timer);
      stop();
      if (r.outcome !== 'answered') void ctx.ari.hangup(cb.callId).catch(() => undefined);
      resolve(r);
    };
    const stop = ctx.ari.watch(cb.callId, (ev) => {
      if (ev.type === 'StasisStart') { finish({ outcome: 'answered' }); return; }
      const why = failure(ev);
      if (!why) return;
      finish(why === 'busy' || why === 'rejected' ? { outcome: 'busy' } : why === 'phone-unreachable' ? { outcome: 'failed', detail: why } : { outcome: 'no_answer' });
    });
    const timer = ctx.timers.setTimer(ctx.callerRingMs, () => finish({ outcome: 'no_answer', detail: 'ring timeout' }));
    // The lawyer giving up while the caller's phone rings ends the attempt.
    void lawyerGone.then(() => finish({ outcome: 'failed', detail: 'the lawyer hung up before the caller answered' }));
    ctx.ari.originateTo({
      endpoint, app: ctx.app, appArgs: `callback,${cb.callbackId}`, channelId: cb.callId, callerId: ctx.callerId,
      timeoutSec: Math.ceil(ctx.callerRingMs / 1000) + 5,
    }).catch((err: { allocationFailed?: boolean; message: string }) => {
      finish(err.allocationFailed ? { outcome: 'invalid_number', detail: err.message } : { outcome: 'failed', detail: err.message });
    });
  });
}
