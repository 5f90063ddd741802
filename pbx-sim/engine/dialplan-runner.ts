import type { Channel } from './channel.js';
import type { TimerHandle } from './clock.js';
import { findExten, type Step } from './dialplan.js';
import type { Engine } from './engine.js';

const ANSWER_WAIT_MS = 500;

/** Where a channel's dialplan resumes. */
export interface Location { context: string; exten: string; priority: number; label?: string }

/**
 * Runs dialplan on a channel step by step. Each application announces itself with ChannelDialplan (seen only by
 * apps following the channel). Returns false when the extension does not exist.
 */
export function runDialplan(e: Engine, ch: Channel, loc: Location): boolean {
  const steps = findExten(e.w.dialplan, loc.context, loc.exten);
  if (!steps) return false;
  let i = loc.label ? steps.findIndex((st) => st.label === loc.label) : loc.priority - 1;
  if (i < 0) return false;
  let timer: TimerHandle | undefined;
  let stopped = false;
  ch.dialplanStop = () => { stopped = true; timer?.cancel(); };
  ch.ranDialplan = true;
  ch.dialplan.context = loc.context;
  ch.dialplan.exten = loc.exten;
  const wait = (ms: number, fn: () => void) => { timer = e.w.after(ch, ms, () => { if (!stopped) fn(); }); };
  const next = (): void => {
    if (stopped || ch.destroyed || ch.hangupRequested) return;
    if (i >= steps.length) { e.calls.dialplanHangup(ch, 16); return; }
    const st = steps[i++];
    ch.dialplan.priority = i;
    e.w.setDialplan(ch, st.app, st.data);
    exec(e, ch, st, next, wait, (l) => { stopped = true; runDialplan(e, ch, l) || e.calls.dialplanHangup(ch, 0); },
      () => { stopped = true; ch.dialplanStop = undefined; });
  };
  next();
  return true;
}

function exec(e: Engine, ch: Channel, st: Step, next: () => void, wait: (ms: number, fn: () => void) => void,
  goto: (l: Location) => void, park: () => void): void {
  const args = st.data.split(',');
  switch (st.app) {
    case 'NoOp': case 'Set': case 'Progress':
      if (st.app === 'Set') {
        const [k, v = ''] = st.data.split('=');
        if (k === 'CHANNEL(language)') ch.language = v; else ch.vars.set(k, v);
      }
      wait(0, next); return;
    case 'Answer': {
      const ringing = ch.state !== 'Up';
      e.calls.answer(ch);
      if (!ringing || ch.kind !== 'local2' || !ch.peer) { wait(0, next); return; }
      // Answer() waits for the first audio frame, at most 500 ms: on a Local half that is the other half's first
      // playback (traced in c1), otherwise the full 500 ms (c7a, b, l).
      const peer = ch.peer;
      let done = false;
      const go = () => { if (done) return; done = true; peer.onMediaOut = undefined; next(); };
      peer.onMediaOut = () => wait(0, go);
      wait(ANSWER_WAIT_MS, go);
      return;
    }
    case 'Wait': wait(Number(args[0] || 0) * 1000, next); return;
    case 'Ringing': wait(0, next); e.calls.localRinging(ch); return;
    case 'Playback': {
      const dur = e.w.sounds.get(args[0], ch.language)?.durationMs;
      if (dur === undefined) { e.w.setVar(ch, 'PLAYBACKSTATUS', 'FAILED'); wait(0, next); return; }
      e.calls.talkToPeer(ch, dur);
      // On the caller-facing channel (a trunk caller, or the ;2 half a Local caller dials) the caller hears it.
      const heard = ch.kind === 'trunk' || ch.kind === 'local2' ? { media: `sound:${args[0]}`, startedAt: e.w.stamp() } as { media: string; startedAt: string; finishedAt?: string } : undefined;
      if (heard) ch.heard.push(heard);
      wait(dur, () => { if (heard) heard.finishedAt = e.w.stamp(); e.w.setVar(ch, 'PLAYBACKSTATUS', 'SUCCESS'); next(); });
      return;
    }
    case 'SendDTMF': {
      const digits = args[0].replace(/[^0-9*#A-Dw]/gi, '');
      const between = Number(args[1] || 100), duration = Number(args[2] || 100);
      let at = 0;
      for (const d of digits) {
        at += duration;
        if (d.toLowerCase() !== 'w') { const t = at; wait(t, () => undefined); e.w.after(ch, t, () => e.calls.dtmfToPeer(ch, d, duration)); }
        else at += 500;
        at += between;
      }
      wait(at, next);
      return;
    }
    case 'Busy': e.calls.localBusy(ch, 17, 'BUSY'); return;
    case 'Congestion': e.calls.localBusy(ch, 34, 'CONGESTION'); return;
    case 'Hangup': e.calls.dialplanHangup(ch, Number(args[0] || 16)); return;
    case 'GotoIf': {
      // Only the form the shipped dialplan uses: $["${VAR}" = "VALUE"]?label
      const m = /^\$\["\$\{(\w+)\}" = "([^"]*)"\]\?([\w-]+)$/.exec(st.data);
      if (m && (ch.vars.get(m[1]) ?? '') === m[2]) { goto({ context: ch.dialplan.context, exten: ch.dialplan.exten, priority: 0, label: m[3] }); return; }
      wait(0, next);
      return;
    }
    case 'Goto': {
      const [a, b, c] = args;
      if (c !== undefined) goto({ context: a, exten: b, priority: Number(c) });
      else if (b !== undefined) goto({ context: ch.dialplan.context, exten: a, priority: Number(b) });
      else goto({ context: ch.dialplan.context, exten: ch.dialplan.exten, priority: Number(a) });
      return;
    }
    case 'Stasis': {
      const [app, ...appArgs] = args;
      park();
      if (!e.w.enterStasis(ch, app, appArgs)) {
        e.w.setVar(ch, 'STASISSTATUS', 'FAILED');
        runDialplan(e, ch, { context: ch.dialplan.context, exten: ch.dialplan.exten, priority: ch.dialplan.priority + 1 });
      }
      return;
    }
    case 'MusicOnHold': case 'Echo':
      ch.heard.push({ media: st.app === 'Echo' ? 'echo' : `moh:${args[0] || 'default'}`, startedAt: e.w.stamp() });
      if (args[1]) wait(Number(args[1]) * 1000, next);
      return;
    default:
      wait(0, next);
  }
}
