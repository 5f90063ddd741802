// Loading a flow document: YAML text -> positions-aware parse -> validation -> a Flow the runner can execute, or
// every problem with file:line:col. Runs when a flow is linted, loaded or published; never during a call.
import { sortProblems, validateFlow as validateValue, type ValidateOptions } from './check.js';
import type { Flow } from './nodes/index.js';
import type { Problem } from './types.js';
import { parseSource } from './yaml-source.js';

export type LoadResult = { flow: Flow } | { problems: Problem[] };
export type LoadOptions = Pick<ValidateOptions, 'promptExists' | 'lookupExists'>;

/** Parses and validates flow YAML. Never throws for any input text. */
export function loadFlow(text: string, fileName: string, opts: LoadOptions = {}): LoadResult {
  try {
    const src = parseSource(text);
    const toProblem = (i: { pos: { line: number; col: number }; path: (string | number)[]; reason: string }): Problem =>
      ({ file: fileName, line: i.pos.line, col: i.pos.col, reason: i.reason, path: i.path });
    if (src.errors.length) return { problems: sortProblems(src.errors.map(toProblem)) };
    const r = validateValue(src.value, { ...opts, file: fileName, locate: src.locate });
    const sourceProblems = src.issues.map(toProblem);
    if (!sourceProblems.length) return r;
    return { problems: sortProblems([...sourceProblems, ...('problems' in r ? r.problems : [])]) };
  } catch (e) {
    // A bug in a check must not take down the desk or the CLI with it: report it as a problem of the file.
    return { problems: [{ file: fileName, line: 1, col: 1, reason: `internal error while checking: ${(e as Error).message}`, path: [] }] };
  }
}

/** Validates a flow given as a plain object (e.g. from the desk editor). Problems have line/col 0. */
export function validateFlow(value: unknown, fileName = '<object>', opts: LoadOptions = {}): LoadResult {
  try {
    return validateValue(value, { ...opts, file: fileName });
  } catch (e) {
    return { problems: [{ file: fileName, line: 0, col: 0, reason: `internal error while checking: ${(e as Error).message}`, path: [] }] };
  }
}

/** `file:line:col reason`, the lint output format. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col} ${p.reason}`;
}
