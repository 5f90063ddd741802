// The contract between flow documents, node modules and the session runner (ivr/). A node module is one small file
// under flows/nodes/ (like one-file-per-verb task modules): its params schema, its closed set of outcomes and how it
// runs against the narrow CallPort. The runner never interprets params itself; it runs a node and follows the
// transition named by the outcome the node returned.
import type { z } from 'zod';
import type { CallPort } from '../ivr/port.js';

/** Values a flow variable or call tag can hold (they end up in the call record and in conditions). */
export type VarValue = string | number | boolean;

/** Per-call variables: written by collect, set and lookup nodes, read by condition, lookup, queue and prompts. */
export type Vars = Record<string, VarValue>;

/**
 * Business hours, injected so that the hours node does not know where holidays and 调休 come from. The real calendar
 * (Chinese public holidays and make-up working days) lives elsewhere; it is expected to interpret `at` in China time
 * and to THROW for a date in a year it has no data for — the hours node turns that into its `error` outcome rather
 * than guessing open or closed.
 */
export interface Calendar {
  /** `schedule` names a set of hours (e.g. 'default', 'legal-aid'); undefined means the calendar's default. */
  isOpen(at: Date, schedule?: string): boolean | Promise<boolean>;
}

/** Things some nodes need besides the port. Only `hours` uses the calendar today. */
export interface NodeServices {
  calendar: Calendar;
}

/** What a node gets each time it runs. `vars` is the session's own object: nodes write into it directly. */
export interface NodeContext<P> {
  port: CallPort;
  params: P;
  vars: Vars;
  nodeId: string;
  services: NodeServices;
}

/**
 * What a node returns. `outcome` is one of its module's `outcomes`. For the outcome named by the module's `choices`
 * (menu: 'chosen') `option` says which entry of the params map the caller picked; the runner follows
 * `params[choices.param][option]`. `entries` lists what the caller keyed on each attempt ('' for a timeout), for the
 * call record's path.
 */
export interface NodeResult<O extends string = string> {
  outcome: O;
  option?: string;
  entries?: string[];
}

/** The runner's transition target meaning "the flow is over": hang up if the call is still connected. */
export const END = 'end';
export type Target = string; // a node id, or END

/**
 * One node type. `input` says the node waits for the caller (keys or speech): only cycles through a waiting outcome
 * of an input node are allowed, so a broken flow can never spin without the caller doing something.
 */
export interface NodeModule<T extends string = string, S extends z.ZodType = z.ZodType, O extends string = string> {
  readonly type: T;
  /** Params schema (zod). The loader validates params with it; `run` gets its output (defaults applied). */
  readonly schema: S;
  /** The closed union of outcomes `run` may return. */
  readonly outcomes: readonly O[];
  readonly input: boolean;
  /** Outcomes after which the call has left the flow (hung up, transferred): they take no target. */
  readonly ends?: readonly O[];
  /** Outcomes that, when the flow names no target, follow another outcome's target (play: error -> done). */
  readonly implied?: Partial<Record<O, O>>;
  /** An outcome whose target comes from a params map instead of `on` (menu: chosen -> params.options[digit]). */
  readonly choices?: { outcome: O; param: string };
  /** Returns one of `outcomes`. Lets HangupError (and only unexpected bugs) propagate; port errors become outcomes. */
  run(ctx: NodeContext<z.output<S>>): Promise<NodeResult<O>>;
}

/** Identity helper that keeps the literal types of `type` and `outcomes` for the registry. */
export function defineNode<const T extends string, S extends z.ZodType, const O extends string>(
  m: NodeModule<T, S, O>,
): NodeModule<T, S, O> {
  return m;
}

/** A problem found when loading or validating a flow. line/col are 1-based; 0 when the input had no source text. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  reason: string;
  /** Where in the document (keys and indexes), for editors that point at the field. */
  path: (string | number)[];
}

/** Layout and descriptions for editors and the graph; the runner ignores it. */
export interface FlowMeta {
  title?: string;
  description?: string;
  nodes?: Record<string, { label?: string; description?: string; x?: number; y?: number; [k: string]: unknown }>;
  [k: string]: unknown;
}
