// The desk's callbacks in real Chromium on the full call path (issue 5, item 4: "the desk shows a lawyer's callbacks
// and dials one; the outcome lands on the work order"): pbx-sim, a controller with the real ACD, the callback
// dialler and its BullMQ worker. A voicemail left for the lawyers' team is overdue; lawyer 101 sees it in red under
// 团队回拨 and clicks 拨打: 101's desk phone rings and answers, then the caller's; the page pops the callback call;
// when the caller hangs up, 我的回拨 shows 已接通 and the work order of the callback call carries the outcome.
import t from 'tap';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { buildDesk, type DeskApp } from '../agent-desk/app.js';
import { createStaff } from '../agent-desk/staff.js';
import { phone, phoneAction, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { deskLogin, needsChromium, openBrowser } from './helpers/browser.js';
import { callbackRig } from './helpers/callbacks.js';
import { loadCalendar } from '../lib/calendar/index.js';
import { PASSWORD } from './helpers/desk.js';
import { REDIS_URL } from './helpers/hotline.js';
import { until } from './helpers/sim.js';

const CALLER = '13912340002';
/** Open all day every day: the test must not depend on the hour it runs at. */

t.test('a lawyer sees the team\'s overdue voicemail callback, dials it from the page, and the outcome lands on the work order', { timeout: 120_000, skip: needsChromium }, async (t) => {
  const a: AcdHotline = await startAcdHotline({ lawyers: [] });
  t.teardown(() => a.close());
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  await createStaff(a.h.orm.em.fork(), { staffNo: '101', name: '张律师', role: 'agent', password: PASSWORD, endpoint: 'PJSIP/8001', skills: ['labour-wages'] });
  await phone(a.h, 'PJSIP/8001', 'answer', 500);
  await phone(a.h, `PJSIP/${CALLER}`, 'answer', 500);

  const { jobs, close } = await callbackRig(a);
  t.teardown(async () => { await jobs.queue.obliterate({ force: true }).catch(() => undefined); await close(); });

  const config = loadConfig({ KEY_PREFIX: a.h.prefix, DATABASE_URL: a.h.dbUrl, REDIS_URL });
  const desk: DeskApp = buildDesk({ config, orm: a.h.orm, redis: a.h.redis, log }, { autoWorkOrders: { sweepEveryMs: 0 }, callbacks: jobs });
  await desk.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => desk.close());
  const url = `http://127.0.0.1:${(desk.server.address() as { port: number }).port}/`;

  // A voicemail for the lawyers' team, past its deadline (the sweep makes these from calls; here it is given).
  const [{ id }] = await a.h.sql(
    `insert into callback (kind, trigger_key, number, line, place, mode, team, due_at, deadline_at, next_attempt_at, recording)
     values ('voicemail', 'vm-call-1', ?, 'consultation', 1, 'task', 'lawyers', now() - interval '3 hours', now() - interval '1 hour',
             now() - interval '3 hours', 'vm-call-1') returning id`, [CALLER]);
  const cb = String(id);

  const { browser, errors } = await openBrowser(t, 20_000);
  const page = await browser.newPage();
  await deskLogin(page, url, '101');
  await page.waitForFunction(() => document.getElementById('live-state')?.textContent === '实时连接：正常');
  t.ok(await page.$('#cb-tabs button[data-view=failed][hidden]'), 'a lawyer has no 失败回拨 tab');
  await page.click('#presence-buttons button[data-state=ready]');
  await page.waitForFunction(() => document.getElementById('presence-state')?.textContent === '空闲');

  await page.click('#cb-tabs button[data-view=team]');
  const row = `#cb-rows tr[data-id="${cb}"]`;
  await page.waitForSelector(row);
  t.equal(await page.getAttribute(row, 'class'), 'overdue', 'the overdue row is highlighted');
  t.match(await page.textContent(row), /留言回拨.*13912340002.*已超期.*待回拨.*0 \/ 3/);
  t.equal(await page.evaluate((sel) => getComputedStyle(document.querySelector(`${sel} td`)!).backgroundColor, row), 'rgb(253, 236, 234)', 'in red');
  await page.click(`${row} button.dial`);
  await page.waitForFunction(() => /^正在呼叫您的话机/.test(document.getElementById('cb-result')?.textContent ?? ''));

  // 101's phone rings and answers, then the caller's: the page pops the callback call.
  await page.waitForFunction(() => document.getElementById('pop-state')?.textContent === '通话中', undefined, { timeout: 30_000 });
  t.equal(await page.textContent('#pop-number'), CALLER);
  t.match(await page.textContent('#pop-path'), /留言回拨（第1次）/);
  const callId = await page.inputValue('#wo-form input[name=callId]');
  t.match(callId, new RegExp(`^cb-${cb}-1-`), 'the form is the callback call\'s');
  t.match(await a.h.sql('select status from callback where id = ?', [cb]), [{ status: 'dialling' }]);

  // The caller hangs up.
  await phoneAction(a.h, `PJSIP/${CALLER}`, 'hangup');
  await until(async () => (await a.h.sql('select status from callback where id = ?', [cb]))[0].status === 'completed', 'the callback to complete', 15_000);

  // 我的回拨: the lawyer's result of the day, 已接通.
  await page.click('#cb-tabs button[data-view=mine]');
  await page.waitForFunction((sel) => document.querySelector(`${sel} td.outcome`)?.textContent === '已接通', row);
  t.match(await page.textContent(`${row} td.status`), '已完成');
  t.match(await page.textContent(`${row} td.attempts`), '1 / 3');

  // The work order of the callback call carries it (the form's 回拨记录, and the API).
  await page.waitForFunction(() => /留言回拨 13912340002：已完成，已尝试 1 次，最近结果 已接通（第1次 已接通）/.test(document.getElementById('wo-callbacks')?.textContent ?? ''));
  await page.fill('#wo-form textarea[name=matter]', '回拨留言：欠薪三个月如何维权');
  await page.fill('#wo-form textarea[name=answer]', '可向劳动监察大队投诉或申请劳动仲裁');
  await page.selectOption('#wo-form select[name=disposition]', 'resolved');
  await page.click('#wo-form button[type=submit]');
  await page.waitForFunction(() => /^已保存，工单号 \d+$/.test(document.getElementById('wo-result')?.textContent ?? ''));
  const [wo] = await a.h.sql('select id, staff_no, matter from work_order where call_id = ?', [callId]);
  t.match(wo, { staff_no: '101', matter: '回拨留言：欠薪三个月如何维权' }, 'one work order for the callback call, the drafted one completed');
  const detail = await page.evaluate(async (woId) => (await fetch(`/api/work-orders/${woId}`)).json(), String(wo.id));
  t.match(detail.callbacks, [{ id: cb, kind: 'voicemail', status: 'completed', attempts: 1, lastOutcome: 'answered', resultCallId: callId,
    history: [{ attempt: 1, outcome: 'answered', staffNo: '101', callId }] }]);
  const [rec] = await a.h.sql('select tags from call_record where call_id = ?', [callId]);
  t.match(rec.tags, { direction: 'callback', callbackId: cb });

  // The lawyer promises to call back (约定回拨) on the same work order: the task is theirs, on 我的回拨.
  const day = loadCalendar().addWorkingDays(new Date(), 2);
  await page.fill('#wo-form input[name=callbackAt]', `${day}T10:00`);
  const [saved] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/work-orders/') && r.request().method() === 'PATCH'),
    page.click('#wo-form button[type=submit]'),
  ]);
  t.equal(saved.status(), 200, 'the work order is edited (it has one now)');
  const [promise] = await a.h.sql(`select id, owner_staff_no, due_at from callback where kind = 'promised' and trigger_key = ?`, [`wo:${wo.id}`]);
  t.equal(promise?.owner_staff_no, '101');
  t.equal(new Date(promise.due_at).toISOString(), new Date(`${day}T10:00:00+08:00`).toISOString(), 'Beijing time as typed');
  await page.waitForSelector(`#cb-rows tr[data-id="${promise.id}"]`);
  t.match(await page.textContent(`#cb-rows tr[data-id="${promise.id}"]`), /约定回拨.*待回拨/);
  t.same(errors, [], 'no script errors');
});
