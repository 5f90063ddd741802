// Caller first (CALLBACK_CALLER_FIRST): the lawyer is already set aside (claimed) for the callback, the caller is rung
// first and, once they answer, hears who is calling and that a lawyer is being connected while the lawyer's phone
// rings; then both are bridged. A lawyer who does not answer leaves the caller an apology and the promise of another
// call: the attempt ends (lawyer_unavailable) and is tried again later, like an unanswered one.
import { ring } from '../acd/offer.js';
import type { Agent } from '../acd/types.js';
import { dialCaller, HANGUP, offerToDesk, openCallbackRecord, type CallbackCall, type ConnectContext, type ConnectResult } from './connect.js';

export async function connectCallerFirst(ctx: ConnectContext, cb: CallbackCall, agent: Agent, onAttempt: () => Promise<void>): Promise<ConnectResult> {
  const staffNo = agent.staffNo;
  const at = () => new Date().toISOString();
  const legId = `cbl-${staffNo}-${cb.callId}`;
  const bridgeId = `${cb.callId}-bridge`;
  offerToDesk(ctx, cb, staffNo, '，先呼来电人');
  openCallbackRecord(ctx, cb);
  await onAttempt();
  const dialled = await dialCaller(ctx, cb, new Promise<never>(() => undefined));
  if (dialled.outcome !== 'answered') {
    // Nobody reached: the lawyer was only set aside, never rung.
    await ctx.presence.release(staffNo, cb.token).catch(() => undefined);
    ctx.desk.publish({ type: 'ended', staffNo, callId: cb.callId, at: at() });
    ctx.recorder.ended(cb.callId, 'not_reached');
    return { kind: 'attempt', outcome: dialled.outcome, staffNo, callId: cb.callId, detail: dialled.detail };
  }
  let callerGone = false;
  const goneFns = new Set<() => void>();
  let ended: (who: 'caller' | 'lawyer') => void = () => undefined;
  const end = new Promise<'caller' | 'lawyer'>((res) => { ended = res; });
  const stops = [ctx.ari.watch(cb.callId, (ev) => {
    if (!HANGUP.has(ev.type)) return;
    callerGone = true;
    for (const fn of goneFns) fn();
    ended('caller');
  })];
  let stopLease: () => void = () => undefined;
  const finish = async (reason: 'completed' | 'not_reached') => {
    stopLease();
    for (const s of stops) s();
    await ctx.ari.destroyBridge(bridgeId).catch(() => undefined);
    ctx.desk.publish({ type: 'ended', staffNo, callId: cb.callId, at: at() });
    ctx.recorder.ended(cb.callId, reason);
  };
  await ctx.ari.createBridge(bridgeId).catch(() => undefined);
  await ctx.ari.addToBridge(bridgeId, [cb.callId]).catch(() => undefined);
  void ctx.ari.playOnBridge(bridgeId, 'sound:callback-intro,sound:callback-connecting').catch(() => undefined);
  const ringCtx = { ari: ctx.ari, timers: ctx.timers, app: ctx.app, ringTimeoutMs: ctx.lawyerRingMs };
  const r = await ring(ringCtx, {
    callId: cb.callId, callerNumber: cb.number, get gone() { return callerGone; },
    onGone: (fn) => { goneFns.add(fn); return () => goneFns.delete(fn); },
  }, agent, legId).catch((err: Error) => ({ kind: 'error' as const, message: err.message }));
  if (r.kind !== 'answered' || callerGone) {
    await ctx.ari.hangup(legId).catch(() => undefined);
    if (r.kind === 'caller-gone' || callerGone) {
      await ctx.presence.release(staffNo, cb.token).catch(() => undefined);
      await finish('not_reached');
      return { kind: 'attempt', outcome: 'failed', staffNo, callId: cb.callId, detail: 'the caller hung up before a lawyer answered' };
    }
    await ctx.presence.failed(staffNo, cb.token, r.kind === 'failed' ? r.reason : 'no-answer').catch(() => undefined);
    void ctx.ari.playOnBridge(bridgeId, 'sound:callback-sorry').catch(() => undefined);
    // Long enough for the apology, then the caller is let go.
    await new Promise<void>((res) => { const h = ctx.timers.setTimer(6000, res); void end.then(() => { ctx.timers.clearTimer(h); res(); }); });
    await ctx.ari.hangup(cb.callId).catch(() => undefined);
    await finish('not_reached');
    return { kind: 'attempt', outcome: 'lawyer_unavailable', staffNo, callId: cb.callId };
  }
  await ctx.presence.answered(staffNo, cb.token).catch(() => undefined);
  stopLease = ctx.presence.keepLease(staffNo, cb.token, ctx.timers);
  stops.push(ctx.ari.watch(legId, (ev) => { if (HANGUP.has(ev.type)) ended('lawyer'); }));
  await ctx.ari.addToBridge(bridgeId, [legId]).catch((err: Error) => ctx.log.error({ err: err.message, callback: cb.callbackId }, 'callback: could not bridge the lawyer'));
  ctx.recorder.answered(cb.callId, staffNo);
  ctx.desk.publish({ type: 'answered', staffNo, callId: cb.callId, at: at() });
  const who = await end;
  await ctx.ari.hangup(who === 'caller' ? legId : cb.callId).catch(() => undefined);
  await ctx.presence.ended(staffNo, cb.token).catch(() => undefined);
  await finish('completed');
  return { kind: 'attempt', outcome: 'answered', staffNo, callId: cb.callId };
}
