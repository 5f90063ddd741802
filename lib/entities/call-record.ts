// One row per call to the hotline, answered or not. Written only by the call-record applier
// (ivr/records/applier.ts) from the controller's call events; reports read the `call_ledger` view instead of
// this table so the table can change without breaking them.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { END_REASONS, SERVICE_LINES, type SurveyRating, type TagValue } from '../../ivr/records/events.js';
import type { PathStep, TransferStep } from '../../ivr/records/reduce.js';

export const CallRecord = defineEntity({
  name: 'CallRecord',
  tableName: 'call_record',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    /** ARI channel id of the inbound leg. */
    callId: p.text().unique(),
    // Null only when the `arrived` event was lost (see CallEventSink overflow); the rest of the call still counts.
    callerNumber: p.text().nullable(),
    calledNumber: p.text().nullable(),
    arrivedAt: p.datetime().columnType('timestamptz'),
    queuedAt: p.datetime().columnType('timestamptz').nullable(),
    /** When a person answered (not when the IVR answered the channel). */
    answeredAt: p.datetime().columnType('timestamptz').nullable(),
    endedAt: p.datetime().columnType('timestamptz').nullable(),
    flowRevision: p.integer().nullable(),
    flowName: p.text().nullable(),
    path: p.json<PathStep[]>().columnType('jsonb').defaultRaw(`'[]'::jsonb`),
    serviceLine: p.enum([...SERVICE_LINES]).columnType('text').nullable(),
    legalTopic: p.text().nullable(),
    /** 0 normal; above 0 is the green channel (绿色通道). */
    priority: p.integer().default(0),
    /** 点名: the staff number (工号) the caller asked for. */
    requestedAgent: p.text().nullable(),
    /** Who answered. */
    agent: p.text().nullable(),
    /** Hand-overs to another line or lawyer, in order (ivr/records/reduce.ts TransferStep). */
    transfers: p.json<TransferStep[]>().columnType('jsonb').defaultRaw(`'[]'::jsonb`),
    surveyRating: p.smallint().$type<SurveyRating>().nullable(),
    voicemailRecording: p.text().nullable(),
    endReason: p.enum([...END_REASONS]).columnType('text').nullable(),
    /** Every tag the flow set, including the ones that also fill a column. */
    tags: p.json<Record<string, TagValue>>().columnType('jsonb').defaultRaw(`'{}'::jsonb`),
    /** Highest seq applied: events at or below it are duplicates (idempotency). */
    lastSeq: p.bigint('number').default(0),
    /** How many distinct events went into this row. */
    eventsApplied: p.integer().default(0),
    /** Time of the latest event applied (the stale-call sweep uses it). */
    lastEventAt: p.datetime().columnType('timestamptz').nullable(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type CallRecord = InferEntity<typeof CallRecord>;
