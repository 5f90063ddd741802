// Validation of a flow value (parsed YAML or an object from the desk editor): the envelope, each node against its
// type's params schema and outcomes, then the graph (targets, reachability, loops without caller input). Every check
// reports a Problem and validation goes on, so that one lint run shows everything; a Flow is built only when clean.
import { z } from 'zod';
import { isNodeType, nodeModule, nodeTypes, type Flow, type FlowNode } from './nodes/index.js';
import { END, type FlowMeta, type Problem, type Target } from './types.js';
import { NO_POS, type Locator } from './yaml-source.js';

export interface ValidateOptions {
  /** File name used in problems. */
  file?: string;
  /** Where a path is in the source text; positions are 0:0 without one. */
  locate?: Locator;
  /** When given, prompt ids not in the catalogue are problems. */
  promptExists?: (id: string) => boolean;
  /** When given, lookup functions that are not registered are problems. */
  lookupExists?: (name: string) => boolean;
}

type Path = (string | number)[];
const TOP_KEYS = ['version', 'start', 'nodes', 'meta'];
const NODE_KEYS = ['type', 'params', 'on'];
const ID = /^[A-Za-z][\w-]{0,63}$/;

const metaSchema = z.looseObject({
  title: z.string().optional(),
  description: z.string().optional(),
  nodes: z
    .record(z.string(), z.looseObject({
      label: z.string().optional(), description: z.string().optional(), x: z.number().optional(), y: z.number().optional(),
    }))
    .optional(),
});

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o: object, k: string) => Object.hasOwn(o, k);

function dotted(path: readonly PropertyKey[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${String(s)}`)).join('');
}

function getAt(v: unknown, path: readonly PropertyKey[]): unknown {
  let cur = v;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object' || !has(cur, s as string)) return undefined;
    cur = (cur as Record<string, unknown>)[s as string];
  }
  return cur;
}

interface Edge { from: string; to: string; waits: boolean }

export function validateFlow(value: unknown, opts: ValidateOptions = {}): { flow: Flow } | { problems: Problem[] } {
  const file = opts.file ?? '<flow>';
  const locate = opts.locate ?? NO_POS;
  const problems: Problem[] = [];
  const add = (path: Path, reason: string, key = false) => {
    const p = locate(path, { key });
    problems.push({ file, line: p.line, col: p.col, reason, path });
  };
  // zod issues under `base`, worded for people: "missing 'x'", "unknown key 'y'", else zod's own message.
  const addIssues = (base: Path, raw: unknown, issues: z.core.$ZodIssue[], what: string) => {
    for (const i of issues) {
      const path = i.path as PropertyKey[];
      if (i.code === 'unrecognized_keys') {
        for (const k of i.keys) add([...base, ...(path as Path), k], `${what}: unknown key '${k}'`, true);
      } else if (i.code === 'invalid_type' && path.length > 0 && getAt(raw, path) === undefined) {
        const where = path.length > 1 ? `${what}.${dotted(path.slice(0, -1))}` : what;
        add([...base, ...(path as Path)], `${where}: missing '${String(path[path.length - 1])}'`);
      } else if (i.code === 'invalid_key') {
        const inner = i.issues[0]?.message;
        add([...base, ...(path as Path)], `${what}: bad key '${String(path[path.length - 1])}'${inner ? ` (${inner})` : ''}`, true);
      } else {
        add([...base, ...(path as Path)], `${what}${path.length ? `.${dotted(path)}` : ''}: ${i.message}`);
      }
    }
  };

  if (!isObj(value)) {
    add([], 'a flow is a mapping with version, start and nodes');
    return { problems };
  }
  for (const k of Object.keys(value)) if (!TOP_KEYS.includes(k)) add([k], `unknown key '${k}'`, true);
  if (!has(value, 'version')) add([], "missing 'version'");
  else if (value.version !== 1) add(['version'], `unsupported version ${JSON.stringify(value.version)} (this loader reads version 1)`);
  const start = value.start;
  if (!has(value, 'start')) add([], "missing 'start'");
  else if (typeof start !== 'string' || start === '') add(['start'], 'start must be a node id');
  let meta: FlowMeta = {};
  if (has(value, 'meta')) {
    const m = metaSchema.safeParse(value.meta);
    if (m.success) meta = m.data as FlowMeta;
    else addIssues(['meta'], value.meta, m.error.issues, 'meta');
  }
  const rawNodes = value.nodes;
  if (!has(value, 'nodes')) {
    add([], "missing 'nodes'");
    return { problems };
  }
  if (!isObj(rawNodes)) {
    add(['nodes'], 'nodes must be a mapping of node id to node');
    return { problems };
  }
  const ids = Object.keys(rawNodes);
  if (ids.length === 0) add(['nodes'], 'no nodes');
  const exists = (t: string) => has(rawNodes, t);
  for (const id of Object.keys(meta.nodes ?? {})) if (!exists(id)) add(['meta', 'nodes', id], `meta for unknown node '${id}'`, true);
  if (typeof start === 'string' && start !== '' && !exists(start)) add(['start'], `start node '${start}' does not exist`);

  const edges: Edge[] = [];
  const built: Record<string, FlowNode> = {};
  const target = (path: Path, t: unknown, from: string, waits: boolean, label: string) => {
    if (typeof t !== 'string' || t === '') return add(path, `${label}: a target is a node id or ${END}`);
    if (t === END) return;
    if (!exists(t)) return add(path, `${label}: target '${t}' does not exist`);
    edges.push({ from, to: t, waits });
  };

  for (const id of ids) {
    const base: Path = ['nodes', id];
    const raw = rawNodes[id];
    if (!ID.test(id)) add(base, `bad node id '${id}': letters, digits, _ and -, starting with a letter`, true);
    else if (id === END) add(base, `node id '${END}' is reserved: it ends the call`, true);
    if (!isObj(raw)) {
      add(base, `node '${id}' must be a mapping with type, params and on`);
      continue;
    }
    for (const k of Object.keys(raw)) if (!NODE_KEYS.includes(k)) add([...base, k], `node '${id}': unknown key '${k}'`, true);
    if (!has(raw, 'type') || !isNodeType(raw.type)) {
      if (!has(raw, 'type')) add(base, `node '${id}' has no type`, true);
      else add([...base, 'type'], `unknown node type '${String(raw.type)}' (known: ${Object.keys(nodeTypes).join(', ')})`);
      // Follow its transitions anyway, so that the nodes after it are not also reported as unreachable.
      if (isObj(raw.on)) for (const t of Object.values(raw.on)) if (typeof t === 'string' && exists(t)) edges.push({ from: id, to: t, waits: true });
      continue;
    }
    const type = raw.type;
    const m = nodeModule(type);
    const rawParams = has(raw, 'params') && raw.params !== null ? raw.params : {};
    const parsed = m.schema.safeParse(rawParams);
    if (!parsed.success) addIssues([...base, 'params'], rawParams, parsed.error.issues, `node '${id}' params`);
    else refs(id, type, parsed.data, [...base, 'params']);

    const on: Record<string, Target> = {};
    const rawOn = has(raw, 'on') && raw.on !== null ? raw.on : {};
    if (!isObj(rawOn)) {
      add([...base, 'on'], `node '${id}': on must be a mapping of outcome to target`);
      continue;
    }
    for (const [o, t] of Object.entries(rawOn)) {
      const path = [...base, 'on', o];
      if (!(m.outcomes as readonly string[]).includes(o)) {
        add(path, `node '${id}' (${type}) has no outcome '${o}' (its outcomes: ${m.outcomes.join(', ')})`, true);
      } else if (m.choices?.outcome === o) {
        add(path, `node '${id}': '${o}' goes where params.${m.choices.param} says; remove it from on`, true);
      } else if (m.ends?.includes(o)) {
        add(path, `node '${id}': outcome '${o}' ends the call and takes no target`, true);
      } else {
        target(path, t, id, m.input && o !== 'error', `node '${id}' on.${o}`);
        on[o] = t as Target;
      }
    }
    const missing: string[] = [];
    for (const o of m.outcomes) {
      if (m.ends?.includes(o)) on[o] = END;
      if (has(on, o) || m.choices?.outcome === o) continue;
      const via = m.implied?.[o];
      if (via !== undefined && has(on, via)) on[o] = on[via];
      // An outcome that would follow a missing one is not reported twice: the missing one is.
      else if (via === undefined || !(m.outcomes as readonly string[]).includes(via)) missing.push(o);
    }
    if (missing.length) {
      const list = missing.map((o) => `'${o}'`).join(', ');
      const one = missing.length === 1;
      add(has(raw, 'on') ? [...base, 'on'] : base, m.input
        ? `input node '${id}' (${type}) has no ${one ? `${list} branch` : `branches for ${list}`}`
        : `node '${id}' (${type}) does not handle ${one ? 'outcome' : 'outcomes'} ${list} (give a target, or ${END})`, true);
    }
    if (m.choices) {
      // Read leniently from the raw params so that reachability stays right even when other params are invalid.
      const map = getAt(rawParams, [m.choices.param]);
      if (isObj(map)) {
        for (const [k, t] of Object.entries(map)) {
          target([...base, 'params', m.choices.param, k], t, id, m.input, `node '${id}' ${m.choices.param}.${k}`);
        }
      }
    }
    if (parsed.success) built[id] = { id, type, params: parsed.data, on } as FlowNode;
  }

  if (typeof start === 'string' && exists(start)) {
    const seen = reachable(start, edges);
    for (const id of ids) if (!seen.has(id)) add(['nodes', id], `node '${id}' cannot be reached from start '${start}'`, true);
  }
  for (const loop of loopsWithoutInput(ids, edges)) {
    add(['nodes', loop[0]], `loop without caller input: ${[...loop, loop[0]].join(' -> ')}`, true);
  }

  if (problems.length) return { problems: sortProblems(problems) };
  return { flow: { version: 1, start: start as string, nodes: built, meta } };

  function refs(id: string, type: string, params: unknown, base: Path) {
    if (opts.lookupExists && type === 'lookup') {
      const fn = (params as { function: string }).function;
      if (!opts.lookupExists(fn)) add([...base, 'function'], `node '${id}': unknown lookup function '${fn}'`);
    }
    if (!opts.promptExists || !isObj(params)) return;
    // Prompt lists are the params named prompts, *Prompts and announce (a naming rule all node types follow).
    for (const [k, list] of Object.entries(params)) {
      if (!(k === 'prompts' || k === 'announce' || k.endsWith('Prompts')) || !Array.isArray(list)) continue;
      list.forEach((p, i) => {
        if (typeof p === 'string' && !opts.promptExists!(p)) add([...base, k, i], `node '${id}': unknown prompt '${p}'`);
      });
    }
  }
}

function reachable(start: string, edges: Edge[]): Set<string> {
  const seen = new Set([start]);
  const todo = [start];
  while (todo.length) {
    const n = todo.pop()!;
    for (const e of edges) {
      if (e.from !== n || seen.has(e.to)) continue;
      seen.add(e.to);
      todo.push(e.to);
    }
  }
  return seen;
}

/**
 * Cycles made only of edges that do not wait for the caller (Tarjan's strongly connected components over those
 * edges). Each is reported once, as a path through its members starting at the first one in document order.
 */
export function loopsWithoutInput(ids: string[], all: Edge[]): string[][] {
  const edges = all.filter((e) => !e.waits);
  const succ = new Map<string, string[]>(ids.map((i) => [i, []]));
  for (const e of edges) succ.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const comps: string[][] = [];
  let n = 0;
  const strong = (v: string) => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    on.add(v);
    for (const w of succ.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      comps.push(c);
    }
  };
  for (const v of ids) if (!index.has(v)) strong(v);
  const order = new Map(ids.map((id, i) => [id, i]));
  const loops: string[][] = [];
  for (const c of comps) {
    const inC = new Set(c);
    const first = [...c].sort((a, b) => order.get(a)! - order.get(b)!)[0];
    if (c.length === 1 && !(succ.get(first) ?? []).includes(first)) continue;
    loops.push(cycleFrom(first, inC, succ));
  }
  return loops.sort((a, b) => order.get(a[0])! - order.get(b[0])!);
}

/** A path first -> ... -> (back to first) inside one component, found by depth-first search. */
function cycleFrom(first: string, inC: Set<string>, succ: Map<string, string[]>): string[] {
  const path: string[] = [];
  const seen = new Set<string>();
  const dfs = (v: string): boolean => {
    path.push(v);
    seen.add(v);
    for (const w of succ.get(v) ?? []) {
      if (w === first) return true;
      if (inC.has(w) && !seen.has(w) && dfs(w)) return true;
    }
    path.pop();
    return false;
  };
  dfs(first);
  return path;
}

export function sortProblems(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  return ps
    .filter((p) => {
      const k = `${p.line}:${p.col}:${p.reason}`;
      return seen.has(k) ? false : (seen.add(k), true);
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

