// Trace library for the conformance suite: load recorded Asterisk ARI traces and compare
// event sequences from the simulator against them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AriEvent, RestExchange, TimelineEntry, TimelineEvent, TimelineRest, Trace } from './lib/types.js';

export * from './lib/types.js';
export { createNormaliser, normalise, normaliseBody, normaliseChannelName, type Normaliser, type NormaliseOptions } from './lib/normalise.js';
export { DEFAULT_FIELDS, project, type FieldMap, type Projected } from './lib/project.js';
export { compareEvents, type CompareOptions, type CompareResult } from './lib/compare.js';
export { between, interleave, PHASE_MARKER, restCalls, splitByPhase, stepsByRequestTime, type Phase, type RestCall, type Step } from './lib/timeline.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** CI clones the repo elsewhere with shared/ beside it; ARI_TRACES_DIR overrides. */
export function tracesDir(): string {
  return process.env.ARI_TRACES_DIR ?? path.resolve(REPO_ROOT, '../shared/ari-traces');
}

function readJsonl<T>(file: string, required: boolean): T[] {
  if (!existsSync(file)) {
    if (required) throw new Error(`trace file not found: ${file}`);
    return [];
  }
  const out: T[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: bad JSON (${(err as Error).message})`, { cause: err });
    }
  });
  return out;
}

/** Scenario names from the "Scenarios:" list of README.md, in README order. */
export function listScenarios(dir = tracesDir()): string[] {
  const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
  const start = readme.indexOf('Scenarios:');
  if (start < 0) throw new Error(`${dir}/README.md has no "Scenarios:" list`);
  return [...readme.slice(start).matchAll(/^- ([a-z0-9][a-z0-9-]*):/gm)].map((m) => m[1]);
}

export function loadTrace(scenario: string, dir = tracesDir()): Trace {
  const base = path.join(dir, scenario);
  const events = readJsonl<AriEvent>(`${base}.jsonl`, true);
  const observer = readJsonl<AriEvent>(`${base}.observer.jsonl`, false);
  const rest = readJsonl<RestExchange>(`${base}.rest.jsonl`, false);
  const raw = readJsonl<Record<string, unknown>>(`${base}.timeline.jsonl`, false);
  const bySeq = new Map(rest.map((r) => [r.seq, r]));

  // The timeline lists the app's frames in the same order as .jsonl: pair them up by position.
  const eventConn: string[] = events.map(() => 'ari-client');
  let next = 0;
  const timeline: TimelineEntry[] = raw.map((e) => {
    if (e.kind === 'event') {
      const index = next++;
      const frame = events[index];
      if (!frame || frame.type !== e.type) {
        throw new Error(`${scenario}: timeline event #${index} (${String(e.type)}) does not match frame (${frame?.type})`);
      }
      eventConn[index] = String(e.conn);
      return { ...(e as unknown as TimelineEvent), index, frame };
    }
    if (e.kind === 'rest') {
      const r = e as unknown as TimelineRest;
      return { ...r, exchange: bySeq.get(r.seq) };
    }
    return e as unknown as TimelineEntry;
  });
  if (raw.length && next !== events.length) {
    throw new Error(`${scenario}: timeline has ${next} events but .jsonl has ${events.length} frames`);
  }
  return { scenario, dir, events, eventConn, observer, rest, timeline };
}
