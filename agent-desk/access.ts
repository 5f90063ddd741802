// Who may call what. Every /api and /ws route declares `config.access`; a route without one refuses to register,
// so a new route cannot ship open by accident. The check runs in onRequest, before the body is parsed: a stranger
// gets 401 and a wrong role 403 without learning anything from validation messages.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Staff, type Role } from '../lib/entities/staff.js';
import { DeskError } from './errors.js';
import { SESSION_COOKIE, type SessionStore } from './sessions.js';

/** 'public': anyone; 'authenticated': any logged-in role; or the roles allowed. */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface DeskUser { staffNo: string; name: string; role: Role; token: string }

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's own unit of work (a fork of the ORM's EntityManager). */
    em: EntityManager;
    /** The logged-in person; null on public routes and for anonymous requests. */
    user: DeskUser | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
  /** Status codes (or `4xx`) with a response schema. */
  responses: string[];
}

/** Paths whose routes must say who may use them; docs and static files are public by nature. */
const guarded = (url: string) => url === '/ws' || url.startsWith('/api/') || url === '/api';

export const isRole = (user: DeskUser | null, ...roles: Role[]) => !!user && roles.includes(user.role);

/** The logged-in user; routes behind an access rule other than 'public' always have one. */
export function userOf(req: FastifyRequest): DeskUser {
  if (!req.user) throw new DeskError(401, 'unauthenticated', 'log in first');
  return req.user;
}

export function installAccess(app: FastifyInstance, sessions: SessionStore): RouteAccess[] {
  const routes: RouteAccess[] = [];
  app.addHook('onRoute', (opts) => {
    const access = opts.config?.access;
    if (!guarded(opts.url)) return;
    if (access === undefined) throw new Error(`route ${String(opts.method)} ${opts.url} has no config.access`);
    // HEAD twins of GET routes are Fastify's, not ours: the matrix lists what we wrote.
    const responses = Object.keys((opts.schema?.response ?? {}) as object);
    for (const m of [opts.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: opts.url, access, responses });
  });

  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (access === undefined || access === 'public') return;
    const token = req.cookies?.[SESSION_COOKIE];
    const staffNo = await sessions.lookup(token);
    if (!staffNo) throw new DeskError(401, 'unauthenticated', 'log in first');
    // Role and the active flag are read on every request so that an admin's change takes effect at once.
    const staff = await req.em.findOne(Staff, { staffNo, active: true });
    if (!staff) {
      await sessions.destroy(token);
      throw new DeskError(401, 'unauthenticated', 'log in first');
    }
    const role = staff.role as Role;
    req.user = { staffNo: staff.staffNo, name: staff.name, role, token: token! };
    if (access !== 'authenticated' && !access.includes(role)) {
      throw new DeskError(403, 'forbidden', `not allowed for role ${role}`);
    }
  });
  return routes;
}
