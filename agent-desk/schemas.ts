// Request and response shapes shared by several routes. Strings have upper bounds everywhere: the ledger is free
// text typed during a call, and no field should be able to carry a megabyte.
import { Type, type Static } from 'typebox';
import { SERVICE_LINES } from '../ivr/records/events.js';
import { DISPOSITIONS } from '../lib/entities/work-order.js';
import { ROLES } from '../lib/entities/staff.js';
import { PRESENCE_STATES } from './presence.js';

export const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Enum([...values] as T[], description ? { description } : {});

export const StaffNo = Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: '工号' });
export const PhoneNumber = Type.String({ pattern: '^\\+?[0-9]{3,20}$', description: '来电号码' });
export const TopicCode = Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$', description: 'legal topic code, e.g. labour-wages' });
export const ServiceLine = literals(SERVICE_LINES);
export const Disposition = literals(DISPOSITIONS);
export const Role = literals(ROLES);
export const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
/** A day (`2026-11-26`, the whole day in China Standard Time) or an instant (`2026-11-26T08:30:00+08:00`). */
export const dateOrTime = (description = 'YYYY-MM-DD (China Standard Time) or an ISO 8601 date-time') => Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2})?)?$',
  description,
});
export const Timestamp = Type.String({ format: 'date-time' });
/** An instant with its zone (`2026-11-26T10:00:00+08:00`): a promise to call back is a moment, not a day. */
export const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO 8601 date-time with a zone',
});
export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

export const Presence = Type.Object({
  staffNo: Type.String(),
  state: literals(PRESENCE_STATES),
  reason: Type.Optional(Type.String()),
  /** Epoch milliseconds; 0 when never set. */
  since: Type.Number(),
  /** Wrap-up (话后整理) ends by itself in this many milliseconds (as of this answer). */
  wrapUpLeftMs: Type.Optional(Type.Number()),
});

export const StaffView = Type.Object({
  staffNo: Type.String(),
  name: Type.String(),
  role: Role,
  skills: Type.Array(Type.String()),
  dialects: Type.Array(Type.String()),
  lines: Type.Array(Type.String()),
  endpoint: Type.Union([Type.String(), Type.Null()]),
  stars: Type.Integer(),
  active: Type.Boolean(),
});
export type StaffView = Static<typeof StaffView>;

const Text = (max: number) => Type.String({ maxLength: max });

/** The fields a lawyer fills in (the form), shared by create and update. */
export const WorkOrderFields = {
  serviceLine: ServiceLine,
  legalTopic: Type.Union([TopicCode, Type.Null()]),
  callerName: Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Null()]),
  callerDeclinedName: Type.Boolean(),
  matter: Type.String({ minLength: 1, maxLength: 4000 }),
  answer: Text(4000),
  referral: Type.Union([Text(500), Type.Null()]),
  disposition: Disposition,
  riskFlag: Type.Boolean(),
  riskReason: Type.Union([Text(1000), Type.Null()]),
  /** 约定回拨时间: the lawyer promised to call back then (a callback task of the work order's owner); null withdraws it. */
  callbackAt: Type.Union([Instant, Type.Null()]),
};

export const WorkOrderView = Type.Object({
  id: Type.String(),
  callId: Type.String(),
  staffNo: Type.String(),
  callerNumber: Type.Union([Type.String(), Type.Null()]),
  ...WorkOrderFields,
  updatedBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WorkOrderView = Static<typeof WorkOrderView>;

/** A row of the call_ledger view, plus who answered and the work order written for it. */
export const CallView = Type.Object({
  callId: Type.String(),
  callerNumber: Type.Union([Type.String(), Type.Null()]),
  serviceLine: Type.Union([Type.String(), Type.Null()]),
  legalTopic: Type.Union([Type.String(), Type.Null()]),
  flowRevision: Type.Union([Type.Integer(), Type.Null()]),
  arrivedAt: Timestamp,
  answeredAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  endReason: Type.Union([Type.String(), Type.Null()]),
  priority: Type.Integer(),
  agent: Type.Union([Type.String(), Type.Null()]),
  workOrderId: Type.Union([Type.String(), Type.Null()]),
});
export type CallView = Static<typeof CallView>;

export const Ok = Type.Object({ ok: Type.Literal(true) });
