// The monthly report for a month of simulated traffic (bench/stats-traffic.ts, October for the trends): rendered in
// Chromium it reads as a report (title, the nine sections, tables that fit the page), its figures are the ones
// /api/stats gives, and the Word download holds the same sentences.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { generateAfterCall, generateTraffic } from '../bench/stats-traffic.js';
import { pct } from '../agent-desk/stats/report.js';
import { startDesk, type TestDesk } from './helpers/desk.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM}`;
const NOV = 'from=2026-11-01&to=2026-11-30';
let d: TestDesk;
let cookie = '';

t.before(async () => {
  d = await startDesk();
  await d.staff({ staffNo: 'sup', role: 'supervisor' });
  await generateTraffic(d.orm, { from: '2026-10-01', days: 31, calls: 5000, tag: 'oct', seed: 0.1 });
  await generateTraffic(d.orm, { from: '2026-11-01', days: 30, calls: 6000, tag: 'nov', seed: 0.2 });
  await generateAfterCall(d.orm, 'oct');
  await generateAfterCall(d.orm, 'nov');
  cookie = await d.cookie('sup');
});
t.teardown(() => d.close());

t.test('the report page in Chromium: readable, and the statistics page\'s numbers', { timeout: 60_000, skip }, async (t) => {
  const stats = (await d.req('GET', `/api/stats?${NOV}`, cookie)).body;
  t.ok(stats.total.offered > 5000 && stats.risk.count > 10, `a month of traffic: ${stats.total.offered} offered, ${stats.risk.count} risk matters`);
  await d.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(d.app.server.address() as { port: number }).port}`;
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(path.join(os.tmpdir(), 'report-chromium-'));
  t.teardown(() => rm(profile, { recursive: true, force: true }));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'], locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  t.teardown(() => browser.close());
  const [name, value] = cookie.split('=');
  await browser.addCookies([{ name, value, url }]);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const res = await page.goto(`${url}/api/reports/period?${NOV}`);
  t.equal(res?.status(), 200);
  t.equal(await page.textContent('h1'), '2026年11月 12348 公共法律服务热线运行情况月报');
  const headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent));
  t.same(headings, ['一、总体情况', '二、主要指标对照标准', '三、各服务类别受理情况', '四、法律问题类别', '五、回拨与不满意来电回访', '六、服务质量检查', '七、舆情分析', '八、律师工作量与评价', '九、办事预约、法律援助与投诉监督办理', '附：指标口径']);
  const cssApplied = await page.$eval('table', (el) => getComputedStyle(el).borderCollapse);
  t.equal(cssApplied, 'collapse', 'the report style sheet loaded');
  t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing runs off the page sideways');
  await page.screenshot({ path: path.join(os.tmpdir(), 'stats-report.png'), fullPage: false });

  const text = (await page.textContent('article'))!;
  const s = stats.total;
  t.match(text, `共受理呼入 ${s.offered} 通`);
  t.match(text, `接通 ${s.answered} 通，接通率 ${pct(s.connectionRate)}`);
  t.match(text, `15 秒接通率 ${pct(s.serviceLevel)}`);
  t.match(text, `满意率 ${pct(s.satisfactionRate)}`);
  t.match(text, `舆情风险事项 ${stats.risk.count} 件`);
  // The per-line table row by row, and the norm table.
  const rows = await page.$$eval('h2:nth-of-type(3) + table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  t.same(rows.map((r) => [r[0], Number(r[1]), Number(r[4])]), stats.byLine.map((l: { name: string; offered: number; answered: number }) => [l.name, l.offered, l.answered]));
  const norms = await page.$$eval('h2:nth-of-type(2) + table tbody tr', (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]));
  t.same(norms, stats.norms.map((n: { label: string; value: number | null }) => [n.label, pct(n.value)]));
  const oct = (await d.req('GET', '/api/stats?from=2026-10-02&to=2026-10-31', cookie)).body;
  t.match(text, '对比期 2026-10-02 至 2026-10-31', 'the previous period has the same length (30 days)');
  t.match(text, `较上期（2026-10-02 至 2026-10-31）`);
  t.ok(oct.total.offered > 0);
  // The 舆情 section: its first table groups by topic and place; the counts add up to the API's.
  const grouped = await page.evaluate(() => {
    let el = [...document.querySelectorAll('h2')].find((h) => h.textContent === '七、舆情分析')?.nextElementSibling;
    while (el && el.tagName !== 'TABLE') el = el.nextElementSibling;
    return el ? [...el.querySelectorAll('tbody tr')].map((tr) => Number(tr.children[2].textContent)) : [];
  });
  t.equal(grouped.reduce((a, b) => a + b, 0), stats.risk.count, 'the 舆情 table counts add up to the statistics page\'s');
  t.match(text, /有集体上访倾向/, 'the lawyers\' notes are in the 舆情 section');
  // The statistics page draws the same month: norm tiles, ECharts canvases, the per-line table.
  await page.goto(`${url}/stats.html?${NOV}`);
  await page.waitForSelector('#st-norms .norm[data-key=connectionRate]');
  t.equal(await page.textContent('#st-norms .norm[data-key=connectionRate] b'), pct(s.connectionRate));
  await page.waitForSelector('#ch-day canvas');
  t.ok(await page.$('#ch-hour canvas') && await page.$('#ch-line canvas') && await page.$('#ch-rating canvas'), 'four charts drawn');
  const total = await page.$$eval('#t-line tr:nth-child(2) td', (tds) => tds.slice(0, 3).map((td) => td.textContent));
  t.same(total, ['合计', String(s.offered), String(s.answered)]);
  t.ok(await page.$$eval('#t-lawyers tr', (trs) => trs.length) > 1, 'the lawyers\' table is filled');
  await page.screenshot({ path: path.join(os.tmpdir(), 'stats-page.png') });
  t.same(errors, []);
});

t.test('the Word download holds the same figures', async (t) => {
  const stats = (await d.req('GET', `/api/stats?${NOV}`, cookie)).body;
  const r = await d.app.inject({ method: 'GET', url: `/api/reports/period.docx?${NOV}`, headers: { cookie } });
  t.equal(r.statusCode, 200);
  t.match(r.headers['content-disposition'], /filename\*=UTF-8''/);
  t.equal(r.rawPayload.subarray(0, 2).toString(), 'PK', 'a zip (OOXML) file');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'report-docx-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'r.docx'), r.rawPayload);
  const xml = execFileSync('unzip', ['-p', path.join(dir, 'r.docx'), 'word/document.xml'], { maxBuffer: 64 * 1024 * 1024 }).toString();
  const text = xml.replace(/<[^>]+>/g, '');
  t.match(text, '2026年11月 12348 公共法律服务热线运行情况月报');
  t.match(text, `共受理呼入 ${stats.total.offered} 通`);
  t.match(text, `接通率 ${pct(stats.total.connectionRate)}`);
  t.match(text, '七、舆情分析');
});

t.test('a bad period is refused with the field named', async (t) => {
  const r = await d.req('GET', '/api/reports/period?from=2026-11-30&to=2026-11-01', cookie);
  t.same([r.status, r.body.details?.[0]?.field], [400, 'to']);
});
