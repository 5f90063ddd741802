import t from 'tap';
import { RATINGS, survey } from '../flows/nodes/survey.js';
import { FakePort, hangsUp, runNode } from './fixtures/flows/harness.js';

const params = { prompts: ['survey-question'], thanksPrompts: ['survey-thanks'], invalidPrompts: ['invalid-key'] };

t.test('rated: 1 满意, 2 基本满意, 3 不满意 are stored on the call', async (t) => {
  for (const [digit, code] of Object.entries(RATINGS)) {
    const port = new FakePort();
    port.caller = [digit];
    const { result, vars } = await runNode(survey, params, port);
    t.same(result, { outcome: 'rated', option: digit, entries: [digit] });
    t.equal(port.tags.rating, code);
    t.equal(vars.rating, code);
    t.same(port.heard, ['survey-question', 'survey-thanks']);
  }
});

t.test('timeout: two silent attempts by default', async (t) => {
  const port = new FakePort();
  const { result, elapsedMs } = await runNode(survey, params, port);
  t.same(result, { outcome: 'timeout', entries: ['', ''] });
  t.equal(elapsedMs, 12000);
  t.same(port.tags, {});
});

t.test('nomatch: keys outside 1-3', async (t) => {
  const port = new FakePort();
  port.caller = ['4', '0'];
  t.same((await runNode(survey, params, port)).result, { outcome: 'nomatch', entries: ['4', '0'] });
  t.same(port.heard, ['survey-question', 'invalid-key', 'survey-question']);
});

t.test('type-ahead rates at once', async (t) => {
  const port = new FakePort();
  port.typeAhead = '3';
  t.same((await runNode(survey, params, port)).result.outcome, 'rated');
  t.equal(port.tags.rating, 'dissatisfied');
});

t.test('error', async (t) => {
  const port = new FakePort();
  port.caller = ['error'];
  t.same((await runNode(survey, params, port)).result, { outcome: 'error', entries: [] });
});

t.test('hang-up: before rating nothing is stored; during the thanks the rating is kept', async (t) => {
  let port = new FakePort();
  port.caller = ['hangup'];
  await hangsUp(t, runNode(survey, params, port));
  t.same(port.tags, {});
  port = new FakePort();
  port.caller = ['1'];
  port.plays = ['hangup'];
  await hangsUp(t, runNode(survey, params, port));
  t.equal(port.tags.rating, 'satisfied');
});
