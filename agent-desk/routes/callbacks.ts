// The callbacks API (回拨任务): the lists of the desk's card, one callback with its attempts, click-to-call and a
// supervisor's cancel. Rules are in ../callbacks.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Staff } from '../../lib/entities/staff.js';
import { userOf } from '../access.js';
import { CALLBACK_VIEWS, CallbackDetail, CallbackView, cancelCallback, getCallback, listCallbacks, prepareDial, requestDial, type DeskCallbacks } from '../callbacks.js';
import { DeskError, errorResponses } from '../errors.js';
import { Id, literals } from '../schemas.js';
import type { DeskDeps } from './deps.js';

/** States in which a lawyer's phone cannot take the click-to-call now (the dialler would give the attempt back). */
const PHONE_BUSY = new Set(['offline', 'ringing', 'on_call']);

export const callbackRoutes: FastifyPluginAsyncTypebox<DeskDeps & { callbacks?: DeskCallbacks }> = async (app, deps) => {
  app.get('/api/callbacks', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['callbacks'], summary: '回拨任务 My callbacks, the team\'s open ones, or (supervisors) the failed ones; overdue flagged',
      querystring: Type.Object({ view: literals(CALLBACK_VIEWS, 'mine 我的回拨 · team 团队回拨 · failed 失败回拨 (supervisors)') }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(CallbackView) }), ...errorResponses },
    },
  }, async (req) => ({ items: await listCallbacks(req.em, userOf(req), req.query.view) }));

  app.get('/api/callbacks/:id', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['callbacks'], summary: '回拨详情 One callback with every attempt and its outcome',
      params: Type.Object({ id: Id }), response: { 200: CallbackDetail, ...errorResponses },
    },
  }, async (req) => getCallback(req.em, userOf(req), req.params.id));

  app.post('/api/callbacks/:id/dial', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['callbacks'], summary: '点击回拨 Ring my phone, then the caller (the next attempt of a task callback)',
      params: Type.Object({ id: Id }),
      response: { 202: Type.Object({ id: Type.String(), attempt: Type.Integer(), jobId: Type.String() }), ...errorResponses },
    },
  }, async (req, reply) => {
    const user = userOf(req);
    if (!deps.callbacks) throw new DeskError(503, 'unavailable', 'click-to-call is not set up in this desk process');
    const staff = await req.em.findOne(Staff, { staffNo: user.staffNo });
    if (!staff?.endpoint) throw new DeskError(409, 'busy', 'you have no desk phone (endpoint) to ring');
    const [presence] = await deps.presence.many([user.staffNo]);
    if (PHONE_BUSY.has(presence?.state ?? 'offline')) {
      throw new DeskError(409, 'busy', `your phone cannot take a callback now (${presence?.state ?? 'offline'}); set yourself ready or not ready first`);
    }
    const { attempt } = await prepareDial(req.em, user, req.params.id);
    const jobId = await requestDial(deps.callbacks, req.params.id, attempt, user.staffNo);
    req.log.info({ callback: req.params.id, attempt, by: user.staffNo }, 'callback dial requested');
    return reply.status(202).send({ id: req.params.id, attempt, jobId });
  });

  app.post('/api/callbacks/:id/cancel', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['callbacks'], summary: '取消回拨 Take a pending or failed callback off the lists, with the reason',
      params: Type.Object({ id: Id }),
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: CallbackDetail, ...errorResponses },
    },
  }, async (req) => {
    const user = userOf(req);
    const reason = req.body.reason.trim();
    if (!reason) throw new DeskError(400, 'bad_request', 'reason: is required', [{ field: 'reason', message: 'is required' }]);
    const out = await cancelCallback(req.em, user, req.params.id, reason);
    req.log.info({ callback: req.params.id, by: user.staffNo }, 'callback cancelled');
    return out;
  });
};
