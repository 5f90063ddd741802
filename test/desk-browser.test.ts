// The desk in real Chromium (Debian's /usr/bin/chromium through playwright-core) on the full hotline: pbx-sim, the
// controller on the 12348 flow, the real ACD, call records, and the desk server on a free port with drafts on, over
// real PostgreSQL (a fresh database) and Redis. A lawyer logs in and goes ready; a caller dials 12348 on the
// simulator's phone page (/sim/phone) and presses 1 (法律咨询) then 2 (劳动与欠薪); the screen pop shows the caller's
// number and choices; the lawyer fills and saves the work order; the supervisor logs in and finds it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { buildDesk, type DeskApp } from '../agent-desk/app.js';
import { createStaff } from '../agent-desk/staff.js';
import { phone, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { PASSWORD } from './helpers/desk.js';
import { REDIS_URL } from './helpers/hotline.js';
import { until } from './helpers/sim.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const CALLER = '13912345678';
const MATTER = '公司拖欠三个月工资，老板拒绝支付';
const ANSWER = '可向劳动保障监察大队投诉，或向劳动人事争议仲裁委员会申请仲裁';

const skip = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (Debian: apt-get install chromium fonts-wqy-microhei); CI installs it`;

t.test('a lawyer takes a call from the phone page, saves the work order, the supervisor finds it', { timeout: 60_000, skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const started = Date.now();
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const a: AcdHotline = await startAcdHotline({ lawyers: [] });
  t.teardown(() => a.close());
  const em = a.h.orm.em.fork();
  await createStaff(em, { staffNo: '101', name: '张律师', role: 'agent', password: PASSWORD, endpoint: 'PJSIP/8001', skills: ['labour-wages', 'contract-debt'], lines: ['consultation'] });
  await createStaff(em, { staffNo: 'sup1', name: '王主任', role: 'supervisor', password: PASSWORD });
  await phone(a.h, 'PJSIP/8001', 'answer', 1000);

  const config = loadConfig({ KEY_PREFIX: a.h.prefix, DATABASE_URL: a.h.dbUrl, REDIS_URL });
  const desk: DeskApp = buildDesk({ config, orm: a.h.orm, redis: a.h.redis, log }, { autoWorkOrders: { sweepEveryMs: 0 } });
  await desk.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => desk.close());
  const deskUrl = `http://127.0.0.1:${(desk.server.address() as { port: number }).port}/`;

  const profile = await mkdtemp(path.join(os.tmpdir(), 'desk-chromium-'));
  t.teardown(() => rm(profile, { recursive: true, force: true }));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
  });
  t.teardown(() => browser.close());
  browser.setDefaultTimeout(10_000);
  const pageErrors: string[] = [];

  // The lawyer logs in and goes ready (置闲).
  const deskPage = await browser.newPage();
  deskPage.on('pageerror', (e) => pageErrors.push(e.message));
  await deskPage.goto(deskUrl);
  await deskPage.fill('#login-form input[name=staffNo]', '101');
  await deskPage.fill('#login-form input[name=password]', PASSWORD);
  await deskPage.click('#login-form button[type=submit]');
  await deskPage.waitForSelector('#desk-view:not([hidden])');
  t.match(await deskPage.textContent('#me'), /张律师（工号 101，律师）/);
  await deskPage.waitForFunction(() => document.getElementById('live-state')?.textContent === '实时连接：正常');
  await deskPage.click('#presence-buttons button[data-state=ready]');
  await deskPage.waitForFunction(() => document.getElementById('presence-state')?.textContent === '空闲');
  t.equal((await a.presence.get('101')).state, 'ready', 'ready in the ACD’s presence');

  // A caller dials 12348 on the simulator's phone page and chooses 1 法律咨询, then 2 劳动与欠薪.
  const phonePage = await browser.newPage();
  phonePage.on('pageerror', (e) => pageErrors.push(e.message));
  await phonePage.goto(`${a.h.sim.url}/sim/phone`);
  t.equal(await phonePage.textContent('#dial'), '拨打12348');
  await phonePage.fill('#from', CALLER);
  await phonePage.click('#dial');
  await phonePage.waitForSelector('#heard li[data-media="sound:greeting"]');
  await phonePage.waitForFunction(() => /^您好，欢迎致电12348公共法律服务热线/.test(document.querySelector('#heard li[data-media="sound:greeting"]')?.textContent ?? ''));
  await phonePage.click('#keypad button[data-key="1"]');
  await phonePage.waitForSelector('#heard li[data-media="sound:consultation-menu"]');
  await phonePage.click('#keypad button[data-key="2"]');
  const callId = await phonePage.evaluate(() => document.body.dataset.callId!);
  t.ok(callId, 'the phone page placed a call');

  // The screen pop: the caller's number as the page shows it, and what they chose in the IVR.
  await deskPage.waitForFunction(() => document.getElementById('pop-state')?.textContent === '通话中');
  t.equal(await deskPage.textContent('#pop-number'), CALLER, 'caller number on the pop');
  t.equal(await deskPage.textContent('#pop-line'), '法律咨询');
  t.equal(await deskPage.textContent('#pop-topic'), '劳动与欠薪');
  t.match(await deskPage.textContent('#pop-path'), /（按 1）.*（按 2）/, 'the keys pressed in the IVR');
  t.equal(await deskPage.inputValue('#wo-form input[name=callId]'), callId, 'the form is for this call');
  await phonePage.waitForFunction(() => document.getElementById('status')?.textContent === '通话中（已接通律师）');

  // The lawyer fills and saves the work order (the one drafted when the call was answered).
  await until(async () => (await a.h.sql('select 1 from work_order where call_id = ?', [callId])).length === 1, 'the draft', 10_000);
  t.equal(await deskPage.inputValue('#wo-form select[name=serviceLine]'), 'consultation');
  t.equal(await deskPage.inputValue('#wo-form select[name=legalTopic]'), 'labour-wages');
  await deskPage.fill('#wo-form textarea[name=matter]', MATTER);
  await deskPage.fill('#wo-form textarea[name=answer]', ANSWER);
  await deskPage.selectOption('#wo-form select[name=disposition]', 'resolved');
  await deskPage.click('#wo-form button[type=submit]');
  await deskPage.waitForFunction(() => /^已保存，工单号 \d+$/.test(document.getElementById('wo-result')?.textContent ?? ''));
  const rows = await a.h.sql('select * from work_order where call_id = ?', [callId]);
  t.equal(rows.length, 1, 'exactly one work order for the call');
  t.match(rows[0], { staff_no: '101', caller_number: CALLER, service_line: 'consultation', legal_topic: 'labour-wages', matter: MATTER, answer: ANSWER, disposition: 'resolved', updated_by: '101' });
  t.match(await deskPage.textContent('#wo-result'), `工单号 ${rows[0].id}`);

  // The caller hangs up on the phone page.
  await phonePage.click('#hangup');
  await phonePage.waitForFunction(() => document.getElementById('status')?.textContent === '已挂断');

  // The supervisor logs in and finds it.
  await deskPage.click('#logout');
  await deskPage.waitForSelector('#login-view:not([hidden])');
  await deskPage.fill('#login-form input[name=staffNo]', 'sup1');
  await deskPage.fill('#login-form input[name=password]', PASSWORD);
  await deskPage.click('#login-form button[type=submit]');
  await deskPage.waitForFunction(() => document.getElementById('search-title')?.textContent === '工单查询（全部）');
  await deskPage.fill('#search-form input[name=caller]', CALLER);
  await deskPage.click('#search-form button[type=submit]');
  await deskPage.waitForFunction(() => document.getElementById('search-total')?.textContent === '共 1 条');
  const cells = await deskPage.$$eval('#search-rows tr td', (tds) => tds.map((td) => td.textContent));
  t.match(cells, [/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, CALLER, '', '法律咨询 / 劳动与欠薪', MATTER, ANSWER, '已解答', '', '101']);
  t.same(pageErrors, [], 'no script errors on either page');
  t.comment(`browser scenario took ${Date.now() - started} ms`);
});
