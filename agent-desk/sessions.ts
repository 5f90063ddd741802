// Desk sessions live in Redis, not in one process's memory, so any desk process behind a load balancer knows a
// lawyer is logged in, and logging out (or an admin disabling an account) ends the session everywhere at once.
// The browser holds a random token in an httpOnly cookie; Redis holds only its SHA-256, so a Redis dump does not
// hand out live sessions.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Redis } from 'ioredis';

export const SESSION_COOKIE = 'desk_sid';

export interface SessionOptions {
  /** A session unused this long ends (sliding). */
  idleSec: number;
  /** A session ends this long after login whatever its use. */
  maxSec: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { idleSec: 8 * 3600, maxSec: 24 * 3600 };

interface Stored { staffNo: string; createdAt: number }

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly opts: SessionOptions = DEFAULT_SESSION_OPTIONS,
  ) {}

  private key(h: string) { return `${this.prefix}:desk:session:${h}`; }
  private staffKey(staffNo: string) { return `${this.prefix}:desk:staff-sessions:${staffNo}`; }

  async create(staffNo: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const h = digest(token);
    const value: Stored = { staffNo, createdAt: Date.now() };
    await this.redis.multi()
      .set(this.key(h), JSON.stringify(value), 'EX', this.opts.idleSec)
      .sadd(this.staffKey(staffNo), h)
      .expire(this.staffKey(staffNo), this.opts.maxSec)
      .exec();
    return token;
  }

  /** The staff number of a live session, refreshing its idle timer; undefined for unknown or expired tokens. */
  async lookup(token: string | undefined): Promise<string | undefined> {
    if (!token || token.length > 100) return undefined;
    const h = digest(token);
    const raw = await this.redis.getex(this.key(h), 'EX', this.opts.idleSec);
    if (!raw) return undefined;
    let s: Stored;
    try {
      s = JSON.parse(raw) as Stored;
    } catch {
      await this.redis.del(this.key(h));
      return undefined;
    }
    if (Date.now() - s.createdAt > this.opts.maxSec * 1000) {
      await this.destroy(token);
      return undefined;
    }
    return s.staffNo;
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!token) return;
    const h = digest(token);
    const raw = await this.redis.get(this.key(h));
    await this.redis.del(this.key(h));
    if (raw) {
      try {
        await this.redis.srem(this.staffKey((JSON.parse(raw) as Stored).staffNo), h);
      } catch {
        // A corrupt value had no index entry worth cleaning.
      }
    }
  }

  /** Ends every session of a person: password reset, role change, account disabled. */
  async destroyAllFor(staffNo: string): Promise<void> {
    const hashes = await this.redis.smembers(this.staffKey(staffNo));
    const keys = hashes.map((h) => this.key(h));
    await this.redis.del(this.staffKey(staffNo), ...keys);
  }
}

export const MIN_PASSWORD = 8;

export const hashPassword = (password: string): Promise<string> => hash(password);

// Verifying against a real hash even for unknown staff numbers keeps the response time from telling an attacker
// which staff numbers exist.
let dummy: Promise<string> | undefined;

export async function checkPassword(stored: string | undefined, password: string): Promise<boolean> {
  dummy ??= hash(randomBytes(16).toString('hex'));
  const target = stored ?? (await dummy);
  try {
    const ok = await verify(target, password);
    return ok && stored !== undefined;
  } catch {
    return false;
  }
}
