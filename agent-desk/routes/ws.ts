// GET /ws: the desk's live channel. The session cookie authenticates the upgrade like any request (onRequest hook);
// afterwards the session is re-checked now and then, so a logout elsewhere or a disabled account ends the socket.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { userOf } from '../access.js';
import { errorResponses } from '../errors.js';
import { closeSocket } from '../live.js';
import type { DeskDeps } from './deps.js';

export const wsRoutes: FastifyPluginAsyncTypebox<DeskDeps & { sessionCheckMs: number }> = async (app, deps) => {
  app.get('/ws', {
    websocket: true,
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['desk'],
      summary: '实时推送 WebSocket: DeskEvents (screen pop) and presence; a lawyer gets their own, a supervisor everyone\'s',
      response: { ...errorResponses },
    },
  }, (socket, req) => {
    const user = userOf(req);
    const remove = deps.live.add(socket, user);
    const timer = setInterval(() => {
      deps.sessions.lookup(user.token).then((staffNo) => {
        if (!staffNo) closeSocket(socket, 4001, 'session ended');
      }, () => undefined);
    }, deps.sessionCheckMs);
    timer.unref();
    // The desk only listens; anything a browser sends is ignored rather than trusted.
    socket.on('message', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      remove();
    });
  });
};
