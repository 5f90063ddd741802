// `hotline admin`: the first admin of a production install, and password resets, against a fresh database.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pino from 'pino';
import t from 'tap';
import { adminMain } from '../agent-desk/admin-cli.js';
import { SessionStore } from '../agent-desk/sessions.js';
import { main } from '../bin/hotline.js';
import { createOrm } from '../lib/db.js';
import { dropPostgresDatabase, ensurePostgresDatabase } from '../lib/services.js';
import { DB_BASE, REDIS_URL } from './helpers/desk.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tag = randomBytes(4).toString('hex');
const u = new URL(DB_BASE);
u.pathname = `/hotline_admin_${tag}`;
const env = { DATABASE_URL: u.toString(), REDIS_URL, KEY_PREFIX: `t-admin-${tag}`, LOG_LEVEL: 'warn' };

t.before(() => ensurePostgresDatabase(env.DATABASE_URL, pino({ level: 'silent' })));
t.teardown(() => dropPostgresDatabase(env.DATABASE_URL));

function io(password?: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), readPassword: async () => password } };
}

async function staffRow(staffNo: string) {
  const orm = await createOrm(env.DATABASE_URL);
  try {
    return (await orm.em.fork().getConnection().execute('select staff_no, name, role, password_hash, active from staff where staff_no = ?', [staffNo]))[0];
  } finally {
    await orm.close(true);
  }
}

t.test('wrong usage exits 2 and says how to use it', async (t) => {
  const a = io();
  t.equal(await main(['admin'], a.io), 2);
  t.match(a.err.join('\n'), /hotline admin create --staff-no/);
  for (const argv of [['create', '--staff-no', 'x'], ['create', '--staff-no', 'x', '--name', 'y', '--role', 'king'], ['create', '--bogus', '1'], ['create', '--staff-no', 'a b', '--name', 'y']]) {
    const b = io('long-enough-1');
    t.equal(await adminMain(argv, b.io, env), 2, argv.join(' '));
  }
  const short = io();
  t.equal(await adminMain(['create', '--staff-no', 'x', '--name', 'y', '--password', 'short'], short.io, env), 1);
  t.match(short.err.join(''), /at least 8/);
});

t.test('create the first admin; the database is migrated on the way; the password is argon2id', async (t) => {
  const a = io();
  t.equal(await adminMain(['create', '--staff-no', 'admin', '--name', '管理员', '--password', 'first-admin-1'], a.io, env), 0, a.err.join('\n'));
  t.same(a.out, ['created admin admin (管理员)']);
  const row = await staffRow('admin');
  t.match(row, { staff_no: 'admin', name: '管理员', role: 'admin', active: true });
  t.match(row.password_hash, /^\$argon2id\$/);
  const again = io();
  t.equal(await adminMain(['create', '--staff-no', 'admin', '--name', '又一个', '--password', 'first-admin-1'], again.io, env), 1);
  t.match(again.err.join(''), /already in use/);
});

t.test('without --password the password is asked for', async (t) => {
  const a = io('from-the-prompt');
  t.equal(await adminMain(['create', '--staff-no', 'sup1', '--name', '主任', '--role', 'supervisor'], a.io, env), 0);
  t.equal((await staffRow('sup1')).role, 'supervisor');
  t.equal(await adminMain(['create', '--staff-no', 'sup2', '--name', '主任'], io(undefined).io, env), 2, 'no password at all');
});

t.test('a password reset ends the person\'s sessions', async (t) => {
  const redis = new Redis(REDIS_URL);
  t.teardown(() => redis.disconnect());
  const sessions = new SessionStore(redis, env.KEY_PREFIX);
  const token = await sessions.create('sup1');
  t.equal(await sessions.lookup(token), 'sup1');
  const before = (await staffRow('sup1')).password_hash;
  const a = io();
  t.equal(await adminMain(['password', '--staff-no', 'sup1', '--password', 'a-new-secret'], a.io, env), 0, a.err.join(''));
  t.not((await staffRow('sup1')).password_hash, before);
  t.equal(await sessions.lookup(token), undefined);
  t.equal(await adminMain(['password', '--staff-no', 'ghost', '--password', 'a-new-secret'], io().io, env), 1);
});

t.test('the installed command reads the password from stdin', async (t) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/hotline.js'), 'admin', 'create', '--staff-no', 'admin2', '--name', '管理员二'], {
    cwd: ROOT, input: 'piped-password\n', encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000,
  });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, 'created admin admin2 (管理员二)');
  t.equal((await staffRow('admin2')).role, 'admin');
});
