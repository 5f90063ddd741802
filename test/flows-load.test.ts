import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { formatProblem, loadFlow, validateFlow, type LoadOptions } from '../flows/load.js';
import { END, nextTarget, nodeTypes, type Flow } from '../flows/nodes/index.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/flows');
const yamls = (sub: string) => readdirSync(path.join(DIR, sub)).filter((f) => f.endsWith('.yaml')).sort();
const read = (sub: string, f: string) => readFileSync(path.join(DIR, sub, f), 'utf8');
// Fixtures that need a catalogue: only prompt ids starting with "known-" exist there.
const OPTIONS: Record<string, LoadOptions> = { 'unknown-prompt.yaml': { promptExists: (p) => p.startsWith('known-') } };

function load(sub: string, f: string): Flow {
  const r = loadFlow(read(sub, f), f);
  if ('problems' in r) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.flow;
}

t.test('every good fixture loads clean', async (t) => {
  const files = yamls('good');
  t.ok(files.length >= 3);
  for (const f of files) {
    const r = loadFlow(read('good', f), f);
    t.notOk('problems' in r && r.problems, `${f} has no problems`);
  }
});

t.test('every bad fixture gives exactly its expected messages', async (t) => {
  const files = yamls('bad');
  t.ok(files.length >= 25);
  for (const f of files) {
    const expected = read('bad', f.replace(/\.yaml$/, '.expected')).split('\n').filter(Boolean);
    const r = loadFlow(read('bad', f), `bad/${f}`, OPTIONS[f]);
    const got = 'problems' in r ? r.problems.map((p) => `${p.line}:${p.col} ${p.reason}`) : [];
    t.same(got, expected, f);
    if ('problems' in r) t.ok(r.problems.every((p) => p.file === `bad/${f}`), `${f}: problems name the file`);
  }
});

t.test('a loaded flow: defaults applied, every outcome mapped, END for outcomes that end the call', async (t) => {
  const flow = load('good', 'every-type.yaml');
  t.equal(flow.version, 1);
  t.equal(flow.start, 'intro');
  t.equal(flow.meta.nodes?.pick?.label, '选择');
  const pick = flow.nodes.pick;
  t.equal(pick.type, 'menu');
  if (pick.type === 'menu') t.equal(pick.params.timeoutMs, 5000, 'default');
  t.same(flow.nodes.bye.on, { done: END });
  t.same(flow.nodes.out.on, { transferred: END, failed: 'wait' });
  t.same(flow.nodes.msg.params, {
    prompts: [], beep: true, maxDurationMs: 120000, maxSilenceMs: 5000, terminateOn: '#', into: 'voicemail',
  });
  for (const n of Object.values(flow.nodes)) {
    const m = nodeTypes[n.type];
    for (const o of m.outcomes) {
      if ('choices' in m && m.choices?.outcome === o) continue;
      t.type((n.on as Record<string, string>)[o], 'string', `${n.id}.${o} is mapped`);
    }
  }
});

t.test('implied outcomes: play error follows done unless the flow says otherwise', async (t) => {
  const flow = load('good', 'hotline-small.yaml');
  t.same(flow.nodes.greeting.on, { done: 'check-vulnerable', error: 'check-vulnerable' });
  const r = loadFlow('version: 1\nstart: a\nnodes:\n  a:\n    type: play\n    params: {prompts: [x]}\n    on: {done: end, error: b}\n  b: {type: hangup}\n', 'f');
  t.ok('flow' in r);
  if ('flow' in r) t.same(r.flow.nodes.a.on, { done: END, error: 'b' });
});

t.test('nextTarget: outcomes, the chosen menu option, END', async (t) => {
  const flow = load('good', 'hotline-small.yaml');
  t.equal(nextTarget(flow.nodes['main-menu'], { outcome: 'chosen', option: '1' }), 'line-consultation');
  t.equal(nextTarget(flow.nodes['main-menu'], { outcome: 'timeout' }), 'line-operator');
  t.equal(nextTarget(flow.nodes.survey, { outcome: 'error' }), END);
  t.equal(nextTarget(flow.nodes.goodbye, { outcome: 'done' }), END);
  t.throws(() => nextTarget(flow.nodes['main-menu'], { outcome: 'chosen', option: '7' }));
  t.throws(() => nextTarget(flow.nodes.greeting, { outcome: 'bogus' }));
});

t.test('validateFlow on objects: same checks, no positions', async (t) => {
  const ok = validateFlow({
    version: 1, start: 'a',
    nodes: { a: { type: 'menu', params: { prompts: ['m'], options: { 1: 'b' } }, on: { timeout: 'b', nomatch: 'b', error: 'b' } }, b: { type: 'hangup' } },
  });
  t.ok('flow' in ok, 'numeric option keys from objects are fine');
  const bad = validateFlow({ version: 1, start: 'a', nodes: { a: { type: 'play', params: { prompts: ['x'] }, on: { done: 'nowhere' } } } }, 'desk');
  t.same('problems' in bad && bad.problems, [{
    file: 'desk', line: 0, col: 0, reason: "node 'a' on.done: target 'nowhere' does not exist", path: ['nodes', 'a', 'on', 'done'],
  }]);
  for (const v of [null, 3, 'text', [], { version: 1 }]) t.ok('problems' in validateFlow(v), JSON.stringify(v));
});

t.test('prompt and lookup catalogues are checked when given', async (t) => {
  const text = read('good', 'hotline-small.yaml');
  const r = loadFlow(text, 'small.yaml', { promptExists: (p) => p !== 'menu-topics', lookupExists: (f) => f !== 'applicationStatus' });
  t.same('problems' in r && r.problems.map((p) => p.reason), [
    "node 'topic-menu': unknown prompt 'menu-topics'",
    "node 'case-status': unknown lookup function 'applicationStatus'",
  ]);
});

t.test('problem positions point at the offending text', async (t) => {
  const text = 'version: 1\nstart: a\nnodes:\n  a:\n    type: menu\n    params:\n      prompts: [m]\n      options: {"1": zz}\n    on: {timeout: end, nomatch: end, error: end}\n';
  const r = loadFlow(text, 'p.yaml');
  t.same('problems' in r && r.problems.map(formatProblem), ["p.yaml:8:22 node 'a' options.1: target 'zz' does not exist"]);
});

t.test('loops through caller input are allowed; through errors and non-input nodes they are not', async (t) => {
  const base = (on: string) => `version: 1\nstart: m\nnodes:\n  m:\n    type: menu\n    params: {prompts: [p], options: {'1': s}}\n    on: ${on}\n  s:\n    type: set\n    params: {line: operator}\n    on: {done: m}\n`;
  t.ok('flow' in loadFlow(base('{timeout: m, nomatch: m, error: end}'), 'f'), 'menu -> set -> menu waits on the caller');
  const r = loadFlow(base('{timeout: end, nomatch: end, error: s}'), 'f');
  t.same('problems' in r && r.problems.map((p) => p.reason), ['loop without caller input: m -> s -> m']);
});
