// Ordered comparison of two event sequences with a readable diff.
import { normalise, type NormaliseOptions } from './normalise.js';
import { DEFAULT_FIELDS, project, type FieldMap, type Projected } from './project.js';
import type { AriEvent } from './types.js';

export interface CompareOptions {
  /** Event types left out of both sequences before comparing. */
  ignoreTypes?: string[];
  /** Per-type field lists, merged over DEFAULT_FIELDS. */
  fields?: FieldMap;
  /** Numeric paths compared with a tolerance, e.g. `{ duration_ms: 40 }` for SIP DTMF. */
  tolerance?: Record<string, number>;
  /**
   * Pairs of event types Asterisk emits from different threads, so that two adjacent events of these types come in
   * either order (the traces show both): such a pair matches when it matches swapped.
   */
  eitherOrder?: Array<[string, string]>;
  /** Set false when both sequences are already normalised. Default true. */
  normalise?: boolean;
  normaliseOptions?: NormaliseOptions;
  /**
   * Event types whose interleaving ACROSS channels Asterisk does not keep from one run to the next (the traces show
   * the same situation both ways; each use cites its evidence). Within a run of consecutive events of these types,
   * events are regrouped by channel — stable, so each channel's own order stays strict — before comparing.
   */
  interleaving?: string[];
}

/** `Local/callee@sim-00000005;2` -> `Local/callee@sim;2`: a key that is the same in the trace and the replay. */
function subjectKey(e: AriEvent): string {
  const ch = (e.channel ?? (e as { peer?: { name?: string } }).peer) as { name?: string } | undefined;
  const name = (ch?.name ?? '').replace(/-[0-9a-f]{8}(;[12])?$/, '$1');
  // Dial progress and the channel's own state are separate streams in Asterisk (BEHAVIOUR.md: Dial and Ringing come
  // "either order"); each stream keeps its order.
  return e.type === 'Dial' ? `${name}#dial` : name;
}

function regroup(evs: AriEvent[], types: Set<string>): AriEvent[] {
  const out: AriEvent[] = [];
  for (let i = 0; i < evs.length;) {
    if (!types.has(evs[i].type)) { out.push(evs[i++]); continue; }
    let j = i;
    while (j < evs.length && types.has(evs[j].type)) j++;
    const run = evs.slice(i, j).map((e, k) => ({ e, k, key: subjectKey(e) }));
    run.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.k - b.k));
    out.push(...run.map((r) => r.e));
    i = j;
  }
  return out;
}

export interface CompareResult {
  ok: boolean;
  /** Empty when ok. */
  diff: string;
  /** Index (after ignoreTypes) of the first divergence, -1 when ok. */
  index: number;
  expected: Projected[];
  actual: Projected[];
}

function fieldDiffs(a: Projected, b: Projected, tolerance: Record<string, number>): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k];
    const y = b[k];
    const tol = tolerance[k];
    if (tol !== undefined && typeof x === 'number' && typeof y === 'number') {
      if (Math.abs(x - y) > tol) out.push(`${k}: ${JSON.stringify(x)} != ${JSON.stringify(y)} (±${tol})`);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) {
      out.push(`${k}: ${x === undefined ? '(absent)' : JSON.stringify(x)} != ${y === undefined ? '(absent)' : JSON.stringify(y)}`);
    }
  }
  return out;
}

/** Short label for the side-by-side listing: type plus what it is about. */
function label(p: Projected | undefined): string {
  if (!p) return '(none)';
  const about = p['channel.name'] ?? p['playback.id'] ?? p['recording.name'] ?? p['bridge.id'] ?? p['peer.name'] ?? '';
  const extra = p.variable !== undefined ? ` ${String(p.variable)}=${String(p.value ?? '')}`
    : p.dialstatus !== undefined ? ` ${String(p.dialstatus) || '""'}`
    : p.cause !== undefined ? ` cause=${String(p.cause)}`
    : p['playback.state'] !== undefined ? ` ${String(p['playback.state'])}`
    : p['channel.state'] !== undefined ? ` ${String(p['channel.state'])}` : '';
  return `${p.type}${about ? ` ${String(about)}` : ''}${extra}`;
}

function pad(s: string, w: number): string {
  return s.length >= w ? `${s.slice(0, w - 1)}…` : s + ' '.repeat(w - s.length);
}

/** Swaps an expected racy pair in place where the actual sequence has exactly that pair the other way round. */
function alignRacyPairs(exp: Projected[], act: Projected[], pairs: Array<[string, string]>, tolerance: Record<string, number>): void {
  const racy = (x: string, y: string) => pairs.some(([p, q]) => (p === x && q === y) || (p === y && q === x));
  const same = (x: Projected | undefined, y: Projected | undefined) => !!x && !!y && fieldDiffs(x, y, tolerance).length === 0;
  for (let i = 0; i + 1 < exp.length; i++) {
    if (!racy(exp[i].type, exp[i + 1].type) || same(exp[i], act[i])) continue;
    if (same(exp[i], act[i + 1]) && same(exp[i + 1], act[i])) {
      [exp[i], exp[i + 1]] = [exp[i + 1], exp[i]];
      i++;
    }
  }
}

/**
 * Compares in order; extra or missing events are failures. Both sides are normalised
 * independently (ids numbered by first appearance), then projected on the fields that matter.
 */
export function compareEvents(expected: AriEvent[], actual: AriEvent[], opts: CompareOptions = {}): CompareResult {
  const ignore = new Set(opts.ignoreTypes ?? []);
  const fields = { ...DEFAULT_FIELDS, ...(opts.fields ?? {}) };
  const tolerance = opts.tolerance ?? {};
  const prep = (evs: AriEvent[]): Projected[] => {
    const filtered = evs.filter((e) => !ignore.has(e.type));
    const kept = opts.interleaving?.length ? regroup(filtered, new Set(opts.interleaving)) : filtered;
    const norm = opts.normalise === false ? kept : normalise(kept, opts.normaliseOptions);
    return norm.map((e) => project(e, fields));
  };
  const exp = prep(expected);
  const act = prep(actual);
  if (opts.eitherOrder?.length) alignRacyPairs(exp, act, opts.eitherOrder, tolerance);

  const rowDiffers = (i: number): boolean =>
    !exp[i] || !act[i] || fieldDiffs(exp[i], act[i], tolerance).length > 0;
  let first = -1;
  const n = Math.max(exp.length, act.length);
  for (let i = 0; i < n && first < 0; i++) if (rowDiffers(i)) first = i;
  if (first < 0) return { ok: true, diff: '', index: -1, expected: exp, actual: act };

  const lines: string[] = [];
  lines.push(`events differ at index ${first} (expected ${exp.length} events, actual ${act.length})`);
  lines.push(`  expected[${first}]: ${exp[first] ? JSON.stringify(exp[first]) : '(missing: sequence ended)'}`);
  lines.push(`  actual[${first}]:   ${act[first] ? JSON.stringify(act[first]) : '(missing: sequence ended)'}`);
  if (exp[first] && act[first]) {
    for (const d of fieldDiffs(exp[first], act[first], tolerance)) lines.push(`    ${d}`);
  }
  const w = 58;
  lines.push('');
  lines.push(`     #  ${pad('expected', w)}  actual`);
  for (let i = 0; i < n; i++) {
    const mark = i === first ? '>' : rowDiffers(i) ? '!' : ' ';
    lines.push(`${mark} ${String(i).padStart(4)}  ${pad(label(exp[i]), w)}  ${label(act[i])}`);
  }
  return { ok: false, diff: lines.join('\n'), index: first, expected: exp, actual: act };
}
