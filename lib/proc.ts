// Small process/network helpers shared by the service launchers.
import net from 'node:net';

/** Minimal logger shape: a pino Logger fits, and tests can pass pino({ level: 'silent' }). */
export type Log = {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
};

/** True when `port` on `host` can be bound right now. */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** `preferred` if free, else a port the kernel hands out. Racy by nature; callers retry on EADDRINUSE. */
export async function pickPort(preferred?: number, host = '127.0.0.1'): Promise<number> {
  if (preferred !== undefined && (await portIsFree(preferred, host))) return preferred;
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a process with this pid exists (EPERM still means it exists). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it resolves or `timeoutMs` passes; rethrows the last failure. */
export async function waitFor<T>(probe: () => Promise<T>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      await sleep(everyMs);
    }
  }
}

/** Text of an unknown thrown value, for error messages. */
export function errText(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return e.errors.map(errText).join('; ');
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return e.message || code || e.name;
  }
  return String(e);
}
