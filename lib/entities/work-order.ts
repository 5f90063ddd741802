// The ledger work order (台账工单): one per handled call, written on the agent desk (agent-desk/work-orders.ts).
// `callerNumber` is a copy of the call record's, taken when the work order is created.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { SERVICE_LINES } from '../../ivr/records/events.js';

/** resolved 已解答 · follow_up 需后续办理 (约期答复) · transferred 已转办 · referred 已转介 */
export const DISPOSITIONS = ['resolved', 'follow_up', 'transferred', 'referred'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const WorkOrder = defineEntity({
  name: 'WorkOrder',
  tableName: 'work_order',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    callId: p.text().unique(),
    /** Owner (首问负责): the lawyer who took the call. */
    staffNo: p.text(),
    callerNumber: p.text().nullable(),
    serviceLine: p.enum([...SERVICE_LINES]).columnType('text'),
    legalTopic: p.text().nullable(),
    callerName: p.text().nullable(),
    /** The caller would not give a name; the ledger must say so rather than leave the name blank. */
    callerDeclinedName: p.boolean().default(false),
    matter: p.text(),
    answer: p.text().default(''),
    referral: p.text().nullable(),
    disposition: p.enum([...DISPOSITIONS]).columnType('text'),
    /** 舆情: may escalate (group incident, mass petition); the reason is required with the flag. */
    riskFlag: p.boolean().default(false),
    riskReason: p.text().nullable(),
    /** 约定回拨: when the lawyer promised to call the caller back (a callback task owned by them). */
    callbackAt: p.datetime().columnType('timestamptz').nullable(),
    updatedBy: p.text(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type WorkOrder = InferEntity<typeof WorkOrder>;
