// QA scoring (migrations/Migration20261126140000_qa.ts): versioned scorecards, the daily sample's assignments to
// supervisors, and the scores themselves (per call and scorecard version, with the lawyer scored).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Criterion } from '../qa/scorecard.js';

const ts = () => p.datetime().columnType('timestamptz');

export const QaScorecard = defineEntity({
  name: 'QaScorecard',
  tableName: 'qa_scorecard',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    name: p.text(),
    criteria: p.json<Criterion[]>().columnType('jsonb'),
    /** At most one active scorecard (a partial unique index); older versions stay for the scores given with them. */
    active: p.boolean().default(false),
    createdBy: p.text().nullable(),
    createdAt: ts().defaultRaw('now()').onCreate(() => new Date()),
  },
});
export type QaScorecard = InferEntity<typeof QaScorecard>;

export const QA_REASONS = ['sample', 'picked'] as const;
export const QA_ASSIGNMENT_STATUSES = ['pending', 'scored'] as const;

export const QaAssignment = defineEntity({
  name: 'QaAssignment',
  tableName: 'qa_assignment',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    callId: p.text(),
    /** The supervisor's staff number; null when no supervisor was active at sampling time (any may take it). */
    assignedTo: p.text().nullable(),
    /** The working day sampled (its window runs to the next working day), or the day a call was picked. */
    sampleDate: p.string().columnType('date'),
    reason: p.enum([...QA_REASONS]).columnType('text'),
    status: p.enum([...QA_ASSIGNMENT_STATUSES]).columnType('text').default('pending'),
    createdAt: ts().defaultRaw('now()').onCreate(() => new Date()),
    scoredAt: ts().nullable(),
  },
});
export type QaAssignment = InferEntity<typeof QaAssignment>;

export const QaScore = defineEntity({
  name: 'QaScore',
  tableName: 'qa_score',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    callId: p.text(),
    /** The lawyer scored (who answered the call). */
    staffNo: p.text(),
    scorer: p.text(),
    scorecardId: p.bigint('string'),
    answers: p.json<Record<string, number | boolean>>().columnType('jsonb'),
    /** Weighted, 0..100, two decimals (numeric: read as a string by pg, so kept as one here). */
    total: p.decimal('string').columnType('numeric(5,2)'),
    comment: p.text().nullable(),
    scoredAt: ts(),
    /** The call was in the daily random sample (the 质检率 counts these), not picked by hand. */
    sampled: p.boolean().default(false),
  },
});
export type QaScore = InferEntity<typeof QaScore>;

export const qaEntities = [QaScorecard, QaAssignment, QaScore];
