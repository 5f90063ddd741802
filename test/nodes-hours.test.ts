import t from 'tap';
import { hours } from '../flows/nodes/hours.js';
import type { Calendar } from '../flows/types.js';
import { FakePort, MONDAY_10AM, runNode } from './fixtures/flows/harness.js';

t.test('open and closed, asked at the port clock time with the schedule', async (t) => {
  const asked: [number, string | undefined][] = [];
  const cal: Calendar = { isOpen: (at, s) => (asked.push([at.getTime(), s]), s !== 'night') };
  const port = new FakePort();
  t.same((await runNode(hours, {}, port, { calendar: cal })).result, { outcome: 'open' });
  t.same((await runNode(hours, { schedule: 'night' }, port, { calendar: cal })).result, { outcome: 'closed' });
  t.same(asked, [[MONDAY_10AM, undefined], [MONDAY_10AM, 'night']]);
});

t.test('an async calendar', async (t) => {
  const cal: Calendar = { isOpen: async () => false };
  t.same((await runNode(hours, {}, new FakePort(), { calendar: cal })).result, { outcome: 'closed' });
});

t.test('error: the calendar has no data for the year (it throws rather than guess)', async (t) => {
  const sync: Calendar = { isOpen: () => { throw new Error('no holiday data for 2027'); } };
  const rejecting: Calendar = { isOpen: async () => { throw new Error('no holiday data for 2027'); } };
  t.same((await runNode(hours, {}, new FakePort(), { calendar: sync })).result, { outcome: 'error' });
  t.same((await runNode(hours, {}, new FakePort(), { calendar: rejecting })).result, { outcome: 'error' });
});

t.test('hours waits on nothing of the call: it answers even after a hang-up, and the next node sees it', async (t) => {
  const port = new FakePort();
  port.hungUp = true;
  t.same((await runNode(hours, {}, port)).result, { outcome: 'open' });
});

t.test('schema', async (t) => {
  t.notOk(hours.schema.safeParse({ schedule: 'a b' }).success);
  t.notOk(hours.schema.safeParse({ tz: 'UTC' }).success);
});
