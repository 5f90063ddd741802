// The 12348 flow's service lines, consultation topics and application choices, walked through pbx-sim and ari-client
// as a caller would, each checked on what the caller heard, the call record and its call_ledger row. Nobody answers
// yet (the holding queue), so a caller who reaches a line hangs up in the queue: an abandoned call on that line.
import t from 'tap';
import { startHotline, type TestHotline } from './helpers/hotline.js';
import { checkLedger, finished, GREETING, hangUpInQueue, MOH, pressAt } from './helpers/paths.js';

let h: TestHotline;
t.before(async () => { h = await startHotline(); });
t.teardown(() => h.close());
// Calls are independent (own caller numbers): run a few side by side to keep the file short.
t.jobs = 3;

const ARRIVAL = ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:open'];

interface Case { name: string; keys: Array<[media: string, key: string]>; heard: string[]; path: string[]; line: string; topic: string | null }

const lines: Case[] = [
  // Self-service booking is offered first (test/after-call-ivr.test.ts); 0 asks for a person.
  { name: '3 appointment (办事预约), 0 for a person', keys: [['main-menu', '3'], ['appointment-menu', '0']], line: 'appointment', topic: null,
    heard: [...GREETING, 'main-menu', 'appointment-menu', MOH], path: ['main-menu:chosen[3]', 'line-appointment:done', 'appointment-menu:chosen[0]'] },
  { name: '4 government-affairs supervision (政务监督)', keys: [['main-menu', '4']], line: 'supervision', topic: null,
    heard: [...GREETING, 'main-menu', 'supervision-intro', MOH], path: ['main-menu:chosen[4]', 'line-supervision:done', 'supervision-intro:done'] },
  { name: '5 complaints and suggestions (投诉建议)', keys: [['main-menu', '5']], line: 'complaint', topic: null,
    heard: [...GREETING, 'main-menu', 'complaint-intro', MOH], path: ['main-menu:chosen[5]', 'line-complaint:done', 'complaint-intro:done'] },
];

const TOPICS: Array<[key: string, node: string, topic: string]> = [
  ['1', 'topic-marriage', 'marriage-family'], ['2', 'topic-labour', 'labour-wages'], ['3', 'topic-contract', 'contract-debt'],
  ['4', 'topic-traffic', 'traffic-accident'], ['5', 'topic-land', 'land-housing'], ['6', 'topic-other', 'other'],
];
const topics: Case[] = TOPICS.map(([key, node, topic]) => ({
  name: `1 consultation (法律咨询), topic ${key} ${topic}`, keys: [['main-menu', '1'], ['consultation-menu', key]],
  line: 'consultation', topic, heard: [...GREETING, 'main-menu', 'consultation-menu', MOH],
  path: ['main-menu:chosen[1]', 'line-consultation:done', `consultation-menu:chosen[${key}]`, `${node}:done`],
}));

const APPLICATIONS: Array<[key: string, node: string, topic: string, intro?: string]> = [
  ['1', 'app-legal-aid', 'legal-aid', 'legal-aid-intro'], ['2', 'app-notarisation', 'notarisation'],
  ['3', 'app-mediation', 'mediation'], ['4', 'app-appraisal', 'judicial-appraisal'],
];
const applications: Case[] = APPLICATIONS.map(([key, node, topic, intro]) => ({
  name: `2 application (业务申请), choice ${key} ${topic}`, keys: [['main-menu', '2'], ['application-menu', key]],
  line: 'application', topic,
  heard: [...GREETING, 'main-menu', 'application-menu', ...(intro ? [intro] : []), MOH],
  path: ['main-menu:chosen[2]', 'line-application:done', `application-menu:chosen[${key}]`, `${node}:done`, ...(intro ? [`${intro}:done`] : [])],
}));

let caller = 13900000100;
for (const c of [...lines, ...topics, ...applications]) {
  t.test(c.name, async (t) => {
    const from = String(caller++);
    const id = await h.dial(from);
    for (const [media, key] of c.keys) await pressAt(h, id, media, key);
    await hangUpInQueue(h, id);
    const f = await finished(h, id);
    t.same(f.heard, c.heard, 'heard, in order');
    t.same(f.path, [...ARRIVAL, ...c.path, 'queue-line:abandoned_in_queue'], 'path');
    t.match(f.record, {
      caller_number: from, called_number: '12348', service_line: c.line, legal_topic: c.topic, priority: 0,
      end_reason: 'abandoned_in_queue', answered_at: null, survey_rating: null, voicemail_recording: null,
      flow_revision: h.flows.current().revision, flow_name: '12348',
    });
    t.ok(f.record.queued_at, 'queued_at');
    checkLedger(t, f);
  });
}

// Hanging up in a sub-menu: the line is known, no topic, never queued.
for (const [key, line, menu] of [['1', 'consultation', 'consultation-menu'], ['2', 'application', 'application-menu']] as const) {
  t.test(`${key} ${line}, hanging up in its menu: the record keeps the line`, async (t) => {
    const from = String(caller++);
    const id = await h.dial(from);
    await pressAt(h, id, 'main-menu', key);
    await h.waitHeard(id, menu);
    await h.hangup(id);
    const f = await finished(h, id);
    t.same(f.heard, [...GREETING, 'main-menu', menu]);
    t.same(f.path, [...ARRIVAL, `main-menu:chosen[${key}]`, `line-${line}:done`, `${menu}:caller_hangup`]);
    t.match(f.record, { caller_number: from, service_line: line, legal_topic: null, end_reason: 'caller_hangup', queued_at: null, answered_at: null });
    checkLedger(t, f);
  });
}

t.test('type-ahead: 1 pressed during the greeting goes straight to the consultation menu', async (t) => {
  const from = String(caller++);
  const id = await h.dial(from);
  await pressAt(h, id, 'greeting', '1');
  await pressAt(h, id, 'consultation-menu', '3');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  // The greeting and the recording notice always play in full; the key is kept, so the green-channel offer and the
  // main menu are skipped and the consultation menu follows at once.
  t.same(f.heard, ['greeting', 'recording-notice', 'consultation-menu', MOH], 'heard, in order');
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[1]', 'line-consultation:done', 'consultation-menu:chosen[3]', 'topic-contract:done', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { service_line: 'consultation', legal_topic: 'contract-debt', end_reason: 'abandoned_in_queue' });
  checkLedger(t, f);
});

t.test('type-ahead: "12" pressed during the greeting answers both menus (consultation, labour and wages)', async (t) => {
  const id = await h.dial(String(caller++));
  await pressAt(h, id, 'greeting', '12');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, ['greeting', 'recording-notice', MOH], 'no menu needed playing');
  t.same(f.path, [...ARRIVAL, 'main-menu:chosen[1]', 'line-consultation:done', 'consultation-menu:chosen[2]', 'topic-labour:done', 'queue-line:abandoned_in_queue']);
  t.match(f.record, { service_line: 'consultation', legal_topic: 'labour-wages' });
  checkLedger(t, f);
});

t.test('type-ahead: a key pressed during the main menu answers it at once', async (t) => {
  const id = await h.dial(String(caller++));
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '3');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  const st = (await h.state(id)).heard;
  const menu = st.find((x) => x.media === 'sound:main-menu')!;
  const next = st.find((x) => x.media === 'sound:application-menu')!;
  // The main menu lasts ~15 s of call time; it was cut by the key and the next menu started right after it.
  t.ok(Date.parse(next.startedAt) - Date.parse(menu.startedAt) < 14000, 'the main menu was cut short');
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', MOH]);
  t.match(f.record, { service_line: 'application', legal_topic: 'mediation' });
  checkLedger(t, f);
});
