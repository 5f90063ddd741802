// condition: a test on flow variables, caller attributes (green channel list, ...) and the call itself.
//   { var: line, eq: consultation }        { attr: vulnerable, eq: true }
//   { call: callerNumber, matches: '^0' }  { all: [...] }  { any: [...] }  { not: {...} }
// Values are compared loosely (collected digits are strings; '1' equals 1) because flows are written by people.
import { z } from 'zod';
import type { CallInfo } from '../../ivr/port.js';
import { defineNode, type VarValue, type Vars } from '../types.js';

type Scalar = string | number | boolean;
const OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'matches', 'exists'] as const;
const SELECTORS = ['var', 'attr', 'call'] as const;
const CALL_FIELDS = ['callerNumber', 'calledNumber', 'callId', 'arrivedAt'] as const;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | ({ var?: string; attr?: string; call?: (typeof CALL_FIELDS)[number] } & {
      eq?: Scalar; ne?: Scalar; lt?: number; le?: number; gt?: number; ge?: number;
      in?: Scalar[]; matches?: string; exists?: boolean;
    });

const scalar = z.union([z.string(), z.number(), z.boolean()]);

// One flat strict object checked by hand gives precise messages ("needs exactly one operator") where a zod union
// would only say "invalid input".
export const condition: z.ZodType<Condition> = z.lazy(() =>
  z
    .strictObject({
      all: z.array(condition).min(1).optional(),
      any: z.array(condition).min(1).optional(),
      not: condition.optional(),
      var: z.string().min(1).optional(),
      attr: z.string().min(1).optional(),
      call: z.enum(CALL_FIELDS).optional(),
      eq: scalar.optional(), ne: scalar.optional(),
      lt: z.number().optional(), le: z.number().optional(), gt: z.number().optional(), ge: z.number().optional(),
      in: z.array(scalar).min(1).optional(),
      matches: z.string().optional(),
      exists: z.boolean().optional(),
    })
    .superRefine((c, ctx) => {
      const has = (k: string) => (c as Record<string, unknown>)[k] !== undefined;
      const groups = ['all', 'any', 'not'].filter(has);
      const sel = SELECTORS.filter(has);
      const ops = OPS.filter(has);
      if (groups.length > 0) {
        if (groups.length + sel.length + ops.length > 1) {
          ctx.addIssue({ code: 'custom', message: `'${groups[0]}' cannot be combined with other keys` });
        }
        return;
      }
      if (sel.length !== 1) ctx.addIssue({ code: 'custom', message: 'a test needs exactly one of var, attr, call (or all/any/not)' });
      if (ops.length !== 1) ctx.addIssue({ code: 'custom', message: `a test needs exactly one operator (${OPS.join(', ')})` });
      if (c.matches !== undefined) {
        try {
          new RegExp(c.matches);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'not a valid regular expression', path: ['matches'] });
        }
      }
    }),
);

function same(a: VarValue, b: Scalar): boolean {
  return a === b || String(a) === String(b);
}

function num(v: VarValue | undefined): number | undefined {
  if (v === undefined || v === '' || typeof v === 'boolean') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Evaluates a validated condition. Missing values fail every test except `ne` and `exists: false`. */
export function evaluate(c: Condition, vars: Vars, call: CallInfo): boolean {
  if ('all' in c && c.all) return c.all.every((x) => evaluate(x, vars, call));
  if ('any' in c && c.any) return c.any.some((x) => evaluate(x, vars, call));
  if ('not' in c && c.not) return !evaluate(c.not, vars, call);
  const t = c as Exclude<Condition, { all: unknown } | { any: unknown } | { not: unknown }>;
  const v: VarValue | undefined =
    t.var !== undefined ? vars[t.var] : t.attr !== undefined ? call.attributes[t.attr] : t.call !== undefined ? call[t.call] : undefined;
  if (t.exists !== undefined) return (v !== undefined && v !== '') === t.exists;
  if (t.ne !== undefined) return v === undefined || !same(v, t.ne);
  if (v === undefined) return false;
  if (t.eq !== undefined) return same(v, t.eq);
  if (t.in !== undefined) return t.in.some((x) => same(v, x));
  if (t.matches !== undefined) return new RegExp(t.matches).test(String(v));
  const n = num(v);
  if (n === undefined) return false;
  if (t.lt !== undefined) return n < t.lt;
  if (t.le !== undefined) return n <= t.le;
  if (t.gt !== undefined) return n > t.gt;
  if (t.ge !== undefined) return n >= t.ge;
  return false;
}

export const conditionNode = defineNode({
  type: 'condition',
  schema: condition,
  outcomes: ['true', 'false'],
  input: false,
  async run({ port, params, vars }) {
    return { outcome: evaluate(params, vars, port.call) ? 'true' : 'false' };
  },
});
