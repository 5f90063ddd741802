// 200 randomly mutated flow files (seeded, so a failure replays): the loader must always answer {flow} or
// {problems} — never throw, never report an internal error — and whatever loads must also draw.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { toSvg } from '../flows/graph-svg.js';
import { toMermaid } from '../flows/graph.js';
import { loadFlow, validateFlow } from '../flows/load.js';
import { nodeTypes } from '../flows/nodes/index.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/flows/good');
const sources = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(path.join(DIR, f), 'utf8'));

/** mulberry32: small, seedable, good enough to pick mutations. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}
type R = ReturnType<typeof prng>;

const GARBAGE = ['', ' ', '{', '}', '[', ']', ':', '- ', '\t', '"', "'", '&a', '*a', '!!int', '#', '---', '%YAML 1.2', '\u0000', '主菜单',
  '{{', 'end', '__proto__', 'constructor', '9'.repeat(400), '- - -', '? x', '|', '>', 'null', '~', '@', '`'];
const VALUES = (r: R): unknown[] => [null, 0, -1, Infinity, 3.5, true, 'x', '', [], {}, [1, 'a'], { a: { b: [] } }, r.pick(GARBAGE),
  r.pick(Object.keys(nodeTypes)), 'end', '1', { var: 'x' }, { digits: '1#' }, '__proto__'];

/** Every [parent, key] in a parsed value, to pick one to mutate. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([v, i]);
      slots(x, out);
    });
  }
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push([v as Record<string, unknown>, k]);
      slots(x, out);
    }
  }
  return out;
}

function mutateValue(v: unknown, r: R): unknown {
  const all = slots(v);
  if (!all.length) return v;
  const [parent, key] = r.pick(all);
  const p = parent as Record<string | number, unknown>;
  const ids = Object.keys((v as { nodes?: object }).nodes ?? {});
  switch (r.int(6)) {
    case 0: // delete a key
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete p[key];
      break;
    case 1: // swap a node's type
      if (key === 'type') p[key] = r.pick(Object.keys(nodeTypes));
      else p[key] = r.pick(VALUES(r));
      break;
    case 2: // point somewhere else
      p[key] = r.next() < 0.7 && ids.length ? r.pick(ids) : r.pick(['end', 'nowhere', '', 'End', '1']);
      break;
    case 3: // rename a key
      if (!Array.isArray(parent)) {
        p[`${String(key)}${r.pick(['x', '_', '', '2'])}${r.int(2) ? 's' : ''}`] = p[key];
        delete p[key];
      }
      break;
    case 4: // any value
      p[key] = r.pick(VALUES(r));
      break;
    default: // copy a subtree somewhere else
      p[key] = structuredClone(r.pick(all)[0]);
  }
  return v;
}

function mutateText(s: string, r: R): string {
  const at = r.int(s.length + 1);
  switch (r.int(6)) {
    case 0: return s.slice(0, at); // truncated upload
    case 1: return s.slice(0, at) + r.pick(GARBAGE) + s.slice(at);
    case 2: { // a line indented wrongly, duplicated or removed
      const lines = s.split('\n');
      const i = r.int(lines.length);
      const op = r.int(3);
      if (op === 0) lines[i] = ' '.repeat(r.int(5)) + lines[i];
      else if (op === 1) lines.splice(i, 0, lines[i]);
      else lines.splice(i, 1);
      return lines.join('\n');
    }
    case 3: return s.slice(0, at) + s.slice(at + r.int(40));
    case 4: return s.replace(/\n/g, () => (r.next() < 0.05 ? '\n\t' : '\n'));
    default: return Array.from({ length: r.int(200) }, () => String.fromCharCode(r.int(128))).join('');
  }
}

t.test('200 mutated flow files never crash the loader', async (t) => {
  const r = prng(12348);
  const tally = { flow: 0, problems: 0 };
  for (let i = 0; i < 200; i++) {
    const src = r.pick(sources);
    let text: string;
    if (i % 2 === 0) {
      let v = parse(src);
      for (let k = 1 + r.int(3); k > 0; k--) v = mutateValue(v, r);
      text = stringify(v);
      if (r.next() < 0.3) text = mutateText(text, r);
    } else {
      text = mutateText(src, r);
    }
    let res: ReturnType<typeof loadFlow> | undefined;
    try {
      res = loadFlow(text, `m${i}.yaml`);
    } catch (e) {
      t.fail(`mutation ${i} threw ${(e as Error).stack}\n${text}`);
      continue;
    }
    if ('flow' in res) {
      tally.flow++;
      t.doesNotThrow(() => (toMermaid(res.flow), toSvg(res.flow)), `mutation ${i} draws`);
      continue;
    }
    tally.problems++;
    const ok = res.problems.length > 0 && res.problems.every((p) =>
      p.file === `m${i}.yaml` && Number.isInteger(p.line) && p.line >= 1 && Number.isInteger(p.col) && p.col >= 1 &&
      typeof p.reason === 'string' && p.reason.length > 0 && !p.reason.startsWith('internal error'));
    if (!ok) t.fail(`mutation ${i}: ${JSON.stringify(res.problems)}\n${text}`);
  }
  t.ok(tally.problems > 100, `most mutations are caught (${JSON.stringify(tally)})`);
});

t.test('mutated objects never crash validateFlow', async (t) => {
  const r = prng(33358);
  for (let i = 0; i < 200; i++) {
    let v = parse(r.pick(sources));
    for (let k = 1 + r.int(4); k > 0; k--) v = mutateValue(v, r);
    const res = validateFlow(v);
    t.ok('flow' in res || ('problems' in res && res.problems.every((p) => !p.reason.startsWith('internal error'))), `object ${i}`);
  }
});
