// The desk as `npm start` runs it: the component on a real port (HTTP and a real WebSocket), and the demo accounts,
// which only the development defaults create.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import t from 'tap';
import WebSocket from 'ws';
import { agentDeskComponent, isDemo } from '../agent-desk/component.js';
import { checkPassword } from '../agent-desk/sessions.js';
import { DEMO_PASSWORD, createStaff, seedDemoStaff } from '../agent-desk/staff.js';
import { loadConfig } from '../config/index.js';
import { deskChannel } from '../ivr/acd/types.js';
import { createOrm, migrateUp } from '../lib/db.js';
import { Staff } from '../lib/entities/staff.js';
import { pickPort } from '../lib/proc.js';
import { dropPostgresDatabase, ensurePostgresDatabase } from '../lib/services.js';
import { DB_BASE, REDIS_URL } from './helpers/desk.js';
import { until } from './helpers/sim.js';

const tag = randomBytes(4).toString('hex');
const u = new URL(DB_BASE);
u.pathname = `/hotline_deskc_${tag}`;
const dbUrl = u.toString();
const prefix = `t-deskc-${tag}`;
const silent = pino({ level: 'silent' });

t.before(() => ensurePostgresDatabase(dbUrl, silent));
t.teardown(() => dropPostgresDatabase(dbUrl));

t.test('demo mode is npm start\'s defaults only: embedded database and the simulated Asterisk', async (t) => {
  t.equal(isDemo(loadConfig({})), true);
  t.equal(isDemo(loadConfig({ DATABASE_URL: dbUrl })), false, 'a real database: no demo accounts');
  t.equal(isDemo(loadConfig({ ARI_URL: 'http://10.0.0.5:8088' })), false, 'a real Asterisk: no demo accounts');
});

t.test('the demo seed creates supervisor, lawyer1 and lawyer2 once, and never overwrites them', async (t) => {
  const orm = await createOrm(dbUrl);
  t.teardown(() => orm.close(true));
  await migrateUp(orm);
  t.same(await seedDemoStaff(orm), ['supervisor', 'lawyer1', 'lawyer2']);
  const rows = await orm.em.fork().find(Staff, {}, { orderBy: { staffNo: 'asc' } });
  t.match(rows.map((s) => [s.staffNo, s.role, s.endpoint ?? null, s.skills]), [
    ['lawyer1', 'agent', 'PJSIP/8001', ['labour-wages', 'contract-debt']],
    ['lawyer2', 'agent', 'PJSIP/8002', ['marriage-family', 'land-housing']],
    ['supervisor', 'supervisor', null, []],
  ]);
  for (const s of rows) t.ok(await checkPassword(s.passwordHash, DEMO_PASSWORD), `${s.staffNo} has the demo password`);
  await orm.em.fork().nativeUpdate(Staff, { staffNo: 'lawyer1' }, { name: '改过的名字' });
  t.same(await seedDemoStaff(orm), [], 'a second start creates nothing');
  t.equal((await orm.em.fork().findOneOrFail(Staff, { staffNo: 'lawyer1' })).name, '改过的名字');
});

t.test('the component listens on HOTLINE_PORT: log in over HTTP, get a DeskEvent over a real WebSocket', async (t) => {
  const port = await pickPort();
  // Outside the demo a real recordings key is required (the component refuses the development one).
  const config = loadConfig({ DATABASE_URL: dbUrl, REDIS_URL, KEY_PREFIX: prefix, HOTLINE_PORT: String(port), RECORDINGS_KEY: randomBytes(32).toString('base64'), RECORDINGS_KEY_ID: 'k1' });
  const orm = await createOrm(dbUrl);
  await migrateUp(orm);
  await createStaff(orm.em.fork(), { staffNo: 'lawyer7', name: '赵律师', role: 'agent', password: 'lawyer7-pass' });
  const handle = await agentDeskComponent.start({ config, log: silent, orm, redisUrl: REDIS_URL, databaseUrl: dbUrl });
  const redis = new Redis(REDIS_URL);
  t.teardown(async () => {
    await handle.stop();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await orm.close(true);
  });
  t.same(handle.urls, [`http://localhost:${port}/`, `http://localhost:${port}/docs`]);

  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffNo: 'lawyer7', password: 'lawyer7-pass' }) });
  t.equal(login.status, 200);
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  t.equal((await fetch(`${base}/api/me`, { headers: { cookie } })).status, 200);

  const msgs: any[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { cookie } });
  ws.on('message', (m) => msgs.push(JSON.parse(String(m))));
  await until(() => msgs.length === 1, 'hello');
  await redis.publish(deskChannel(prefix), JSON.stringify({ type: 'answered', staffNo: 'lawyer7', callId: 'x1', at: new Date().toISOString() }));
  await until(() => msgs.length === 2, 'the DeskEvent');
  t.match(msgs[1], { type: 'desk', event: { type: 'answered', staffNo: 'lawyer7', callId: 'x1' } });
  ws.close();

  const page = await fetch(`${base}/`);
  t.equal(page.status, 200);
  t.match(await page.text(), /12348/);
  t.equal((await fetch(`${base}/docs/json`)).status, 200, 'OpenAPI document');
});
