// The ledger API: work orders (create, edit, read, search, CSV export) and the calls behind them. Supervisors see
// everything; a lawyer sees their own work orders and calls, plus those of the callers they are handling now.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOf } from '../access.js';
import { searchCalls } from '../calls.js';
import { workOrdersCsv } from '../csv.js';
import { afterCallOf, WorkOrderDetail } from '../after-call-links.js';
import { CallbackDetail, callbacksOfWorkOrder } from '../callbacks.js';
import { errorResponses } from '../errors.js';
import { CallView, dateOrTime, Disposition, Id, Paging, PhoneNumber, ServiceLine, StaffNo, WorkOrderFields, WorkOrderView } from '../schemas.js';
import { createWorkOrder, getWorkOrder, scopeOf, searchWorkOrders, updateWorkOrder } from '../work-orders.js';
import type { DeskDeps } from './deps.js';

const O = Type.Optional;
const F = WorkOrderFields;

const CommonFilters = {
  caller: O(PhoneNumber),
  from: O(dateOrTime()),
  to: O(dateOrTime('end: a day (China Standard Time) is included whole; a date-time is exclusive')),
  line: O(ServiceLine),
  staffNo: O(StaffNo),
};
const WorkOrderFilters = {
  ...CommonFilters,
  callId: O(Type.String({ minLength: 1, maxLength: 100 })),
  disposition: O(Disposition),
  risk: O(Type.Boolean({ description: '舆情: true lists flagged work orders only' })),
};

const CreateBody = Type.Object({
  callId: Type.String({ minLength: 1, maxLength: 100 }),
  serviceLine: F.serviceLine, matter: F.matter, disposition: F.disposition,
  legalTopic: O(F.legalTopic), callerName: O(F.callerName), callerDeclinedName: O(F.callerDeclinedName), answer: O(F.answer),
  referral: O(F.referral), riskFlag: O(F.riskFlag), riskReason: O(F.riskReason), callbackAt: O(F.callbackAt),
}, { additionalProperties: false });

const UpdateBody = Type.Object({
  serviceLine: O(F.serviceLine), matter: O(F.matter), disposition: O(F.disposition), legalTopic: O(F.legalTopic),
  callerName: O(F.callerName), callerDeclinedName: O(F.callerDeclinedName), answer: O(F.answer), referral: O(F.referral),
  riskFlag: O(F.riskFlag), riskReason: O(F.riskReason), callbackAt: O(F.callbackAt),
}, { additionalProperties: false, minProperties: 1 });

/** A work order with the callbacks of its call: its promise, a voicemail's, or the callback this call was. */
const WorkOrderWithCallbacks = Type.Intersect([WorkOrderDetail, Type.Object({ callbacks: Type.Array(CallbackDetail) })]);

const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ total: Type.Integer(), items: Type.Array(item) });

/** Rows in one CSV export; a wider period is cut into several exports rather than one that exhausts memory. */
const EXPORT_LIMIT = 50_000;

export const ledgerRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, deps) => {
  const { handling, promises } = deps;

  app.post('/api/work-orders', {
    config: { access: ['agent', 'supervisor'] },
    schema: { tags: ['work orders'], summary: '登记工单 Write the work order of a call (one per call)', body: CreateBody, response: { 201: WorkOrderView, ...errorResponses } },
  }, async (req, reply) => {
    const view = await createWorkOrder(req.em, userOf(req), handling, req.body, promises);
    req.log.info({ workOrder: view.id, callId: view.callId, by: userOf(req).staffNo }, 'work order created');
    return reply.status(201).send(view);
  });

  app.patch('/api/work-orders/:id', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['work orders'], summary: '修改工单 Edit a work order (its owner or a supervisor)', params: Type.Object({ id: Id }),
      body: UpdateBody, response: { 200: WorkOrderView, ...errorResponses },
    },
  }, async (req) => {
    const user = userOf(req);
    const view = await updateWorkOrder(req.em, user, await scopeOf(user, handling), req.params.id, req.body, promises);
    req.log.info({ workOrder: view.id, by: user.staffNo }, 'work order updated');
    return view;
  });

  app.get('/api/work-orders/:id', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['work orders'], summary: '工单详情 One work order, with the appointments, applications, tickets and callbacks of its call',
      params: Type.Object({ id: Id }), response: { 200: WorkOrderWithCallbacks, ...errorResponses },
    },
  }, async (req) => {
    const wo = await getWorkOrder(req.em, await scopeOf(userOf(req), handling), req.params.id);
    return { ...wo, afterCall: await afterCallOf(req.em, userOf(req), wo), callbacks: await callbacksOfWorkOrder(req.em, userOf(req), wo) };
  });

  app.get('/api/work-orders', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['work orders'], summary: '工单查询 Search work orders, newest first',
      querystring: Type.Object({ ...WorkOrderFilters, ...Paging }, { additionalProperties: false }),
      response: { 200: Page(WorkOrderView), ...errorResponses },
    },
  }, async (req) => searchWorkOrders(req.em, await scopeOf(userOf(req), handling), req.query));

  app.get('/api/work-orders/export.csv', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['work orders'], summary: '导出台账 The work orders matching the filters as CSV (UTF-8 with BOM)',
      querystring: Type.Object(WorkOrderFilters, { additionalProperties: false }),
      produces: ['text/csv'],
      response: { 200: Type.String({ description: 'CSV' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const { items, total } = await searchWorkOrders(req.em, { all: true }, { ...req.query, limit: EXPORT_LIMIT, offset: 0 });
    req.log.info({ rows: items.length, total, by: userOf(req).staffNo }, 'work orders exported');
    const stamp = new Date().toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="work-orders-${stamp}.csv"`)
      .header('x-total-count', String(total))
      .send(workOrdersCsv(items));
  });

  app.get('/api/calls', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['calls'], summary: '通话台账 Calls from call_ledger (answered or not), newest first',
      querystring: Type.Object({ ...CommonFilters, ...Paging }, { additionalProperties: false }),
      response: { 200: Page(CallView), ...errorResponses },
    },
  }, async (req) => searchCalls(req.em, await scopeOf(userOf(req), handling), req.query));
};
