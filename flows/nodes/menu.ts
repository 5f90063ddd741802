// menu: one key picks a branch. Options map a key to a target node; the runner follows params.options[option].
// Timeouts and wrong keys are retried (with the timeout / invalid prompts) until `retries` attempts failed, then the
// timeout or nomatch branch is taken, according to the last failure. The repeat key replays the prompts.
import { z } from 'zod';
import { defineNode } from '../types.js';
import { askKey, extraPrompts, key, ms, prompts, resolvePrompts, retries } from './common.js';

export const menu = defineNode({
  type: 'menu',
  schema: z
    .strictObject({
      prompts,
      options: z.record(key, z.string()).refine((o) => Object.keys(o).length > 0, 'a menu needs at least one option'),
      timeoutMs: ms(5000),
      retries: retries(),
      invalidPrompts: extraPrompts,
      timeoutPrompts: extraPrompts,
      repeatKey: key.optional(),
    })
    .refine((p) => p.repeatKey === undefined || !(p.repeatKey in p.options), {
      message: 'the repeat key is also an option',
      path: ['repeatKey'],
    }),
  outcomes: ['chosen', 'timeout', 'nomatch', 'error'],
  input: true,
  choices: { outcome: 'chosen', param: 'options' },
  async run({ port, params, vars }) {
    const r = await askKey(port, {
      prompts: resolvePrompts(params.prompts, vars),
      keys: new Set(Object.keys(params.options)),
      timeoutMs: params.timeoutMs,
      retries: params.retries,
      invalidPrompts: resolvePrompts(params.invalidPrompts, vars),
      timeoutPrompts: resolvePrompts(params.timeoutPrompts, vars),
      repeatKey: params.repeatKey,
    });
    if (r.kind === 'key') return { outcome: 'chosen', option: r.key, entries: r.entries };
    return { outcome: r.kind, entries: r.entries };
  },
});
