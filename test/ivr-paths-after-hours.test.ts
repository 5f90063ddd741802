// The 12348 flow when nobody can take the call: after hours (the hours, a message, a callback promised) and a queue
// that overflows after its longest wait (a message too), walked through pbx-sim and ari-client and checked on what the
// caller heard, the call record, its ledger row and the message the simulator recorded.
import t from 'tap';
import { startHotline, type TestHotline } from './helpers/hotline.js';
import { checkLedger, finished, GREETING, pressAt, recordingAudio, speak, voicemailName, waitRecording } from './helpers/paths.js';

// Two hotlines side by side: one closed (after hours), one open whose queue nobody answers (overflow).
let h: TestHotline;
let day: TestHotline;
t.before(async () => { [h, day] = await Promise.all([startHotline({ open: false }), startHotline({ open: true })]); });
t.teardown(async () => { await Promise.all([h?.close(), day?.close()]); });
t.jobs = 4;

const CLOSED = ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:closed', 'after-hours:done', 'after-hours-say:done'];
let caller = 13900000400;
const next = () => String(caller++);

t.test('after hours: the hours, leave-message, the caller speaks and presses # -> voicemail', async (t) => {
  const from = next();
  const id = await h.dial(from);
  const name = voicemailName(id, 'after-hours-message');
  await h.waitHeard(id, 'leave-message');
  await waitRecording(h, name);
  await speak(h, id, 3000);
  await h.press(id, '#');
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'after-hours', 'leave-message', 'voicemail-thanks'], 'heard, in order');
  t.same(f.path, [...CLOSED, 'after-hours-message:recorded', 'message-thanks:done']);
  t.match(f.record, {
    caller_number: from, service_line: null, legal_topic: null, end_reason: 'voicemail', voicemail_recording: name,
    queued_at: null, answered_at: null, tags: { afterHours: true },
  });
  t.ok(f.record.tags.voicemailMs >= 3000, `message length ${f.record.tags.voicemailMs} ms`);
  const audio = await recordingAudio(h, name);
  t.ok(audio && audio.voicedMs >= 2500, `the message holds the caller's voice: ${JSON.stringify(audio)}`);
  checkLedger(t, f);
});

t.test('after hours: keys during the hours are not a menu (the message still follows)', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'after-hours', '1');
  const name = voicemailName(id, 'after-hours-message');
  await waitRecording(h, name);
  await speak(h, id, 1000);
  await h.press(id, '#');
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'after-hours', 'leave-message', 'voicemail-thanks']);
  t.same(f.path, [...CLOSED, 'after-hours-message:recorded', 'message-thanks:done']);
  t.match(f.record, { end_reason: 'voicemail', voicemail_recording: name });
  checkLedger(t, f);
});

t.test('after hours: hanging up during the message keeps the message', async (t) => {
  const id = await h.dial(next());
  const name = voicemailName(id, 'after-hours-message');
  await h.waitHeard(id, 'leave-message');
  await waitRecording(h, name);
  await speak(h, id, 2000);
  await h.hangup(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'after-hours', 'leave-message']);
  t.same(f.path, [...CLOSED, 'after-hours-message:voicemail']);
  t.match(f.record, { end_reason: 'voicemail', voicemail_recording: name, service_line: null });
  const audio = await recordingAudio(h, name);
  t.ok(audio && audio.voicedMs >= 1500, `the message was kept: ${JSON.stringify(audio)}`);
  checkLedger(t, f);
});

t.test('after hours: hanging up while the hours are said -> after_hours, no message', async (t) => {
  const id = await h.dial(next());
  await h.waitHeard(id, 'after-hours');
  await h.hangup(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'after-hours']);
  t.same(f.path, ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:closed', 'after-hours:done', 'after-hours-say:after_hours']);
  t.match(f.record, { end_reason: 'after_hours', voicemail_recording: null });
  checkLedger(t, f);
});

t.test('after hours: hanging up during leave-message (before the beep) -> after_hours, no message', async (t) => {
  const id = await h.dial(next());
  await h.waitHeard(id, 'leave-message');
  await h.hangup(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'after-hours', 'leave-message']);
  t.same(f.path, [...CLOSED, 'after-hours-message:after_hours']);
  t.match(f.record, { end_reason: 'after_hours', voicemail_recording: null });
  checkLedger(t, f);
});

t.test('after hours: a caller who says nothing -> the message ends on silence, thanks, voicemail', async (t) => {
  const id = await h.dial(next());
  const name = voicemailName(id, 'after-hours-message');
  await waitRecording(h, name);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'after-hours', 'leave-message', 'voicemail-thanks']);
  t.same(f.path, [...CLOSED, 'after-hours-message:recorded', 'message-thanks:done']);
  t.match(f.record, { end_reason: 'voicemail', voicemail_recording: name });
  checkLedger(t, f);
});

t.test('queue overflow: nobody answers within the longest wait -> leave-message, a message, voicemail', async (t) => {
  const from = next();
  const id = await day.dial(from);
  await pressAt(day, id, 'main-menu', '3');
  const name = voicemailName(id, 'overflow-message');
  // The flow's 120 s wait is 6 s here (time scale 20); then a callback or a message is offered: 2, a message.
  await pressAt(day, id, 'callback-overflow-menu', '2');
  await waitRecording(day, name, 20000);
  await speak(day, id, 2000);
  await day.press(id, '#');
  const f = await finished(day, id);
  // Line 3 offers self-service booking first; silence there goes to a person.
  const before = f.heard.slice(0, 5);
  const queue = f.heard.slice(5, -3);
  t.same(before, [...GREETING, 'main-menu', 'appointment-menu']);
  t.same(f.heard.slice(-3), ['callback-overflow-menu', 'leave-message', 'voicemail-thanks']);
  // Music on hold with the apology and the callback offer between stretches of it, for the whole wait.
  t.match(queue.join(','), /^moh:default(,queue-apology,queue-callback-offer,moh:default)+(,queue-apology(,queue-callback-offer)?)?$/, `in the queue: ${queue.join(', ')}`);
  t.same(f.path, ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:open', 'main-menu:chosen[3]', 'line-appointment:done',
    'appointment-menu:timeout', 'queue-line:overflow', 'overflow-menu:chosen[2]', 'overflow-message:recorded', 'message-thanks:done']);
  t.match(f.record, { caller_number: from, service_line: 'appointment', end_reason: 'voicemail', voicemail_recording: name, answered_at: null });
  t.ok(f.record.queued_at, 'queued_at');
  // Record times are the controller's clock (real time): 120 s of call time is 6 s at time scale 20.
  const left = (f.record.path as Array<{ node: string; at: string }>).find((s) => s.node === 'overflow-menu')!;
  const waited = Date.parse(left.at) - Date.parse(f.record.queued_at);
  t.ok(waited >= 120000 / day.scale - 50, `waited ${waited} ms (real) in the queue`);
  checkLedger(t, f);
});

t.test('queue overflow from the operator queue (0) goes to a message too', async (t) => {
  const id = await day.dial(next());
  await pressAt(day, id, 'main-menu', '0');
  const name = voicemailName(id, 'overflow-message');
  await pressAt(day, id, 'callback-overflow-menu', '2');
  await waitRecording(day, name, 20000);
  await day.hangup(id);
  const f = await finished(day, id);
  t.same(f.heard.slice(0, 5), [...GREETING, 'main-menu', 'transferring']);
  t.equal(f.heard.at(-1), 'leave-message');
  t.same(f.path.slice(-3), ['queue-operator:overflow', 'overflow-menu:chosen[2]', 'overflow-message:voicemail']);
  t.match(f.record, { service_line: 'operator', end_reason: 'voicemail', voicemail_recording: name });
  checkLedger(t, f);
});
