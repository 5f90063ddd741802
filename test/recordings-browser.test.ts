// The recordings page in real Chromium (Debian's /usr/bin/chromium through playwright-core) against the desk on a
// real database: a supervisor logs in, opens 录音查询 from the desk, searches by caller number, plays a recording,
// seeks into the middle by clicking the waveform (ten minutes of audio, so the browser fetches the middle by a Range
// request rather than having it all already), and those requests are in the audit log.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { KeyRing } from '../recordings-store/crypto.js';
import { FsBlobStore } from '../recordings-store/storage.js';
import { deskLogin, needsChromium, openBrowser } from './helpers/browser.js';
import { startDesk } from './helpers/desk.js';
import { seedRecording } from './helpers/recording-seed.js';


t.test('a supervisor searches, plays a recording and seeks into the middle', { timeout: 60_000, skip: needsChromium }, async (t) => {
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'rec-browser-'));
  const keys = new KeyRing({ id: 'b', key: randomBytes(32) });
  const store = new FsBlobStore(storeDir);
  const d = await startDesk({ recordings: { store, keys } });
  t.teardown(async () => { await d.close(); rmSync(storeDir, { recursive: true, force: true }); });
  await d.staff({ staffNo: '101', role: 'agent', name: '张律师' });
  await d.staff({ staffNo: 'sup1', role: 'supervisor', name: '王主任' });
  await d.insertCall({ callId: 'b1', callerNumber: '13912340001', agent: '101', line: 'consultation' });
  await d.insertCall({ callId: 'b2', callerNumber: '13912340002', agent: '101', line: 'complaint' });
  const { id } = await seedRecording(d.orm, store, keys, { name: 'rec-b1', callId: 'b1', staffNo: '101', durationMs: 600_000 });
  await seedRecording(d.orm, store, keys, { name: 'rec-b2', callId: 'b2', staffNo: '101', durationMs: 5000 });
  await d.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(d.app.server.address() as { port: number }).port}`;

  const { browser, errors } = await openBrowser(t);
  const page = await browser.newPage();
  await deskLogin(page, base + '/', 'sup1');
  await page.click('#recordings-link');
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  await page.waitForFunction(() => document.getElementById('rec-total')?.textContent === '共 2 条');
  await page.fill('#rec-search input[name=caller]', '13912340001');
  await page.click('#rec-search button[type=submit]');
  await page.waitForFunction(() => document.getElementById('rec-total')?.textContent === '共 1 条');
  const cells = await page.$$eval('#rec-rows tr td', (tds) => tds.map((td) => td.textContent));
  t.match(cells, [/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, '13912340001', '101', '法律咨询', '10:00', '已归档', '播放']);

  await page.click('#rec-rows button.play');
  await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).duration > 0);
  t.equal(Math.round(await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).duration)), 600, 'the browser sees 10 minutes');
  await page.waitForFunction(() => (document.getElementById('pauses')?.textContent ?? '') !== '');
  // Seek: click the middle of the waveform.
  const box = (await page.locator('#wave').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const at = await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).currentTime);
  t.ok(at > 270 && at < 330, `seeked into the middle (${at.toFixed(1)} s)`);
  await page.waitForFunction(() => {
    const p = document.getElementById('player') as HTMLAudioElement;
    return p.currentTime > 300.2 && !p.paused;
  }, undefined, { timeout: 15_000 });
  t.pass('plays on from the middle');
  t.equal(await page.isHidden('#download'), false, 'a supervisor may download');

  const audit = await d.orm.em.fork().getConnection().execute(`select actor, action, remote_addr, details from recording_audit where recording_id = ? order by id`, [id]);
  t.ok(audit.length >= 1 && audit.every((a: any) => a.actor === 'sup1' && a.action === 'play' && a.remote_addr === '127.0.0.1'), 'every request audited');
  t.ok(audit.some((a: any) => a.details?.range && Number(a.details.range.split('-')[0]) > 0), `a range request from the middle was audited (${audit.map((a: any) => a.details?.range).join(', ')})`);
  t.same(errors, [], 'no script errors');
});
