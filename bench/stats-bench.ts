// `npm run bench:stats [-- --calls 1000000 --runs 20 --keep]`: the statistics benchmark of issue 7.
//
// Generates a month (November 2026, 30 days) of --calls simulated calls (default 1,000,000) with their work orders
// (1 % flagged 舆情) and dissatisfied-caller callbacks into a fresh database (bench/stats-traffic.ts), builds the
// hourly rollups, and times what the statistics page asks for a month: periodStats() (every breakdown: line, topic,
// hour, day, lawyer; callbacks; QA; risk), the report model (the month and the previous month), and today's wallboard
// figures. Each is run --runs times after one warm-up; min / median / p95 / max are printed, and whether the median
// of the month's statistics is under the 200 ms target. For comparison it times one naive aggregate straight over
// call_record for the month (what the rollup saves), and the write cost of the rollup trigger (inserting 20,000
// calls with and without it).
//
// Generation writes with the rollup trigger off and rebuilds the rollup once (call_stats_rebuild(), the same
// definitions the trigger uses) — a million trigger calls would make the bench take minutes for nothing it measures.
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server; the database is dropped at the
// end unless --keep.
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createOrm, migrateUp } from '../lib/db.js';
import { dropPostgresDatabase, ensurePostgresDatabase } from '../lib/services.js';
import { buildReport } from '../agent-desk/stats/report.js';
import { statsFor } from '../agent-desk/stats/service.js';
import { cstMidnight } from '../agent-desk/stats/wallboard.js';
import { generateAfterCall, generateTraffic } from './stats-traffic.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CALLS = arg('calls', 1_000_000);
const RUNS = arg('runs', 20);
const KEEP = process.argv.includes('--keep');
const TARGET_MS = 200;

const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
base.pathname = `/hotline_stats_bench_${process.pid}`;
const url = base.toString();
const log = pino({ level: 'silent' });
const say = (msg: string) => process.stderr.write(`[stats-bench] ${msg}\n`);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

async function series(name: string, fn: () => Promise<unknown>): Promise<Record<string, number | string>> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) ms.push((await timed(fn))[1]);
  ms.sort((a, b) => a - b);
  const q = (p: number) => +ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1);
  return { name, runs: RUNS, minMs: q(0), medianMs: q(0.5), p95Ms: q(0.95), maxMs: +ms[ms.length - 1].toFixed(1) };
}

async function main(): Promise<void> {
  await ensurePostgresDatabase(url, log);
  const orm = await createOrm(url, { pool: { min: 1, max: 4 } });
  try {
    await migrateUp(orm);
    const conn = orm.em.fork().getConnection();
    await conn.execute('alter table call_record disable trigger call_stats_ins_del');
    say(`generating ${CALLS.toLocaleString()} calls for November 2026 (and 10% of that for October, for the report's trends)`);
    const [, genMs] = await timed(async () => {
      await generateTraffic(orm, { from: '2026-10-01', days: 31, calls: Math.round(CALLS / 10), tag: 'oct', seed: 0.1 });
      await generateTraffic(orm, { from: '2026-11-01', days: 30, calls: CALLS, tag: 'nov', seed: 0.2 });
      await generateAfterCall(orm, 'oct');
      await generateAfterCall(orm, 'nov');
    });
    say(`generated in ${(genMs / 1000).toFixed(1)} s; rebuilding the rollups`);
    const [, rebuildMs] = await timed(() => conn.execute('select call_stats_rebuild()'));
    await conn.execute('alter table call_record enable trigger call_stats_ins_del');
    await conn.execute('vacuum analyze');
    const [counts] = await conn.execute(`select (select count(*) from call_record) calls, (select count(*) from call_stats_hourly) line_rows,
      (select count(*) from agent_stats_hourly) agent_rows, (select count(*) from work_order) work_orders, (select count(*) from work_order where risk_flag) risk,
      (select count(*) from callback) callbacks`);

    const month = { from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00') };
    const em = () => orm.em.fork();
    let offered = 0;
    const results = [
      await series('periodStats, November (every breakdown)', async () => { offered = (await statsFor(em(), month)).total.offered; }),
      await series('report model, November vs October', () => buildReport(em(), month, 'bench')),
      await series('wallboard today (rollup since midnight)', () => em().getConnection().execute(
        'select service_line, sum(offered), sum(answered), sum(answered_15s), sum(abandoned) from call_stats_hourly where hour >= ? group by 1',
        [cstMidnight(new Date('2026-11-20T15:00:00+08:00'))])),
    ];
    const naive = await series('for comparison: one naive aggregate over call_record (no rollup)', () => em().getConnection().execute(
      `select service_line, count(*) filter (where answered_at is not null), count(*) from call_record
        where arrived_at >= ? and arrived_at < ? and queued_at is not null group by 1`, [month.from, month.to]));

    // Write cost of the trigger: 20,000 calls with it, 20,000 without.
    const [, withTrigger] = await timed(() => generateTraffic(orm, { from: '2026-12-01', days: 1, calls: 20_000, tag: 'w1', seed: 0.3 }));
    await conn.execute('alter table call_record disable trigger call_stats_ins_del');
    const [, withoutTrigger] = await timed(() => generateTraffic(orm, { from: '2026-12-02', days: 1, calls: 20_000, tag: 'w2', seed: 0.4 }));
    await conn.execute('alter table call_record enable trigger call_stats_ins_del');

    const main = results[0];
    process.stdout.write(JSON.stringify({
      calls: Number(counts.calls), offeredInNovember: offered, rollupRows: { line: Number(counts.line_rows), agent: Number(counts.agent_rows) },
      workOrders: Number(counts.work_orders), riskFlagged: Number(counts.risk), callbacks: Number(counts.callbacks),
      generateSec: +(genMs / 1000).toFixed(1), rebuildSec: +(rebuildMs / 1000).toFixed(1),
      queries: [...results, naive],
      triggerWriteCost: { calls: 20_000, withTriggerMs: Math.round(withTrigger), withoutTriggerMs: Math.round(withoutTrigger),
        perCallMicros: Math.round(((withTrigger - withoutTrigger) / 20_000) * 1000) },
      targetMs: TARGET_MS, statsMedianUnderTarget: Number(main.medianMs) < TARGET_MS,
    }, null, 2) + '\n');
  } finally {
    await orm.close(true);
    if (!KEEP) await dropPostgresDatabase(url).catch(() => undefined);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
