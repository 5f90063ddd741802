// Caller numbers are personal data: the desk's logs keep enough of a number to tell calls apart (138****8000)
// and never the whole of it. Everything the desk logs goes through deskLogger(), so a field named like a caller
// number, or a caller filter in a request URL, is masked wherever it appears.
import type { Logger } from 'pino';

/** 13800138000 -> 138****8000; short numbers keep only their last two digits. */
export function maskNumber(n: string): string {
  const s = String(n);
  if (s.length >= 8) return s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);
  if (s.length <= 2) return '*'.repeat(s.length);
  return '*'.repeat(s.length - 2) + s.slice(-2);
}

const NUMBER_KEYS = ['callerNumber', 'caller_number', 'caller'];
// fast-redact wildcards match one level each, so list the depths our log lines actually use.
const REDACT_PATHS = NUMBER_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
// Query parameters that carry a caller's number (GET /api/calls?caller=...).
const URL_NUMBER_PARAMS = new Set(['caller', 'callerNumber']);

/** The URL with caller-number query values masked; the path is left alone (call ids are not personal). */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const [k, v] of params) {
    if (URL_NUMBER_PARAMS.has(k)) {
      params.set(k, maskNumber(v));
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}

interface ReqLike { method?: string; url?: string; ip?: string; host?: string; socket?: { remotePort?: number } }

/** A child of the process logger with the masking the desk needs; handed to Fastify as its loggerInstance. */
export function deskLogger(parent: Logger): Logger {
  return parent.child({ component: 'agent-desk' }, {
    redact: {
      paths: REDACT_PATHS,
      censor: (value: unknown) => (typeof value === 'string' ? maskNumber(value) : value),
    },
    serializers: {
      req: (req: ReqLike) => ({
        method: req.method,
        url: req.url === undefined ? undefined : maskUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  });
}
