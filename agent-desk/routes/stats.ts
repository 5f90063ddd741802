// Statistics against the national norms (issue 7, part 2): the figures for a period as JSON for the page, as CSV
// for one breakdown and as an Excel workbook with every breakdown and the definitions. Supervisors only.
import path from 'node:path';
import { createRequire } from 'node:module';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOf } from '../access.js';
import { errorResponses } from '../errors.js';
import { literals } from '../schemas.js';
import { BREAKDOWNS, statsCsv, statsWorkbook } from '../stats/export.js';
import { PeriodQuery, StatsView } from '../stats/schemas.js';
import { parsePeriod, statsFor } from '../stats/service.js';
import type { DeskDeps } from './deps.js';

const require = createRequire(import.meta.url);
/** ECharts served from our own origin (the pages' CSP allows 'self' only). */
const ECHARTS_DIR = path.dirname(require.resolve('echarts/dist/echarts.min.js'));

const fileStamp = (from: string, to: string) => `${from.slice(0, 10)}_${to.slice(0, 10)}`;

export const statsRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app) => {
  await app.register(fastifyStatic, {
    root: ECHARTS_DIR, prefix: '/vendor/echarts/', decorateReply: false, wildcard: false,
    allowedPath: (p) => p === '/echarts.min.js',
  });

  app.get('/api/stats', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['statistics'], summary: '统计 Figures for a period per line, topic, hour, day and lawyer, against the norms, with definitions',
      querystring: PeriodQuery,
      response: { 200: StatsView, ...errorResponses },
    },
  }, async (req) => statsFor(req.em, parsePeriod(req.query.from, req.query.to)));

  app.get('/api/stats/export.csv', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['statistics'], summary: '导出统计 One breakdown as CSV (UTF-8 with BOM)',
      querystring: Type.Object({ ...PeriodQuery.properties, by: literals(BREAKDOWNS) }, { additionalProperties: false }),
      produces: ['text/csv'],
      response: { 200: Type.String({ description: 'CSV' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const s = await statsFor(req.em, parsePeriod(req.query.from, req.query.to));
    req.log.info({ by: req.query.by, user: userOf(req).staffNo }, 'statistics exported (csv)');
    return reply.header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="stats-${req.query.by}-${fileStamp(req.query.from, req.query.to)}.csv"`)
      .send(statsCsv(s, req.query.by));
  });

  app.get('/api/stats/export.xlsx', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['statistics'], summary: '导出统计 Every breakdown and the definitions as an Excel workbook',
      querystring: PeriodQuery,
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const s = await statsFor(req.em, parsePeriod(req.query.from, req.query.to));
    req.log.info({ user: userOf(req).staffNo }, 'statistics exported (xlsx)');
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="stats-${fileStamp(req.query.from, req.query.to)}.xlsx"`)
      .send(await statsWorkbook(s));
  });
};
