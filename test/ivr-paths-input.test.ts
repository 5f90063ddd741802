// The 12348 flow's keys that are not a line: 0 for a person (main menu and sub-menus), 9 to repeat, and what happens
// to a caller who keys nothing or keeps keying wrong (three times -> a person), walked through pbx-sim and ari-client
// and checked on what the caller heard, the call record and its call_ledger row.
import t from 'tap';
import { startHotline, type TestHotline } from './helpers/hotline.js';
import { checkLedger, finished, GREETING, hangUpInQueue, MOH, pressAt } from './helpers/paths.js';

let h: TestHotline;
t.before(async () => { h = await startHotline(); });
t.teardown(() => h.close());
t.jobs = 3;

const ARRIVAL = ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:open'];
let caller = 13900000200;
const next = () => String(caller++);

t.test('0 in the main menu: transferring, then the operator queue (service_line operator)', async (t) => {
  const from = next();
  const id = await h.dial(from);
  await pressAt(h, id, 'main-menu', '0');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'transferring', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[0]', 'to-operator:done', 'queue-operator:abandoned_in_queue']);
  t.match(f.record, { caller_number: from, service_line: 'operator', legal_topic: null, priority: 0, end_reason: 'abandoned_in_queue' });
  t.ok(f.record.queued_at);
  checkLedger(t, f);
});

for (const [key, line, menu] of [['1', 'consultation', 'consultation-menu'], ['2', 'application', 'application-menu']] as const) {
  t.test(`0 in the ${menu}: a person too`, async (t) => {
    const id = await h.dial(next());
    await pressAt(h, id, 'main-menu', key);
    await pressAt(h, id, menu, '0');
    await hangUpInQueue(h, id);
    const f = await finished(h, id);
    t.same(f.heard, [...GREETING, 'main-menu', menu, 'transferring', MOH]);
    t.same(f.path, [...ARRIVAL, `main-menu:chosen[${key}]`, `line-${line}:done`, `${menu}:chosen[0]`, 'to-operator:done', 'queue-operator:abandoned_in_queue']);
    // The operator queue is the line the call was queued on; the line the caller first picked stays in the tags.
    t.match(f.record, { service_line: 'operator', legal_topic: null, end_reason: 'abandoned_in_queue', tags: { line } });
    checkLedger(t, f);
  });
}

t.test('9 repeats the main menu (heard twice), then a line', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '9');
  await pressAt(h, id, 'main-menu', '3', 2);
  await pressAt(h, id, 'appointment-menu', '0');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'main-menu', 'appointment-menu', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[9,3]', 'line-appointment:done', 'appointment-menu:chosen[0]', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { service_line: 'appointment', end_reason: 'abandoned_in_queue' });
  checkLedger(t, f);
});

t.test('9 repeats a sub-menu too', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '1');
  await pressAt(h, id, 'consultation-menu', '9');
  await pressAt(h, id, 'consultation-menu', '4', 2);
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'consultation-menu', 'consultation-menu', MOH]);
  t.match(f.record, { service_line: 'consultation', legal_topic: 'traffic-accident' });
  checkLedger(t, f);
});

t.test('no key three times in the main menu: a person (transferring, operator queue)', async (t) => {
  const from = next();
  const id = await h.dial(from);
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'no-input', 'main-menu', 'no-input', 'main-menu', 'transferring', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:timeout[,,]', 'to-operator:done', 'queue-operator:abandoned_in_queue']);
  t.match(f.record, { caller_number: from, service_line: 'operator', legal_topic: null, end_reason: 'abandoned_in_queue' });
  t.ok(f.record.queued_at);
  checkLedger(t, f);
});

t.test('three wrong keys in the main menu: invalid-input each time, then a person', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '7');
  await pressAt(h, id, 'main-menu', '*', 2);
  await pressAt(h, id, 'main-menu', '#', 3);
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'invalid-input', 'main-menu', 'invalid-input', 'main-menu', 'transferring', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:nomatch[7,*,#]', 'to-operator:done', 'queue-operator:abandoned_in_queue']);
  t.match(f.record, { service_line: 'operator', end_reason: 'abandoned_in_queue' });
  checkLedger(t, f);
});

t.test('a wrong key, a silence and a wrong key: the last failure decides (nomatch), still a person', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '6');
  await h.waitHeard(id, 'no-input');
  await pressAt(h, id, 'main-menu', '6', 3);
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'invalid-input', 'main-menu', 'no-input', 'main-menu', 'transferring', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:nomatch[6,,6]', 'to-operator:done', 'queue-operator:abandoned_in_queue']);
  t.match(f.record, { service_line: 'operator', end_reason: 'abandoned_in_queue' });
  checkLedger(t, f);
});

t.test('a wrong key, then the right one: the caller goes on', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '6');
  await pressAt(h, id, 'main-menu', '5', 2);
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'invalid-input', 'main-menu', 'complaint-intro', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[6,5]', 'line-complaint:done', 'complaint-intro:done', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { service_line: 'complaint' });
  checkLedger(t, f);
});

t.test('no key three times in the consultation menu: a lawyer of that line (line kept, no topic)', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '1');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'consultation-menu', 'no-input', 'consultation-menu', 'no-input', 'consultation-menu', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[1]', 'line-consultation:done', 'consultation-menu:timeout[,,]', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { service_line: 'consultation', legal_topic: null, end_reason: 'abandoned_in_queue' });
  checkLedger(t, f);
});

t.test('three wrong keys in the application menu: a person of that line', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '8');
  await pressAt(h, id, 'application-menu', '6', 2);
  await pressAt(h, id, 'application-menu', '7', 3);
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'invalid-input', 'application-menu', 'invalid-input', 'application-menu', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[2]', 'line-application:done', 'application-menu:nomatch[8,6,7]', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { service_line: 'application', legal_topic: null });
  checkLedger(t, f);
});

t.test('hanging up in the greeting: a record with no line', async (t) => {
  const from = next();
  const id = await h.dial(from);
  await h.waitHeard(id, 'recording-notice');
  await h.hangup(id);
  const f = await finished(h, id);
  t.same(f.heard, ['greeting', 'recording-notice']);
  t.same(f.path, ['vulnerable-check:notFound', 'greeting:caller_hangup']);
  t.match(f.record, { caller_number: from, service_line: null, legal_topic: null, end_reason: 'caller_hangup', queued_at: null, priority: 0 });
  checkLedger(t, f);
});
