// After the call (issue 8): one plugin for app.ts that brings the calendar banner and admin upload, legal-aid
// applications, appointments and complaint / supervision tickets, sharing one working-day calendar.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bannerWarnings, HolidayYearInvalid, saveYear } from '../../lib/after-call/calendar-store.js';
import { userOf } from '../access.js';
import { afterCallContext } from '../after-call-context.js';
import { DeskError, errorResponses } from '../errors.js';
import { legalAidRoutes } from './applications.js';
import { appointmentRoutes } from './appointments.js';
import type { DeskDeps } from './deps.js';
import { ticketRoutes } from './tickets.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const CalendarStatus = Type.Object({
  years: Type.Array(Type.Integer()),
  sources: Type.Record(Type.String(), Type.String()),
  warnings: Type.Array(Type.Object({ kind: Type.String(), year: Type.Optional(Type.Integer()), message: Type.String() })),
});
const YearBody = Type.Object({
  source: Type.String({ minLength: 1, maxLength: 300, description: '国务院办公厅关于XXXX年部分节假日安排的通知 (文号)' }),
  holidays: Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 20 }), nameEn: Type.Optional(Type.String({ maxLength: 60 })),
    from: Day, to: Day, note: Type.Optional(Type.String({ maxLength: 200 })),
  }, { additionalProperties: false }), { maxItems: 20 }),
  workdays: Type.Array(Day, { maxItems: 20 }),
}, { additionalProperties: false });

export const afterCallRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, deps) => {
  const ctx = afterCallContext(deps.config, deps.orm, app.log);
  app.addHook('onReady', ctx.refresh);
  app.addHook('onClose', async () => ctx.stop());

  const status = () => {
    const c = ctx.calendar.coverage();
    return {
      years: c.years,
      sources: Object.fromEntries(Object.entries(c.sources).map(([k, v]) => [k, String(v)])),
      warnings: [
        ...bannerWarnings(ctx.calendar),
        ...c.problems.map((p) => ({ kind: 'bad-file', message: `holiday file ${p.file} was NOT loaded: ${p.errors.join('; ')}` })),
      ],
    };
  };

  app.get('/api/calendar', {
    config: { access: 'authenticated' },
    schema: { tags: ['calendar'], summary: '工作日历状态 Years with holiday data, and the warnings the desk banner shows', response: { 200: CalendarStatus, ...errorResponses } },
  }, async () => status());

  app.put('/api/calendar/years/:year', {
    config: { access: ['admin'] },
    schema: {
      tags: ['calendar'], summary: '载入年度节假日安排 Load (or correct) a year of the State Council holiday notice, without a release',
      params: Type.Object({ year: Type.Integer({ minimum: 1991, maximum: 2200 }) }), body: YearBody, response: { 200: CalendarStatus, ...errorResponses },
    },
  }, async (req) => {
    const user = userOf(req);
    try {
      await saveYear(req.em, ctx.calendar, req.params.year, { holidays: req.body.holidays, workdays: req.body.workdays }, req.body.source, user.staffNo);
    } catch (e) {
      if (!(e instanceof HolidayYearInvalid)) throw e;
      const details = e.errors.map((m) => ({ field: m.replace(/^years\.\d+\.?/, '').split(':')[0] || '(body)', message: m }));
      throw new DeskError(400, 'bad_request', `invalid holiday data: ${e.errors.join('; ')}`, details);
    }
    req.log.warn({ year: req.params.year, by: user.staffNo, source: req.body.source }, 'calendar: holiday year loaded');
    return status();
  });

  void app.register(legalAidRoutes(ctx), deps);
  void app.register(appointmentRoutes(ctx), deps);
  void app.register(ticketRoutes(ctx), deps);
};
