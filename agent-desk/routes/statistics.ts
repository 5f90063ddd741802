// Issue 7's routes as one plugin, so the desk registers them with a single line: statistics and exports, the
// centre's report, caller insight, and the live wallboard.
import type { FastifyPluginAsync } from 'fastify';
import type { DeskDeps } from './deps.js';
import { insightRoutes } from './insight.js';
import { reportRoutes } from './reports.js';
import { statsRoutes } from './stats.js';
import { wallboardRoutes } from './wallboard.js';

export const statisticsRoutes: FastifyPluginAsync<DeskDeps & { sessionCheckMs: number }> = async (app, deps) => {
  await app.register(statsRoutes, deps);
  await app.register(reportRoutes, deps);
  await app.register(insightRoutes, deps);
  await app.register(wallboardRoutes, deps);
};
