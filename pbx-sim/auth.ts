import { timingSafeEqual } from 'node:crypto';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** ARI accepts HTTP Basic or ?api_key=user:password. */
export function credentialsOk(authorization: string | undefined, apiKey: string | null | undefined, user: string, password: string): boolean {
  const want = `${user}:${password}`;
  if (apiKey && same(apiKey, want)) return true;
  if (authorization?.startsWith('Basic ')) {
    return same(Buffer.from(authorization.slice(6), 'base64').toString('utf8'), want);
  }
  return false;
}
