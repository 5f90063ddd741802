// The 12348 flow's error branches, walked through pbx-sim and ari-client: a calendar that cannot answer, lookups that
// fail (the vulnerable-callers list, application status) and a queue that fails. None of them may turn a caller away:
// each leads on to the menu, a person or a message. Sequential, on its own hotline: the tests break things on purpose.
import t from 'tap';
import type { QueueRequest } from '../ivr/port.js';
import type { Acd } from '../ivr/session/ari-port.js';
import { startHotline, type TestHotline } from './helpers/hotline.js';
import { checkLedger, finished, GREETING, pressAt, speak, voicemailName, waitRecording } from './helpers/paths.js';
import { until } from './helpers/sim.js';

let calendarBroken = false;
let acdFails = false;
const requests = new Map<string, QueueRequest>();
/** Nobody answers (the caller waits until they hang up), or the ACD fails outright. */
const acd: Acd = {
  async enqueue(port, req) {
    requests.set(port.call.callId, req);
    if (acdFails) return { reason: 'error', message: 'ACD unavailable' };
    await port.wait(3_600_000);
    return { reason: 'overflow' };
  },
};

let h: TestHotline;
t.before(async () => {
  h = await startHotline({
    acd,
    open: () => {
      if (calendarBroken) throw new Error('no holiday data for this year');
      return true;
    },
  });
  await h.sql(`insert into vulnerable_caller (number, reason, added_by) values ('13900000799', 'disabled', 'test')`);
  await h.sql(`insert into case_status (case_number, kind, status) values ('20260009', 'legal_aid', 'closed')`);
});
t.teardown(() => h.close());

async function hangUpQueued(id: string): Promise<void> {
  await until(() => requests.has(id), `${id} queued`, 15000);
  await h.hangup(id);
}

t.test('a calendar that cannot answer: callers are served (main menu), not turned away', async (t) => {
  calendarBroken = true;
  t.teardown(() => { calendarBroken = false; });
  const id = await h.dial('13900000701');
  await pressAt(h, id, 'main-menu', '3');
  await hangUpQueued(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'appointment-menu']);
  t.same(f.path, ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:error', 'main-menu:chosen[3]', 'line-appointment:done',
    'appointment-menu:timeout', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { service_line: 'appointment', end_reason: 'abandoned_in_queue' });
  checkLedger(t, f);
});

t.test('the vulnerable-callers list cannot be read: the greeting and menu as usual, no priority', async (t) => {
  await h.sql('alter table vulnerable_caller rename to vulnerable_caller_away');
  t.teardown(() => h.sql('alter table vulnerable_caller_away rename to vulnerable_caller'));
  const id = await h.dial('13900000799');
  await pressAt(h, id, 'main-menu', '4');
  await hangUpQueued(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'supervision-intro']);
  t.same(f.path, ['vulnerable-check:error', 'greeting:done', 'green-offer:done', 'hours:open', 'main-menu:chosen[4]', 'line-supervision:done',
    'supervision-intro:done', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { caller_number: '13900000799', service_line: 'supervision', priority: 0 });
  checkLedger(t, f);
});

t.test('application status cannot be read: status-unavailable, then a person of the line', async (t) => {
  await h.sql('alter table case_status rename to case_status_away');
  t.teardown(() => h.sql('alter table case_status_away rename to case_status'));
  const id = await h.dial('13900000702');
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '5');
  await pressAt(h, id, 'case-number-prompt', '20260009#');
  await hangUpQueued(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'case-number-prompt', 'status-unavailable']);
  t.same(f.path, ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:open', 'main-menu:chosen[2]', 'line-application:done',
    'application-menu:chosen[5]', 'case-number:ok[20260009]', 'status-lookup:error', 'status-unavailable:done', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { service_line: 'application', end_reason: 'abandoned_in_queue' });
  t.match(requests.get(id), { line: 'application' });
  checkLedger(t, f);
});

t.test('the queue fails: the caller leaves a message instead (voicemail)', async (t) => {
  acdFails = true;
  t.teardown(() => { acdFails = false; });
  const id = await h.dial('13900000703');
  await pressAt(h, id, 'main-menu', '1');
  await pressAt(h, id, 'consultation-menu', '5');
  const name = voicemailName(id, 'overflow-message');
  await waitRecording(h, name);
  await speak(h, id, 1500);
  await h.press(id, '#');
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'consultation-menu', 'leave-message', 'voicemail-thanks']);
  t.same(f.path.slice(-4), ['topic-land:done', 'queue-line:error', 'overflow-message:recorded', 'message-thanks:done']);
  t.match(f.record, { service_line: 'consultation', legal_topic: 'land-housing', end_reason: 'voicemail', voicemail_recording: name, answered_at: null });
  checkLedger(t, f);
});
