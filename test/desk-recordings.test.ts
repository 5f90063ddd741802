// Recordings on the desk (app.inject on a real database): a lawyer sees and plays only their own calls' recordings —
// another's id, guessed, is a 404 on every recording route; playback honours HTTP Range and decrypts to the exact
// bytes; every play and download is audited (who, when, which, from where); search filters; pause commands go
// only from the lawyer on the call (or a supervisor) and only when a controller listens.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { commandChannel as commandsChannel } from '../ivr/acd/commands.js';
import { KeyRing } from '../recordings-store/crypto.js';
import { FsBlobStore } from '../recordings-store/storage.js';
import { startDesk, type TestDesk } from './helpers/desk.js';
import { seedRecording } from './helpers/recording-seed.js';

let d: TestDesk;
const storeDir = mkdtempSync(path.join(os.tmpdir(), 'desk-rec-'));
const keys = new KeyRing({ id: 't', key: randomBytes(32) });
let mine: { id: string; wav: Buffer } = { id: '', wav: Buffer.alloc(0) };
let theirs: { id: string; wav: Buffer } = { id: '', wav: Buffer.alloc(0) };

t.before(async () => {
  const store = new FsBlobStore(storeDir);
  d = await startDesk({ recordings: { store, keys } });
  await d.staff({ staffNo: 'lawyer1', role: 'agent' });
  await d.staff({ staffNo: 'lawyer2', role: 'agent' });
  await d.staff({ staffNo: 'sup', role: 'supervisor' });
  await d.insertCall({ callId: 'c1', callerNumber: '13800000011', agent: 'lawyer1', line: 'consultation' });
  await d.insertCall({ callId: 'c2', callerNumber: '13800000022', agent: 'lawyer2', line: 'complaint' });
  await d.orm.em.fork().getConnection().execute(`update call_record set survey_rating = 3 where call_id = 'c2'`);
  await d.req('POST', '/api/work-orders', await d.cookie('lawyer2'), { callId: 'c2', serviceLine: 'complaint', matter: '投诉', answer: '已记录', disposition: 'follow_up', riskFlag: true, riskReason: '群体性' });
  mine = await seedRecording(d.orm, store, keys, { name: 'rec-c1', callId: 'c1', staffNo: 'lawyer1' });
  theirs = await seedRecording(d.orm, store, keys, { name: 'rec-c2', callId: 'c2', staffNo: 'lawyer2', durationMs: 6000 });
});
t.teardown(async () => { await d.close(); rmSync(storeDir, { recursive: true, force: true }); });

t.test('a lawyer cannot reach another lawyer’s recording by guessing its id', async (t) => {
  const l1 = await d.cookie('lawyer1');
  for (const suffix of ['', '/audio', '/waveform']) {
    const r = await d.req('GET', `/api/recordings/${theirs.id}${suffix}`, l1);
    t.equal(r.status, 404, `GET /api/recordings/:id${suffix}: 404, not 403 (existence is not revealed)`);
  }
  t.equal((await d.req('GET', `/api/recordings/${theirs.id}/download`, l1)).status, 403);
  const list = await d.req('GET', '/api/recordings', l1);
  t.same(list.body.items.map((x: any) => x.name), ['rec-c1'], 'the search lists only their own');
  t.equal((await d.req('GET', `/api/recordings/${mine.id}/audio`, l1)).status, 200, 'their own plays');
  const audit = await d.orm.em.fork().getConnection().execute(`select actor, action, recording_id from recording_audit where actor = 'lawyer1'`);
  t.same(audit.map((a: any) => [a.action, String(a.recording_id)]), [['play', mine.id]], 'refused attempts play nothing and audit nothing');
});

t.test('playback: whole file and ranges decrypt to the exact bytes; each request audited with who and where from', async (t) => {
  const sup = await d.cookie('sup');
  const whole = await d.app.inject({ method: 'GET', url: `/api/recordings/${theirs.id}/audio`, headers: { cookie: sup, 'user-agent': 'test-agent' }, remoteAddress: '10.1.2.3' });
  t.equal(whole.statusCode, 200);
  t.equal(whole.headers['content-type'], 'audio/wav');
  t.equal(whole.headers['accept-ranges'], 'bytes');
  t.ok(whole.rawPayload.equals(theirs.wav), 'the whole WAV');
  const mid = Math.floor(theirs.wav.length / 2);
  const part = await d.app.inject({ method: 'GET', url: `/api/recordings/${theirs.id}/audio`, headers: { cookie: sup, range: `bytes=${mid}-` } });
  t.equal(part.statusCode, 206);
  t.equal(part.headers['content-range'], `bytes ${mid}-${theirs.wav.length - 1}/${theirs.wav.length}`);
  t.ok(part.rawPayload.equals(theirs.wav.subarray(mid)), 'seeking into the middle');
  const tail = await d.app.inject({ method: 'GET', url: `/api/recordings/${theirs.id}/audio`, headers: { cookie: sup, range: 'bytes=-100' } });
  t.ok(tail.rawPayload.equals(theirs.wav.subarray(-100)), 'a suffix range');
  const bad = await d.app.inject({ method: 'GET', url: `/api/recordings/${theirs.id}/audio`, headers: { cookie: sup, range: `bytes=${theirs.wav.length + 5}-` } });
  t.equal(bad.statusCode, 416);
  const dl = await d.app.inject({ method: 'GET', url: `/api/recordings/${theirs.id}/download`, headers: { cookie: sup } });
  t.equal(dl.statusCode, 200);
  t.match(dl.headers['content-disposition'], /attachment; filename="rec-c2.wav"/);
  t.ok(dl.rawPayload.equals(theirs.wav));
  const audit = await d.req('GET', `/api/recording-audit?recordingId=${theirs.id}`, sup);
  const rows = audit.body.items.reverse();
  t.same(rows.map((a: any) => a.action), ['play', 'play', 'play', 'download'], 'every access that sent audio (the unsatisfiable range sent none)');
  t.match(rows[0], { actor: 'sup', actorRole: 'supervisor', remoteAddr: '10.1.2.3', userAgent: 'test-agent', callId: 'c2' });
  t.match(rows[1].details, { range: `${mid}-${theirs.wav.length - 1}` });
  t.equal((await d.req('GET', '/api/recording-audit', await d.cookie('lawyer1'))).status, 403, 'lawyers do not read the audit log');
});

t.test('waveform and search filters', async (t) => {
  const sup = await d.cookie('sup');
  const w = await d.req('GET', `/api/recordings/${theirs.id}/waveform`, sup);
  t.equal(w.body.durationMs, 6000);
  t.ok(w.body.peaks.length >= 700 && w.body.peaks.length <= 800);
  const quarter = w.body.peaks.length / 4;
  t.ok(w.body.peaks[Math.floor(quarter)] > 0.05, 'speech in the first half');
  t.equal(w.body.peaks[0], 0, 'silence at the start');
  const q = async (qs: string) => (await d.req('GET', `/api/recordings?${qs}`, sup)).body.items.map((x: any) => x.name);
  t.same(await q('caller=13800000022'), ['rec-c2']);
  t.same(await q('staffNo=lawyer1'), ['rec-c1']);
  t.same(await q('line=complaint'), ['rec-c2']);
  t.same(await q('disposition=follow_up'), ['rec-c2']);
  t.same(await q('risk=true'), ['rec-c2']);
  t.same(await q('rating=3'), ['rec-c2']);
  t.same((await q('from=2020-01-01')).sort(), ['rec-c1', 'rec-c2']);
  t.same(await q('to=2020-01-01'), []);
  t.equal((await d.req('GET', '/api/recordings?rating=9', sup)).status, 400, 'a bad filter names its field');
});

t.test('pause/resume: only the lawyer on the call, or a supervisor; only when a controller listens', async (t) => {
  const l1 = await d.cookie('lawyer1');
  const r = await d.req('POST', '/api/calls/c1/recording/pause', l1);
  t.equal(r.status, 403, 'lawyer1 is not on c1 right now');
  await d.publish({ type: 'offered', staffNo: 'lawyer1', callId: 'c1', callerNumber: '13800000011', line: 'consultation', priority: 0, green: false, ivrPath: [], at: new Date().toISOString() });
  t.equal((await d.req('POST', '/api/calls/c1/recording/pause', l1)).status, 403, 'ringing is not talking');
  await d.publish({ type: 'answered', staffNo: 'lawyer1', callId: 'c1', at: new Date().toISOString() });
  t.equal((await d.req('POST', '/api/calls/c1/recording/pause', l1)).status, 503, 'no controller listening: said so, not pretended');
  const sub = d.redis.duplicate();
  const got: string[] = [];
  sub.on('message', (_c: string, m: string) => got.push(m));
  await sub.subscribe(commandsChannel(d.prefix));
  t.teardown(() => sub.quit());
  t.equal((await d.req('POST', '/api/calls/c1/recording/pause', l1)).status, 202);
  t.equal((await d.req('POST', '/api/calls/c1/recording/resume', await d.cookie('sup'))).status, 202);
  t.equal((await d.req('POST', '/api/calls/c1/recording/pause', await d.cookie('lawyer2'))).status, 403, 'another lawyer cannot');
  const { until } = await import('./helpers/sim.js');
  await until(() => got.length === 2, 'both commands');
  t.same(got.map((m) => JSON.parse(m)), [
    { type: 'recording', action: 'pause', callId: 'c1', staffNo: 'lawyer1' },
    { type: 'recording', action: 'resume', callId: 'c1', staffNo: 'sup' },
  ]);
});

t.test('legal holds from the desk are audited; releasing twice is a 404', async (t) => {
  const sup = await d.cookie('sup');
  const bad = await d.req('POST', '/api/legal-holds', sup, { callId: 'c1', callerNumber: '13800000011', reason: 'x' });
  t.equal(bad.status, 400, 'exactly one target');
  const h = await d.req('POST', '/api/legal-holds', sup, { callerNumber: '13800000011', reason: '信访' });
  t.equal(h.status, 201);
  t.equal((await d.req('DELETE', `/api/legal-holds/${h.body.id}`, sup)).status, 200);
  t.equal((await d.req('DELETE', `/api/legal-holds/${h.body.id}`, sup)).status, 404);
  const audit = await d.req('GET', '/api/recording-audit?action=hold', sup);
  t.match(audit.body.items[0], { actor: 'sup', action: 'hold', details: { callerNumber: '13800000011', reason: '信访' } });
});

t.test('a voicemail to call back: the lawyers of the team may hear it while the callback is open, not after', async (t) => {
  const conn = d.orm.em.fork().getConnection();
  await d.insertCall({ callId: 'vm1', callerNumber: '13800000033', line: 'consultation', endReason: 'voicemail' });
  const vm = await seedRecording(d.orm, new FsBlobStore(storeDir), keys, { name: 'vm-vm1', callId: 'vm1', staffNo: null, kind: 'voicemail' });
  const l1 = await d.cookie('lawyer1');
  t.equal((await d.req('GET', `/api/recordings/${vm.id}/audio`, l1)).status, 404, 'no callback: not theirs to hear');
  const [cb] = await conn.execute(`insert into callback (kind, trigger_key, origin_call_id, number, line, place, mode, team, due_at, deadline_at, next_attempt_at, recording)
    values ('voicemail', 'vm1', 'vm1', '13800000033', 'consultation', 1, 'task', 'lawyers', now(), now() + interval '2 hours', now(), 'vm-vm1') returning id`);
  t.equal((await d.req('GET', `/api/recordings/${vm.id}/audio`, l1)).status, 200, 'a team callback: the lawyer hears the message');
  t.ok((await d.req('GET', '/api/recordings', l1)).body.items.some((x: any) => x.name === 'vm-vm1'), 'and finds it');
  await conn.execute(`update callback set status = 'completed' where id = ?`, [cb.id]);
  t.equal((await d.req('GET', `/api/recordings/${vm.id}/audio`, l1)).status, 404, 'called back: no longer');
});
