// survey: the satisfaction rating after the conversation (一次一评): 1 满意, 2 基本满意, 3 不满意. The rating is
// tagged on the call as `rating` (the code below) so that every dissatisfied rating can be called back.
import { z } from 'zod';
import { defineNode } from '../types.js';
import { askKey, extraPrompts, ms, prompts, resolvePrompts, retries } from './common.js';

export const RATINGS = { '1': 'satisfied', '2': 'basically_satisfied', '3': 'dissatisfied' } as const;

export const survey = defineNode({
  type: 'survey',
  schema: z.strictObject({
    prompts,
    timeoutMs: ms(6000),
    retries: retries(2),
    invalidPrompts: extraPrompts,
    timeoutPrompts: extraPrompts,
    /** Played after a rating ("thank you"). */
    thanksPrompts: extraPrompts,
  }),
  outcomes: ['rated', 'timeout', 'nomatch', 'error'],
  input: true,
  async run({ port, params, vars }) {
    const r = await askKey(port, {
      prompts: resolvePrompts(params.prompts, vars),
      keys: new Set(Object.keys(RATINGS)),
      timeoutMs: params.timeoutMs,
      retries: params.retries,
      invalidPrompts: resolvePrompts(params.invalidPrompts, vars),
      timeoutPrompts: resolvePrompts(params.timeoutPrompts, vars),
    });
    if (r.kind !== 'key') return { outcome: r.kind, entries: r.entries };
    const rating = RATINGS[r.key as keyof typeof RATINGS];
    vars.rating = rating;
    port.tag('rating', rating);
    const thanks = resolvePrompts(params.thanksPrompts, vars);
    // The rating is stored before thanking: a caller who hangs up now has still rated.
    if (thanks.length) await port.play(thanks, { interruptible: false });
    return { outcome: 'rated', option: r.key, entries: r.entries };
  },
});
