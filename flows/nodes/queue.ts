// queue: hands the call to the ACD (port.enqueue). Line, topic and priority default to what set nodes stored in the
// variables, so one queue node can serve every line. `answered` means the conversation with a person is over and the
// flow goes on (typically to the survey); `overflow` means nobody answered within maxWaitMs; `callback` that the
// caller pressed the callback key. Both leave the caller's place in the queue in `queuePlace` for a queued callback.
import { z } from 'zod';
import { defineNode } from '../types.js';
import { extraPrompts, key, resolvePrompts, varName } from './common.js';
import { SERVICE_LINES } from './set.js';

export const queue = defineNode({
  type: 'queue',
  schema: z.strictObject({
    line: z.enum(SERVICE_LINES).optional(),
    topic: z.string().regex(/^[a-z][a-z0-9_-]*$/).optional(),
    priority: z.number().int().min(0).max(9).optional(),
    /** Variable holding a lawyer's staff number (工号) the caller asked for (点名咨询). */
    agentVar: varName.optional(),
    /** A dialect the caller chose (e.g. from a dialect menu); default: the `dialect` variable, then the caller's profile. */
    dialect: z.string().min(1).max(20).optional(),
    maxWaitMs: z.number().int().min(1000).max(3_600_000).default(120_000),
    announce: extraPrompts,
    /** Pressed while waiting: the `callback` branch, the caller's place kept in the `queuePlace` variable. */
    callbackKey: key.optional(),
  }),
  outcomes: ['answered', 'overflow', 'callback', 'error'],
  // A flow that offers no callback key needs no callback branch; one that does without a branch goes to overflow.
  implied: { callback: 'overflow' },
  input: false,
  async run({ port, params, vars }) {
    const fromVars = (k: string) => (typeof vars[k] === 'string' && vars[k] !== '' ? (vars[k] as string) : undefined);
    const line = params.line ?? fromVars('line') ?? 'operator';
    // A call that reaches a person without having picked a line is recorded as 'operator'.
    if (vars.line === undefined) {
      vars.line = line;
      port.tag('line', line);
    }
    const p = params.priority ?? Number(vars.priority ?? 0);
    const agent = params.agentVar === undefined ? undefined : vars[params.agentVar];
    const r = await port.enqueue({
      line,
      topic: params.topic ?? fromVars('topic'),
      priority: Number.isFinite(p) ? p : 0,
      requestedAgent: agent === undefined || agent === '' ? undefined : String(agent),
      dialect: params.dialect ?? fromVars('dialect'),
      callbackKey: params.callbackKey,
      maxWaitMs: params.maxWaitMs,
      announce: params.announce.length ? resolvePrompts(params.announce, vars) : undefined,
    });
    if (r.reason === 'answered') {
      vars.agent = r.agent;
      return { outcome: 'answered' };
    }
    if (r.reason === 'overflow' || r.reason === 'callback') {
      if (r.place !== undefined) vars.queuePlace = r.place;
      return { outcome: r.reason };
    }
    return { outcome: r.reason };
  },
});
