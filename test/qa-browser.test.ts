// QA scoring in real Chromium (Debian's /usr/bin/chromium through playwright-core) against the desk on a real
// database: the day's sample puts a call on a supervisor's 待评分 list; she opens it from the recordings page, plays
// it, seeks into the middle by the waveform, fills the scorecard while it plays (a missing answer is refused and
// named), saves, and the score is stored and shows; then she searches for another call and scores it by choice.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { loadCalendar } from '../lib/calendar/index.js';
import { sampleDay } from '../lib/qa/sample.js';
import { KeyRing } from '../recordings-store/crypto.js';
import { FsBlobStore } from '../recordings-store/storage.js';
import { deskLogin, needsChromium, openBrowser } from './helpers/browser.js';
import { startDesk } from './helpers/desk.js';
import { seedRecording } from './helpers/recording-seed.js';


t.test('a supervisor plays a sampled call, seeks, scores it while listening; the score is stored and shows', { timeout: 90_000, skip: needsChromium }, async (t) => {
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'qa-browser-'));
  const keys = new KeyRing({ id: 'q', key: randomBytes(32) });
  const store = new FsBlobStore(storeDir);
  const d = await startDesk({ recordings: { store, keys } });
  t.teardown(async () => { await d.close(); rmSync(storeDir, { recursive: true, force: true }); });
  await d.staff({ staffNo: '101', role: 'agent', name: '张律师' });
  await d.staff({ staffNo: 'sup1', role: 'supervisor', name: '王主任' });
  // Monday 2026-03-02 (its window runs to Tuesday): one answered call, so the 5 % sample is that call.
  await d.insertCall({ callId: 'q1', callerNumber: '13912340001', agent: '101', line: 'consultation', arrivedAt: new Date('2026-03-02T10:00:00+08:00') });
  await d.insertCall({ callId: 'q2', callerNumber: '13912340002', agent: '101', line: 'consultation', arrivedAt: new Date('2026-03-05T10:00:00+08:00') });
  await seedRecording(d.orm, store, keys, { name: 'rec-q1', callId: 'q1', staffNo: '101', durationMs: 600_000, finishedAt: new Date('2026-03-02T10:10:05+08:00') });
  await seedRecording(d.orm, store, keys, { name: 'rec-q2', callId: 'q2', staffNo: '101', durationMs: 5000, finishedAt: new Date('2026-03-05T10:01:05+08:00') });
  const drawn = await sampleDay(d.orm, loadCalendar(), '2026-03-02', { rate: 0.05 });
  t.same(drawn.added, [{ callId: 'q1', assignedTo: 'sup1' }], 'the sample is q1, for sup1');
  await d.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(d.app.server.address() as { port: number }).port}`;

  const { browser, errors } = await openBrowser(t);
  const page = await browser.newPage();
  await deskLogin(page, base + '/', 'sup1');
  await page.click('#recordings-link');
  await page.waitForFunction(() => document.body.dataset.ready === '1' && document.body.dataset.qaReady === '1');

  // 待评分: the sampled call, opened from the list.
  t.equal(await page.isVisible('#qa-todo'), true, 'a supervisor sees the to-score list');
  const todo = await page.$$eval('#qa-todo-rows tr td', (tds) => tds.map((td) => td.textContent));
  t.match(todo, ['2026-03-02', '2026-03-02 10:00', '13912340001', '101', '随机抽样', '听录音评分']);
  await page.click('#qa-todo-rows button.score');
  await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).duration > 0);
  t.equal(Math.round(await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).duration)), 600, 'the sampled call plays (10 minutes)');
  await page.waitForSelector('#qa-panel:not([hidden])');
  t.equal(await page.isVisible('#qa-form'), true, 'the scorecard is beside the player');
  const labels = await page.$$eval('#qa-criteria tr td:first-child', (tds) => tds.map((td) => td.firstChild?.textContent));
  t.same(labels, ['规范开头语（您好，12348公共法律服务热线）', '准确理解诉求', '法律依据准确', '答复清晰完整', '告知后续途径（法律援助、调解、仲裁、诉讼）', '规范结束语', '服务态度（耐心、文明、热情）', '未使用服务禁语']);

  const box = (await page.locator('#wave').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const seeked = await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).currentTime);
  t.ok(seeked > 270 && seeked < 330, `seeked into the middle (${seeked.toFixed(1)} s)`);

  // Filled while it plays; 服务态度 left out at first.
  const answers: Record<string, string> = { opening: 'true', understanding: '4', legal_basis: '3', clarity: '5', next_steps: '0', closing: 'false', banned: 'false' };
  for (const [id, v] of Object.entries(answers)) await page.selectOption(`#qa-form select[name=${id}]`, v);
  t.equal(await page.textContent('#qa-total'), '—', 'no total until every criterion is answered');
  await page.click('#qa-save');
  await page.waitForFunction(() => (document.getElementById('qa-form-error')?.textContent ?? '') !== '');
  t.equal(await page.textContent('#qa-form-error'), '保存失败：服务态度（耐心、文明、热情）：请选择', 'the missing criterion is named');
  t.equal(await page.getAttribute('#qa-criteria tr[data-id=attitude]', 'class'), 'bad');
  await page.selectOption('#qa-form select[name=attitude]', '5');
  t.equal(await page.textContent('#qa-total'), '64', 'the preview total');
  await page.fill('#qa-form textarea[name=comment]', '法律依据需补充，未告知后续途径');
  await page.click('#qa-save');
  await page.waitForFunction(() => (document.getElementById('qa-existing')?.textContent ?? '').startsWith('已保存'));
  t.match(await page.textContent('#qa-existing'), /^已保存：64 分（评分人 sup1，2\d{3}-\d{2}-\d{2} \d{2}:\d{2}，随机抽样），评语：法律依据需补充/);
  t.ok(await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).currentTime) > seeked, 'the recording played on while scoring');
  await page.waitForFunction(() => document.getElementById('qa-todo-rows')?.textContent === '暂无待评分通话');

  const stored = await d.orm.em.fork().getConnection().execute(`select call_id, staff_no, scorer, total::float as total, sampled, comment, answers from qa_score order by id`);
  t.match(stored, [{ call_id: 'q1', staff_no: '101', scorer: 'sup1', total: 64, sampled: true, comment: '法律依据需补充，未告知后续途径',
    answers: { opening: true, understanding: 4, legal_basis: 3, clarity: 5, next_steps: 0, closing: false, attitude: 5, banned: false } }]);
  t.same(await d.orm.em.fork().getConnection().execute(`select status from qa_assignment where call_id = 'q1'`), [{ status: 'scored' }]);

  // Any call: searched, played, scored by choice.
  await page.fill('#rec-search input[name=caller]', '13912340002');
  await page.click('#rec-search button[type=submit]');
  await page.waitForFunction(() => document.getElementById('rec-total')?.textContent === '共 1 条');
  await page.click('#rec-rows button.play');
  await page.waitForFunction(() => (document.getElementById('player-title')?.textContent ?? '').includes('13912340002'));
  await page.waitForFunction(() => (document.querySelector('#qa-form select[name=opening]') as HTMLSelectElement).value === '');
  for (const id of ['opening', 'closing', 'banned']) await page.selectOption(`#qa-form select[name=${id}]`, 'true');
  for (const id of ['understanding', 'legal_basis', 'clarity', 'next_steps', 'attitude']) await page.selectOption(`#qa-form select[name=${id}]`, '5');
  await page.click('#qa-save');
  await page.waitForFunction(() => (document.getElementById('qa-existing')?.textContent ?? '').startsWith('已保存：100 分'));
  t.same(await d.orm.em.fork().getConnection().execute(`select call_id, sampled from qa_score where call_id = 'q2'`), [{ call_id: 'q2', sampled: false }], 'a picked call');

  // After a reload the first call's score shows when it is opened again.
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === '1' && document.body.dataset.qaReady === '1');
  await page.fill('#rec-search input[name=caller]', '13912340001');
  await page.click('#rec-search button[type=submit]');
  await page.waitForFunction(() => document.getElementById('rec-total')?.textContent === '共 1 条');
  await page.click('#rec-rows button.play');
  await page.waitForFunction(() => (document.getElementById('qa-existing')?.textContent ?? '').startsWith('已评分：64 分'));
  t.equal(await page.inputValue('#qa-form select[name=legal_basis]'), '3', 'the saved answers are shown');
  t.same(errors, [], 'no script errors');
});
