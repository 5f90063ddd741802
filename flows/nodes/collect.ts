// collect: several digits (a case number, a lawyer's staff number 工号) into a variable. Entry ends at maxDigits, at
// the terminator, or when the caller pauses (inter-digit timeout) after at least minDigits. Nothing at all is a
// timeout; too few digits or a value failing `pattern` is a nomatch; both are retried like a menu.
import { z } from 'zod';
import type { CallPort, CollectResult } from '../../ivr/port.js';
import { defineNode } from '../types.js';
import { extraPrompts, key, ms, prompts, resolvePrompts, retries, varName } from './common.js';

const regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const collect = defineNode({
  type: 'collect',
  schema: z
    .strictObject({
      prompts,
      into: varName,
      minDigits: z.number().int().min(1).max(32).default(1),
      maxDigits: z.number().int().min(1).max(32),
      terminator: key.optional(),
      firstDigitTimeoutMs: ms(5000),
      interDigitTimeoutMs: ms(3000),
      /** Matched against the whole entry (anchored). */
      pattern: regex.optional(),
      retries: retries(),
      invalidPrompts: extraPrompts,
      timeoutPrompts: extraPrompts,
    })
    .refine((p) => p.minDigits <= p.maxDigits, { message: 'minDigits is larger than maxDigits', path: ['minDigits'] }),
  outcomes: ['ok', 'timeout', 'nomatch', 'error'],
  input: true,
  async run({ port, params, vars }) {
    const pattern = params.pattern === undefined ? undefined : new RegExp(`^(?:${params.pattern})$`);
    const entries: string[] = [];
    let failures = 0;
    for (;;) {
      const r = await enter(port, params, resolvePrompts(params.prompts, vars));
      if (r.reason === 'error') return { outcome: 'error', entries };
      const d = r.digits;
      entries.push(d);
      if (d.length >= params.minDigits && d.length <= params.maxDigits && (!pattern || pattern.test(d))) {
        vars[params.into] = d;
        return { outcome: 'ok', entries };
      }
      failures++;
      // Only silence is a timeout; a terminator alone or a short entry means the caller tried.
      const kind = d === '' && r.reason === 'timeout' ? 'timeout' : 'nomatch';
      if (failures >= params.retries) return { outcome: kind, entries };
      const sorry = resolvePrompts(kind === 'timeout' ? params.timeoutPrompts : params.invalidPrompts, vars);
      if (sorry.length) await port.play(sorry, { interruptible: true });
    }
  },
});

type P = { minDigits: number; maxDigits: number; terminator?: string; firstDigitTimeoutMs: number; interDigitTimeoutMs: number };

/**
 * One attempt. Digits typed ahead during an earlier prompt start the entry: the prompts are not replayed and the
 * caller, already typing, gets the inter-digit timeout.
 */
async function enter(port: CallPort, p: P, list: ReturnType<typeof resolvePrompts>): Promise<CollectResult> {
  const ahead = port.takeTypeAhead();
  if (!ahead) {
    return port.collect({
      prompts: list, minDigits: p.minDigits, maxDigits: p.maxDigits, terminator: p.terminator,
      firstDigitTimeoutMs: p.firstDigitTimeoutMs, interDigitTimeoutMs: p.interDigitTimeoutMs,
    });
  }
  const end = p.terminator ? ahead.indexOf(p.terminator) : -1;
  if (end >= 0) return { reason: 'digits', digits: ahead.slice(0, Math.min(end, p.maxDigits)) };
  if (ahead.length >= p.maxDigits) return { reason: 'digits', digits: ahead.slice(0, p.maxDigits) };
  const rest = await port.collect({
    prompts: [], minDigits: Math.max(0, p.minDigits - ahead.length), maxDigits: p.maxDigits - ahead.length,
    terminator: p.terminator, firstDigitTimeoutMs: p.interDigitTimeoutMs, interDigitTimeoutMs: p.interDigitTimeoutMs,
  });
  return rest.reason === 'error' ? rest : { reason: rest.reason, digits: ahead + rest.digits };
}
