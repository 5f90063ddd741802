// Desk login: password check (argon2), the session cookie, /api/me, logout, the login rate limit, and sessions that
// end when an admin disables an account or a password changes.
import t from 'tap';
import { SESSION_COOKIE } from '../agent-desk/sessions.js';
import { PASSWORD, startDesk, type TestDesk } from './helpers/desk.js';

let d: TestDesk;
t.before(async () => {
  d = await startDesk({ login: { max: 10, timeWindowMs: 60_000 } });
  await d.staff({ staffNo: 'lawyer1', name: '张律师', role: 'agent', endpoint: 'PJSIP/8001', skills: ['labour-wages', 'contract-debt'] });
  await d.staff({ staffNo: 'admin', name: '管理员', role: 'admin' });
  await d.staff({ staffNo: 'admin2', name: '管理员二', role: 'admin' });
});
t.teardown(() => d.close());

const cookieOf = (setCookie: string | string[] | undefined) => {
  const c = [setCookie ?? []].flat().find((s) => s.startsWith(`${SESSION_COOKIE}=`));
  return c?.split(';')[0];
};

t.test('login sets an httpOnly, SameSite=Strict session cookie; /api/me answers with the person and presence', async (t) => {
  const r = await d.login('lawyer1');
  t.equal(r.statusCode, 200);
  t.same(r.json(), { staffNo: 'lawyer1', name: '张律师', role: 'agent' });
  const raw = [r.headers['set-cookie']].flat().join('\n');
  t.match(raw, /HttpOnly/);
  t.match(raw, /SameSite=Strict/);
  const cookie = cookieOf(r.headers['set-cookie'])!;
  const me = await d.req('GET', '/api/me', cookie);
  t.equal(me.status, 200);
  t.match(me.body, { staffNo: 'lawyer1', role: 'agent', endpoint: 'PJSIP/8001', skills: ['labour-wages', 'contract-debt'], presence: { state: 'offline' } });
  t.notOk('passwordHash' in me.body, 'no password hash in the answer');
});

t.test('wrong password and unknown staff number get the same 401', async (t) => {
  const a = await d.login('lawyer1', 'wrong-password');
  const b = await d.login('nobody', 'wrong-password');
  t.equal(a.statusCode, 401);
  t.equal(b.statusCode, 401);
  t.same(a.json(), b.json());
  t.same(a.json(), { code: 'invalid_credentials', message: 'wrong staff number or password' });
  t.notOk(a.headers['set-cookie'], 'no cookie');
});

t.test('without a session every API route answers 401 in the error vocabulary', async (t) => {
  const r = await d.req('GET', '/api/me');
  t.equal(r.status, 401);
  t.same(r.body, { code: 'unauthenticated', message: 'log in first' });
  const forged = await d.req('GET', '/api/me', `${SESSION_COOKIE}=forged-token`);
  t.equal(forged.status, 401);
});

t.test('logout ends the session and takes the lawyer offline', async (t) => {
  const login = await d.login('lawyer1');
  const cookie = cookieOf(login.headers['set-cookie'])!;
  t.equal((await d.req('PUT', '/api/presence', cookie, { state: 'ready' })).status, 200);
  const out = await d.req('POST', '/api/logout', cookie);
  t.equal(out.status, 200);
  t.match([out.headers['set-cookie']].flat().join(''), new RegExp(`${SESSION_COOKIE}=;`), 'cookie cleared');
  t.equal((await d.req('GET', '/api/me', cookie)).status, 401, 'the old cookie no longer works');
  const sup = await d.cookie('admin');
  t.equal((await d.req('GET', '/api/staff', sup)).status, 200);
  const raw = await d.redis.get(`${d.prefix}:presence:lawyer1`);
  t.match(JSON.parse(raw!), { staffNo: 'lawyer1', state: 'offline' });
});

t.test('disabling an account or changing its password ends its sessions', async (t) => {
  const admin = await d.cookie('admin');
  await d.staff({ staffNo: 'lawyer9', role: 'agent' });
  const l9 = await d.cookie('lawyer9');
  t.equal((await d.req('GET', '/api/me', l9)).status, 200);
  t.equal((await d.req('PATCH', '/api/staff/lawyer9', admin, { password: 'another-pass-1' })).status, 200);
  t.equal((await d.req('GET', '/api/me', l9)).status, 401, 'password reset by an admin');
  const again = await d.cookie('lawyer9');
  t.equal((await d.req('PATCH', '/api/staff/lawyer9', admin, { active: false })).status, 200);
  t.equal((await d.req('GET', '/api/me', again)).status, 401, 'account disabled');
  t.equal((await d.login('lawyer9', 'another-pass-1')).statusCode, 401, 'a disabled account cannot log in');
});

t.test('changing one\'s own password needs the current one, and ends the other sessions', async (t) => {
  await d.staff({ staffNo: 'lawyer8', role: 'agent' });
  const other = await d.cookie('lawyer8');
  const mine = await d.cookie('lawyer8');
  const wrong = await d.req('PUT', '/api/me/password', mine, { currentPassword: 'nope-nope', newPassword: 'brand-new-1' });
  t.equal(wrong.status, 400);
  t.same(wrong.body.details, [{ field: 'currentPassword', message: 'is wrong' }]);
  const short = await d.req('PUT', '/api/me/password', mine, { currentPassword: PASSWORD, newPassword: 'short' });
  t.equal(short.status, 400);
  t.equal(short.body.details[0].field, 'newPassword');
  const ok = await d.req('PUT', '/api/me/password', mine, { currentPassword: PASSWORD, newPassword: 'brand-new-1' });
  t.equal(ok.status, 200);
  const fresh = cookieOf(ok.headers['set-cookie'] as string[])!;
  t.equal((await d.req('GET', '/api/me', other)).status, 401, 'the other session ended');
  t.equal((await d.req('GET', '/api/me', fresh)).status, 200, 'this browser got a new session');
  t.equal((await d.login('lawyer8', 'brand-new-1')).statusCode, 200);
});

t.test('the last active admin can neither be demoted nor disabled', async (t) => {
  const admin = await d.cookie('admin');
  t.equal((await d.req('PATCH', '/api/staff/admin2', admin, { active: false })).status, 200, 'another admin may go');
  const r = await d.req('PATCH', '/api/staff/admin', admin, { role: 'supervisor' });
  t.equal(r.status, 409);
  t.equal(r.body.code, 'conflict');
});

t.test('login is rate limited per client address (shared through Redis), and the limit answers 429', async (t) => {
  // An address of its own, so the logins of the other tests do not count.
  const from = '127.0.0.9';
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await d.login('lawyer1', 'wrong-password', from)).statusCode);
  t.same(statuses, [...Array(10).fill(401), 429], 'ten tries, then refused');
  const last = await d.login('lawyer1', 'wrong-password', from);
  t.match(last.json(), { code: 'rate_limited', message: /try again in \d+ s/ });
  t.ok(Number(last.headers['retry-after']) >= 1, 'Retry-After is set');
  t.equal((await d.login('lawyer1', PASSWORD, from)).statusCode, 429, 'even the right password waits for the window');
  t.equal((await d.login('lawyer1', PASSWORD, '127.0.0.10')).statusCode, 200, 'another address is not affected');
  t.ok((await d.redis.keys(`${d.prefix}:desk:rate-limit:*`)).length > 0, 'the counter lives in Redis');
});
