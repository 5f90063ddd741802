// Presence on the desk: a lawyer says ready / not ready (with a reason) / offline; supervisors see everyone and may
// take a lawyer who walked away out of the rotation. Ringing, on call and wrap-up are the ACD's to set.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Staff } from '../../lib/entities/staff.js';
import type { DeskUser } from '../access.js';
import { userOf } from '../access.js';
import { DeskError, badField, errorResponses, notFound } from '../errors.js';
import { DESK_STATES, type DeskState } from '../presence.js';
import { Presence, StaffNo, literals } from '../schemas.js';
import type { DeskDeps } from './deps.js';

const Body = Type.Object({
  state: literals(DESK_STATES),
  /** Required for not_ready (小休, 培训, 会议 ...): supervisors read it on the wallboard. */
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
}, { additionalProperties: false });

const PresenceRow = Type.Object({ ...Presence.properties, name: Type.String(), endpoint: Type.Union([Type.String(), Type.Null()]) });

export const presenceRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, deps) => {
  // presence_history is written by the presence store itself (every change, whoever made it).
  async function change(by: DeskUser, staffNo: string, state: DeskState, reason?: string) {
    if (state === 'not_ready' && !reason?.trim()) throw badField('reason', 'is required for not_ready');
    // A supervisor's hand shows in the reason the lawyer and the wallboard see.
    const why = state === 'not_ready' ? `${reason!.trim()}${by.staffNo === staffNo ? '' : `（${by.staffNo} 设置）`}` : undefined;
    const r = await deps.presence.set(staffNo, state, why);
    if (!r.changed) {
      throw new DeskError(409, 'busy', `cannot change presence while ${r.presence.state === 'ringing' ? 'the phone is ringing' : 'in a call'}`);
    }
    return r.presence;
  }

  app.put('/api/presence', {
    config: { access: ['agent', 'supervisor'] },
    schema: { tags: ['presence'], summary: '置闲/示忙/离线 Set my own presence', body: Body, response: { 200: Presence, ...errorResponses } },
  }, async (req) => {
    const user = userOf(req);
    return change(user, user.staffNo, req.body.state, req.body.reason);
  });

  app.put('/api/presence/:staffNo', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['presence'], summary: '强制状态 A supervisor sets a lawyer\'s presence', params: Type.Object({ staffNo: StaffNo }),
      body: Body, response: { 200: Presence, ...errorResponses },
    },
  }, async (req) => {
    if (!(await req.em.count(Staff, { staffNo: req.params.staffNo, active: true }))) throw notFound('staff member');
    return change(userOf(req), req.params.staffNo, req.body.state, req.body.reason);
  });

  app.get('/api/presence', {
    config: { access: ['supervisor'] },
    schema: { tags: ['presence'], summary: '坐席状态 Presence of every active lawyer and supervisor', response: { 200: Type.Array(PresenceRow), ...errorResponses } },
  }, async (req) => {
    const staff = await req.em.find(Staff, { active: true, role: { $in: ['agent', 'supervisor'] } }, { orderBy: { staffNo: 'asc' } });
    const states = await deps.presence.many(staff.map((s) => s.staffNo));
    return staff.map((s, i) => ({ ...states[i], name: s.name, endpoint: s.endpoint ?? null }));
  });
};
