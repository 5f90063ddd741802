import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { main } from '../bin/hotline.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GOOD = 'test/fixtures/flows/good/hotline-small.yaml';
const BAD = 'test/fixtures/flows/bad';

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const code = main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(cwd);
  }
}

t.test('lint: clean files print ok and exit 0', async (t) => {
  const r = run('flows', 'lint', GOOD, 'test/fixtures/flows/good/minimal.yaml');
  t.same(r, { code: 0, out: 'ok', err: '' });
});

t.test('lint: file:line:col reason for every problem of every file, exit 1', async (t) => {
  const r = run('flows', 'lint', `${BAD}/unknown-keys.yaml`, GOOD, `${BAD}/unreachable.yaml`);
  t.equal(r.code, 1);
  t.same(r.out.split('\n'), [
    `${BAD}/unknown-keys.yaml:3:1 unknown key 'owner'`,
    `${BAD}/unknown-keys.yaml:7:5 node 'hello': unknown key 'label'`,
    `${BAD}/unknown-keys.yaml:10:7 node 'hello' params: unknown key 'volume'`,
    `${BAD}/unreachable.yaml:8:3 node 'orphan' cannot be reached from start 'hello'`,
  ]);
});

t.test('usage errors and unreadable files exit 2', async (t) => {
  t.equal(run().code, 2);
  t.equal(run('flows').code, 2);
  t.equal(run('flows', 'lint').code, 2);
  t.equal(run('flows', 'graph').code, 2);
  t.equal(run('flows', 'graph', GOOD, '--format', 'png').code, 2);
  t.equal(run('flows', 'graph', GOOD, '--colour').code, 2);
  t.equal(run('flows', 'graph', GOOD, '--format').code, 2);
  const missing = run('flows', 'lint', 'no/such.yaml');
  t.equal(missing.code, 2);
  t.match(missing.err, 'no/such.yaml: cannot read: ENOENT');
  t.equal(run('--help').code, 0);
});

t.test('graph: Mermaid with Chinese labels, ids, outcomes and options', async (t) => {
  const r = run('flows', 'graph', GOOD);
  t.equal(r.code, 0);
  t.match(r.out, /^---\ntitle: "12348 测试流程（小）"\n---\nflowchart TD\n/);
  t.match(r.out, 'start(("开始")) --> n0');
  t.match(r.out, 'n4{{"主菜单<br/><small>main-menu · 菜单</small>"}}');
  t.match(r.out, /n4 -->\|"按1"\| n6/);
  t.match(r.out, /-->\|"按0, 超时, 按键无效, 出错"\|/, 'outcomes to one place share an edge');
  t.match(r.out, '((“结束”))'.replace(/[“”]/g, '"'));
  t.notMatch(r.out, /#lt;br/, 'the line break is markup, labels are escaped');
});

t.test('graph: SVG, to stdout or a file', async (t) => {
  const r = run('flows', 'graph', GOOD, '--format=svg');
  t.equal(r.code, 0);
  t.match(r.out, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  t.match(r.out, '>主菜单</text>');
  t.match(r.out, '>main-menu · 菜单</text>');
  t.match(r.out, '>按0, 超时, 按键无效, 出错</text>');
  t.equal((r.out.match(/<g id="node-/g) ?? []).length, 27, '26 nodes and the end');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'graph-'));
  const file = path.join(dir, 'flow.svg');
  t.equal(run('flows', 'graph', GOOD, '--format', 'svg', '--out', file).code, 0);
  t.equal(readFileSync(file, 'utf8').trimEnd(), r.out);
});

t.test('graph refuses a broken flow and says why', async (t) => {
  const r = run('flows', 'graph', `${BAD}/unknown-target.yaml`);
  t.equal(r.code, 1);
  t.equal(r.out, '');
  t.match(r.err, "unknown-target.yaml:7:17 node 'hello' on.done: target 'main-menu' does not exist");
});

t.test('the bin shim runs the TypeScript CLI in one node process', async (t) => {
  const ok = spawnSync(process.execPath, ['bin/hotline.js', 'flows', 'lint', GOOD], { cwd: ROOT, encoding: 'utf8' });
  t.equal(ok.status, 0, ok.stderr);
  t.equal(ok.stdout, 'ok\n');
  const bad = spawnSync(process.execPath, ['bin/hotline.js', 'flows', 'lint', `${BAD}/bad-version.yaml`], { cwd: ROOT, encoding: 'utf8' });
  t.equal(bad.status, 1);
  t.equal(bad.stdout, `${BAD}/bad-version.yaml:1:10 unsupported version 2 (this loader reads version 1)\n`);
});
