// Logging in and out, and what the logged-in person needs to draw the desk.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Staff, type Role as RoleName } from '../../lib/entities/staff.js';
import { userOf } from '../access.js';
import { DeskError, errorResponses } from '../errors.js';
import { Ok, Presence, Role, StaffNo, StaffView } from '../schemas.js';
import { SESSION_COOKIE, checkPassword, hashPassword, MIN_PASSWORD } from '../sessions.js';
import { toStaffView } from '../staff.js';
import type { DeskDeps } from './deps.js';

const Me = Type.Object({ ...StaffView.properties, presence: Presence });
const HandledCall = Type.Object({
  callId: Type.String(),
  callerNumber: Type.String(),
  state: Type.Union([Type.Literal('offered'), Type.Literal('answered'), Type.Literal('ended')]),
  endedAt: Type.Optional(Type.Number()),
});

export const authRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, deps) => {
  const { sessions, presence, handling, live } = deps;

  app.post('/api/login', {
    config: { access: 'public', rateLimit: { max: deps.login.max, timeWindow: deps.login.timeWindowMs } },
    schema: {
      tags: ['auth'], summary: '登录 Log in with staff number and password; sets the session cookie',
      body: Type.Object({ staffNo: StaffNo, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ staffNo: Type.String(), name: Type.String(), role: Role }), ...errorResponses },
    },
  }, async (req, reply) => {
    const staff = await req.em.findOne(Staff, { staffNo: req.body.staffNo, active: true });
    if (!(await checkPassword(staff?.passwordHash, req.body.password)) || !staff) {
      req.log.info({ staffNo: req.body.staffNo }, 'login refused');
      throw new DeskError(401, 'invalid_credentials', 'wrong staff number or password');
    }
    const token = await sessions.create(staff.staffNo);
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'strict', secure: deps.secureCookie, path: '/', maxAge: deps.sessionOptions.maxSec,
    });
    req.log.info({ staffNo: staff.staffNo }, 'logged in');
    return { staffNo: staff.staffNo, name: staff.name, role: staff.role as RoleName };
  });

  app.post('/api/logout', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: '退出 Log out: ends this session; a lawyer who is not in a call goes offline', response: { 200: Ok, ...errorResponses } },
  }, async (req, reply) => {
    const user = userOf(req);
    await sessions.destroy(user.token);
    live.closeSession(user.token);
    // Left `ready`, a lawyer who went home would still be rung; in a call, the ACD's state stands.
    if (user.role !== 'admin') await presence.set(user.staffNo, 'offline', 'logged out');
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/api/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: '当前用户 The logged-in person, with their presence', response: { 200: Me, ...errorResponses } },
  }, async (req) => {
    const user = userOf(req);
    const staff = await req.em.findOneOrFail(Staff, { staffNo: user.staffNo });
    const [p] = await presence.many([user.staffNo]);
    return { ...toStaffView(staff), presence: p };
  });

  app.put('/api/me/password', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['auth'], summary: '修改密码 Change one\'s own password; every other session of this person ends',
      body: Type.Object({
        currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
        newPassword: Type.String({ minLength: MIN_PASSWORD, maxLength: 200 }),
      }, { additionalProperties: false }),
      response: { 200: Ok, ...errorResponses },
    },
  }, async (req, reply) => {
    const user = userOf(req);
    const staff = await req.em.findOneOrFail(Staff, { staffNo: user.staffNo });
    if (!(await checkPassword(staff.passwordHash, req.body.currentPassword))) {
      throw new DeskError(400, 'bad_request', 'currentPassword: is wrong', [{ field: 'currentPassword', message: 'is wrong' }]);
    }
    staff.passwordHash = await hashPassword(req.body.newPassword);
    await req.em.flush();
    // Whoever knew the old password is logged out everywhere; this browser gets a fresh session.
    await sessions.destroyAllFor(user.staffNo);
    live.closeFor(user.staffNo);
    const token = await sessions.create(user.staffNo);
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'strict', secure: deps.secureCookie, path: '/', maxAge: deps.sessionOptions.maxSec,
    });
    return { ok: true as const };
  });

  app.get('/api/handling', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['desk'], summary: '当前来电 Calls offered to or answered by me now (to redraw the screen pop after a reload)',
      response: { 200: Type.Array(HandledCall), ...errorResponses },
    },
  }, async (req) => handling.calls(userOf(req).staffNo));
};
