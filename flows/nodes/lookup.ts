// lookup: calls a named pluggable function through the port (application status by case number, caller history,
// the vulnerable-callers list). Arguments come from variables, caller attributes, call fields or literals; the
// result's scalar fields land in variables `<into>.<field>` for conditions and prompts.
import { z } from 'zod';
import { defineNode } from '../types.js';
import { VAR_NAME, varName } from './common.js';

const CALL_FIELDS = ['callerNumber', 'calledNumber', 'callId', 'arrivedAt'] as const;
type Arg = string | number | boolean | { var: string } | { attr: string } | { call: (typeof CALL_FIELDS)[number] };

// A custom check rather than a zod union: one readable message instead of "invalid input".
function argOk(a: unknown): boolean {
  if (typeof a === 'string' || typeof a === 'boolean' || (typeof a === 'number' && Number.isFinite(a))) return true;
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return false;
  const e = Object.entries(a);
  if (e.length !== 1) return false;
  const [k, v] = e[0];
  if (k === 'var') return typeof v === 'string' && VAR_NAME.test(v);
  if (k === 'attr') return typeof v === 'string' && v !== '';
  return k === 'call' && (CALL_FIELDS as readonly unknown[]).includes(v);
}
const arg = z.custom<Arg>(argOk, {
  error: `an argument is a literal, {var: name}, {attr: name} or {call: ${CALL_FIELDS.join('|')}}`,
});

export const lookup = defineNode({
  type: 'lookup',
  schema: z.strictObject({
    function: z.string().regex(/^[A-Za-z][\w.-]*$/, 'a function name is letters, digits, _ . -'),
    args: z.record(z.string(), arg).default({}),
    into: varName,
  }),
  outcomes: ['found', 'notFound', 'error'],
  input: false,
  async run({ port, params, vars }) {
    const args: Record<string, unknown> = {};
    for (const [k, a] of Object.entries(params.args)) {
      if (typeof a !== 'object') args[k] = a;
      else if ('var' in a) args[k] = vars[a.var];
      else if ('attr' in a) args[k] = port.call.attributes[a.attr];
      else args[k] = port.call[a.call];
    }
    const r = await port.lookup(params.function, args);
    if (r.reason !== 'found') return { outcome: r.reason };
    for (const [k, v] of Object.entries(r.value)) {
      if (v === null || v === undefined) continue;
      // Nested values are kept as JSON text: variables are scalars so that conditions stay simple.
      vars[`${params.into}.${k}`] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
    }
    return { outcome: 'found' };
  },
});
