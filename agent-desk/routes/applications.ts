// Legal-aid applications on the desk: intake during the call (the case number is read out to the caller), the list
// with deadline clocks and overdue flags, and the status steps (supervisors decide). lib/after-call/legal-aid.ts
// holds the rules.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { FilterQuery } from '@mikro-orm/core';
import { civilDate } from '../../lib/calendar/index.js';
import { LEGAL_AID_STATUSES, LegalAidApplication, LegalAidEvent, type LegalAidStatus } from '../../lib/entities/after-call.js';
import { EXEMPT_GROUPS, isOverdue, LegalAid, LegalAidRuleError, meansTest, type ExemptGroup } from '../../lib/after-call/legal-aid.js';
import { userOf } from '../access.js';
import { linkCall, type AfterCallContext } from '../after-call-context.js';
import { badField, DeskError, errorResponses, notFound } from '../errors.js';
import { Id, literals, Paging, PhoneNumber, Timestamp } from '../schemas.js';
import type { DeskDeps } from './deps.js';

const O = Type.Optional;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Day = Type.String({ format: 'date' });

export const LegalAidEventView = Type.Object({
  kind: Type.String(), fromStatus: Nullable(Type.String()), toStatus: Nullable(Type.String()), stepDue: Nullable(Day),
  by: Type.String(), note: Type.String(), at: Timestamp,
});

export const LegalAidView = Type.Object({
  id: Type.String(), caseNumber: Type.String(), callId: Nullable(Type.String()), workOrderId: Nullable(Type.String()),
  applicantName: Type.String(), applicantIdNumber: Nullable(Type.String()), applicantPhone: Nullable(Type.String()),
  matterType: Type.String(), matter: Type.String(), opposingParty: Nullable(Type.String()),
  exemptGroup: Nullable(Type.String()), hardshipDeclaration: Type.Boolean(),
  meansTest: literals(['exempt', 'declaration', 'documents'] as const, 'exempt group, hardship declaration (告知承诺) or documents'),
  documentsMissing: Type.Array(Type.String()),
  status: literals(LEGAL_AID_STATUSES), statusSince: Timestamp, receivedOn: Day,
  stepDue: Nullable(Day), decisionDue: Day, decidedOn: Nullable(Day),
  decidedOnTime: Nullable(Type.Boolean()), overdue: Type.Boolean(), overdueAlertedOn: Nullable(Day),
  lawyer: Nullable(Type.String()), refusalReason: Nullable(Type.String()), createdBy: Type.String(), createdAt: Timestamp,
  events: O(Type.Array(LegalAidEventView)),
});
export type LegalAidView = Static<typeof LegalAidView>;

export function legalAidView(a: LegalAidApplication, events?: LegalAidEvent[], now = new Date()): LegalAidView {
  return {
    id: a.id, caseNumber: a.caseNumber, callId: a.callId ?? null, workOrderId: a.workOrderId ?? null,
    applicantName: a.applicantName, applicantIdNumber: a.applicantIdNumber ?? null, applicantPhone: a.applicantPhone ?? null,
    matterType: a.matterType, matter: a.matter, opposingParty: a.opposingParty ?? null, exemptGroup: a.exemptGroup ?? null,
    hardshipDeclaration: a.hardshipDeclaration, meansTest: meansTest(a), documentsMissing: a.documentsMissing,
    status: a.status, statusSince: a.statusSince.toISOString(), receivedOn: a.receivedOn, stepDue: a.stepDue ?? null,
    decisionDue: a.decisionDue, decidedOn: a.decidedOn ?? null, decidedOnTime: a.decidedOn ? a.decidedOn <= a.decisionDue : null,
    overdue: isOverdue(a, now) || !!a.overdueAlertedOn, overdueAlertedOn: a.overdueAlertedOn ?? null,
    lawyer: a.lawyer ?? null, refusalReason: a.refusalReason ?? null, createdBy: a.createdBy, createdAt: a.createdAt.toISOString(),
    ...(events ? {
      events: events.map((e) => ({
        kind: e.kind, fromStatus: e.fromStatus ?? null, toStatus: e.toStatus ?? null, stepDue: e.stepDue ?? null, by: e.by, note: e.note, at: e.at.toISOString(),
      })),
    } : {}),
  };
}

const Text = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const CreateBody = Type.Object({
  callId: O(Type.String({ minLength: 1, maxLength: 100 })),
  applicantName: Text(50, 1),
  applicantIdNumber: O(Nullable(Type.String({ pattern: '^[0-9]{17}[0-9Xx]$', description: '居民身份证号' }))),
  applicantPhone: O(Nullable(PhoneNumber)),
  matterType: Text(40, 1),
  matter: O(Text(4000)),
  opposingParty: O(Nullable(Text(200))),
  exemptGroup: O(Nullable(literals(Object.keys(EXEMPT_GROUPS) as ExemptGroup[], 'Legal Aid Law art. 42 group (no means test)'))),
  hardshipDeclaration: O(Type.Boolean({ description: '告知承诺: hardship declared instead of documents' })),
  documentsMissing: O(Type.Array(Text(100, 1), { maxItems: 20 })),
}, { additionalProperties: false });

const StatusBody = Type.Object({
  to: literals(LEGAL_AID_STATUSES),
  note: O(Text(1000)),
  lawyer: O(Text(100, 1)),
  reason: O(Text(1000, 1)),
}, { additionalProperties: false });

const Page = Type.Object({ total: Type.Integer(), items: Type.Array(LegalAidView) });

export function legalAidRoutes(ctx: AfterCallContext): FastifyPluginAsyncTypebox<DeskDeps> {
  return async (app, deps) => {
    const service = new LegalAid(ctx.calendar);
    const rule = (e: unknown): never => {
      if (e instanceof LegalAidRuleError) {
        if (e.conflict) throw new DeskError(409, 'conflict', e.message, [{ field: e.field, message: e.message }]);
        throw badField(e.field, e.message.slice(e.field.length + 2));
      }
      throw e;
    };
    /** A lawyer sees the applications they took and those of the calls they handle now; supervisors all. */
    const scope = async (staffNo: string, role: string): Promise<FilterQuery<LegalAidApplication>> => {
      if (role === 'supervisor') return {};
      const calls = (await deps.handling.calls(staffNo)).map((c) => c.callId);
      return { $or: [{ createdBy: staffNo }, ...(calls.length ? [{ callId: { $in: calls } }] : [])] };
    };

    app.post('/api/legal-aid', {
      config: { access: ['agent', 'supervisor'] },
      schema: { tags: ['legal aid'], summary: '法律援助申请登记 Take a legal-aid application during the call', body: CreateBody, response: { 201: LegalAidView, ...errorResponses } },
    }, async (req, reply) => {
      const user = userOf(req);
      const link = await linkCall(req.em, user, deps.handling, req.body.callId);
      const a = await service.create(req.em, { ...req.body, callId: link.callId, workOrderId: link.workOrderId, applicantPhone: req.body.applicantPhone ?? link.callerNumber }, user.staffNo).catch(rule);
      req.log.info({ application: a.id, caseNumber: a.caseNumber, callId: a.callId, by: user.staffNo }, 'legal-aid application received');
      return reply.status(201).send(legalAidView(a));
    });

    app.get('/api/legal-aid', {
      config: { access: ['agent', 'supervisor'] },
      schema: {
        tags: ['legal aid'], summary: '法律援助申请列表 Applications, the most urgent deadline first',
        querystring: Type.Object({
          status: O(literals(LEGAL_AID_STATUSES)), overdue: O(Type.Boolean()), caseNumber: O(Type.String({ pattern: '^[0-9]{4,20}$' })),
          callId: O(Type.String({ minLength: 1, maxLength: 100 })), ...Paging,
        }, { additionalProperties: false }),
        response: { 200: Page, ...errorResponses },
      },
    }, async (req) => {
      const user = userOf(req);
      const q = req.query;
      const and: FilterQuery<LegalAidApplication>[] = [await scope(user.staffNo, user.role)];
      if (q.status) and.push({ status: q.status });
      if (q.caseNumber) and.push({ caseNumber: q.caseNumber });
      if (q.callId) and.push({ callId: q.callId });
      const today = civilDate(new Date());
      if (q.overdue === true) and.push({ $or: [{ stepDue: { $lt: today } }, { overdueAlertedOn: { $ne: null } }] });
      if (q.overdue === false) and.push({ $or: [{ stepDue: null }, { stepDue: { $gte: today } }], overdueAlertedOn: null });
      const [rows, total] = await req.em.findAndCount(LegalAidApplication, { $and: and }, {
        orderBy: [{ stepDue: 'asc nulls last' }, { id: 'desc' }], limit: q.limit ?? 50, offset: q.offset ?? 0,
      });
      return { total, items: rows.map((a) => legalAidView(a)) };
    });

    app.get('/api/legal-aid/:id', {
      config: { access: ['agent', 'supervisor'] },
      schema: { tags: ['legal aid'], summary: '法律援助申请详情 One application with its status history', params: Type.Object({ id: Id }), response: { 200: LegalAidView, ...errorResponses } },
    }, async (req) => {
      const user = userOf(req);
      const a = await req.em.findOne(LegalAidApplication, { $and: [{ id: req.params.id }, await scope(user.staffNo, user.role)] });
      if (!a) throw notFound('application');
      const events = await req.em.find(LegalAidEvent, { applicationId: a.id }, { orderBy: { at: 'asc', id: 'asc' } });
      return legalAidView(a, events);
    });

    app.post('/api/legal-aid/:id/status', {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['legal aid'], summary: '法律援助审查决定 Move an application to its next status (review, approve / refuse, assign a lawyer)',
        params: Type.Object({ id: Id }), body: StatusBody, response: { 200: LegalAidView, ...errorResponses },
      },
    }, async (req) => {
      const user = userOf(req);
      const b = req.body;
      const a = await service.changeStatus(req.em, req.params.id, b.to as LegalAidStatus, { by: user.staffNo, note: b.note, lawyer: b.lawyer, reason: b.reason }).catch(rule);
      if (!a) throw notFound('application');
      req.log.info({ application: a.id, caseNumber: a.caseNumber, status: a.status, by: user.staffNo }, 'legal-aid status changed');
      const events = await req.em.find(LegalAidEvent, { applicationId: a.id }, { orderBy: { at: 'asc', id: 'asc' } });
      return legalAidView(a, events);
    });
  };
}
