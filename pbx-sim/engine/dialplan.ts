/**
 * A small dialplan: just enough applications to play the callers, callees and fallbacks the traces were recorded
 * with (deploy/asterisk/extensions-conformance.conf holds the same contexts for a real Asterisk).
 */
export interface Step { app: string; data: string; label?: string }
export type Dialplan = Record<string, Record<string, Step[]>>;

const s = (app: string, data = '', label?: string): Step => ({ app, data, label });

/**
 * The simulated world's dialplan: hotline-in as deploy/asterisk/extensions.conf has it — when Stasis() fails (no
 * controller connected) the caller hears an apology instead of silence — plus the test contexts.
 */
export function defaultDialplan(app: string): Dialplan {
  const fallback = [s('Set', 'CHANNEL(language)=zh'), s('NoOp', 'inbound ${CALLERID(num)}'), s('Stasis', `${app},inbound`),
    s('NoOp', 'STASISSTATUS=${STASISSTATUS}'), s('GotoIf', '$["${STASISSTATUS}" = "SUCCESS"]?done'), s('Answer'),
    s('Playback', 'hotline-unavailable'), s('Playback', 'hotline-callback-later'), s('Hangup', '', 'done')];
  return { ...conformanceDialplan(app), 'hotline-in': { '12348': fallback, '_X.': fallback } };
}

/** The dialplan the traces in shared/ari-traces were recorded with (deploy/asterisk/extensions-conformance.conf). */
export function conformanceDialplan(app: string): Dialplan {
  return {
    'hotline-in': {
      // Priority 2 is Stasis, as in production. When the controller is down, Stasis() fails and the traced dialplan
      // goes on to its NoOp and hangs up unanswered (d2: STASISSTATUS=FAILED, hang-up cause 16 while still Ring).
      "_X.": [s('NoOp', 'inbound ${CALLERID(num)}'), s('Stasis', `${app},inbound`), s('NoOp', 'Stasis returned STASISSTATUS=${STASISSTATUS}'),
        s('Hangup')],
    },
    'hotline-after': {
      goodbye: [s('Playback', 'vm-goodbye'), s('Hangup')],
      reenter: [s('Stasis', `${app},reentered,second`), s('Hangup')],
      labeled: [s('NoOp', 'start'), s('Playback', 'vm-goodbye', 'mylabel'), s('Hangup')],
    },
    callers: {
      dtmf12: [s('Wait', '2'), s('SendDTMF', '1'), s('Wait', '1'), s('SendDTMF', '2'), s('Playback', 'tt-weasels'), s('Wait', '1'), s('Hangup')],
      dtmf12plain: [s('Wait', '2'), s('SendDTMF', '1'), s('Wait', '1'), s('SendDTMF', '2'), s('Wait', '3'), s('Hangup')],
      dtmf12hash: [s('Wait', '2'), s('SendDTMF', '1'), s('Wait', '1'), s('SendDTMF', '2'), s('Playback', 'tt-weasels'), s('SendDTMF', '#'),
        s('Wait', '2'), s('Hangup')],
      wait60: [s('Wait', '60')],
      dtmfLate: [s('Wait', '4'), s('SendDTMF', '5'), s('Wait', '4'), s('SendDTMF', '6'), s('Wait', '60')],
      dtmfDuring: [s('Wait', '2'), s('SendDTMF', '5'), s('Wait', '1'), s('SendDTMF', '6'), s('Wait', '60')],
      talker: [s('Playback', 'tt-monkeys'), s('Playback', 'tt-monkeys'), s('Playback', 'tt-monkeys'), s('Wait', '60')],
    },
    sim: {
      callee: [s('Answer'), s('Playback', 'hello-world'), s('Hangup')],
      callee60: [s('Answer'), s('Wait', '60')],
      busy: [s('Ringing'), s('Wait', '3'), s('Busy', '5')],
      noanswer: [s('Ringing'), s('Wait', '120')],
      agent8: [s('Answer'), s('Wait', '8'), s('Hangup')],
    },
  };
}

/** Finds an extension, honouring Asterisk's _X pattern for "any digits". */
export function findExten(dp: Dialplan, context: string, exten: string): Step[] | undefined {
  const ctx = dp[context];
  if (!ctx) return undefined;
  if (ctx[exten]) return ctx[exten];
  if (ctx['_X.'] && /^[0-9*#+]+$/.test(exten)) return ctx['_X.'];
  return undefined;
}
