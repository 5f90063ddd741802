// QA scoring routes (质检). Supervisors score any answered call (their sample, or one they pick) while listening to
// it on the recordings page; lawyers read their own scores and never score; the scorecard is versioned.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CRITERION_KINDS, SCORE_MAX } from '../../lib/qa/scorecard.js';
import { userOf } from '../access.js';
import { errorResponses } from '../errors.js';
import { activeScorecard, createScorecard, listAssignments, listScores, qaSummary, scoreCall } from '../qa.js';
import { dateOrTime, literals, Paging, StaffNo, Timestamp } from '../schemas.js';
import type { DeskDeps } from './deps.js';

const O = Type.Optional;
const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const CallId = Type.String({ minLength: 1, maxLength: 100 });
const Criterion = Type.Object({
  id: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
  label: Type.String({ minLength: 1, maxLength: 100 }),
  weight: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
  kind: literals(CRITERION_KINDS),
  phrases: O(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 30 })),
}, { additionalProperties: false });
const Scorecard = Type.Object({ id: Type.String(), name: Type.String(), criteria: Type.Array(Criterion), active: Type.Boolean(), createdBy: N(Type.String()), createdAt: Timestamp });
const AnswerValue = Type.Union([Type.Integer(), Type.Boolean()]);
const Score = Type.Object({
  id: Type.String(), callId: Type.String(), staffNo: Type.String(), scorer: Type.String(), scorecardId: Type.String(),
  answers: Type.Record(Type.String(), AnswerValue), total: Type.Number(), comment: N(Type.String()), scoredAt: Timestamp, sampled: Type.Boolean(),
  callerNumber: N(Type.String()), answeredAt: N(Timestamp),
});
const Assignment = Type.Object({
  id: Type.String(), callId: Type.String(), assignedTo: N(Type.String()), sampleDate: Type.String(), reason: Type.String(), status: Type.String(),
  staffNo: N(Type.String()), callerNumber: N(Type.String()), serviceLine: N(Type.String()), answeredAt: N(Timestamp), recordingId: N(Type.String()), total: N(Type.Number()),
});
const LawyerSummary = Type.Object({
  staffNo: Type.String(), name: N(Type.String()), answered: Type.Integer(), scored: Type.Integer(), sampledScored: Type.Integer(),
  average: N(Type.Number()), min: N(Type.Number()), max: N(Type.Number()), sampleRate: N(Type.Number()),
});

export const qaRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app) => {
  app.get('/api/qa/scorecard', {
    config: { access: ['agent', 'supervisor', 'admin'] },
    schema: { tags: ['qa'], summary: '质检评分表 The active scorecard (criteria, weights, phrases)', response: { 200: Scorecard, ...errorResponses } },
  }, async (req) => activeScorecard(req.em));

  app.post('/api/qa/scorecards', {
    config: { access: ['supervisor', 'admin'] },
    schema: {
      tags: ['qa'], summary: '新版评分表 A new scorecard version (weights sum to 100); it replaces the active one',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), criteria: Type.Array(Criterion, { minItems: 1, maxItems: 30 }) }, { additionalProperties: false }),
      response: { 201: Scorecard, ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await createScorecard(req.em, userOf(req), req.body)));

  app.post('/api/qa/scores', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['qa'], summary: '评分 Score an answered call against the active scorecard (the server computes the weighted total)',
      body: Type.Object({
        callId: CallId,
        // Checked against the scorecard by the server, which names the criterion at fault (answers.<id>).
        answers: Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), { maxProperties: 30, description: `criterion id -> 0..${SCORE_MAX} (score) or true/false (phrases)` }),
        comment: O(N(Type.String({ maxLength: 2000 }))),
      }, { additionalProperties: false }),
      response: { 201: Score, ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await scoreCall(req.em, userOf(req), req.body)));

  app.get('/api/qa/scores', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['qa'], summary: '评分记录 Scores per call, newest first (a lawyer: only their own); the period is when the call was answered',
      querystring: Type.Object({ staffNo: O(StaffNo), from: O(dateOrTime()), to: O(dateOrTime()), callId: O(CallId), ...Paging }, { additionalProperties: false }),
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Score) }), ...errorResponses },
    },
  }, async (req) => listScores(req.em, userOf(req), req.query));

  app.get('/api/qa/assignments', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['qa'], summary: '待评分 My QA assignments (and unassigned ones): the daily sample and calls I picked',
      querystring: Type.Object({ status: O(Type.Enum(['pending', 'scored', 'all'], { default: 'pending' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Assignment) }), ...errorResponses },
    },
  }, async (req) => listAssignments(req.em, userOf(req), req.query.status ?? 'pending'));

  app.get('/api/qa/summary', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['qa'], summary: '质检汇总 Per lawyer: answered, scored, average; sample rate = sampled calls scored / calls answered',
      querystring: Type.Object({ from: O(dateOrTime()), to: O(dateOrTime()) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ from: N(Timestamp), to: N(Timestamp), answered: Type.Integer(), scored: Type.Integer(), sampledScored: Type.Integer(), sampleRate: N(Type.Number()), lawyers: Type.Array(LawyerSummary) }),
        ...errorResponses,
      },
    },
  }, async (req) => qaSummary(req.em, req.query));
};
