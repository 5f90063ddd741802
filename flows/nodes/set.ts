// set: tags the call record (service line, legal topic, priority, any tag) and sets flow variables. Line, topic and
// priority are also kept as variables (line, topic, priority) so that later nodes (queue, condition) can read them.
import { z } from 'zod';
import { defineNode } from '../types.js';
import { VAR_NAME } from './common.js';

export const SERVICE_LINES = ['consultation', 'application', 'appointment', 'supervision', 'complaint', 'operator'] as const;
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const names = (what: string) => z.record(z.string().regex(VAR_NAME, `bad ${what} name`), scalar);

export const set = defineNode({
  type: 'set',
  schema: z
    .strictObject({
      line: z.enum(SERVICE_LINES).optional(),
      topic: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a topic is a lower-case code like labour or marriage-family').optional(),
      /** Higher is served first; 绿色通道 callers get a higher priority. */
      priority: z.number().int().min(0).max(9).optional(),
      vars: names('variable').optional(),
      tags: names('tag').optional(),
    })
    .refine((p) => Object.values(p).some((v) => v !== undefined), 'a set node must set something'),
  outcomes: ['done'],
  input: false,
  async run({ port, params, vars }) {
    for (const k of ['line', 'topic', 'priority'] as const) {
      const v = params[k];
      if (v === undefined) continue;
      vars[k] = v;
      port.tag(k, v);
    }
    for (const [k, v] of Object.entries(params.vars ?? {})) vars[k] = v;
    for (const [k, v] of Object.entries(params.tags ?? {})) port.tag(k, v);
    return { outcome: 'done' };
  },
});
