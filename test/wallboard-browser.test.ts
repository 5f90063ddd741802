// The wallboard in Chromium against the real call path (pbx-sim, controller, ACD, shared queue in Redis): with no
// lawyer ready a surge of callers to 投诉建议 shows up on the board within a second, the "no lawyer ready" alert is
// up, and once they wait longer than the line's answer target the long-wait alert too; when the lawyers go ready
// the callers are answered, the queue empties and the alerts clear.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { buildDesk, type DeskApp } from '../agent-desk/app.js';
import { createStaff } from '../agent-desk/staff.js';
import { line, phone, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { PASSWORD } from './helpers/desk.js';
import { REDIS_URL } from './helpers/hotline.js';
import { until } from './helpers/sim.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const skip = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM}`;
const LAWYERS = ['201', '202', '203', '204', '205'];

t.test('a surge shows within a second, raises the alerts, and recovers when lawyers go ready', { timeout: 90_000, skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const a: AcdHotline = await startAcdHotline({ lawyers: [] });
  t.teardown(() => a.close());
  const em = a.h.orm.em.fork();
  for (const [i, s] of LAWYERS.entries()) {
    await createStaff(em, { staffNo: s, name: `律师${s}`, role: 'agent', password: PASSWORD, endpoint: `PJSIP/80${10 + i}`, lines: ['complaint'] });
    await phone(a.h, `PJSIP/80${10 + i}`, 'answer', 400);
  }
  await createStaff(em, { staffNo: 'sup1', name: '王主任', role: 'supervisor', password: PASSWORD });
  // A short answer target for this line keeps the test short; the alert logic is the same as for 15 s.
  await a.h.sql(`update service_queue set answer_target_sec = 3 where line = 'complaint'`);

  const config = loadConfig({ KEY_PREFIX: a.h.prefix, DATABASE_URL: a.h.dbUrl, REDIS_URL, CENTRE_HOURS: 'mon-sun 00:00-24:00; holiday 00:00-24:00' });
  const desk: DeskApp = buildDesk({ config, orm: a.h.orm, redis: a.h.redis, log });
  await desk.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => desk.close());
  const deskUrl = `http://127.0.0.1:${(desk.server.address() as { port: number }).port}/`;

  const profile = await mkdtemp(path.join(os.tmpdir(), 'wallboard-chromium-'));
  t.teardown(() => rm(profile, { recursive: true, force: true }));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  t.teardown(() => browser.close());
  browser.setDefaultTimeout(15_000);
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(deskUrl);
  await page.fill('#login-form input[name=staffNo]', 'sup1');
  await page.fill('#login-form input[name=password]', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#desk-view:not([hidden])');
  await page.goto(`${deskUrl}wallboard.html`);
  await page.waitForFunction(() => document.getElementById('wb-conn')?.textContent === '实时');
  const cellText = (col: number) => page.$eval(`#wb-lines tr[data-line=complaint] td:nth-child(${col})`, (td) => td.textContent);
  t.equal(await cellText(2), '0', 'nobody waiting yet');
  t.ok(await page.$('.alert[data-kind=no_ready][data-line=complaint]'), 'no lawyer ready during hours: alert');

  // The surge: five callers choose 投诉建议 at once.
  const callers = await Promise.all(['13900000001', '13900000002', '13900000003', '13900000004', '13900000005'].map((n) => line(a.h, n, '5')));
  t.teardown(async () => { for (const id of callers) await a.h.hangup(id).catch(() => undefined); });
  await until(() => a.enqueuedAt.size === callers.length, 'all five callers queued');
  const queuedAt = Math.max(...a.enqueuedAt.values());
  await page.waitForFunction(() => document.querySelector('#wb-lines tr[data-line=complaint] td:nth-child(2)')?.textContent === '5', undefined, { polling: 20 });
  const shownAfter = Date.now() - queuedAt;
  t.ok(shownAfter < 1000, `the surge reached the board ${shownAfter} ms after the last caller queued`);
  t.equal(await page.textContent('#wb-waiting b'), '5');

  await page.waitForSelector('.alert[data-kind=long_wait][data-line=complaint]');
  t.match(await page.textContent('.alert[data-kind=long_wait][data-line=complaint]'), /投诉建议：最长等待 \d+ 秒，超过 3 秒/);
  t.match(await page.getAttribute('#wb-lines tr[data-line=complaint] td:nth-child(3)', 'class'), /warn/);

  // Recovery: the lawyers go ready from their desks' point of view (the ACD's presence store).
  for (const s of LAWYERS) await a.presence.setState(s, 'ready');
  await page.waitForFunction(() => document.querySelector('#wb-lines tr[data-line=complaint] td:nth-child(2)')?.textContent === '0');
  await page.waitForFunction(() => !document.querySelector('.alert[data-line=complaint]'));
  await page.waitForFunction(() => document.querySelector('#wb-lines tr[data-line=complaint] td:nth-child(6)')?.textContent === '5');
  t.pass('queue empty, complaint alerts cleared, five lawyers on calls');
  const board = (await desk.inject({ method: 'GET', url: '/api/wallboard', headers: { cookie: (await browser.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).json();
  const complaint = board.lines.find((l: { line: string }) => l.line === 'complaint');
  t.same([complaint.waiting, complaint.lawyers.on_call, complaint.lawyers.ready], [0, 5, 0], 'the HTTP snapshot agrees');
  t.same(pageErrors, []);
});
