// Callbacks and their attempts (migrations/Migration20261126120000_callbacks.ts explains the model).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * queued 排队回拨 (the caller asked; keeps their place) · missed 漏接回拨 (hung up in the queue) · voicemail 留言回拨 ·
 * dissatisfied 不满意回访 (supervisors) · promised 约定回拨 (a lawyer's promise on a work order).
 */
export const CALLBACK_KINDS = ['queued', 'missed', 'voicemail', 'dissatisfied', 'promised'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];
export const CALLBACK_STATUSES = ['pending', 'dialling', 'completed', 'failed', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
export const ATTEMPT_OUTCOMES = ['answered', 'no_answer', 'busy', 'failed', 'invalid_number', 'lawyer_unavailable'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export const Callback = defineEntity({
  name: 'Callback',
  tableName: 'callback',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    kind: p.enum(() => [...CALLBACK_KINDS]).columnType('text'),
    /** The call id (or `wo:<id>`) that caused it: unique with the kind. */
    triggerKey: p.text(),
    originCallId: p.text().nullable(),
    workOrderId: p.bigint('string').nullable(),
    number: p.text(),
    line: p.text(),
    topic: p.text().nullable(),
    priority: p.integer().default(0),
    /** Queue order (the ACD's seq): a queued callback keeps the caller's original place. */
    place: p.bigint('number'),
    /** auto: the dialler connects the next free lawyer; task: a person clicks to call. */
    mode: p.enum(['auto', 'task']).columnType('text'),
    team: p.enum(['lawyers', 'supervisors']).columnType('text'),
    ownerStaffNo: p.text().nullable(),
    dueAt: p.datetime().columnType('timestamptz'),
    deadlineAt: p.datetime().columnType('timestamptz'),
    status: p.enum(() => [...CALLBACK_STATUSES]).columnType('text').default('pending'),
    attempts: p.integer().default(0),
    maxAttempts: p.integer().default(3),
    nextAttemptAt: p.datetime().columnType('timestamptz'),
    leaseUntil: p.datetime().columnType('timestamptz').nullable(),
    leaseBy: p.text().nullable(),
    recording: p.text().nullable(),
    note: p.text().nullable(),
    lastOutcome: p.text().nullable(),
    failureReason: p.text().nullable(),
    resultCallId: p.text().nullable(),
    completedBy: p.text().nullable(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
    completedAt: p.datetime().columnType('timestamptz').nullable(),
  },
});
export type Callback = InferEntity<typeof Callback>;

export const CallbackAttempt = defineEntity({
  name: 'CallbackAttempt',
  tableName: 'callback_attempt',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    callbackId: p.bigint('string'),
    attempt: p.integer(),
    staffNo: p.text().nullable(),
    callId: p.text().nullable(),
    startedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    endedAt: p.datetime().columnType('timestamptz').nullable(),
    outcome: p.enum(() => [...ATTEMPT_OUTCOMES]).columnType('text').nullable(),
    detail: p.text().nullable(),
  },
});
export type CallbackAttempt = InferEntity<typeof CallbackAttempt>;
