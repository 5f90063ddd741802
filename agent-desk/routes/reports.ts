// Reports (issue 7, part 3): the centre's report for any period (a calendar month gives the monthly report) as a
// page to read in the browser and as a Word document to send upward. Supervisors only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOf } from '../access.js';
import { errorResponses } from '../errors.js';
import { buildReport, reportHtml } from '../stats/report.js';
import { reportDocx } from '../stats/report-docx.js';
import { PeriodQuery } from '../stats/schemas.js';
import { parsePeriod } from '../stats/service.js';
import type { DeskDeps } from './deps.js';

export const reportRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, deps) => {
  app.get('/api/reports/period', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['statistics'], summary: '运行情况报告 The report for a period as a page (the numbers of /api/stats)',
      querystring: PeriodQuery, produces: ['text/html'],
      response: { 200: Type.String({ description: 'HTML' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const m = await buildReport(req.em, parsePeriod(req.query.from, req.query.to), deps.config.centre.name);
    return reply.header('content-type', 'text/html; charset=utf-8').send(reportHtml(m));
  });

  app.get('/api/reports/period.docx', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['statistics'], summary: '运行情况报告 The report for a period as a Word document',
      querystring: PeriodQuery, produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const m = await buildReport(req.em, parsePeriod(req.query.from, req.query.to), deps.config.centre.name);
    req.log.info({ user: userOf(req).staffNo, period: m.periodLabel }, 'report downloaded');
    const name = encodeURIComponent(`${m.title}.docx`);
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .header('content-disposition', `attachment; filename="report-${req.query.from.slice(0, 10)}.docx"; filename*=UTF-8''${name}`)
      .send(await reportDocx(m));
  });
};
