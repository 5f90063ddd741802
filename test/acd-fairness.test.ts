// Queue fairness across controllers: two controllers (two simulators, one Redis) share lawyer 301. A caller waiting
// on one controller must not lose the lawyer to a later (or lower-priority) caller on the other just because the
// other controller routes first. Controller B's routing passes are slowed down (its staff directory answers late),
// so A always tries first: only the shared view of waiting calls can give the lawyer to B's caller.
import t from 'tap';
import type { AgentDirectory, DeskEvent } from '../ivr/acd/types.js';
import { line, phoneAction, scaledEpoch, SCALE, startAcdHotline, type AcdHotline, type Lawyer } from './helpers/acd.js';
import { sleep, until } from './helpers/sim.js';

const LAWYER: Lawyer[] = [{ staffNo: '301', endpoint: 'PJSIP/8001' }];
const slow = (d: AgentDirectory): AgentDirectory => ({
  agents: async () => { await sleep(150); return d.agents(); },
  byStaffNo: (s) => d.byStaffNo(s),
});

async function pair(sharedQueue: boolean) {
  const clock = scaledEpoch(SCALE);
  const a = await startAcdHotline({ lawyers: LAWYER, clock, sharedQueue });
  const b = await startAcdHotline({ lawyers: LAWYER, clock, keyPrefix: a.h.prefix, directory: slow, sharedQueue });
  return { a, b, async close() { await b.close(); await a.close(); } };
}

/** The first call offered to 301, by caller number (both controllers publish on the shared desk channel). */
async function firstOffer(a: AcdHotline): Promise<string> {
  await until(() => a.desk.some((e) => e.type === 'offered'), 'an offer');
  return (a.desk.find((e) => e.type === 'offered') as Extract<DeskEvent, { type: 'offered' }>).callerNumber;
}

async function endAll(a: AcdHotline, b: AcdHotline, ids: Array<[AcdHotline, string]>) {
  await phoneAction(a.h, 'PJSIP/8001', 'hangup').catch(() => undefined);
  await phoneAction(b.h, 'PJSIP/8001', 'hangup').catch(() => undefined);
  for (const [x, id] of ids) if (!(await x.h.state(id)).hungUp) await x.h.hangup(id);
  for (const x of [a, b]) await until(() => x.acd.stats().ringing + x.acd.stats().talking === 0 && Object.keys(x.acd.stats().waiting).length === 0, 'idle');
  await until(async () => (await a.presence.setState('301', 'offline')).changed, 'offline');
  a.desk.length = 0;
}

t.test('the caller who has waited longest gets the lawyer, whichever controller holds the call', async (t) => {
  const { a, b, close } = await pair(true);
  t.teardown(close);
  const older = await line(b.h, '13900000701', '3');
  await b.h.waitHeard(older, 'moh:default');
  await until(async () => (await a.h.redis.hlen(`${a.h.prefix}:acd:waiting`)) === 1, 'B\'s caller published as waiting');
  const newer = await line(a.h, '13900000702', '3');
  await a.h.waitHeard(newer, 'moh:default');
  await until(async () => (await a.h.redis.hlen(`${a.h.prefix}:acd:waiting`)) === 2, 'both published');
  await a.presence.setState('301', 'ready');
  t.equal(await firstOffer(a), '13900000701', 'B\'s older caller first, although A routed first');
  await sleep(200);
  t.equal(a.desk.filter((e) => e.type === 'offered').length, 1, 'A left the lawyer alone');
  await endAll(a, b, [[b, older], [a, newer]]);

  // Priority across controllers: a green-channel caller on B before an older ordinary caller on A.
  await a.h.sql(`insert into vulnerable_caller (number, reason, added_by) values ('13900000709', 'elderly', 'test')`);
  await b.h.sql(`insert into vulnerable_caller (number, reason, added_by) values ('13900000709', 'elderly', 'test')`);
  const ordinary = await line(a.h, '13900000703', '3');
  await a.h.waitHeard(ordinary, 'moh:default');
  const green = await line(b.h, '13900000709', '3');
  await b.h.waitHeard(green, 'moh:default');
  await until(async () => (await a.h.redis.hlen(`${a.h.prefix}:acd:waiting`)) === 2, 'both callers published as waiting');
  await a.presence.setState('301', 'ready');
  t.equal(await firstOffer(a), '13900000709', 'the green-channel caller on B first');
  await endAll(a, b, [[a, ordinary], [b, green]]);
});

t.test('control: without the shared view, the controller that routes first takes the lawyer', async (t) => {
  const { a, b, close } = await pair(false);
  t.teardown(close);
  const older = await line(b.h, '13900000711', '3');
  await b.h.waitHeard(older, 'moh:default');
  const newer = await line(a.h, '13900000712', '3');
  await a.h.waitHeard(newer, 'moh:default');
  await sleep(400); // both calls past their (slow) preparation, as in the first test
  await a.presence.setState('301', 'ready');
  t.equal(await firstOffer(a), '13900000712', 'A\'s newer caller: the unfairness the shared view prevents');
  await endAll(a, b, [[b, older], [a, newer]]);
});

t.test('a controller that died leaves no phantom callers: its published calls are ignored and removed', async (t) => {
  const { a, b, close } = await pair(true);
  t.teardown(close);
  const hash = `${a.h.prefix}:acd:waiting`;
  // An entry published by a controller whose heartbeat stopped long ago (older and higher priority than anyone).
  await a.h.redis.zadd(`${a.h.prefix}:acd:alive`, Date.now() - 60_000, 'dead0001');
  await a.h.redis.hset(hash, 'ghost@dead0001', JSON.stringify({ instance: 'dead0001', callId: 'ghost', line: 'appointment', priority: 9, seq: 1, skillOnly: false, dialectOnly: false }));
  const id = await line(a.h, '13900000721', '3');
  await a.h.waitHeard(id, 'moh:default');
  await a.presence.setState('301', 'ready');
  t.equal(await firstOffer(a), '13900000721', 'routed past the dead controller\'s entry');
  t.equal(await a.h.redis.hexists(hash, 'ghost@dead0001'), 0, 'and the entry is removed');
  await endAll(a, b, [[a, id]]);
  t.same(await a.h.redis.hkeys(hash), [], 'nothing of ours stays published once the calls are gone');
});
