// Presence in Redis on its own (real Redis, no PBX): atomic claims between processes, every transition and its
// guard, wrap-up back to ready unless the lawyer chose otherwise, leases of a controller that died, the desk's plain
// JSON values, publishing, and a history writer that may fail without holding anything up.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import t from 'tap';
import { ManualTimers } from '../flows/timers.js';
import { Presence, presenceKey, type PresenceHistory } from '../ivr/acd/presence.js';
import { PgPresenceHistory } from '../ivr/acd/presence-history.js';
import type { AgentPresence } from '../ivr/acd/types.js';
import { REDIS_URL } from './helpers/hotline.js';
import { until } from './helpers/sim.js';

const log = pino({ level: 'silent' });
const prefix = `t-presence-${randomBytes(4).toString('hex')}`;
const conns: Redis[] = [];
const redis = () => { const r = new Redis(REDIS_URL); conns.push(r); return r; };
let now = 1_750_000_000_000;
const clock = () => now;

t.teardown(async () => {
  const r = conns[0] ?? redis();
  const keys = await r.keys(`${prefix}:*`);
  if (keys.length) await r.del(...keys);
  for (const c of conns) c.disconnect();
});

function presence(o: { history?: PresenceHistory; timers?: ManualTimers; wrapUpMs?: number; leaseMs?: number } = {}) {
  return new Presence({ redis: redis(), keyPrefix: prefix, log, clock, ...o });
}

t.test('two processes racing for one lawyer: exactly one claim wins, every time', async (t) => {
  const p1 = presence();
  const p2 = presence();
  for (let round = 0; round < 50; round++) {
    const staffNo = `race-${round}`;
    await p1.setState(staffNo, 'ready');
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? p1 : p2).claim(staffNo, `call-${round}-${i}`)));
    t.equal(claims.filter(Boolean).length, 1, `round ${round}`);
    const winner = claims.indexOf(true);
    t.match(await p1.get(staffNo), { state: 'ringing', call: `call-${round}-${winner}` });
  }
});

t.test('transitions and their guards; every change published and appended to history', async (t) => {
  const hist: AgentPresence[] = [];
  const timers = new ManualTimers();
  const p = presence({ history: { append: (c) => hist.push(c) }, timers, wrapUpMs: 10_000 });
  const seen: AgentPresence[] = [];
  const unsubscribe = await p.subscribe((c) => { if (c.staffNo === '201') seen.push(c); });
  t.match(await p.get('201'), { state: 'offline', since: 0 }, 'never seen: offline');
  t.notOk(await p.claim('201', 'c1'), 'offline: no claim');
  now += 1000;
  await p.setState('201', 'ready');
  const readyAt = now;
  now += 1000;
  t.ok(await p.claim('201', 'c1'));
  t.notOk(await p.claim('201', 'c2'), 'ringing: no second claim');
  t.notOk((await p.setState('201', 'not_ready', 'lunch')).changed, 'the desk cannot override ringing');
  t.notOk(await p.answered('201', 'c2'), 'another call cannot answer');
  t.notOk(await p.release('201', 'c2'), 'another call cannot release');
  t.ok(await p.answered('201', 'c1'));
  t.notOk((await p.setState('201', 'ready')).changed, 'the desk cannot override on_call');
  now += 60_000;
  t.ok(await p.ended('201', 'c1'));
  t.match(await p.get('201'), { state: 'wrap_up', deadline: now + 10_000 });
  t.notOk(await p.ended('201', 'c1'), 'ended once');
  now += 10_000;
  timers.advance(10_001);
  await until(async () => hist.length === 5, 'wrap-up over');
  const after = await p.get('201');
  t.match(after, { state: 'ready', since: now, idle: now }, 'ready again after wrap-up, idle from then');
  t.ok(after.idle! > readyAt);
  t.same(hist.map((h) => h.state), ['ready', 'ringing', 'on_call', 'wrap_up', 'ready']);
  await until(() => seen.length === 5, 'published');
  t.same(seen.map((h) => h.state), ['ready', 'ringing', 'on_call', 'wrap_up', 'ready']);
  t.same(Object.keys(seen[0]).sort(), ['since', 'staffNo', 'state'], 'the AgentPresence contract, nothing more');
  t.equal(p.pendingTimers, 0);
  await unsubscribe();
});

t.test('wrap-up: a choice the lawyer makes meanwhile stands; ready during wrap-up ends it early', async (t) => {
  const timers = new ManualTimers();
  const p = presence({ timers, wrapUpMs: 10_000 });
  await p.setState('202', 'ready');
  await p.claim('202', 'c'); await p.answered('202', 'c'); await p.ended('202', 'c');
  now += 1000;
  t.ok((await p.setState('202', 'not_ready', 'lunch')).changed);
  t.equal(p.pendingTimers, 0, 'the wrap-up timer is dropped');
  now += 20_000;
  timers.advance(20_000);
  t.match(await p.get('202'), { state: 'not_ready', reason: 'lunch' });
  await p.setState('202', 'ready');
  await p.claim('202', 'd'); await p.answered('202', 'd'); await p.ended('202', 'd');
  now += 1000;
  await p.setState('202', 'ready');
  t.match(await p.get('202'), { state: 'ready', since: now, idle: now });
});

t.test('ring outcomes: no answer -> not_ready with the reason; caller gone -> ready, place kept', async (t) => {
  const p = presence();
  await p.setState('203', 'ready');
  const idle = now;
  now += 5000;
  await p.claim('203', 'c');
  t.ok(await p.release('203', 'c'));
  t.match(await p.get('203'), { state: 'ready', idle }, 'still idle since before the ring');
  await p.claim('203', 'd');
  t.ok(await p.failed('203', 'd', 'no-answer'));
  t.match(await p.get('203'), { state: 'not_ready', reason: 'no-answer' });
  t.notOk(await p.claim('203', 'e'));
});

t.test('a lease nobody renews (the controller died) frees the lawyer; renewing keeps it', async (t) => {
  const p = presence({ leaseMs: 30_000 });
  await p.setState('204', 'ready');
  const idle = now;
  await p.claim('204', 'c');
  now += 20_000;
  t.ok(await p.renew('204', 'c'));
  now += 20_000;
  t.equal((await p.snapshot(['204'])).get('204')?.state, 'ringing', 'renewed: still ringing');
  now += 15_000;
  const snap = await p.snapshot(['204', 'nobody']);
  t.match(snap.get('204'), { state: 'ready', idle }, 'lease over: ready, place kept');
  t.match(snap.get('nobody'), { state: 'offline' });
  t.notOk(await p.renew('204', 'c'), 'a late renew changes nothing');
});

t.test('values written by the desk (plain AgentPresence JSON) are read and claimed', async (t) => {
  const r = redis();
  const p = presence();
  await r.set(presenceKey(prefix, '205'), JSON.stringify({ staffNo: '205', state: 'ready', since: now - 7000 }));
  t.match(await p.get('205'), { state: 'ready', idle: now - 7000 });
  t.ok(await p.claim('205', 'c'));
  const raw = JSON.parse((await r.get(presenceKey(prefix, '205')))!);
  t.match(raw, { staffNo: '205', state: 'ringing', since: now }, 'the desk reads an AgentPresence');
  await r.set(presenceKey(prefix, '206'), 'not json');
  t.match(await p.get('206'), { state: 'offline' }, 'garbage reads offline');
});

t.test('history that throws never blocks a transition', async (t) => {
  const p = presence({ history: { append: () => { throw new Error('db down'); } } });
  t.ok((await p.setState('207', 'ready')).changed);
  t.ok(await p.claim('207', 'c'));
});

t.test('PostgreSQL history writer: keeps rows while inserts fail, inserts them later, bounded', async (t) => {
  let fail = true;
  const inserted: unknown[][] = [];
  const w = new PgPresenceHistory({
    log, flushEveryMs: 5, maxBuffered: 3,
    execute: async (_sql, params) => { if (fail) throw new Error('connection refused'); inserted.push(params); },
  });
  for (let i = 0; i < 5; i++) w.append({ staffNo: `s${i}`, state: 'ready', since: now });
  t.equal(w.pending, 3, 'only the newest rows are kept');
  await new Promise((r) => setTimeout(r, 30));
  t.equal(w.pending, 3, 'still pending while failing');
  fail = false;
  await until(() => w.pending === 0, 'flushed', 5000);
  t.same(inserted.flat().filter((x) => typeof x === 'string' && x.startsWith('s')), ['s2', 's3', 's4']);
  await w.close();
});

t.test('subscribing from a fail-fast command connection (as ivr/component.ts makes it), right after creating it', async (t) => {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  conns.push(r);
  const p = new Presence({ redis: r, keyPrefix: prefix, log, clock });
  const seen: string[] = [];
  const unsubscribe = await p.subscribe((c) => { if (c.staffNo === '208') seen.push(c.state); });
  await p.setState('208', 'ready');
  await until(() => seen.length === 1, 'the change heard');
  t.same(seen, ['ready']);
  await unsubscribe();
});
