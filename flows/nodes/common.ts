// Pieces shared by node modules: the prompt and key schemas, prompt resolution against variables, and the
// "ask for one key with retries" loop that menu and survey both are.
import { z } from 'zod';
import type { CallPort, PromptRef } from '../../ivr/port.js';
import type { Vars } from '../types.js';

/** A prompt in a flow: a catalogue id, spoken digits, a number, or a variable read as one of those. */
export type PromptSpec =
  | string
  | { digits: string }
  | { number: number }
  /** `as: prompts`: the variable holds several catalogue ids separated by spaces (a date read out by a lookup). */
  | { var: string; as?: 'prompt' | 'prompts' | 'digits' | 'number' };

export const PROMPT_ID = /^[A-Za-z0-9][\w\-./]*$/;
export const VAR_NAME = /^[A-Za-z_][\w.]*$/;
export const KEY = /^[0-9*#]$/;

/** Why a value is not a prompt, or undefined. One custom check gives one readable message instead of a union dump. */
function promptProblem(v: unknown): string | undefined {
  if (typeof v === 'string') return PROMPT_ID.test(v) ? undefined : `bad prompt id '${v}'`;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return 'a prompt is a prompt id, {digits: "..."}, {number: n} or {var: name}';
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (keys === 'digits') return typeof o.digits === 'string' && /^[0-9*#]+$/.test(o.digits) ? undefined : 'digits must be a string of 0-9 * #';
  if (keys === 'number') return typeof o.number === 'number' && Number.isFinite(o.number) ? undefined : 'number must be a number';
  if (keys === 'var' || keys === 'as,var') {
    if (typeof o.var !== 'string' || !VAR_NAME.test(o.var)) return 'var must be a variable name';
    if (o.as !== undefined && o.as !== 'prompt' && o.as !== 'prompts' && o.as !== 'digits' && o.as !== 'number') return "as must be 'prompt', 'prompts', 'digits' or 'number'";
    return undefined;
  }
  return 'a prompt is a prompt id, {digits: "..."}, {number: n} or {var: name}';
}

export const promptSpec = z.custom<PromptSpec>((v) => promptProblem(v) === undefined, {
  error: (iss) => promptProblem(iss.input) ?? 'bad prompt',
});
export const prompts = z.array(promptSpec).min(1, 'needs at least one prompt');
export const extraPrompts = z.array(promptSpec).default([]);
export const key = z.string().regex(KEY, 'a key is one of 0-9 * #');
export const varName = z.string().regex(VAR_NAME, 'a variable name is letters, digits, _ and .');
/** Milliseconds a caller may be given: 0.1 s to 10 min. */
export const ms = (def: number) => z.number().int().min(100).max(600_000).default(def);
/** Failed attempts (timeouts or invalid entries) after which the timeout/nomatch branch is taken: 3 = three tries. */
export const retries = (def = 3) => z.number().int().min(1).max(9).default(def);

/** Turns flow prompts into port prompts; a prompt whose variable is missing or unusable is skipped, not fatal. */
export function resolvePrompts(specs: readonly PromptSpec[], vars: Vars): PromptRef[] {
  const out: PromptRef[] = [];
  for (const s of specs) {
    if (typeof s === 'string' || 'digits' in s || 'number' in s) {
      out.push(s);
      continue;
    }
    const v = vars[s.var];
    if (v === undefined || v === '') continue;
    if (s.as === 'digits') {
      const d = String(v);
      if (/^[0-9*#]+$/.test(d)) out.push({ digits: d });
    } else if (s.as === 'number') {
      const n = Number(v);
      if (Number.isFinite(n)) out.push({ number: n });
    } else if (s.as === 'prompts') {
      for (const id of String(v).split(/\s+/)) if (id && PROMPT_ID.test(id)) out.push(id);
    } else if (typeof v === 'string' && PROMPT_ID.test(v)) {
      out.push(v);
    }
  }
  return out;
}

export interface AskKey {
  prompts: PromptRef[];
  keys: ReadonlySet<string>;
  timeoutMs: number;
  retries: number;
  invalidPrompts: PromptRef[];
  timeoutPrompts: PromptRef[];
  repeatKey?: string;
}

export type AskResult =
  | { kind: 'key'; key: string; entries: string[] }
  | { kind: 'timeout' | 'nomatch' | 'error'; entries: string[] };

/** A caller holding the repeat key down forever must not keep the call in the menu: after this it is a wrong key. */
export const MAX_REPEATS = 5;

/**
 * Offers one key until the caller picks a valid one or `retries` attempts failed. A key typed ahead during an earlier
 * prompt answers the first attempt without replaying the prompts (only its first digit: a menu takes one key).
 */
export async function askKey(port: CallPort, a: AskKey): Promise<AskResult> {
  const entries: string[] = [];
  let failures = 0;
  let repeats = 0;
  for (;;) {
    // One key per menu: a caller who typed several ahead ("12") answers the next menus with the rest.
    const ahead = port.takeTypeAhead(1);
    let k: string;
    if (ahead) {
      k = ahead[0];
    } else {
      const r = await port.collect({
        prompts: a.prompts, minDigits: 1, maxDigits: 1,
        firstDigitTimeoutMs: a.timeoutMs, interDigitTimeoutMs: a.timeoutMs,
      });
      if (r.reason === 'error') return { kind: 'error', entries };
      k = r.digits.slice(0, 1);
    }
    entries.push(k);
    if (k && k === a.repeatKey && repeats < MAX_REPEATS) {
      repeats++;
      continue;
    }
    if (k && a.keys.has(k)) return { kind: 'key', key: k, entries };
    failures++;
    const kind = k ? 'nomatch' : 'timeout';
    if (failures >= a.retries) return { kind, entries };
    const sorry = kind === 'timeout' ? a.timeoutPrompts : a.invalidPrompts;
    // A missing "invalid key" prompt must not end the menu: its result is ignored and the menu is offered again.
    if (sorry.length) await port.play(sorry, { interruptible: true });
  }
}
