// PostgreSQL reachability and database creation, shared by the embedded launcher and ensureDatabase.
import pg from 'pg';
import { redactUrl } from '../config/index.js';
import { errText, type Log } from './proc.js';

/** A service could not be reached or started; the message says what to do. */
export class ServiceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceError';
  }
}

type PgError = Error & { code?: string };

function client(url: string, database?: string): pg.Client {
  const u = new URL(url);
  if (database !== undefined) u.pathname = `/${encodeURIComponent(database)}`;
  const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 5000 });
  // A dropped connection after connect() is reported here; without a listener it would crash the process.
  c.on('error', () => undefined);
  return c;
}

/** The database name a URL points at (its path), or throws if it names none. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new ServiceError(`DATABASE_URL ${redactUrl(url)} names no database (add /<name> to it)`);
  return name;
}

/** Runs one query on a short-lived connection. */
export async function pgQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
  database?: string,
): Promise<R[]> {
  const c = client(url, database);
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Makes sure `url` answers and its database exists, creating it through the `postgres`
 * maintenance database when it does not. Returns whether it had to create it.
 */
export async function ensurePostgresDatabase(url: string, log: Log): Promise<{ created: boolean }> {
  const name = databaseName(url);
  try {
    await pgQuery(url, 'select 1');
    return { created: false };
  } catch (e) {
    if ((e as PgError).code !== '3D000') throw unreachable(url, e);
  }
  log.info({ database: name }, 'database does not exist; creating it');
  let lastErr: unknown;
  // `postgres` is the usual maintenance database; template1 always exists as a fallback.
  for (const admin of ['postgres', 'template1']) {
    try {
      await pgQuery(url, `create database ${pg.escapeIdentifier(name)}`, [], admin);
      return { created: true };
    } catch (e) {
      const code = (e as PgError).code;
      // 42P04: someone else created it meanwhile; 23505: the same race seen through pg_database's index.
      if (code === '42P04' || code === '23505') return { created: false };
      lastErr = e;
      if (code !== '3D000') break;
    }
  }
  throw new ServiceError(`could not create database "${name}" at ${redactUrl(url)}: ${errText(lastErr)}`, {
    cause: lastErr,
  });
}

/** Drops the database a URL names (tests and throwaway databases). */
export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await pgQuery(url, `drop database if exists ${pg.escapeIdentifier(name)} with (force)`, [], 'postgres');
}

export function unreachable(url: string, e: unknown): ServiceError {
  const code = (e as PgError).code;
  const hint =
    code === 'ECONNREFUSED'
      ? ' (connection refused: is PostgreSQL running there? Unset DATABASE_URL to use the embedded one)'
      : code === '28P01' || code === '28000'
        ? ' (authentication failed: check the user and password in DATABASE_URL)'
        : '';
  return new ServiceError(`PostgreSQL at ${redactUrl(url)} does not answer: ${errText(e)}${hint}`, { cause: e });
}
