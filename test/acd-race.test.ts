// Two controllers (each on its own Asterisk, here two simulators) share one lawyer through presence in one Redis.
// Both have a caller waiting when the lawyer becomes ready: both ACDs try at the same moment, exactly one rings the
// lawyer, the other caller gets the lawyer after that conversation and its wrap-up. The second controller's presence
// history cannot reach its database at all: calls are routed all the same.
import pino from 'pino';
import t from 'tap';
import { PgPresenceHistory } from '../ivr/acd/presence-history.js';
import type { DeskEvent } from '../ivr/acd/types.js';
import { bridged, line, phoneAction, scaledEpoch, SCALE, startAcdHotline, type AcdHotline, type Lawyer } from './helpers/acd.js';
import { sleep, until } from './helpers/sim.js';

const LAWYER: Lawyer[] = [{ staffNo: '301', endpoint: 'PJSIP/8001' }];
let a: AcdHotline;
let b: AcdHotline;
let dbDown: PgPresenceHistory;
t.before(async () => {
  const clock = scaledEpoch(SCALE);
  a = await startAcdHotline({ lawyers: LAWYER, clock });
  dbDown = new PgPresenceHistory({ log: pino({ level: 'silent' }), flushEveryMs: 5, execute: async () => { throw new Error('database unavailable'); } });
  b = await startAcdHotline({ lawyers: LAWYER, clock, keyPrefix: a.h.prefix, history: dbDown });
});
t.teardown(async () => { await b.close(); await a.close(); });

t.test('one lawyer, a caller waiting on each controller: never offered two calls at once', async (t) => {
  for (let round = 0; round < 2; round++) {
    a.desk.length = 0;
    // The two simulators number their channels alike (as two Asterisks without distinct system names do): the
    // desk events are told apart by caller number and by order.
    const numA = `1390000060${round}`, numB = `1390000061${round}`;
    const ca = await line(a.h, numA, '3');
    const cb = await line(b.h, numB, '3');
    await a.h.waitHeard(ca, 'moh:default');
    await b.h.waitHeard(cb, 'moh:default');
    await a.presence.setState('301', 'ready');
    // Both ACDs heard the lawyer become ready and tried at once.
    await until(() => a.desk.some((e) => e.type === 'offered'), 'an offer');
    await sleep(150);
    const first = a.desk.filter((e): e is Extract<DeskEvent, { type: 'offered' }> => e.type === 'offered');
    t.equal(first.length, 1, `round ${round}: one offer while the lawyer is taken`);
    const aWon = first[0].callerNumber === numA;
    const [winner, loser] = aWon ? [a, b] : [b, a];
    const [wid, lid] = aWon ? [ca, cb] : [cb, ca];
    await bridged(winner.h, wid);
    t.same((await loser.h.state(lid)).bridgedWith, [], 'the other caller still waits');
    await phoneAction(winner.h, 'PJSIP/8001', 'hangup');
    // Wrap-up (10 s, 500 ms here), then the other controller's caller.
    await bridged(loser.h, lid);
    await until(() => a.desk.length >= 5, 'the second answer published');
    t.same(a.desk.map((e) => e.type), ['offered', 'answered', 'ended', 'offered', 'answered'], 'one call after the other');
    t.same(a.desk.filter((e) => e.type === 'offered').map((e) => (e as { callerNumber: string }).callerNumber), aWon ? [numA, numB] : [numB, numA]);
    await phoneAction(loser.h, 'PJSIP/8001', 'hangup');
    await winner.h.hangup(wid);
    await loser.h.hangup(lid);
    await until(() => a.changes.filter((c) => c.staffNo === '301' && c.state === 'wrap_up').length === 2 * (round + 1), 'the second wrap-up');
    await until(async () => (await a.presence.setState('301', 'offline')).changed, 'offline');
  }
  const states = a.changes.filter((c) => c.staffNo === '301').map((c) => c.state);
  t.notOk(states.some((s, i) => s === 'ringing' && states[i + 1] === 'ringing'), 'never ringing twice in a row');
  t.equal(states.filter((s) => s === 'on_call').length, 4);
  t.ok(dbDown.pending > 0, 'the second controller’s history is still waiting for its database');
});
