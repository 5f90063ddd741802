// hangup: ends the call. Goodbye prompts belong in a play node before it.
import { z } from 'zod';
import { defineNode } from '../types.js';

export const hangup = defineNode({
  type: 'hangup',
  schema: z.strictObject({}),
  outcomes: ['done'],
  input: false,
  ends: ['done'],
  async run({ port }) {
    await port.hangup();
    return { outcome: 'done' };
  },
});
