// Redis helpers: PING a URL, and spawn a private redis-server (Debian package `redis-server`)
// when REDIS_URL is not set. Its data lives in DATA_DIR/redis with an append-only file, so
// queued jobs survive a restart of `npm start`.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as fsc } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { redactUrl } from '../config/index.js';
import { ServiceError } from './pg.js';
import { errText, pickPort, pidAlive, waitFor, type Log } from './proc.js';

/** Connects once, sends PING, disconnects. Throws a ServiceError naming the URL. */
export async function pingRedis(url: string, timeoutMs = 3000): Promise<void> {
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null, // one try: this is a health check, not a long-lived client
    enableOfflineQueue: false,
  });
  // connect() itself only rejects with "Connection is closed."; the cause (ECONNREFUSED, ...) comes here.
  let cause: unknown;
  r.on('error', (e) => {
    cause ??= e;
  });
  try {
    await r.connect();
    const pong = await r.ping();
    if (pong !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(pong)}`);
  } catch (e) {
    const why = cause ?? e;
    throw new ServiceError(`Redis at ${redactUrl(url)} does not answer PING: ${errText(why)}`, { cause: why });
  } finally {
    r.disconnect();
  }
}

/** The executable's path if it is on PATH (read when called, never at import). */
export async function findExecutable(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      await fs.access(p, fsc.X_OK);
      return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export const NO_REDIS_SERVER =
  'REDIS_URL is not set and redis-server is not installed: install the Debian package `redis-server` ' +
  '(apt-get install -y redis-server) or set REDIS_URL=redis://host:port';

type State = { pid: number; port: number };

export type LocalRedis = { url: string; stop(): Promise<void>; reused: boolean; dir: string };

export async function startLocalRedis(dataDir: string, log: Log): Promise<LocalRedis> {
  const bin = await findExecutable('redis-server');
  if (!bin) throw new ServiceError(NO_REDIS_SERVER);
  const dir = path.join(dataDir, 'redis');
  await fs.mkdir(dir, { recursive: true });
  const stateFile = path.join(dir, 'server.json');

  // One redis per data directory: two on the same append-only files would corrupt them.
  const prior = await readState(stateFile);
  if (prior && pidAlive(prior.pid)) {
    const url = `redis://127.0.0.1:${prior.port}`;
    try {
      await pingRedis(url);
      log.info({ dir, port: prior.port }, 'local redis-server already running for this data directory; using it');
      return { url, reused: true, dir, stop: async () => undefined };
    } catch {
      // a recycled pid or a hung server: start our own below
    }
  }

  const port = await pickPort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'];
  // AOF is the persistence; RDB snapshots on top would only add disk writes.
  args.push('--save', '', '--daemonize', 'no', '--protected-mode', 'yes');
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const onOutput = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      log.debug({ redis: line }, 'local redis-server');
    }
  };
  // Always drain the pipes: a full pipe would block redis on its next log line.
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, sig) => reject(new Error(`redis-server exited (code ${code}, signal ${sig})`)));
  });
  exited.catch(() => undefined);

  const url = `redis://127.0.0.1:${port}`;
  try {
    await Promise.race([waitFor(() => pingRedis(url, 500), 10_000, 100), exited]);
  } catch (e) {
    child.kill('SIGKILL');
    throw new ServiceError(`local redis-server did not start on port ${port}: ${errText(e)}\n${tail.join('\n')}`, {
      cause: e,
    });
  }
  await fs.writeFile(stateFile, JSON.stringify({ pid: child.pid, port }));
  // If this process dies without stop(), don't leave redis behind holding the data directory.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  log.info({ dir, port }, 'local redis-server started');
  return {
    url,
    reused: false,
    dir,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopChild(child, 10_000);
      await fs.rm(stateFile, { force: true });
    },
  };
}

async function readState(file: string): Promise<State | undefined> {
  try {
    const s = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<State>;
    return typeof s.pid === 'number' && typeof s.port === 'number' ? (s as State) : undefined;
  } catch {
    return undefined;
  }
}

/** SIGTERM (redis flushes its AOF and exits), SIGKILL if it lingers past `graceMs`. */
function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
