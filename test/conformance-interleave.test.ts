// The comparison's `interleaving` option forgives only what Asterisk itself varies: the order BETWEEN channels (and
// between a channel and its Dial progress) inside a run of the listed types — never a channel's own order.
import t from 'tap';
import { compareEvents, type AriEvent } from './conformance/trace.js';

const ch = (name: string, state = 'Up') => ({ id: name, name, state });
const up = (name: string): AriEvent => ({ type: 'ChannelStateChange', channel: ch(name) });
const dial = (name: string, dialstatus: string): AriEvent => ({ type: 'Dial', peer: ch(name), dialstring: 'x', dialstatus });
const hup = (name: string, cause: number): AriEvent => ({ type: 'ChannelHangupRequest', channel: ch(name), cause });
const types = ['ChannelStateChange', 'Dial', 'ChannelHangupRequest'];
const A1 = 'Local/x@sim-00000001;1', A2 = 'Local/x@sim-00000001;2';

t.test('two channels swapped inside a racy run: equal with the option, different without', async (t) => {
  const exp = [up(A1), up(A2), dial(A1, 'ANSWER')];
  const act = [up(A2), dial(A1, 'ANSWER'), up(A1)];
  t.notOk(compareEvents(exp, act).ok);
  t.ok(compareEvents(exp, act, { interleaving: types }).ok);
});

t.test("one channel's own order stays strict", async (t) => {
  const exp = [hup(A2, 19), hup(A2, 16), up(A1)];
  const act = [hup(A2, 16), hup(A2, 19), up(A1)];
  t.notOk(compareEvents(exp, act, { interleaving: types }).ok);
  const d1 = [dial(A1, ''), dial(A1, 'RINGING')];
  t.notOk(compareEvents(d1, [...d1].reverse(), { interleaving: types }).ok, 'Dial progress keeps its order');
});

t.test('types outside the list still pin the order', async (t) => {
  const other: AriEvent = { type: 'StasisStart', channel: ch(A1), args: [] };
  t.notOk(compareEvents([up(A2), other, up(A1)], [up(A1), other, up(A2)], { interleaving: types }).ok);
});
