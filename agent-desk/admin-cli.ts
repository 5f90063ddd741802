// `hotline admin ...`: desk accounts from the command line. Production starts with no accounts at all, so the
// first admin is made here; the same command resets a forgotten password. The password comes from --password,
// else a hidden prompt on a terminal (asked twice), else the first line of standard input (for scripts), so it need
// not appear in the shell history or the process list.
import { Redis } from 'ioredis';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config/index.js';
import { createOrm, migrateUp } from '../lib/db.js';
import { ROLES, type Role } from '../lib/entities/staff.js';
import { ensureDatabase, ensureRedis } from '../lib/services.js';
import { DeskError } from './errors.js';
import { MIN_PASSWORD, SessionStore } from './sessions.js';
import { createStaff, updateStaff } from './staff.js';

export const ADMIN_USAGE = `usage:
  hotline admin create --staff-no <工号> --name <姓名> [--role admin|supervisor|agent] [--password <pw>]
  hotline admin password --staff-no <工号> [--password <pw>]
Without --password the password is asked for (hidden) on a terminal, or read from the first line of stdin.`;

export interface AdminIo {
  out(s: string): void;
  err(s: string): void;
  /** The password when no --password was given (prompt or stdin); undefined when none could be read. */
  readPassword?(): Promise<string | undefined>;
}

function parse(args: string[]): Record<string, string> | string {
  const o: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) return `unexpected argument ${a}`;
    const v = m[2] ?? args[++i];
    if (v === undefined) return `--${m[1]} needs a value`;
    o[m[1]] = v;
  }
  return o;
}

async function hiddenPrompt(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return (done(), resolve(buf));
        if (ch === '\u0003') return (done(), reject(new Error('cancelled')));
        buf = ch === '\u007f' || ch === '\b' ? buf.slice(0, -1) : buf + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function firstStdinLine(): Promise<string | undefined> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0];
  return line === '' ? undefined : line;
}

/** Terminal: ask twice and insist they match; pipe: the first line. */
export async function readPasswordFromUser(): Promise<string | undefined> {
  if (!process.stdin.isTTY) return firstStdinLine();
  const a = await hiddenPrompt('Password: ');
  const b = await hiddenPrompt('Repeat password: ');
  if (a !== b) throw new DeskError(400, 'bad_request', 'the two passwords differ');
  return a;
}

export async function adminMain(argv: string[], io: AdminIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd !== 'create' && cmd !== 'password') return (io.err(ADMIN_USAGE), 2);
  const opts = parse(rest);
  if (typeof opts === 'string') return (io.err(`${opts}\n${ADMIN_USAGE}`), 2);
  const allowed = cmd === 'create' ? ['staff-no', 'name', 'role', 'password'] : ['staff-no', 'password'];
  const unknown = Object.keys(opts).find((k) => !allowed.includes(k));
  if (unknown) return (io.err(`unknown option --${unknown}\n${ADMIN_USAGE}`), 2);
  const staffNo = opts['staff-no'];
  if (!staffNo || (cmd === 'create' && !opts.name)) return (io.err(ADMIN_USAGE), 2);
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(staffNo)) return (io.err('--staff-no: letters, digits, - and _ only (at most 32)'), 2);
  const role = (opts.role ?? 'admin') as Role;
  if (!ROLES.includes(role)) return (io.err(`--role must be one of ${ROLES.join(', ')}`), 2);

  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return (io.err(e.message), 2);
    throw e;
  }
  let password: string | undefined;
  try {
    password = opts.password ?? (await (io.readPassword ?? readPasswordFromUser)());
  } catch (e) {
    return (io.err(e instanceof Error ? e.message : String(e)), 1);
  }
  if (!password) return (io.err('no password given'), 2);
  if (password.length < MIN_PASSWORD) return (io.err(`the password must be at least ${MIN_PASSWORD} characters`), 1);

  const log = pino({ level: 'warn' }, pino.destination(2));
  const db = await ensureDatabase(config, log);
  const orm = await createOrm(db.url);
  try {
    // A production database may be brand new: the schema comes first.
    await migrateUp(orm);
    const em = orm.em.fork();
    if (cmd === 'create') {
      const s = await createStaff(em, { staffNo, name: opts.name, role, password });
      io.out(`created ${s.role} ${s.staffNo} (${s.name})`);
    } else {
      await updateStaff(em, staffNo, { password });
      await endSessions(config, log, staffNo);
      io.out(`password of ${staffNo} changed; their sessions have ended`);
    }
    return 0;
  } catch (e) {
    if (e instanceof DeskError) return (io.err(e.message), 1);
    throw e;
  } finally {
    await orm.close(true);
    await db.stop();
  }
}

/** Whoever knew the old password must not stay logged in. */
async function endSessions(config: ReturnType<typeof loadConfig>, log: pino.Logger, staffNo: string): Promise<void> {
  const service = await ensureRedis(config, log);
  const redis = new Redis(service.url, { maxRetriesPerRequest: 1 });
  try {
    await new SessionStore(redis, config.ivr.keyPrefix).destroyAllFor(staffNo);
  } finally {
    redis.disconnect();
    await service.stop();
  }
}
