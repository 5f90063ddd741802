// transfer: sends the call out of the flow (the 12345 hotline, a mediation centre's number). A successful transfer
// ends the flow; `failed` lets the flow apologise and queue the call instead.
import { z } from 'zod';
import { defineNode } from '../types.js';
import { varName } from './common.js';

export const transfer = defineNode({
  type: 'transfer',
  schema: z
    .strictObject({
      /** Dial string or number, e.g. PJSIP/8001 or 12345. */
      target: z.string().regex(/^[\w/@.+:-]+$/, 'a transfer target is a dial string like PJSIP/8001').optional(),
      /** Or a variable holding it. */
      targetVar: varName.optional(),
    })
    .refine((p) => (p.target === undefined) !== (p.targetVar === undefined), 'give exactly one of target, targetVar'),
  outcomes: ['transferred', 'failed'],
  input: false,
  ends: ['transferred'],
  async run({ port, params, vars }) {
    const target = params.target ?? (params.targetVar === undefined ? undefined : vars[params.targetVar]);
    if (target === undefined || target === '') return { outcome: 'failed' };
    const r = await port.transfer(String(target));
    return { outcome: r.reason };
  },
});
