// The desk's one error vocabulary: every failure, from a bad body to a crash, reaches the browser as
// `{ code, message, details? }`, so the Chinese pages need a single place that turns codes into words.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';

export const ERROR_CODES = [
  'bad_request', 'unauthenticated', 'invalid_credentials', 'forbidden', 'not_found', 'conflict', 'busy',
  'unsupported_media_type', 'payload_too_large', 'rate_limited', 'unavailable', 'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const FieldProblem = Type.Object({
  /** Dotted path of the offending field (`riskReason`, `skills.1`); `(body)` when the whole body is wrong. */
  field: Type.String(),
  message: Type.String(),
});
export type FieldProblem = Static<typeof FieldProblem>;

export const ErrorBody = Type.Object({
  code: Type.Enum([...ERROR_CODES] as ErrorCode[]),
  message: Type.String(),
  details: Type.Optional(Type.Array(FieldProblem)),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Response schemas every route shares for its failures. */
export const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

export class DeskError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
    this.name = 'DeskError';
  }
}

export const badField = (field: string, message: string) =>
  new DeskError(400, 'bad_request', `${field}: ${message}`, [{ field, message }]);
export const notFound = (what: string) => new DeskError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'not allowed for your role') => new DeskError(403, 'forbidden', message);

interface AjvIssue { instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> }

/** Ajv's own paths (`/skills/1`) and missing-property errors (path of the parent) turned into the field people see. */
function fieldOf(issue: AjvIssue): string {
  const base = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
  const child = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  const name = typeof child === 'string' ? (base ? `${base}.${child}` : child) : base;
  return name || '(body)';
}

function messageOf(issue: AjvIssue): string {
  if (issue.keyword === 'required') return 'is required';
  if (issue.keyword === 'additionalProperties') return 'is not a known field';
  return issue.message ?? 'is invalid';
}

function validationProblems(err: FastifyError): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const issue of (err.validation ?? []) as AjvIssue[]) {
    // A union (anyOf) reports one issue per branch plus a summary; one line per field is what a form can show.
    if (issue.keyword === 'anyOf') continue;
    const p = { field: fieldOf(issue), message: messageOf(issue) };
    if (seen.has(p.field)) continue;
    seen.add(p.field);
    out.push(p);
  }
  return out.length ? out : [{ field: '(body)', message: err.message }];
}

const byStatus: Record<number, ErrorCode> = {
  400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
  413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited', 503: 'unavailable',
};

/** Any thrown thing -> status and body. Unknown errors become a bare 500: their text may hold SQL or data. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof DeskError) {
    return { status: err.statusCode, body: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
  }
  const e = err as FastifyError;
  if (e && Array.isArray(e.validation)) {
    const details = validationProblems(e);
    const where = e.validationContext === 'querystring' ? 'query' : (e.validationContext ?? 'body');
    const message = `invalid ${where}: ` + details.map((d) => `${d.field} ${d.message}`).join('; ');
    return { status: 400, body: { code: 'bad_request', message, details } };
  }
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
  if (status >= 500) return { status, body: { code: status === 503 ? 'unavailable' : 'internal', message: 'internal error' } };
  // Fastify's own 4xx (bad JSON, wrong content type, body too large) carry safe, useful messages.
  return { status, body: { code: byStatus[status] ?? 'bad_request', message: e.message } };
}

/** The single error handler and 404 handler of the desk. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toErrorBody(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: body.code, status }, body.message);
    if (status === 429 && err instanceof RateLimited) void reply.header('retry-after', String(err.retryAfterSec));
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } satisfies ErrorBody),
  );
}

export class RateLimited extends DeskError {
  constructor(readonly retryAfterSec: number) {
    super(429, 'rate_limited', `too many attempts; try again in ${retryAfterSec} s`);
  }
}
