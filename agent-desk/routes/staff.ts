// Admins manage desk accounts (lawyers' skills, dialects, phones, stars, roles); supervisors may read the list.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Staff } from '../../lib/entities/staff.js';
import { errorResponses } from '../errors.js';
import { Role, ServiceLine, StaffNo, StaffView } from '../schemas.js';
import { MIN_PASSWORD } from '../sessions.js';
import { createStaff, toStaffView, updateStaff } from '../staff.js';
import type { DeskDeps } from './deps.js';

const Tags = (maxItems: number, item = Type.String({ minLength: 1, maxLength: 40 })) => Type.Array(item, { maxItems });
const Editable = {
  name: Type.String({ minLength: 1, maxLength: 50 }),
  role: Role,
  password: Type.String({ minLength: MIN_PASSWORD, maxLength: 200 }),
  skills: Tags(30, Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' })),
  dialects: Tags(10),
  lines: Type.Array(ServiceLine, { maxItems: 6 }),
  endpoint: Type.Union([Type.String({ pattern: '^[A-Za-z]+/[A-Za-z0-9_.@:-]{1,80}$', description: 'e.g. PJSIP/8001' }), Type.Null()]),
  stars: Type.Integer({ minimum: 1, maximum: 5 }),
};
const O = Type.Optional;
const StaffParams = Type.Object({ staffNo: StaffNo });

export const staffRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, deps) => {
  app.get('/api/staff', {
    config: { access: ['supervisor', 'admin'] },
    schema: { tags: ['staff'], summary: '人员列表 Every desk account', response: { 200: Type.Array(StaffView), ...errorResponses } },
  }, async (req) => (await req.em.find(Staff, {}, { orderBy: { staffNo: 'asc' } })).map(toStaffView));

  app.post('/api/staff', {
    config: { access: ['admin'] },
    schema: {
      tags: ['staff'], summary: '新增人员 Create a lawyer, supervisor or admin',
      body: Type.Object({
        staffNo: StaffNo, name: Editable.name, role: Editable.role, password: Editable.password,
        skills: O(Editable.skills), dialects: O(Editable.dialects), lines: O(Editable.lines),
        endpoint: O(Editable.endpoint), stars: O(Editable.stars),
      }, { additionalProperties: false }),
      response: { 201: StaffView, ...errorResponses },
    },
  }, async (req, reply) => {
    const view = await createStaff(req.em, req.body);
    req.log.info({ staffNo: view.staffNo, role: view.role, by: req.user?.staffNo }, 'staff created');
    return reply.status(201).send(view);
  });

  app.patch('/api/staff/:staffNo', {
    config: { access: ['admin'] },
    schema: {
      tags: ['staff'], summary: '修改人员 Edit an account; a new password, role or disabling ends its sessions',
      params: StaffParams,
      body: Type.Object({
        name: O(Editable.name), role: O(Editable.role), password: O(Editable.password), skills: O(Editable.skills),
        dialects: O(Editable.dialects), lines: O(Editable.lines), endpoint: O(Editable.endpoint), stars: O(Editable.stars),
        active: O(Type.Boolean()),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: StaffView, ...errorResponses },
    },
  }, async (req) => {
    const { view, endSessions } = await updateStaff(req.em, req.params.staffNo, req.body);
    if (endSessions) {
      await deps.sessions.destroyAllFor(view.staffNo);
      deps.live.closeFor(view.staffNo);
      if (!view.active) await deps.presence.set(view.staffNo, 'offline', 'account disabled');
    }
    req.log.info({ staffNo: view.staffNo, fields: Object.keys(req.body).filter((k) => k !== 'password'), by: req.user?.staffNo }, 'staff updated');
    return view;
  });
};
