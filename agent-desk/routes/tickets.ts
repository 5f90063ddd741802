// Complaint and supervision tickets on the desk (lib/after-call/tickets.ts has the rules). A lawyer sees the tickets
// they took or handle, never one about themselves; supervisors see all and get the overdue ones.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RATINGS, Ticket, TicketEvent, TICKET_STATUSES } from '../../lib/entities/after-call.js';
import { TicketRuleError, Tickets, type Rating } from '../../lib/after-call/tickets.js';
import { userOf, type DeskUser } from '../access.js';
import { linkCall, type AfterCallContext } from '../after-call-context.js';
import { DeskError, errorResponses, notFound } from '../errors.js';
import { Id, literals, Paging, PhoneNumber, StaffNo, Timestamp } from '../schemas.js';
import type { DeskDeps } from './deps.js';

const O = Type.Optional;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Day = Type.String({ format: 'date' });
const Text = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });

export const TicketView = Type.Object({
  id: Type.String(), kind: Type.String(), category: Type.String(), concernsStaffNo: Nullable(Type.String()), concernsDepartment: Nullable(Type.String()),
  summary: Type.String(), callerNumber: Nullable(Type.String()), callerName: Nullable(Type.String()), callId: Nullable(Type.String()),
  workOrderId: Nullable(Type.String()), department: Type.String(), handler: Nullable(Type.String()), deadlineDays: Type.Integer(), dueDate: Day,
  status: literals(TICKET_STATUSES), overdue: Type.Boolean(), escalatedAt: Nullable(Timestamp), escalatedTo: Nullable(Type.String()),
  reply: Nullable(Type.String()), repliedAt: Nullable(Timestamp), rating: Nullable(Type.String()), closedAt: Nullable(Timestamp),
  closedOnTime: Nullable(Type.Boolean()), createdBy: Type.String(), createdAt: Timestamp,
  events: O(Type.Array(Type.Object({ kind: Type.String(), by: Type.String(), note: Type.String(), details: Nullable(Type.Record(Type.String(), Type.Unknown())), at: Timestamp }))),
});
export type TicketView = Static<typeof TicketView>;

export function ticketView(t: Ticket, events?: TicketEvent[], now = new Date()): TicketView {
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return {
    id: t.id, kind: t.kind, category: t.category, concernsStaffNo: t.concernsStaffNo ?? null, concernsDepartment: t.concernsDepartment ?? null,
    summary: t.summary, callerNumber: t.callerNumber ?? null, callerName: t.callerName ?? null, callId: t.callId ?? null,
    workOrderId: t.workOrderId ?? null, department: t.department, handler: t.handler ?? null, deadlineDays: t.deadlineDays, dueDate: t.dueDate,
    status: t.status, overdue: t.status !== 'closed' && (today > t.dueDate || !!t.escalatedAt), escalatedAt: t.escalatedAt?.toISOString() ?? null,
    escalatedTo: t.escalatedTo ?? null, reply: t.reply ?? null, repliedAt: t.repliedAt?.toISOString() ?? null, rating: t.rating ?? null,
    closedAt: t.closedAt?.toISOString() ?? null, closedOnTime: t.closedOnTime ?? null, createdBy: t.createdBy, createdAt: t.createdAt.toISOString(),
    ...(events ? { events: events.map((e) => ({ kind: e.kind, by: e.by, note: e.note, details: e.details ?? null, at: e.at.toISOString() })) } : {}),
  };
}

const CreateBody = Type.Object({
  kind: literals(['complaint', 'supervision'] as const),
  category: Text(40, 1),
  concernsStaffNo: O(Nullable(StaffNo)),
  concernsDepartment: O(Nullable(Text(100, 1))),
  summary: Text(4000, 1),
  callId: O(Type.String({ minLength: 1, maxLength: 100 })),
  callerNumber: O(Nullable(PhoneNumber)),
  callerName: O(Nullable(Text(50, 1))),
  department: Text(100, 1),
  handler: O(Nullable(StaffNo)),
  deadlineDays: Type.Integer({ minimum: 1, maximum: 60, description: '办理期限 (工作日)' }),
}, { additionalProperties: false });

const Page = Type.Object({ total: Type.Integer(), items: Type.Array(TicketView) });

function scope(user: DeskUser): FilterQuery<Ticket> {
  if (user.role === 'supervisor') return {};
  return {
    $and: [
      { $or: [{ handler: user.staffNo }, { createdBy: user.staffNo }] },
      { $or: [{ concernsStaffNo: null }, { concernsStaffNo: { $ne: user.staffNo } }] },
    ],
  };
}

export function ticketRoutes(ctx: AfterCallContext): FastifyPluginAsyncTypebox<DeskDeps> {
  return async (app, deps) => {
    const service = new Tickets(ctx.calendar);
    const fail = (e: unknown): never => {
      if (e instanceof TicketRuleError) {
        throw new DeskError(e.status, e.status === 404 ? 'not_found' : e.status === 409 ? 'conflict' : 'bad_request', e.message, [{ field: e.field, message: e.message }]);
      }
      throw e;
    };
    const visible = async (em: EntityManager, user: DeskUser, id: string) => {
      const t = await em.findOne(Ticket, { $and: [{ id }, scope(user)] });
      if (!t) throw notFound('ticket');
      return t;
    };
    const detail = async (em: EntityManager, t: Ticket) => ticketView(t, await em.find(TicketEvent, { ticketId: t.id }, { orderBy: { at: 'asc', id: 'asc' } }));
    const Params = Type.Object({ id: Id });
    const route = { config: { access: ['agent', 'supervisor'] as const } };

    app.post('/api/tickets', {
      ...route,
      schema: { tags: ['tickets'], summary: '投诉 / 监督登记 Open a complaint or supervision ticket', body: CreateBody, response: { 201: TicketView, ...errorResponses } },
    }, async (req, reply) => {
      const user = userOf(req);
      const link = await linkCall(req.em, user, deps.handling, req.body.callId);
      const t = await service.create(req.em, {
        ...req.body, callId: link.callId, workOrderId: link.workOrderId, callerNumber: req.body.callerNumber ?? link.callerNumber,
      }, user.staffNo).catch(fail);
      req.log.info({ ticket: t.id, kind: t.kind, handler: t.handler, by: user.staffNo }, 'ticket opened');
      return reply.status(201).send(await detail(req.em, t));
    });

    app.get('/api/tickets', {
      ...route,
      schema: {
        tags: ['tickets'], summary: '工单列表 Tickets, the nearest deadline first',
        querystring: Type.Object({
          status: O(literals(TICKET_STATUSES)), overdue: O(Type.Boolean()), handler: O(StaffNo), callId: O(Type.String({ minLength: 1, maxLength: 100 })), ...Paging,
        }, { additionalProperties: false }),
        response: { 200: Page, ...errorResponses },
      },
    }, async (req) => {
      const user = userOf(req);
      const q = req.query;
      const and: FilterQuery<Ticket>[] = [scope(user)];
      if (q.status) and.push({ status: q.status });
      if (q.handler) and.push({ handler: q.handler });
      if (q.callId) and.push({ callId: q.callId });
      if (q.overdue === true) and.push({ status: { $ne: 'closed' }, $or: [{ escalatedAt: { $ne: null } }, { dueDate: { $lt: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) } }] });
      const [rows, total] = await req.em.findAndCount(Ticket, { $and: and }, { orderBy: { dueDate: 'asc', id: 'asc' }, limit: q.limit ?? 50, offset: q.offset ?? 0 });
      return { total, items: rows.map((t) => ticketView(t)) };
    });

    app.get('/api/tickets/:id', {
      ...route,
      schema: { tags: ['tickets'], summary: '工单详情 One ticket with its history', params: Params, response: { 200: TicketView, ...errorResponses } },
    }, async (req) => detail(req.em, await visible(req.em, userOf(req), req.params.id)));

    app.post('/api/tickets/:id/assign', {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['tickets'], summary: '交办 Assign a handler', params: Params,
        body: Type.Object({ handler: StaffNo }, { additionalProperties: false }), response: { 200: TicketView, ...errorResponses },
      },
    }, async (req) => detail(req.em, await service.assign(req.em, req.params.id, req.body.handler, userOf(req).staffNo).catch(fail)));

    app.post('/api/tickets/:id/forward', {
      ...route,
      schema: {
        tags: ['tickets'], summary: '转办 Forward to another department with a note', params: Params,
        body: Type.Object({ department: Text(100, 1), note: Text(1000, 1) }, { additionalProperties: false }), response: { 200: TicketView, ...errorResponses },
      },
    }, async (req) => {
      const user = userOf(req);
      await visible(req.em, user, req.params.id);
      return detail(req.em, await service.forward(req.em, req.params.id, req.body.department, req.body.note, user.staffNo).catch(fail));
    });

    app.post('/api/tickets/:id/callback', {
      ...route,
      schema: {
        tags: ['tickets'], summary: '回复来电人 Write the reply and have the caller rung back with it (queued; placed in opening hours)', params: Params,
        body: Type.Object({
          reply: Text(4000, 1), number: O(PhoneNumber), dueAt: O(Type.String({ format: 'date-time', description: 'not before; default now' })),
        }, { additionalProperties: false }),
        response: { 200: TicketView, ...errorResponses },
      },
    }, async (req) => {
      const user = userOf(req);
      const t0 = await visible(req.em, user, req.params.id);
      const number = req.body.number ?? t0.callerNumber;
      if (!number) throw new DeskError(400, 'bad_request', 'number: the ticket has no caller number; give one', [{ field: 'number', message: 'is required' }]);
      const t = await service.requestCallback(req.em, req.params.id, {
        reply: req.body.reply, number, dueAt: req.body.dueAt ? new Date(req.body.dueAt) : new Date(), by: user.staffNo,
      }).catch(fail);
      return detail(req.em, t);
    });

    app.post('/api/tickets/:id/close', {
      ...route,
      schema: {
        tags: ['tickets'], summary: '办结 Close with the caller\'s rating', params: Params,
        body: Type.Object({ rating: literals(RATINGS), note: O(Text(1000)) }, { additionalProperties: false }), response: { 200: TicketView, ...errorResponses },
      },
    }, async (req) => {
      const user = userOf(req);
      await visible(req.em, user, req.params.id);
      return detail(req.em, await service.close(req.em, req.params.id, req.body.rating as Rating, req.body.note ?? '', user.staffNo).catch(fail));
    });
  };
}
