// The 12348 flow after a conversation: the satisfaction rating (一次一评: 1 满意, 2 基本满意, 3 不满意), walked through
// pbx-sim and ari-client. Until the ACD exists nobody answers a queue, so this file's hotline has a test ACD that
// "talks" to the caller for a moment and answers; it also shows what the flow hands the ACD (line, topic, priority,
// requested lawyer).
import t from 'tap';
import type { QueueRequest } from '../ivr/port.js';
import type { Acd } from '../ivr/session/ari-port.js';
import { startHotline, type TestHotline } from './helpers/hotline.js';
import { checkLedger, finished, GREETING, pressAt } from './helpers/paths.js';

const requests = new Map<string, QueueRequest>();
const acd: Acd = {
  async enqueue(port, req) {
    requests.set(port.call.callId, req);
    await port.wait(2000); // the conversation, in call time
    return { reason: 'answered', agent: req.requestedAgent ?? '8001' };
  },
};

let h: TestHotline;
t.before(async () => { h = await startHotline({ acd }); });
t.teardown(() => h.close());
t.jobs = 4;

const ARRIVAL = ['vulnerable-check:notFound', 'greeting:done', 'green-offer:done', 'hours:open'];
const TO_LAWYER = [...ARRIVAL, 'main-menu:chosen[1]', 'line-consultation:done', 'consultation-menu:chosen[1]', 'topic-marriage:done', 'queue-line:answered'];
const HEARD_TO_LAWYER = [...GREETING, 'main-menu', 'consultation-menu'];
let caller = 13900000500;
const next = () => String(caller++);

/** Dials, picks consultation / marriage and family, and waits until the survey asks for a rating. */
async function toSurvey(from = next()): Promise<string> {
  const id = await h.dial(from);
  await pressAt(h, id, 'main-menu', '1');
  await pressAt(h, id, 'consultation-menu', '1');
  await h.waitHeard(id, 'survey-menu');
  return id;
}

const RATED: Array<[key: string, rating: number, after: string[], check: string[]]> = [
  ['1', 1, ['survey-thanks', 'goodbye'], ['rating-check:false', 'goodbye:done']],
  ['2', 2, ['survey-thanks', 'goodbye'], ['rating-check:false', 'goodbye:done']],
  ['3', 3, ['survey-thanks', 'survey-dissatisfied', 'goodbye'], ['rating-check:true', 'dissatisfied:done', 'goodbye:done']],
];
for (const [key, rating, after, check] of RATED) {
  t.test(`after the conversation the caller rates ${key}: survey_rating ${rating}`, async (t) => {
    const from = next();
    const id = await toSurvey(from);
    await h.press(id, key);
    const f = await finished(h, id);
    t.same(f.heard, [...HEARD_TO_LAWYER, 'survey-intro', 'survey-menu', ...after], 'heard, in order');
    t.same(f.path, [...TO_LAWYER, `survey:rated[${key}]`, ...check]);
    t.match(f.record, {
      caller_number: from, service_line: 'consultation', legal_topic: 'marriage-family', survey_rating: rating,
      end_reason: 'completed', agent: '8001',
    });
    t.ok(f.record.queued_at, 'queued_at');
    t.ok(f.record.answered_at, 'answered_at');
    t.ok(f.ledger?.answered_at, 'the ledger says the call was answered');
    t.same(requests.get(id), { line: 'consultation', topic: 'marriage-family', priority: 0, maxWaitMs: 120000, announce: ['queue-apology', 'queue-callback-offer'], callbackKey: '1' },
      'what the flow asked of the ACD');
    checkLedger(t, f);
  });
}

t.test('no rating (silence twice): goodbye, no survey_rating, still completed', async (t) => {
  const id = await toSurvey();
  const f = await finished(h, id);
  t.same(f.heard, [...HEARD_TO_LAWYER, 'survey-intro', 'survey-menu', 'survey-intro', 'survey-menu', 'goodbye']);
  t.same(f.path, [...TO_LAWYER, 'survey:timeout[,]', 'goodbye:done']);
  t.match(f.record, { survey_rating: null, end_reason: 'completed' });
  t.ok(f.record.answered_at);
  checkLedger(t, f);
});

t.test('a wrong rating key is asked again (invalid-input), then a rating counts', async (t) => {
  const id = await toSurvey();
  await h.press(id, '5');
  await pressAt(h, id, 'survey-menu', '2', 2);
  const f = await finished(h, id);
  t.same(f.heard, [...HEARD_TO_LAWYER, 'survey-intro', 'survey-menu', 'invalid-input', 'survey-intro', 'survey-menu', 'survey-thanks', 'goodbye']);
  t.same(f.path, [...TO_LAWYER, 'survey:rated[5,2]', 'rating-check:false', 'goodbye:done']);
  t.match(f.record, { survey_rating: 2, end_reason: 'completed' });
  checkLedger(t, f);
});

t.test('two wrong rating keys: goodbye without a rating', async (t) => {
  const id = await toSurvey();
  await h.press(id, '0');
  await pressAt(h, id, 'survey-menu', '9', 2);
  const f = await finished(h, id);
  t.same(f.heard, [...HEARD_TO_LAWYER, 'survey-intro', 'survey-menu', 'invalid-input', 'survey-intro', 'survey-menu', 'goodbye']);
  t.same(f.path, [...TO_LAWYER, 'survey:nomatch[0,9]', 'goodbye:done']);
  t.match(f.record, { survey_rating: null, end_reason: 'completed' });
  checkLedger(t, f);
});

t.test('a rating keyed during the survey introduction counts at once', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '1');
  await pressAt(h, id, 'consultation-menu', '1');
  await pressAt(h, id, 'survey-intro', '3');
  const f = await finished(h, id);
  t.same(f.heard, [...HEARD_TO_LAWYER, 'survey-intro', 'survey-thanks', 'survey-dissatisfied', 'goodbye']);
  t.same(f.path, [...TO_LAWYER, 'survey:rated[3]', 'rating-check:true', 'dissatisfied:done', 'goodbye:done']);
  t.match(f.record, { survey_rating: 3, end_reason: 'completed' });
  checkLedger(t, f);
});

t.test('hanging up instead of rating: caller_hangup, answered, no rating', async (t) => {
  const id = await toSurvey();
  await h.hangup(id);
  const f = await finished(h, id);
  t.same(f.heard, [...HEARD_TO_LAWYER, 'survey-intro', 'survey-menu']);
  t.same(f.path, [...TO_LAWYER, 'survey:caller_hangup']);
  t.match(f.record, { survey_rating: null, end_reason: 'caller_hangup', agent: '8001' });
  t.ok(f.record.answered_at);
  checkLedger(t, f);
});

t.test('hanging up during the thanks: the rating is kept', async (t) => {
  const id = await toSurvey();
  await h.press(id, '1');
  await h.waitHeard(id, 'survey-thanks');
  await h.hangup(id);
  const f = await finished(h, id);
  t.same(f.heard, [...HEARD_TO_LAWYER, 'survey-intro', 'survey-menu', 'survey-thanks']);
  t.match(f.record, { survey_rating: 1, end_reason: 'caller_hangup' });
  checkLedger(t, f);
});

t.test('a named lawyer answers: requested_agent and agent, then the survey', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '1');
  await pressAt(h, id, 'consultation-menu', '7');
  await pressAt(h, id, 'lawyer-id-prompt', '8005#');
  await pressAt(h, id, 'survey-menu', '1');
  const f = await finished(h, id);
  t.same(f.heard, [...HEARD_TO_LAWYER, 'lawyer-id-prompt', 'lawyer-connecting', 'survey-intro', 'survey-menu', 'survey-thanks', 'goodbye']);
  t.ok(f.path.includes('queue-named:answered'), f.path.join(' > '));
  t.match(f.record, { requested_agent: '8005', agent: '8005', survey_rating: 1, service_line: 'consultation', end_reason: 'completed' });
  t.match(requests.get(id), { line: 'consultation', requestedAgent: '8005' });
  checkLedger(t, f);
});

t.test('green channel: the ACD is asked for the operator line with priority; the survey follows', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '8');
  await pressAt(h, id, 'survey-menu', '2');
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'green-channel-accepted', 'survey-intro', 'survey-menu', 'survey-thanks', 'goodbye']);
  t.ok(requests.get(id)!.priority > 0, `priority ${requests.get(id)!.priority}`);
  t.match(requests.get(id), { line: 'operator' });
  t.match(f.record, { service_line: 'operator', survey_rating: 2, end_reason: 'completed' });
  t.ok(f.ledger!.priority > 0);
  checkLedger(t, f);
});

t.test('an application line answered: the survey too', async (t) => {
  const id = await h.dial(next());
  await pressAt(h, id, 'main-menu', '2');
  await pressAt(h, id, 'application-menu', '2');
  await pressAt(h, id, 'survey-menu', '3');
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'application-menu', 'survey-intro', 'survey-menu', 'survey-thanks', 'survey-dissatisfied', 'goodbye']);
  t.match(f.record, { service_line: 'application', legal_topic: 'notarisation', survey_rating: 3 });
  t.match(requests.get(id), { line: 'application', topic: 'notarisation', priority: 0 });
  checkLedger(t, f);
});
