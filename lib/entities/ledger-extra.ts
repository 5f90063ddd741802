// The smaller ledger tables: callers (profile and the green-channel list), the service queues' settings and the
// presence history. Each is read and written by a few statements; the entities make them visible to the ORM and to
// anyone reading the model.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A caller's profile: name and dialect as learnt on the desk (the ACD routes by the dialect). */
export const Caller = defineEntity({
  name: 'Caller',
  tableName: 'caller',
  properties: {
    number: p.text().primary(),
    name: p.text().nullable(),
    /** A dialect code a lawyer lists among their dialects (e.g. 粤语); the ACD prefers such a lawyer. */
    dialect: p.text().nullable(),
    note: p.text().nullable(),
    updatedBy: p.text(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Caller = InferEntity<typeof Caller>;

/** 绿色通道: callers (elderly, disabled, migrant workers owed wages, ...) whose calls go to the front of the queue. */
export const VulnerableCaller = defineEntity({
  name: 'VulnerableCaller',
  tableName: 'vulnerable_caller',
  properties: {
    number: p.text().primary(),
    reason: p.text(),
    addedBy: p.text(),
    addedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
  },
});
export type VulnerableCaller = InferEntity<typeof VulnerableCaller>;

export const ServiceQueue = defineEntity({
  name: 'ServiceQueue',
  tableName: 'service_queue',
  properties: {
    line: p.text().primary(),
    name: p.text(),
    /** GB/T 33358: answered within this many seconds counts towards the service level. */
    answerTargetSec: p.integer().default(15),
    announceEverySec: p.integer().default(30),
    skillWaitSec: p.integer().default(20),
    active: p.boolean().default(true),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ServiceQueue = InferEntity<typeof ServiceQueue>;

export const PresenceHistoryRow = defineEntity({
  name: 'PresenceHistoryRow',
  tableName: 'presence_history',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    staffNo: p.text(),
    state: p.text(),
    reason: p.text().nullable(),
    at: p.datetime().columnType('timestamptz').defaultRaw('now()'),
  },
});
export type PresenceHistoryRow = InferEntity<typeof PresenceHistoryRow>;
