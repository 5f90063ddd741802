// Unit tests of AriCallPort (ivr/session/ari-port.ts) with a fake AriRest, the real Waiters and a ManualTimers clock:
// playback start timeout, a key stopping an interruptible prompt, type-ahead into collect, and a hang-up during
// every kind of wait — each must reject with HangupError and leave no timer, waiter or pending wait behind.
import t, { type Test } from 'tap';
import pino from 'pino';
import { ManualTimers } from '../flows/timers.js';
import { AriRequestError, type AriRest } from '../ivr/ari/rest.js';
import { HangupError, type QueueResult } from '../ivr/port.js';
import { AriCallPort, type Acd } from '../ivr/session/ari-port.js';
import { Waiters } from '../ivr/session/waiters.js';

interface Req { op: string; args: unknown[]; resolve(v?: unknown): void; reject(e: unknown): void }

/** Every AriRest method: answered at once by `auto[op]` when present, else held until the test settles it. */
function fakeRest() {
  const held: Req[] = [];
  const done: Array<{ op: string; args: unknown[] }> = [];
  const auto: Record<string, (...a: unknown[]) => unknown> = {
    play: () => ({ state: 'queued' }), stopPlayback: () => undefined, record: () => ({ state: 'queued' }), hangup: () => undefined,
    startMoh: () => undefined, stopMoh: () => undefined,
  };
  const rest = new Proxy({}, {
    get: (_t, op: string) => (...args: unknown[]) => {
      done.push({ op, args });
      const f = auto[op];
      if (f) { try { return Promise.resolve(f(...args)); } catch (e) { return Promise.reject(e); } }
      return new Promise((resolve, reject) => held.push({ op, args, resolve, reject }));
    },
  }) as unknown as AriRest;
  return { rest, held, done, auto, ops: () => done.map((d) => d.op) };
}

const tick = async (n = 3) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };

function setup(o: { acd?: Acd; lookup?: () => Promise<never> } = {}) {
  const f = fakeRest();
  const waiters = new Waiters();
  const timers = new ManualTimers();
  const acd: Acd = o.acd ?? { enqueue: (port) => port.wait(60_000).then((): QueueResult => ({ reason: 'overflow' })) };
  const port = new AriCallPort({ callId: 'c1', callerNumber: '1', calledNumber: '12348', arrivedAt: '', attributes: {} }, 'c1', {
    rest: f.rest, waiters, timers, log: pino({ level: 'silent' }), acd, lang: 'zh', playbackStartTimeoutMs: 3000,
    lookups: { slow: o.lookup ?? (() => new Promise<never>(() => undefined)) }, onTag: () => undefined, onQueued: () => undefined,
  });
  /** The id of the playback the port asked for last. */
  const lastPlayback = () => String([...f.done].reverse().find((d) => d.op === 'play')?.args[1]);
  const ev = (type: string, id: string, extra: Record<string, unknown> = {}) => waiters.deliver(id, { type, playback: { id, ...extra } });
  return { ...f, waiters, timers, port, lastPlayback, ev };
}

function clean(t: Test, s: ReturnType<typeof setup>) {
  t.equal(s.port.pendingTimers, 0, 'no port timer');
  t.equal(s.port.pendingWaits, 0, 'no pending wait');
  t.equal(s.waiters.size, 0, 'no event waiter');
  t.equal(s.timers.size, 0, 'no timer on the clock');
}

t.test('play: started and finished is done; nothing left', async (t) => {
  const s = setup();
  const p = s.port.play(['greeting'], { interruptible: false });
  await tick();
  s.ev('PlaybackStarted', s.lastPlayback());
  s.ev('PlaybackFinished', s.lastPlayback(), { state: 'done' });
  t.same(await p, { reason: 'done' });
  t.match(s.lastPlayback(), /^c1-pb\d+$/, 'playback ids are <channel>-pb<n>');
  clean(t, s);
});

t.test('playback start timeout: no PlaybackStarted and Asterisk does not know it -> error, the playback is stopped', async (t) => {
  const s = setup();
  const p = s.port.play(['greeting'], { interruptible: true });
  await tick();
  s.timers.advance(3000);
  await tick();
  const get = s.held.find((r) => r.op === 'getPlayback')!;
  t.ok(get, 'asks Asterisk about the playback first');
  get.reject(new AriRequestError('getPlayback', 'Internal Server Error', false));
  t.same(await p, { reason: 'error', message: 'playback did not start' });
  await tick();
  t.ok(s.ops().includes('stopPlayback'), 'stops it (it must not start later over the next prompt)');
  clean(t, s);
});

t.test('queued behind another playback: it waits its turn (the caller hears the other one), within a limit', async (t) => {
  const s = setup();
  s.auto.getPlayback = () => ({ state: 'queued' });
  const p = s.port.play(['error-apology'], { interruptible: false });
  await tick();
  for (let i = 0; i < 3; i++) { s.timers.advance(3000); await tick(); }
  s.ev('PlaybackStarted', s.lastPlayback());
  s.ev('PlaybackFinished', s.lastPlayback(), { state: 'done' });
  t.same(await p, { reason: 'done' }, 'started on its turn');
  clean(t, s);

  const s2 = setup();
  s2.auto.getPlayback = () => ({ state: 'queued' });
  const p2 = s2.port.play(['error-apology'], { interruptible: false });
  await tick();
  for (let i = 0; i < 10; i++) { s2.timers.advance(3000); await tick(); }
  t.same(await p2, { reason: 'error', message: 'playback did not start' }, 'never started: an error, not a wait forever');
  clean(t, s2);
});

t.test('PlaybackStarted lost (websocket down): Asterisk says playing -> the port waits for the end', async (t) => {
  const s = setup();
  s.auto.getPlayback = () => ({ state: 'playing' });
  const p = s.port.play(['greeting'], { interruptible: false });
  await tick();
  s.timers.advance(3000);
  await tick();
  s.ev('PlaybackFinished', s.lastPlayback(), { state: 'done' });
  t.same(await p, { reason: 'done' });
  t.notOk(s.ops().includes('stopPlayback'));
  clean(t, s);
});

t.test('both events lost: Asterisk no longer has the playback (404) -> done', async (t) => {
  const s = setup();
  s.auto.getPlayback = () => { throw new AriRequestError('getPlayback', 'Playback not found', true); };
  const p = s.port.play(['greeting'], { interruptible: false });
  await tick();
  s.timers.advance(3000);
  t.same(await p, { reason: 'done' });
  clean(t, s);
});

t.test('a failed play request is an error outcome, not a throw', async (t) => {
  const s = setup();
  s.auto.play = () => { throw new AriRequestError('play', 'Internal Server Error', false); };
  t.same(await s.port.play(['greeting'], { interruptible: false }), { reason: 'error', message: 'play: Internal Server Error' });
  clean(t, s);
});

t.test('interruptible play stopped by a key: the key is kept as type-ahead', async (t) => {
  const s = setup();
  const p = s.port.play(['main-menu'], { interruptible: true });
  await tick();
  s.ev('PlaybackStarted', s.lastPlayback());
  await tick();
  s.port.onDtmf('3');
  t.same(await p, { reason: 'interrupted', digit: '3' });
  await tick();
  t.ok(s.ops().includes('stopPlayback'), 'the prompt is stopped');
  t.equal(s.port.takeTypeAhead(), '3');
  clean(t, s);
});

t.test('a non-interruptible play goes on through keys (they wait as type-ahead)', async (t) => {
  const s = setup();
  const p = s.port.play(['transferring'], { interruptible: false });
  await tick();
  s.ev('PlaybackStarted', s.lastPlayback());
  s.port.onDtmf('1');
  await tick();
  t.notOk(s.ops().includes('stopPlayback'));
  s.ev('PlaybackFinished', s.lastPlayback(), { state: 'done' });
  t.same(await p, { reason: 'done' });
  t.equal(s.port.takeTypeAhead(), '1');
  clean(t, s);
});

t.test('collect with type-ahead: no prompt is played and the keys start the entry', async (t) => {
  const s = setup();
  s.port.onDtmf('1');
  s.port.onDtmf('2');
  const p = s.port.collect({ prompts: ['case-number-prompt'], minDigits: 1, maxDigits: 4, terminator: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
  await tick();
  t.notOk(s.ops().includes('play'), 'prompts skipped');
  s.port.onDtmf('3');
  s.port.onDtmf('#');
  t.same(await p, { reason: 'digits', digits: '123' });
  clean(t, s);
});

t.test('collect: keys during the prompt stop it and count; the inter-digit timeout ends the entry', async (t) => {
  const s = setup();
  const p = s.port.collect({ prompts: ['lawyer-id-prompt'], minDigits: 1, maxDigits: 6, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
  await tick();
  s.ev('PlaybackStarted', s.lastPlayback());
  s.port.onDtmf('4');
  await tick();
  s.port.onDtmf('2');
  s.timers.advance(3000);
  t.same(await p, { reason: 'timeout', digits: '42' });
  t.equal(s.port.takeTypeAhead(), '', 'the keys went to the entry, not to type-ahead');
  clean(t, s);
});

// A hang-up during each kind of wait: the operation rejects with HangupError and nothing is left behind.
const waits: Array<[string, (s: ReturnType<typeof setup>) => Promise<unknown>]> = [
  ['play: the play request in flight', async (s) => { delete s.auto.play; return s.port.play(['greeting'], { interruptible: true }); }],
  ['play: waiting for PlaybackStarted', async (s) => s.port.play(['greeting'], { interruptible: true })],
  ['play: waiting for PlaybackFinished', async (s) => {
    const p = s.port.play(['greeting'], { interruptible: true });
    await tick();
    s.ev('PlaybackStarted', s.lastPlayback());
    return p;
  }],
  ['play: asking Asterisk after the start timeout', async (s) => {
    const p = s.port.play(['greeting'], { interruptible: true });
    await tick();
    s.timers.advance(3000);
    return p;
  }],
  ['collect: during its prompt', async (s) => s.port.collect({ prompts: ['main-menu'], minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 6000, interDigitTimeoutMs: 6000 })],
  ['collect: waiting for the first key', async (s) => s.port.collect({ prompts: [], minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 6000, interDigitTimeoutMs: 6000 })],
  ['collect: between keys', async (s) => {
    const p = s.port.collect({ prompts: [], minDigits: 3, maxDigits: 6, firstDigitTimeoutMs: 6000, interDigitTimeoutMs: 3000 });
    await tick();
    s.port.onDtmf('1');
    return p;
  }],
  ['record: the record request in flight', async (s) => { delete s.auto.record; return s.port.record({ name: 'vm', maxDurationMs: 60_000, maxSilenceMs: 5000, beep: true, terminateOn: '#' }); }],
  ['record: while recording', async (s) => s.port.record({ name: 'vm', maxDurationMs: 60_000, maxSilenceMs: 5000, beep: true, terminateOn: '#' })],
  ['enqueue: waiting in the queue', async (s) => s.port.enqueue({ line: 'operator', priority: 0, maxWaitMs: 60_000 })],
  ['lookup: waiting for the function', async (s) => s.port.lookup('slow', {})],
  ['wait: on the session clock', async (s) => s.port.wait(10_000)],
];

for (const [what, start] of waits) {
  t.test(`hang-up during ${what}: HangupError, nothing left`, async (t) => {
    const s = setup();
    const p = start(s);
    const settled = p.then(() => 'resolved', (e) => e);
    await tick();
    s.port.end();
    const r = await settled;
    t.ok(r instanceof HangupError, `rejects with HangupError (got ${r instanceof Error ? r.message : r})`);
    await tick();
    clean(t, s);
    for (const req of s.held) req.resolve({ state: 'done' }); // late answers change nothing
    await tick();
    clean(t, s);
    t.ok((await s.port.play(['x'], { interruptible: false }).catch((e) => e)) instanceof HangupError, 'later operations reject at once');
    t.notOk(s.port.isDetached);
  });
}

t.test('in the queue at the hang-up: the port says the call was abandoned there', async (t) => {
  const s = setup();
  const p = s.port.enqueue({ line: 'operator', priority: 0, maxWaitMs: 60_000 }).catch((e) => e);
  await tick();
  s.port.end();
  t.ok((await p) instanceof HangupError);
  t.ok(s.port.endedInQueue);
});

t.test('detach (controller stopping): waits are released like a hang-up, no request goes out, the port says detached', async (t) => {
  const s = setup();
  const p = s.port.collect({ prompts: ['main-menu'], minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 6000, interDigitTimeoutMs: 6000 }).catch((e) => e);
  await tick();
  const before = s.done.length;
  s.port.detach();
  t.ok((await p) instanceof HangupError);
  t.ok(s.port.isDetached && s.port.isEnded);
  await s.port.hangup();
  t.equal(s.done.length, before, 'no hang-up (nor anything else) sent for a detached call');
  clean(t, s);
});
