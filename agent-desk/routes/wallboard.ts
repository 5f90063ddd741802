// The live wallboard (issue 7, part 1): a snapshot over HTTP and the same snapshot pushed over a WebSocket about
// twice a second. Supervisors only (the big screen logs in with a supervisor account).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Logger } from 'pino';
import { loadCalendar } from '../../lib/calendar/index.js';
import { userOf } from '../access.js';
import { errorResponses } from '../errors.js';
import { closeSocket } from '../live.js';
import { LAWYER_STATES, Wallboard } from '../stats/wallboard.js';
import type { DeskDeps } from './deps.js';

const N = Type.Number();
const Rate = Type.Union([Type.Number(), Type.Null()]);
const Lawyers = Type.Object(Object.fromEntries(LAWYER_STATES.map((s) => [s, N])) as Record<(typeof LAWYER_STATES)[number], typeof N>);
const Figures = {
  waiting: N, greenWaiting: N, longestWaitSec: N, lawyers: Lawyers, inProgress: N,
  offered: N, answered: N, abandoned: N, abandoned15s: N, serviceLevel: Rate, connectionRate: Rate,
};
const BoardView = Type.Object({
  at: Type.String(), open: Type.Boolean(), stale: Type.Boolean(),
  lines: Type.Array(Type.Object({ line: Type.String(), name: Type.String(), targetSec: N, ...Figures })),
  total: Type.Object(Figures),
  alerts: Type.Array(Type.Object({ line: Type.String(), kind: Type.Enum(['long_wait', 'low_connection', 'no_ready']), message: Type.String() })),
});

export const wallboardRoutes: FastifyPluginAsyncTypebox<DeskDeps & { sessionCheckMs: number }> = async (app, deps) => {
  const calendar = loadCalendar({ hours: deps.config.centre.hours });
  const board = new Wallboard({
    orm: deps.orm, redis: deps.redis, prefix: deps.config.ivr.keyPrefix, presence: deps.presence,
    log: app.log as unknown as Logger, isOpen: () => calendar.isOpen(new Date()),
  });
  app.addHook('onClose', async () => board.stop());

  app.get('/api/wallboard', {
    config: { access: ['supervisor'] },
    schema: {
      tags: ['statistics'], summary: '实时大屏 Waiting callers, lawyers by state, today\'s figures and alerts per service line',
      response: { 200: BoardView, ...errorResponses },
    },
  }, async () => board.snapshot());

  app.get('/api/wallboard/ws', {
    websocket: true,
    config: { access: ['supervisor'] },
    schema: { tags: ['statistics'], summary: '实时大屏 WebSocket: the /api/wallboard snapshot, pushed about twice a second', response: { ...errorResponses } },
  }, (socket, req) => {
    const user = userOf(req);
    const remove = board.watch(socket);
    const timer = setInterval(() => {
      deps.sessions.lookup(user.token).then((staffNo) => { if (!staffNo) closeSocket(socket, 4001, 'session ended'); }, () => undefined);
    }, deps.sessionCheckMs);
    timer.unref();
    socket.on('message', () => undefined);
    socket.on('close', () => { clearInterval(timer); remove(); });
  });
};
