// callback: a queued callback (排队回拨). The caller confirms the number to call back — the one they are calling from,
// read out, or one they key in — and the request is written on the call record (tags callbackNumber and
// callbackPlace); lib/callbacks turns it into a callback that keeps the caller's place in the queue (`queuePlace`,
// set by the queue node; absent, the place is now). The caller then hears that we will call and the flow goes on
// (typically to goodbye). Key 1 accepts the number read out, key 2 enters another.
import { z } from 'zod';
import { defineNode } from '../types.js';
import { askKey, extraPrompts, key, ms, promptSpec, resolvePrompts, retries } from './common.js';

const PHONE = /^(1[3-9][0-9]{9}|0[1-9][0-9]{8,10}|[1-9][0-9]{6,7})$/;

export const callback = defineNode({
  type: 'callback',
  schema: z.strictObject({
    /** Read before and after the caller's own number: "we will call back" ... "press 1 to confirm, 2 for another". */
    confirmBefore: z.array(promptSpec).min(1),
    confirmAfter: z.array(promptSpec).min(1),
    enterPrompts: z.array(promptSpec).min(1),
    acceptedPrompts: extraPrompts,
    confirmKey: key.default('1'),
    otherKey: key.default('2'),
    timeoutMs: ms(6000),
    retries: retries(),
    invalidPrompts: extraPrompts,
    timeoutPrompts: extraPrompts,
  }),
  outcomes: ['requested', 'timeout', 'nomatch', 'error'],
  input: true,
  async run({ port, params, vars }) {
    const own = port.call.callerNumber;
    const entries: string[] = [];
    let number: string | undefined;
    // A caller without a usable number (withheld) must key one in.
    if (PHONE.test(own)) {
      const ask = await askKey(port, {
        prompts: resolvePrompts([...params.confirmBefore, { digits: own }, ...params.confirmAfter], vars),
        keys: new Set([params.confirmKey, params.otherKey]), timeoutMs: params.timeoutMs, retries: params.retries,
        invalidPrompts: resolvePrompts(params.invalidPrompts, vars), timeoutPrompts: resolvePrompts(params.timeoutPrompts, vars),
      });
      entries.push(...ask.entries);
      if (ask.kind !== 'key') return { outcome: ask.kind, entries };
      if (ask.key === params.confirmKey) number = own;
    }
    for (let failures = 0; number === undefined;) {
      const r = await port.collect({
        prompts: resolvePrompts(params.enterPrompts, vars), minDigits: 7, maxDigits: 12, terminator: '#',
        firstDigitTimeoutMs: params.timeoutMs, interDigitTimeoutMs: 4000,
      });
      if (r.reason === 'error') return { outcome: 'error', entries };
      entries.push(r.digits);
      if (PHONE.test(r.digits)) { number = r.digits; break; }
      failures++;
      const kind = r.digits === '' ? 'timeout' : 'nomatch';
      if (failures >= params.retries) return { outcome: kind, entries };
      const sorry = resolvePrompts(kind === 'timeout' ? params.timeoutPrompts : params.invalidPrompts, vars);
      if (sorry.length) await port.play(sorry, { interruptible: true });
    }
    const place = typeof vars.queuePlace === 'number' ? vars.queuePlace : Date.now() * 1000;
    port.tag('callbackNumber', number);
    port.tag('callbackPlace', place);
    vars.callbackNumber = number;
    if (params.acceptedPrompts.length) await port.play(resolvePrompts(params.acceptedPrompts, vars), { interruptible: false });
    return { outcome: 'requested', entries };
  },
});
