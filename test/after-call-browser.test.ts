// After the call in real Chromium (/usr/bin/chromium through playwright-core) on the full hotline: pbx-sim, the
// controller, the real ACD and the desk over a fresh PostgreSQL database and Redis. A caller rings 12348 and reaches
// a lawyer; during the call the lawyer opens 办后事项 from the desk, books a mediation appointment and files a
// legal-aid application (the case number to read out); the supervisor logs in and sees both, and the work order of
// the call lists them.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { buildDesk, type DeskApp } from '../agent-desk/app.js';
import { createStaff } from '../agent-desk/staff.js';
import { loadCalendar } from '../lib/calendar/index.js';
import { bridged, phone, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { PASSWORD } from './helpers/desk.js';
import { REDIS_URL } from './helpers/hotline.js';
import { until } from './helpers/sim.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CALLER = '13912340001';
const skip = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (Debian: apt-get install chromium fonts-wqy-microhei)`;

t.test('during a call a lawyer books an appointment and files a legal-aid application; the supervisor sees both', { timeout: 90_000, skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const a: AcdHotline = await startAcdHotline({ lawyers: [] });
  t.teardown(() => a.close());
  const em = a.h.orm.em.fork();
  await createStaff(em, { staffNo: '101', name: '张律师', role: 'agent', password: PASSWORD, endpoint: 'PJSIP/8001', lines: ['consultation'] });
  await createStaff(em, { staffNo: 'sup1', name: '王主任', role: 'supervisor', password: PASSWORD });
  await phone(a.h, 'PJSIP/8001', 'answer', 1000);

  const config = loadConfig({ KEY_PREFIX: a.h.prefix, DATABASE_URL: a.h.dbUrl, REDIS_URL });
  const desk: DeskApp = buildDesk({ config, orm: a.h.orm, redis: a.h.redis, log }, { autoWorkOrders: { sweepEveryMs: 0 } });
  await desk.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => desk.close());
  const url = `http://127.0.0.1:${(desk.server.address() as { port: number }).port}`;

  const profile = await mkdtemp(path.join(os.tmpdir(), 'after-call-chromium-'));
  t.teardown(() => rm(profile, { recursive: true, force: true }));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  t.teardown(() => browser.close());
  browser.setDefaultTimeout(15_000);
  const errors: string[] = [];

  // The lawyer logs in on the desk page and goes ready.
  const deskPage = await browser.newPage();
  deskPage.on('pageerror', (e) => errors.push(e.message));
  await deskPage.goto(url + '/');
  await deskPage.fill('#login-form input[name=staffNo]', '101');
  await deskPage.fill('#login-form input[name=password]', PASSWORD);
  await deskPage.click('#login-form button[type=submit]');
  await deskPage.waitForSelector('#desk-view:not([hidden])');
  await deskPage.waitForFunction(() => document.getElementById('live-state')?.textContent === '实时连接：正常');
  await deskPage.click('#presence-buttons button[data-state=ready]');
  await deskPage.waitForFunction(() => document.getElementById('presence-state')?.textContent === '空闲');

  // A caller: 1 法律咨询, 2 劳动与欠薪; the ACD rings the lawyer, who answers.
  const callId = await a.h.dial(CALLER);
  await a.h.waitHeard(callId, 'main-menu');
  await a.h.press(callId, '1');
  await a.h.waitHeard(callId, 'consultation-menu');
  await a.h.press(callId, '2');
  await bridged(a.h, callId, 20_000);
  await deskPage.waitForFunction(() => document.getElementById('pop-state')?.textContent === '通话中');

  // 办后事项 from the desk page's link, in a new tab.
  const [page] = await Promise.all([browser.waitForEvent('page'), deskPage.click('#after-call-link')]);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.waitForSelector('#ac-main:not([hidden])');
  t.equal(await page.inputValue('#ac-call'), callId, 'the call in progress is chosen');
  t.match(await page.textContent('#ac-banner'), new Date(Date.now() + 60 * 86400_000).getUTCFullYear() > 2026 ? /2027年/ : /.*/, 'the banner names a year without holiday data');

  // Book the first free mediation slot on the next working day.
  const day = loadCalendar().addWorkingDays(new Date(), 1);
  await page.selectOption('#ap-form select[name=service]', 'mediation');
  await page.fill('#ap-form input[name=date]', day);
  await page.click('#ap-find');
  await page.waitForSelector('#ap-slots input[name=slotId]');
  await page.click('#ap-slots input[name=slotId] >> nth=0');
  await page.fill('#ap-form input[name=callerName]', '李明');
  await page.click('#ap-form button[type=submit]');
  await page.waitForFunction(() => /^已预约：人民调解/.test(document.getElementById('ap-result')?.textContent ?? ''));

  // File a legal-aid application: a migrant worker's unpaid wages (no means test), documents still to bring.
  await page.fill('#la-form input[name=applicantName]', '李明');
  await page.selectOption('#la-form select[name=matterType]', 'labour-wages');
  await page.fill('#la-form textarea[name=matter]', '工地拖欠工资五个月');
  await page.fill('#la-form input[name=opposingParty]', '某建筑劳务公司');
  await page.selectOption('#la-form select[name=exemptGroup]', 'migrant_worker_wages');
  await page.fill('#la-form textarea[name=documentsMissing]', '身份证复印件\n考勤记录');
  await page.click('#la-form button[type=submit]');
  await page.waitForFunction(() => /^已登记，案件编号 \d{10}/.test(document.getElementById('la-result')?.textContent ?? ''));
  const caseNumber = /案件编号 (\d{10})/.exec((await page.textContent('#la-result'))!)![1];

  const [appt] = await a.h.sql('select * from appointment where call_id = ?', [callId]);
  t.match(appt, { caller_number: CALLER, caller_name: '李明', service: 'mediation', channel: 'desk', booked_by: '101', status: 'booked' });
  const [app] = await a.h.sql('select * from legal_aid_application where case_number = ?', [caseNumber]);
  t.match(app, { call_id: callId, applicant_phone: CALLER, exempt_group: 'migrant_worker_wages', status: 'received', created_by: '101' });
  t.same(app.documents_missing, ['身份证复印件', '考勤记录']);

  // The caller asks for a later time: 改约 from the list, the next free slot, 预约 — the same appointment, moved.
  await page.waitForFunction(() => [...document.querySelectorAll('#ap-list tbody button')].some((b) => b.textContent === '改约'));
  await page.click('#ap-list tbody tr >> nth=0 >> button:has-text("改约")');
  await page.click('#ap-find');
  await page.waitForSelector('#ap-slots input[name=slotId] >> nth=1');
  await page.click('#ap-slots input[name=slotId] >> nth=1');
  await page.click('#ap-form button[type=submit]');
  await page.waitForFunction(() => /^已改约：人民调解/.test(document.getElementById('ap-result')?.textContent ?? ''));
  const moved = await a.h.sql('select id, moves, starts_at from appointment where call_id = ?', [callId]);
  t.equal(moved.length, 1, 'moved, not booked twice');
  t.equal(moved[0].moves, 1);
  t.not(new Date(moved[0].starts_at).getTime(), new Date(appt.starts_at).getTime(), 'at another time');

  // The caller hangs up; the supervisor logs in and sees both on the 办后事项 page.
  await a.h.hangup(callId);
  await deskPage.click('#logout');
  await deskPage.waitForSelector('#login-view:not([hidden])');
  await deskPage.fill('#login-form input[name=staffNo]', 'sup1');
  await deskPage.fill('#login-form input[name=password]', PASSWORD);
  await deskPage.click('#login-form button[type=submit]');
  await deskPage.waitForSelector('#desk-view:not([hidden])');
  await page.reload();
  await page.waitForSelector('#ac-main:not([hidden])');
  t.match(await page.textContent('#ac-me'), /王主任/);
  await page.waitForFunction((n) => document.querySelector('#la-list tbody')?.textContent?.includes(n), caseNumber);
  const laRow = await page.$$eval('#la-list tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  t.match(laRow[0], [caseNumber, '李明', '已受理']);
  // The supervisor takes the application into review from the list.
  await page.click('#la-list tbody tr >> nth=0 >> button:has-text("开始审查")');
  await page.waitForFunction(() => document.getElementById('ac-action-result')?.textContent === '已转入审查');
  t.equal((await a.h.sql('select status from legal_aid_application where case_number = ?', [caseNumber]))[0].status, 'under_review');
  const apRow = await page.$$eval('#ap-list tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  t.match(apRow[0], [/\d/, '人民调解', '调解室', `李明 ${CALLER}`, '已预约']);

  // The work order of the call lists both (the draft written when the call was answered).
  await until(async () => (await a.h.sql('select 1 from work_order where call_id = ?', [callId])).length === 1, 'the draft work order', 10_000);
  const woId = (await a.h.sql('select id from work_order where call_id = ?', [callId]))[0].id;
  const detail = await page.evaluate(async (id) => (await fetch(`/api/work-orders/${id}`)).json(), String(woId));
  t.same(detail.afterCall.appointments.map((x: { id: string }) => x.id), [String(appt.id)]);
  t.same(detail.afterCall.applications.map((x: { caseNumber: string }) => x.caseNumber), [caseNumber]);

  // The printable day list for the front desk.
  const dayList = await browser.newPage();
  await dayList.goto(`${url}/after-call-day.html?date=${day}`);
  await dayList.waitForFunction(() => (document.querySelectorAll('#dl-list tbody tr').length ?? 0) > 0);
  t.match(await dayList.textContent('#dl-list tbody'), /人民调解.*调解室.*李明/);
  t.same(errors, [], 'no script errors');
});
