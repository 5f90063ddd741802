// The 12348 flow's special services: the green channel (key 8, or a caller on the vulnerable-callers list), a named
// lawyer (点名: 1, 7, a staff number 工号 and #), and the status of an application by case number (2, 5, number #),
// walked through pbx-sim and ari-client and checked on what the caller heard, the call record and its ledger row.
import t from 'tap';
import { startHotline, type TestHotline } from './helpers/hotline.js';
import { checkLedger, finished, GREETING, hangUpInQueue, MOH, pressAt } from './helpers/paths.js';

let h: TestHotline;
t.before(async () => {
  h = await startHotline();
  await h.sql(`insert into vulnerable_caller (number, reason, added_by) values ('13900000399', 'elderly', 'test')`);
  await h.sql(`insert into case_status (case_number, kind, status) values ('20260001', 'legal_aid', 'approved'), ('20260002', 'legal_aid', 'refused')`);
});
t.teardown(() => h.close());
t.jobs = 3;

const ARRIVAL = ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:open'];
let caller = 13900000300;
const next = () => String(caller++);

// ---- green channel (绿色通道) -----------------------------------------------------------------------------------------

t.test('green channel: 8 in the main menu -> priority, green-channel-accepted, operator queue', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '8');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'green-channel-accepted', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[8]', 'green-key:done', 'green-accepted:done', 'queue-operator:abandoned_in_queue']);
  t.ok(f.record.priority > 0, `priority ${f.record.priority}`);
  t.match(f.record, { service_line: 'operator', end_reason: 'abandoned_in_queue', tags: { greenChannel: 'key' } });
  t.ok(f.ledger!.priority > 0, 'the ledger shows the priority');
  checkLedger(t, f);
});

t.test('green channel: 8 during the greeting (where it is offered) works too', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'green-channel-offer', '8');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'green-channel-accepted', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[8]', 'green-key:done', 'green-accepted:done', 'queue-operator:abandoned_in_queue']);
  t.ok(f.record.priority > 0);
  checkLedger(t, f);
});

t.test('green channel: a caller on the vulnerable-callers list gets priority without pressing anything', async (t) => {
  const id = await h.dial('13900000399');
  await pressAt(h, id, 'main-menu', '1');
  await pressAt(h, id, 'consultation-menu', '2');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'consultation-menu', MOH], 'the same menus as anyone');
  t.same(f.path, ['vulnerable-check:found', 'green-listed:done', 'greeting:done', 'green-offer:done', 'hours:open', 'main-menu:chosen[1]',
    'line-consultation:done', 'consultation-menu:chosen[2]', 'topic-labour:done', 'queue-line:abandoned_in_queue']);
  t.ok(f.record.priority > 0, `priority ${f.record.priority}`);
  t.match(f.record, { caller_number: '13900000399', service_line: 'consultation', legal_topic: 'labour-wages', tags: { greenChannel: 'listed' } });
  checkLedger(t, f);
});

// ---- named lawyer (点名咨询) -------------------------------------------------------------------------------------------

t.test('named lawyer: 1, 7, staff number and # -> requested_agent, lawyer-connecting, queue', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '1');
  await pressAt(h, id, 'consultation-menu', '7');
  await pressAt(h, id, 'lawyer-id-prompt', '8001#');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'consultation-menu', 'lawyer-id-prompt', 'lawyer-connecting', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[1]', 'line-consultation:done', 'consultation-menu:chosen[7]', 'named-lawyer:ok[8001]',
    'named-tag:done', 'named-connecting:done', 'queue-named:abandoned_in_queue']);
  t.match(f.record, { service_line: 'consultation', legal_topic: null, requested_agent: '8001', end_reason: 'abandoned_in_queue', tags: { namedLawyer: true } });
  checkLedger(t, f);
});

t.test('named lawyer: a staff number too short is asked again', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '1');
  await pressAt(h, id, 'consultation-menu', '7');
  await pressAt(h, id, 'lawyer-id-prompt', '12#');
  await pressAt(h, id, 'lawyer-id-prompt', '8012#', 2);
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'consultation-menu', 'lawyer-id-prompt', 'lawyer-id-invalid', 'lawyer-id-prompt', 'lawyer-connecting', MOH]);
  t.ok(f.path.includes('named-lawyer:ok[12,8012]'), f.path.join(' > '));
  t.match(f.record, { requested_agent: '8012', service_line: 'consultation' });
  checkLedger(t, f);
});

t.test('named lawyer: no staff number at all -> a lawyer of the line (no requested agent)', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '1');
  await pressAt(h, id, 'consultation-menu', '7');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'consultation-menu', 'lawyer-id-prompt', 'no-input', 'lawyer-id-prompt', MOH]);
  t.ok(f.path.includes('named-lawyer:timeout[,]') && f.path.at(-1) === 'queue-line:abandoned_in_queue', f.path.join(' > '));
  t.match(f.record, { service_line: 'consultation', requested_agent: null });
  checkLedger(t, f);
});

// ---- application status by case number (查询申请进度) --------------------------------------------------------------------

t.test('case number found: the status is read out, then goodbye', async (t) => {
  const from = next();
  const id = await h.dial(from);
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '5');
  await pressAt(h, id, 'case-number-prompt', '20260001#');
  await h.waitEnded(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'case-number-prompt', 'status-intro', 'digits:20260001', 'status-approved', 'goodbye']);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[2]', 'line-application:done', 'application-menu:chosen[5]', 'case-number:ok[20260001]',
    'status-lookup:found', 'status-say:timeout', 'goodbye:done']);
  t.match(f.record, { caller_number: from, service_line: 'application', legal_topic: null, end_reason: 'completed', queued_at: null, answered_at: null });
  checkLedger(t, f);
});

t.test('case number refused: 0 after the status reaches a person of the line', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '5');
  await pressAt(h, id, 'case-number-prompt', '20260002#');
  await pressAt(h, id, 'status-refused', '0');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'case-number-prompt', 'status-intro', 'digits:20260002', 'status-refused', MOH]);
  t.ok(f.path.includes('status-say:chosen[0]') && f.path.at(-1) === 'queue-line:abandoned_in_queue', f.path.join(' > '));
  t.match(f.record, { service_line: 'application', end_reason: 'abandoned_in_queue' });
  checkLedger(t, f);
});

t.test('unknown case number: case-number-not-found, asked again; then the right one', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '5');
  await pressAt(h, id, 'case-number-prompt', '99999999#');
  await pressAt(h, id, 'case-number-prompt', '20260001#', 2);
  await h.waitEnded(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'case-number-prompt', 'case-number-not-found', 'case-number-prompt',
    'status-intro', 'digits:20260001', 'status-approved', 'goodbye']);
  t.ok(f.path.join(' ').includes('case-number:ok[99999999] status-lookup:notFound status-not-found:done case-number:ok[20260001] status-lookup:found'), f.path.join(' > '));
  t.match(f.record, { end_reason: 'completed', service_line: 'application' });
  checkLedger(t, f);
});

t.test('unknown case number, then the caller gives up (keys nothing): a person of the line', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '5');
  await pressAt(h, id, 'case-number-prompt', '12345#');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'case-number-prompt', 'case-number-not-found', 'case-number-prompt',
    'no-input', 'case-number-prompt', MOH]);
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[2]', 'line-application:done', 'application-menu:chosen[5]', 'case-number:ok[12345]',
    'status-lookup:notFound', 'status-not-found:done', 'case-number:timeout[,]', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { service_line: 'application', end_reason: 'abandoned_in_queue' });
  checkLedger(t, f);
});

t.test('a case number too short is asked again with case-number-invalid', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '5');
  await pressAt(h, id, 'case-number-prompt', '12#');
  await pressAt(h, id, 'case-number-prompt', '20260001#', 2);
  await h.waitEnded(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'case-number-prompt', 'case-number-invalid', 'case-number-prompt', 'status-intro', 'digits:20260001', 'status-approved', 'goodbye']);
  t.ok(f.path.includes('case-number:ok[12,20260001]'), f.path.join(' > '));
  t.match(f.record, { end_reason: 'completed', service_line: 'application' });
  checkLedger(t, f);
});

t.test('the caller hangs up while the case number is asked: a record with the line, nothing else', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '5');
  await h.waitHeard(id, 'case-number-prompt');
  await h.press(id, '2026');
  await h.hangup(id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'case-number-prompt']);
  t.equal(f.path.at(-1), 'case-number:caller_hangup');
  t.match(f.record, { service_line: 'application', end_reason: 'caller_hangup', queued_at: null });
  checkLedger(t, f);
});
