// The desk in real Chromium, for the rest of a lawyer's day: two lawyers logged in on two pages; a caller reaches
// 101, who writes the work order, hands the caller on to 102 from the page, and sees the wrap-up countdown; 102's
// page pops with the same caller and the work order 101 wrote (one work order per call), completes it, and 101
// ends wrap-up with the button and is ready again.
import t from 'tap';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { loadConfig } from '../config/index.js';
import { buildDesk, type DeskApp } from '../agent-desk/app.js';
import { createStaff } from '../agent-desk/staff.js';
import { bridged, consult, legOwner, phone, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { deskLogin, needsChromium, openBrowser } from './helpers/browser.js';
import { PASSWORD } from './helpers/desk.js';
import { REDIS_URL } from './helpers/hotline.js';
import { until } from './helpers/sim.js';

const CALLER = '13912340001';

t.test('transfer from the page, one work order across two lawyers, wrap-up countdown and its end', { timeout: 90_000, skip: needsChromium }, async (t) => {
  // Wrap-up long enough to see the countdown: 10 minutes (the page counts the time left in its own seconds).
  const a: AcdHotline = await startAcdHotline({ lawyers: [], wrapUpMs: 600_000 });
  t.teardown(() => a.close());
  const em = a.h.orm.em.fork();
  await createStaff(em, { staffNo: '101', name: '张律师', role: 'agent', password: PASSWORD, endpoint: 'PJSIP/8001', skills: ['labour-wages'], lines: ['consultation'] });
  await createStaff(em, { staffNo: '102', name: '李律师', role: 'agent', password: PASSWORD, endpoint: 'PJSIP/8002', skills: ['legal-aid'], dialects: ['粤语'] });
  await phone(a.h, 'PJSIP/8001', 'answer', 500);
  await phone(a.h, 'PJSIP/8002', 'answer', 500);
  const config = loadConfig({ KEY_PREFIX: a.h.prefix, DATABASE_URL: a.h.dbUrl, REDIS_URL });
  const desk: DeskApp = buildDesk({ config, orm: a.h.orm, redis: a.h.redis, log: pino({ level: 'silent' }) }, { autoWorkOrders: { sweepEveryMs: 0 } });
  await desk.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => desk.close());
  const url = `http://127.0.0.1:${(desk.server.address() as { port: number }).port}/`;

  const errors: string[] = [];
  // One browser per lawyer: each has its own session cookie.
  const open = async (staffNo: string): Promise<Page> => {
    const { browser } = await openBrowser(t, 15_000, { errors, label: staffNo });
    const page = await browser.newPage();
    await deskLogin(page, url, staffNo);
    await page.waitForFunction(() => document.getElementById('live-state')?.textContent === '实时连接：正常');
    return page;
  };
  const p101 = await open('101');
  const p102 = await open('102');
  await p101.keyboard.press('F2'); // 置闲 by keyboard
  await p101.waitForFunction(() => document.getElementById('presence-state')?.textContent === '空闲');

  const id = await consult(a.h, CALLER, '2');
  t.equal(legOwner((await bridged(a.h, id))[0]), '101');
  await p101.waitForFunction(() => document.getElementById('pop-state')?.textContent === '通话中');
  await p101.waitForFunction(() => /^通话 \d\d:\d\d$/.test(document.getElementById('pop-timer')?.textContent ?? ''));
  // The caller reads out an ID number: the lawyer pauses the recording from the page, then resumes it.
  const commands: string[] = [];
  const sub = a.h.redis.duplicate();
  sub.on('message', (_c: string, m: string) => commands.push(m));
  await sub.subscribe(`${a.h.prefix}:acd:commands`);
  t.teardown(() => sub.disconnect());
  await p101.click('#recording-pause');
  await p101.waitForFunction(() => document.getElementById('recording-state')?.textContent === '录音已暂停（保留静音）');
  await p101.click('#recording-resume');
  await p101.waitForFunction(() => document.getElementById('recording-state')?.textContent === '录音中');
  await until(() => commands.length === 2, 'both commands reached the controllers\' channel');
  t.match(commands.map((c) => JSON.parse(c)), [{ type: 'recording', action: 'pause', callId: id, staffNo: '101' }, { type: 'recording', action: 'resume', callId: id }]);
  await p101.fill('#wo-form textarea[name=matter]', '工伤后公司不签劳动合同，想申请法律援助');
  await p101.selectOption('#wo-form select[name=disposition]', 'follow_up');
  await p101.click('#wo-form button[type=submit]');
  await p101.waitForFunction(() => /^已保存，工单号 \d+$/.test(document.getElementById('wo-result')?.textContent ?? ''));

  // 102 goes ready; 101 hands the caller on to 102 by name from the transfer list.
  await p102.click('#presence-buttons button[data-state=ready]');
  await p102.waitForFunction(() => document.getElementById('presence-state')?.textContent === '空闲');
  await p101.focus('#transfer-target');
  await p101.waitForFunction(() => [...document.querySelectorAll('#transfer-target option')].some((o) => /^李律师（102，空闲，法律援助、粤语）$/.test(o.textContent ?? '')));
  t.ok(await p101.$('#transfer-target option[value="line:application"]'), 'the lines are offered too');
  await p101.selectOption('#transfer-target', 'agent:102');
  await p101.click('#transfer-form button[type=submit]');
  await p101.waitForFunction(() => /^已转接至 102/.test(document.getElementById('transfer-result')?.textContent ?? ''));
  t.equal(await p101.inputValue('#wo-form select[name=disposition]'), 'follow_up', 'a saved work order is not changed behind the lawyer\'s back');

  // 101: wrap-up with a countdown.
  await p101.waitForSelector('#wrap-up:not([hidden])');
  const left = await p101.textContent('#wrap-up-left');
  t.match(left, /^(09:[0-5]\d|10:00)$/, `countdown shown (${left})`);

  // 102: the same caller pops, with the work order 101 wrote, and completes it.
  await p102.waitForFunction(() => document.getElementById('pop-state')?.textContent === '通话中');
  t.equal(await p102.textContent('#pop-number'), CALLER);
  t.equal(legOwner((await bridged(a.h, id))[0]), '102');
  await p102.waitForFunction(() => /已有工单 \d+（101 登记）/.test(document.getElementById('wo-result')?.textContent ?? ''));
  t.equal(await p102.inputValue('#wo-form textarea[name=matter]'), '工伤后公司不签劳动合同，想申请法律援助');
  await p102.fill('#wo-form textarea[name=answer]', '符合法律援助条件，已告知所需材料');
  await p102.selectOption('#wo-form select[name=disposition]', 'resolved');
  await p102.keyboard.press('F4'); // 保存工单 by keyboard
  await p102.waitForFunction(() => /^已保存，工单号 \d+$/.test(document.getElementById('wo-result')?.textContent ?? ''));
  const rows = await a.h.sql('select staff_no, updated_by, disposition, answer from work_order where call_id = ?', [id]);
  t.same(rows, [{ staff_no: '101', updated_by: '102', disposition: 'resolved', answer: '符合法律援助条件，已告知所需材料' }], 'one work order, still 101\'s');

  // 101 ends wrap-up early.
  await p101.click('#wrap-up-done');
  await p101.waitForFunction(() => document.getElementById('presence-state')?.textContent === '空闲');
  t.ok(await p101.$('#wrap-up[hidden]'), 'countdown gone');
  t.equal((await a.presence.get('101')).state, 'ready');
  await a.h.hangup(id);
  t.match((await a.h.record(id)).transfers, [{ from: '101', toAgent: '102', answeredBy: '102' }]);
  t.same(errors, [], 'no script errors');
});
