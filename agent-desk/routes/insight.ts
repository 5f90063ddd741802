// Caller insight (issue 7, part 4): repeat callers, green-channel callers' service, lawyers' workload and ratings
// with suggested stars. Supervisors only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../errors.js';
import { lawyerInsight, repeatCallers, vulnerableServed } from '../stats/insight.js';
import { PeriodQuery } from '../stats/schemas.js';
import { parsePeriod } from '../stats/service.js';
import type { DeskDeps } from './deps.js';

const N = Type.Number();
const Opt = Type.Union([Type.Number(), Type.Null()]);
const S = Type.String();

const RepeatView = Type.Object({
  number: S, calls: N, repeats: N, firstAt: S, lastAt: S, lines: Type.Array(S), topics: Type.Array(S), vulnerable: Type.Union([S, Type.Null()]),
  matters: Type.Array(Type.Object({ at: S, staffNo: S, matter: S, disposition: S, riskFlag: Type.Boolean() })),
});
const VulnerableView = Type.Object({
  number: S, reason: S, calls: N, answered: N, abandoned: N, answered15s: N, avgWaitSec: Opt, maxWaitSec: Opt, greenCalls: N,
  lastAt: Type.Union([S, Type.Null()]),
});
const Ratings = Type.Object({ satisfied: N, basicallySatisfied: N, dissatisfied: N });
const LawyerView = Type.Object({
  staffNo: S, name: S, answered: N, answered15s: N, asaSec: Opt, ahtSec: Opt, wrapUps: N, avgWrapUpSec: Opt, rated: N, ratings: Ratings,
  satisfactionRate: Opt, callsPerDay: N, talkHours: N, currentStars: Opt, suggestedStars: Opt,
});

export const insightRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app) => {
  app.get('/api/insight/repeat-callers', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['statistics'], summary: '重复来电 Numbers that called again within N days, with their matters (at most 200)',
      querystring: Type.Object({ ...PeriodQuery.properties, withinDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) }, { additionalProperties: false }),
      response: { 200: Type.Array(RepeatView), ...errorResponses },
    },
  }, async (req) => repeatCallers(req.em, parsePeriod(req.query.from, req.query.to), req.query.withinDays ?? 7));

  app.get('/api/insight/vulnerable', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['statistics'], summary: '绿色通道来电 How callers on the green-channel list were served in the period',
      querystring: PeriodQuery,
      response: { 200: Type.Array(VulnerableView), ...errorResponses },
    },
  }, async (req) => vulnerableServed(req.em, parsePeriod(req.query.from, req.query.to)));

  app.get('/api/insight/lawyers', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['statistics'], summary: '律师工作量与评价 Workload, ratings and the star rating they suggest',
      querystring: PeriodQuery,
      response: { 200: Type.Array(LawyerView), ...errorResponses },
    },
  }, async (req) => lawyerInsight(req.em, parsePeriod(req.query.from, req.query.to)));
};
