import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AriError } from '../engine/types.js';

/** Request parameters as Asterisk reads them: query string, plus fields of a JSON body. */
export class Params {
  constructor(readonly path: Record<string, string>, readonly q: Record<string, unknown>, readonly body: unknown) {}

  str(name: string): string | undefined {
    const v = this.q[name];
    if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined; // repeated: Asterisk keeps the last
    return v === undefined || v === null ? undefined : String(v);
  }
  all(name: string): string[] {
    const v = this.q[name];
    if (v === undefined || v === null) return [];
    return (Array.isArray(v) ? v : [v]).map(String);
  }
  int(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new AriError(400, `${name}: integer expected`); // not traced
    return n;
  }
  bool(name: string): boolean | undefined {
    const v = this.str(name);
    return v === undefined ? undefined : v === 'true' || v === '1' || v === 'yes';
  }
  /** `variables` objects come in the JSON body: {"variables": {...}}. */
  vars(): Record<string, string> | undefined {
    const b = this.body as Record<string, unknown> | undefined;
    const v = (b && typeof b === 'object' ? b.variables : undefined) ?? this.q.variables;
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
    return undefined;
  }
}

export type Result = { status: number; body?: unknown; binary?: { bytes: Buffer; type: string; headers?: Record<string, string> } };
export type Handler = (p: Params) => Result | Promise<Result>;

export const ok = (body: unknown): Result => ({ status: 200, body });
export const created = (body: unknown): Result => ({ status: 201, body });
export const noContent = (): Result => ({ status: 204 });

/** Registers one ARI operation under /ari. */
export function route(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, handler: Handler): void {
  app.route({
    method, url: `/ari${path}`,
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const body = parseBody(req);
      const q = { ...(body && typeof body === 'object' && !Array.isArray(body) ? body as Record<string, unknown> : {}), ...(req.query as Record<string, unknown>) };
      const r = await handler(new Params(req.params as Record<string, string>, q, body));
      return send(reply, r);
    },
  });
}

export function send(reply: FastifyReply, r: Result): FastifyReply {
  if (r.binary) {
    reply.code(r.status).header('content-type', r.binary.type).header('cache-control', 'no-cache, no-store');
    for (const [k, v] of Object.entries(r.binary.headers ?? {})) reply.header(k, v);
    return reply.send(r.binary.bytes);
  }
  if (r.body === undefined) return reply.code(r.status).send();
  return reply.code(r.status).header('content-type', 'application/json').send(JSON.stringify(r.body));
}

function parseBody(req: FastifyRequest): unknown {
  const raw = req.body;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  try { return JSON.parse(raw); } catch { throw new AriError(400, 'Error parsing request body'); }
}
