// Where the CPU went in a V8 CPU profile (`node --cpu-prof`), optionally only inside a time window (the bench's
// measured window, written beside the profile as <profile>.window.json by `npm run bench -- --profile`).
// `node --import tsx bench/cpuprofile-top.ts <file.cpuprofile> [--top 30]`.
// Prints self time by function, self and inclusive time by package / project file, and inclusive time by function.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A package, a project file, a node built-in module, or a V8 pseudo-frame. */
export function category(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const u = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (u.startsWith('node:')) return `node:${u.slice(5).split('/').slice(0, 2).join('/')}`;
  if (u.startsWith(ROOT)) return path.relative(ROOT, u);
  return u;
}

const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${category(f.url, f.functionName)}:${f.lineNumber + 1}`;

export function summarize(file: string, top = 30, window?: [number, number]): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const selfCat = new Map<string, number>();
  const inclCat = new Map<string, number>();
  const inclFn = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let t = p.startTime;
  let total = 0, idle = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const dur = p.timeDeltas[i + 1] ?? 0;
    if (window && (t < window[0] || t > window[1])) continue;
    const leaf = byId.get(p.samples[i])!;
    const fn = leaf.callFrame.functionName;
    if (fn === '(idle)') { idle += dur; continue; }
    total += dur;
    add(self, label(leaf.callFrame), dur);
    add(selfCat, category(leaf.callFrame.url, fn), dur);
    const cats = new Set<string>();
    const fns = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (f.functionName === '(root)') break;
      cats.add(category(f.url, f.functionName));
      fns.add(label(f));
    }
    for (const c of cats) add(inclCat, c, dur);
    for (const f of fns) add(inclFn, f, dur);
  }
  const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const table = (title: string, m: Map<string, number>, n: number) =>
    `${title}\n${[...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${ms(v)} ms ${pct(v)}  ${k}`).join('\n')}\n`;
  return [
    `${path.basename(file)}: ${(total / 1000).toFixed(0)} ms on CPU${window ? ' in the measured window' : ''} (idle ${(idle / 1000).toFixed(0)} ms)\n`,
    table('Self time by package / file:', selfCat, top),
    table('Inclusive time by package / file (a sample counts once per package on its stack):', inclCat, top),
    table('Self time by function:', self, top),
    table('Inclusive time by function:', inclFn, top),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2];
  if (!file) { console.error('usage: cpuprofile-top.ts <file.cpuprofile> [--top N]'); process.exit(2); }
  const i = process.argv.indexOf('--top');
  const w = `${file}.window.json`;
  console.log(summarize(file, i > 0 ? Number(process.argv[i + 1]) : 30, existsSync(w) ? JSON.parse(readFileSync(w, 'utf8')) : undefined));
}
