import t from 'tap';
import { DtmfCollector, type DtmfCollectorOptions } from '../flows/dtmf-collector.js';
import { ManualTimers, realTimers } from '../flows/timers.js';

const opts: DtmfCollectorOptions = { maxDigits: 4, terminator: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 };

function setup(o: Partial<DtmfCollectorOptions> = {}) {
  const clock = new ManualTimers(1000);
  const c = new DtmfCollector({ ...opts, ...o }, clock);
  let result: unknown;
  void c.result.then((r) => (result = r));
  const settled = async () => {
    await Promise.resolve();
    return result;
  };
  return { clock, c, settled };
}

t.test('first-digit timeout with no key at all', async (t) => {
  const { clock, c, settled } = setup();
  clock.advance(4999);
  t.equal(await settled(), undefined, 'not yet at 4999 ms');
  clock.advance(1);
  t.same(await settled(), { reason: 'timeout', digits: '' });
  t.equal(clock.size, 0, 'no timer left');
  t.ok(c.done);
  t.equal(c.elapsedMs(), 5000);
});

t.test('maxDigits ends the entry at once', async (t) => {
  const { clock, c, settled } = setup();
  for (const d of '1234') {
    clock.advance(100);
    c.feed(d);
  }
  t.same(await settled(), { reason: 'digits', digits: '1234' });
  t.equal(clock.size, 0);
  t.notOk(c.feed('5'), 'keys after the end are not taken');
});

t.test('the terminator ends the entry and is not part of it', async (t) => {
  const { c, settled } = setup();
  c.feed('1');
  c.feed('2');
  c.feed('#');
  t.same(await settled(), { reason: 'digits', digits: '12' });
});

t.test('inter-digit timeout: each key re-arms it', async (t) => {
  const { clock, c, settled } = setup();
  clock.advance(4000);
  c.feed('1');
  clock.advance(2999);
  c.feed('2');
  clock.advance(2999);
  t.equal(await settled(), undefined, 'the second key restarted the 3 s');
  t.equal(c.entered, '12');
  clock.advance(1);
  t.same(await settled(), { reason: 'timeout', digits: '12' });
  t.equal(c.elapsedMs(), 4000 + 2999 + 3000);
});

t.test('the first-digit timer waits for the prompts to finish', async (t) => {
  const { clock, c, settled } = setup({ promptsPlaying: true });
  clock.advance(60_000);
  t.equal(await settled(), undefined, 'no timeout while prompts play');
  t.equal(clock.size, 0);
  c.promptsFinished();
  clock.advance(5000);
  t.same(await settled(), { reason: 'timeout', digits: '' });
});

t.test('a key during the prompts starts the inter-digit timer; promptsFinished then changes nothing', async (t) => {
  const { clock, c, settled } = setup({ promptsPlaying: true });
  c.feed('7');
  c.promptsFinished();
  t.equal(clock.size, 1);
  clock.advance(3000);
  t.same(await settled(), { reason: 'timeout', digits: '7' });
});

t.test('non-DTMF characters are ignored; A-D are keys', async (t) => {
  const { c, settled } = setup({ maxDigits: 2 });
  t.notOk(c.feed('x'));
  t.notOk(c.feed('12'));
  t.ok(c.feed('A'));
  t.ok(c.feed('*'));
  t.same(await settled(), { reason: 'digits', digits: 'A*' });
});

t.test('cancel clears the timer and settles as an error', async (t) => {
  const { clock, c, settled } = setup();
  c.feed('1');
  c.cancel('hangup');
  t.same(await settled(), { reason: 'error', message: 'hangup' });
  t.equal(clock.size, 0);
  clock.advance(10_000);
  c.cancel();
  t.same(await settled(), { reason: 'error', message: 'hangup' }, 'settles once');
});

t.test('no terminator: # is an ordinary key', async (t) => {
  const { c, settled } = setup({ terminator: undefined, maxDigits: 2 });
  c.feed('#');
  c.feed('#');
  t.same(await settled(), { reason: 'digits', digits: '##' });
});

t.test('ManualTimers: order, clearing, next()', async (t) => {
  const clock = new ManualTimers();
  const fired: string[] = [];
  clock.setTimer(20, () => fired.push('b'));
  const h = clock.setTimer(10, () => fired.push('x'));
  clock.setTimer(10, () => fired.push('a'));
  clock.setTimer(20, () => clock.setTimer(0, () => fired.push('c')));
  clock.clearTimer(h);
  t.equal(clock.next(), 10);
  clock.advance(20);
  t.same(fired, ['a', 'b', 'c'], 'due order, then set order; a timer set while firing runs if due');
  t.equal(clock.now(), 20);
  t.equal(clock.next(), undefined);
});

t.test('realTimers: a cleared timer never fires (no real waiting)', async (t) => {
  let fired = false;
  const h = realTimers.setTimer(60_000, () => (fired = true));
  realTimers.clearTimer(h);
  t.notOk(fired);
  t.type(realTimers.now(), 'number');
});
