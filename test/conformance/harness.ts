// One conformance test: replay a traced scenario and compare with what Asterisk 22 did. Runs against the simulator
// in-process, or against a real Asterisk when ARI_URL is set (with deploy/asterisk/extensions-conformance.conf loaded).
import t, { type Test } from 'tap';
import { testSim } from '../helpers/sim.js';
import { conformanceDialplan } from '../../pbx-sim/engine/dialplan.js';
import { PLANS } from './plans.js';
import { replay, type ReplayResult, type Target } from './replay.js';
import { compareEvents, createNormaliser, type FieldMap } from './trace.js';

export interface ConformanceOptions {
  /** Per-type field overrides where Asterisk itself is racy (say why at the call site). */
  fields?: FieldMap;
  ignoreTypes?: string[];
  /** Event types whose interleaving across channels Asterisk itself varies (see compare.ts); cite the evidence. */
  interleaving?: string[];
  /** Adjacent event types Asterisk emits in either order (say why at the call site). */
  eitherOrder?: Array<[string, string]>;
  tolerance?: Record<string, number>;
  /** REST exchanges (by seq) whose success body is not compared, with the reason. */
  looseBodies?: Record<number, string>;
}

const SCALE = Number(process.env.CONFORMANCE_SCALE ?? 5);

export function conformance(scenario: string, opts: ConformanceOptions = {}): void {
  t.test(`${scenario} behaves as Asterisk 22 did`, async (t) => {
    let target: Target;
    let close = async () => {};
    if (process.env.ARI_URL) {
      target = { kind: 'asterisk', url: process.env.ARI_URL, user: process.env.ARI_USER ?? 'hotline', password: process.env.ARI_PASSWORD ?? 'hotline', app: 'hotline', scale: 1 };
    } else {
      const sim = await testSim({ timeScale: SCALE, dialplan: conformanceDialplan('hotline') });
      close = () => sim.close();
      const control = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(sim.url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
      };
      target = { kind: 'sim', url: sim.url, user: 'hotline', password: 'hotline', app: 'hotline', scale: SCALE, control };
    }
    let r: ReplayResult;
    try { r = await replay(scenario, target, PLANS[scenario]); } finally { await close(); }
    if (r.skipped) { t.pass(`skipped: ${r.skipped}`); return; }
    const cmp = compareEvents(r.expected, r.actual, opts);
    t.ok(cmp.ok, `event stream of ${scenario} matches`, { diff: cmp.diff });
    if (r.rawExpected.length) {
      const raw = compareEvents(r.rawExpected, r.rawActual, opts);
      t.ok(raw.ok, 'second websocket got what Asterisk sent it', { diff: raw.diff });
    }
    checkRest(t, r, opts);
  });
}

function checkRest(t: Test, r: ReplayResult, opts: ConformanceOptions): void {
  const problems = restProblems(r, opts);
  t.same(problems, [], `REST answers of ${r.trace.scenario} match (${r.rest.length} requests)`);
  t.equal(r.rest.length, r.trace.rest.length, 'every traced request was replayed');
}

/** Every way the replay's REST answers differ from Asterisk's: status, error body, success body shape and key fields. */
export function restProblems(r: ReplayResult, opts: ConformanceOptions = {}): string[] {
  const nExp = createNormaliser(), nAct = createNormaliser();
  const problems: string[] = [];
  for (const x of r.rest) {
    const what = `#${x.seq} ${x.method} ${x.path}`;
    if (x.status !== x.expected.status) { problems.push(`${what}: status ${x.status}, Asterisk gave ${x.expected.status}`); continue; }
    if (x.status >= 400) {
      if (JSON.stringify(x.body) !== JSON.stringify(x.expected.body)) problems.push(`${what}: body ${JSON.stringify(x.body)}, Asterisk gave ${JSON.stringify(x.expected.body)}`);
      continue;
    }
    if (opts.looseBodies?.[x.seq]) continue;
    const exp = nExp.body(x.expected.body), act = nAct.body(x.body);
    const shape = (b: unknown) => (b && typeof b === 'object' && !Buffer.isBuffer(b) ? Object.keys(b as object).sort().join(',') : typeof b);
    if (!Array.isArray(exp) && shape(exp) !== shape(act) && !(exp && typeof exp === 'object' && 'bytes' in (exp as object))) {
      problems.push(`${what}: body keys [${shape(act)}], Asterisk's [${shape(exp)}]`);
    }
    for (const k of ['state', 'media_uri', 'next_media_uri', 'target_uri', 'format', 'value', 'bridge_type', 'technology']) {
      const e = (exp as Record<string, unknown> | null)?.[k], a = (act as Record<string, unknown> | null)?.[k];
      if (e !== undefined && JSON.stringify(e) !== JSON.stringify(a)) problems.push(`${what}: ${k} ${JSON.stringify(a)}, Asterisk's ${JSON.stringify(e)}`);
    }
  }
  return problems;
}
