// voicemail: records a message after the prompts (after hours: "leave your name, number and matter"). The
// recording's name is tagged on the call BEFORE recording, because most callers end a message by hanging up —
// the port then rejects with HangupError and the node gets no result, but the record still names the message.
import { z } from 'zod';
import { defineNode } from '../types.js';
import { extraPrompts, key, resolvePrompts, varName } from './common.js';

export const voicemail = defineNode({
  type: 'voicemail',
  schema: z.strictObject({
    prompts: extraPrompts,
    beep: z.boolean().default(true),
    maxDurationMs: z.number().int().min(5000).max(600_000).default(120_000),
    maxSilenceMs: z.number().int().min(1000).max(60_000).default(5000),
    terminateOn: key.default('#'),
    into: varName.default('voicemail'),
  }),
  outcomes: ['recorded', 'error'],
  input: true,
  async run({ port, params, vars, nodeId }) {
    const list = resolvePrompts(params.prompts, vars);
    if (list.length) await port.play(list, { interruptible: false });
    // Path-safe: call ids from Asterisk look like 1700000000.42.
    const name = `voicemail-${port.call.callId}-${nodeId}`.replace(/[^\w.-]/g, '_');
    port.tag('voicemail', name);
    const r = await port.record({
      name, maxDurationMs: params.maxDurationMs, maxSilenceMs: params.maxSilenceMs,
      beep: params.beep, terminateOn: params.terminateOn,
    });
    if (r.reason === 'error') return { outcome: 'error' };
    vars[params.into] = r.recording;
    port.tag('voicemailMs', r.durationMs);
    return { outcome: 'recorded' };
  },
});
