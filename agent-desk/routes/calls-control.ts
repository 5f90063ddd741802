// What a lawyer does to a call in progress from the desk, and the callers behind the calls: transfer (to another
// line's queue or to a colleague), the list of whom one may transfer to, and a caller's profile (name, dialect,
// green-channel listing) that the ACD uses on the caller's next call.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendCommand } from '../../ivr/acd/commands.js';
import type { ServiceLine as Line } from '../../ivr/records/events.js';
import { userOf, type DeskUser } from '../access.js';
import { callerProfile, saveCallerProfile } from '../callers.js';
import { DeskError, badField, errorResponses, forbidden, notFound } from '../errors.js';
import { Presence, PhoneNumber, ServiceLine, StaffNo } from '../schemas.js';
import { Staff } from '../../lib/entities/staff.js';
import { ServiceQueue } from '../../lib/entities/ledger-extra.js';
import type { DeskDeps } from './deps.js';

const O = Type.Optional;
const CallId = Type.String({ minLength: 1, maxLength: 100 });

const TransferBody = Type.Object({
  toLine: O(ServiceLine),
  toAgent: O(StaffNo),
}, { additionalProperties: false, description: 'exactly one of toLine and toAgent' });

const TransferAccepted = Type.Object({ callId: Type.String(), toLine: O(Type.String()), toAgent: O(Type.String()) });

const Targets = Type.Object({
  lines: Type.Array(Type.Object({ line: Type.String(), name: Type.String() })),
  lawyers: Type.Array(Type.Object({
    staffNo: Type.String(), name: Type.String(), skills: Type.Array(Type.String()), dialects: Type.Array(Type.String()),
    presence: Presence,
  })),
});

export const CallerView = Type.Object({
  number: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  dialect: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  vulnerable: Type.Boolean(),
  vulnerableReason: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

const CallerBody = Type.Object({
  name: O(Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Null()])),
  dialect: O(Type.Union([Type.String({ minLength: 1, maxLength: 20 }), Type.Null()])),
  note: O(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  /** 绿色通道: listed callers go to the front of the queue without pressing a key. */
  vulnerable: O(Type.Boolean()),
  vulnerableReason: O(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
}, { additionalProperties: false, minProperties: 1 });

export const callsControlRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, deps) => {
  const { handling, redis } = deps;
  const prefix = deps.config.ivr.keyPrefix;

  /** A lawyer may act on a call they are talking on; a supervisor on any. */
  async function mayHandle(user: DeskUser, callId: string): Promise<void> {
    if (user.role === 'supervisor') return;
    const call = (await handling.calls(user.staffNo)).find((c) => c.callId === callId);
    if (!call) throw notFound('call');
    if (call.state !== 'answered') throw new DeskError(409, 'conflict', 'the call is not in progress on your phone');
  }

  app.post('/api/calls/:callId/transfer', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['calls'], summary: '转接 Hand the caller on to another line\'s queue or to a colleague (blind transfer)',
      description: 'Accepted (202) once a controller has the request; the outcome arrives on /ws as a `transfer` desk event.',
      params: Type.Object({ callId: CallId }), body: TransferBody,
      response: { 202: TransferAccepted, ...errorResponses },
    },
  }, async (req, reply) => {
    const user = userOf(req);
    const { toLine, toAgent } = req.body;
    if ((toLine === undefined) === (toAgent === undefined)) throw badField('toLine', 'give exactly one of toLine and toAgent');
    await mayHandle(user, req.params.callId);
    if (toAgent) {
      if (toAgent === user.staffNo) throw badField('toAgent', 'is yourself');
      const target = await req.em.findOne(Staff, { staffNo: toAgent, active: true, role: 'agent' });
      if (!target?.endpoint) throw badField('toAgent', 'is not a lawyer with a phone');
    }
    const heard = await sendCommand(redis, prefix, { type: 'transfer', callId: req.params.callId, by: user.staffNo, toLine: toLine as Line | undefined, toAgent });
    if (heard === 0) throw new DeskError(503, 'unavailable', 'no call controller is running; try again shortly');
    req.log.info({ callId: req.params.callId, by: user.staffNo, toLine, toAgent }, 'transfer requested');
    return reply.code(202).send({ callId: req.params.callId, toLine, toAgent });
  });

  app.get('/api/transfer-targets', {
    config: { access: ['agent', 'supervisor'] },
    schema: { tags: ['calls'], summary: '可转接对象 Lines and colleagues one may transfer a caller to', response: { 200: Targets, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req).staffNo;
    const [queues, staff] = await Promise.all([
      req.em.find(ServiceQueue, { active: true }, { orderBy: { line: 'asc' } }),
      req.em.find(Staff, { active: true, role: 'agent', endpoint: { $ne: null }, staffNo: { $ne: me } }, { orderBy: { staffNo: 'asc' } }),
    ]);
    const states = await deps.presence.many(staff.map((s) => s.staffNo));
    return {
      lines: queues.map((q) => ({ line: q.line, name: q.name })),
      lawyers: staff.map((s, i) => ({ staffNo: s.staffNo, name: s.name, skills: s.skills, dialects: s.dialects, presence: states[i] })),
    };
  });

  /** A lawyer sees and edits the profile of a caller they are handling now (or handled in the last half hour). */
  async function mayProfile(user: DeskUser, number: string): Promise<void> {
    if (user.role === 'supervisor') return;
    if (!(await handling.callers(user.staffNo)).includes(number)) throw forbidden('only the profile of a caller you are handling');
  }

  app.get('/api/callers/:number', {
    config: { access: ['agent', 'supervisor'] },
    schema: { tags: ['callers'], summary: '来电人档案 A caller\'s profile', params: Type.Object({ number: PhoneNumber }), response: { 200: CallerView, ...errorResponses } },
  }, async (req) => {
    await mayProfile(userOf(req), req.params.number);
    return callerProfile(req.em, req.params.number);
  });

  app.put('/api/callers/:number', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['callers'], summary: '更新来电人档案 Name, dialect, note; list or unlist for the green channel',
      params: Type.Object({ number: PhoneNumber }), body: CallerBody, response: { 200: CallerView, ...errorResponses },
    },
  }, async (req) => {
    const user = userOf(req);
    await mayProfile(user, req.params.number);
    const view = await saveCallerProfile(req.em, user.staffNo, req.params.number, req.body);
    req.log.info({ caller: req.params.number, by: user.staffNo, fields: Object.keys(req.body) }, 'caller profile updated');
    return view;
  });
};
