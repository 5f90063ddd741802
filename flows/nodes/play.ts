// play: a list of prompts. Interruptible by default: a key pressed during it stops the prompts and is kept by the
// port as type-ahead for the next input node (menu, collect, survey), so callers who know the menu need not wait.
import { z } from 'zod';
import { defineNode } from '../types.js';
import { prompts, resolvePrompts } from './common.js';

export const play = defineNode({
  type: 'play',
  schema: z.strictObject({
    prompts,
    interruptible: z.boolean().default(true),
  }),
  outcomes: ['done', 'error'],
  input: false,
  // A prompt that fails to play (a missing sound) must not strand the caller: unless the flow says otherwise, the
  // flow goes on as if it had played.
  implied: { error: 'done' },
  async run({ port, params, vars }) {
    const list = resolvePrompts(params.prompts, vars);
    if (list.length === 0) return { outcome: 'done' };
    const r = await port.play(list, { interruptible: params.interruptible });
    return { outcome: r.reason === 'error' ? 'error' : 'done' };
  },
});
