// Appointments on the desk: the centre's services, free slots of a day, booking / moving / cancelling during the
// call, the front desk's day list (printable page: public/after-call/day-list.html) and marking who came.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { FilterQuery } from '@mikro-orm/core';
import { addDays, instantAt } from '../../lib/calendar/index.js';
import { APPOINTMENT_STATUSES, Appointment, AppointmentService, type AppointmentSlot } from '../../lib/entities/after-call.js';
import { AppointmentError, book, cancel, freeSlots, markAttendance, move } from '../../lib/after-call/appointments.js';
import { userOf } from '../access.js';
import { linkCall, type AfterCallContext } from '../after-call-context.js';
import { DeskError, errorResponses } from '../errors.js';
import { Id, literals, Paging, PhoneNumber, Timestamp } from '../schemas.js';
import type { DeskDeps } from './deps.js';

const O = Type.Optional;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Beijing)' });

const ServiceView = Type.Object({
  code: Type.String(), name: Type.String(), place: Type.String(), rooms: Type.Array(Type.String()),
  slotMinutes: Type.Integer(), capacity: Type.Integer(), hours: Nullable(Type.String()),
});
const SlotView = Type.Object({ id: Type.String(), service: Type.String(), room: Type.String(), startsAt: Timestamp, endsAt: Timestamp, capacity: Type.Integer(), free: Type.Integer() });
export const AppointmentView = Type.Object({
  id: Type.String(), slotId: Type.String(), service: Type.String(), serviceName: Type.String(), place: Type.String(), room: Type.String(),
  startsAt: Timestamp, callerNumber: Type.String(), callerName: Nullable(Type.String()), note: Type.String(),
  status: literals(APPOINTMENT_STATUSES), channel: Type.String(), callId: Nullable(Type.String()), workOrderId: Nullable(Type.String()),
  bookedBy: Type.String(), moves: Type.Integer(), reminderStatus: Nullable(Type.String()), reminderAt: Nullable(Timestamp), createdAt: Timestamp,
});
export type AppointmentView = Static<typeof AppointmentView>;

export async function appointmentViews(em: Parameters<typeof serviceNames>[0], rows: Appointment[]): Promise<AppointmentView[]> {
  const names = await serviceNames(em);
  return rows.map((a) => ({
    id: a.id, slotId: a.slotId, service: a.service, serviceName: names.get(a.service)?.name ?? a.service, place: names.get(a.service)?.place ?? '',
    room: a.room, startsAt: a.startsAt.toISOString(), callerNumber: a.callerNumber, callerName: a.callerName ?? null, note: a.note,
    status: a.status, channel: a.channel, callId: a.callId ?? null, workOrderId: a.workOrderId ?? null, bookedBy: a.bookedBy, moves: a.moves,
    reminderStatus: a.reminderStatus ?? null, reminderAt: a.reminderAt?.toISOString() ?? null, createdAt: a.createdAt.toISOString(),
  }));
}

async function serviceNames(em: import('@mikro-orm/postgresql').EntityManager) {
  return new Map((await em.find(AppointmentService, {})).map((s) => [s.code, s]));
}

const slotView = (s: AppointmentSlot) => ({
  id: s.id, service: s.service, room: s.room, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), capacity: s.capacity, free: s.capacity - s.booked,
});

const BookBody = Type.Object({
  slotId: Id,
  callId: O(Type.String({ minLength: 1, maxLength: 100 })),
  callerNumber: O(PhoneNumber),
  callerName: O(Nullable(Type.String({ minLength: 1, maxLength: 50 }))),
  note: O(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });

const Page = Type.Object({ total: Type.Integer(), items: Type.Array(AppointmentView) });

export function appointmentRoutes(ctx: AfterCallContext): FastifyPluginAsyncTypebox<DeskDeps> {
  return async (app, deps) => {
    const fail = (e: unknown): never => {
      if (e instanceof AppointmentError) {
        throw new DeskError(e.status, e.status === 404 ? 'not_found' : e.status === 409 ? 'conflict' : 'bad_request', e.message, [{ field: e.field, message: e.message }]);
      }
      throw e;
    };
    const one = async (em: import('@mikro-orm/postgresql').EntityManager, a: Appointment) => (await appointmentViews(em, [a]))[0];

    app.get('/api/appointment-services', {
      config: { access: 'authenticated' },
      schema: { tags: ['appointments'], summary: '预约业务 The centre\'s services, rooms, slot length and capacity', response: { 200: Type.Array(ServiceView), ...errorResponses } },
    }, async (req) => (await req.em.find(AppointmentService, { active: true }, { orderBy: { code: 'asc' } })).map((s) => ({
      code: s.code, name: s.name, place: s.place, rooms: s.rooms, slotMinutes: s.slotMinutes, capacity: s.capacity, hours: s.hours ?? null,
    })));

    app.get('/api/appointment-slots', {
      config: { access: ['agent', 'supervisor'] },
      schema: {
        tags: ['appointments'], summary: '可预约时段 Free slots of a service on a day (none on days off)',
        querystring: Type.Object({ service: Type.String({ minLength: 1, maxLength: 40 }), date: Day }, { additionalProperties: false }),
        response: { 200: Type.Array(SlotView), ...errorResponses },
      },
    }, async (req) => (await freeSlots(req.em, ctx.calendar, req.query.service, req.query.date).catch(fail)).map(slotView));

    app.post('/api/appointments', {
      config: { access: ['agent', 'supervisor'] },
      schema: { tags: ['appointments'], summary: '预约 Book a slot for the caller', body: BookBody, response: { 201: AppointmentView, ...errorResponses } },
    }, async (req, reply) => {
      const user = userOf(req);
      const link = await linkCall(req.em, user, deps.handling, req.body.callId);
      const callerNumber = req.body.callerNumber ?? link.callerNumber;
      if (!callerNumber) throw new DeskError(400, 'bad_request', 'callerNumber: is required without a call', [{ field: 'callerNumber', message: 'is required' }]);
      const a = await book(req.em, {
        slotId: req.body.slotId, callerNumber, callerName: req.body.callerName ?? null, note: req.body.note, channel: 'desk',
        callId: link.callId, workOrderId: link.workOrderId, bookedBy: user.staffNo,
      }).catch(fail);
      req.log.info({ appointment: a.id, slot: a.slotId, callId: a.callId, by: user.staffNo }, 'appointment booked');
      return reply.status(201).send(await one(req.em, a));
    });

    app.get('/api/appointments', {
      config: { access: ['agent', 'supervisor'] },
      schema: {
        tags: ['appointments'], summary: '预约列表 / 当日名单 Appointments (a date gives the front desk\'s day list, by time)',
        querystring: Type.Object({
          date: O(Day), service: O(Type.String({ maxLength: 40 })), status: O(literals(APPOINTMENT_STATUSES)), caller: O(PhoneNumber),
          callId: O(Type.String({ minLength: 1, maxLength: 100 })), ...Paging,
        }, { additionalProperties: false }),
        response: { 200: Page, ...errorResponses },
      },
    }, async (req) => {
      const q = req.query;
      const where: FilterQuery<Appointment> = {};
      if (q.date) where.startsAt = { $gte: instantAt(q.date, 0), $lt: instantAt(addDays(q.date, 1), 0) };
      if (q.service) where.service = q.service;
      if (q.status) where.status = q.status;
      if (q.caller) where.callerNumber = q.caller;
      if (q.callId) where.callId = q.callId;
      const [rows, total] = await req.em.findAndCount(Appointment, where, {
        orderBy: q.date ? { startsAt: 'asc', room: 'asc', id: 'asc' } : { startsAt: 'desc', id: 'desc' }, limit: q.limit ?? 50, offset: q.offset ?? 0,
      });
      return { total, items: await appointmentViews(req.em, rows) };
    });

    app.patch('/api/appointments/:id', {
      config: { access: ['agent', 'supervisor'] },
      schema: {
        tags: ['appointments'], summary: '改约 Move an appointment to another slot', params: Type.Object({ id: Id }),
        body: Type.Object({ slotId: Id }, { additionalProperties: false }), response: { 200: AppointmentView, ...errorResponses },
      },
    }, async (req) => {
      const a = await move(req.em, req.params.id, req.body.slotId).catch(fail);
      req.log.info({ appointment: a.id, slot: a.slotId, by: userOf(req).staffNo }, 'appointment moved');
      return one(req.em, a);
    });

    app.post('/api/appointments/:id/cancel', {
      config: { access: ['agent', 'supervisor'] },
      schema: { tags: ['appointments'], summary: '取消预约 Cancel an appointment (the place is freed)', params: Type.Object({ id: Id }), response: { 200: AppointmentView, ...errorResponses } },
    }, async (req) => {
      const a = await cancel(req.em, req.params.id).catch(fail);
      req.log.info({ appointment: a.id, by: userOf(req).staffNo }, 'appointment cancelled');
      return one(req.em, a);
    });

    app.post('/api/appointments/:id/attendance', {
      config: { access: ['agent', 'supervisor'] },
      schema: {
        tags: ['appointments'], summary: '到场登记 Mark an appointment kept or missed (no-show)', params: Type.Object({ id: Id }),
        body: Type.Object({ kept: Type.Boolean() }, { additionalProperties: false }), response: { 200: AppointmentView, ...errorResponses },
      },
    }, async (req) => {
      const a = await markAttendance(req.em, req.params.id, req.body.kept).catch(fail);
      return one(req.em, a);
    });
  };
}
