// The one place the environment is read. Nothing here touches process.env at import time:
// callers pass the env explicitly (or take the default) so tests can build configs side by side.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Absolute path of the project root (the folder holding package.json). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// An empty string in the environment (`FOO= npm start`) means "not set", as most shells users expect.
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const port = (fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be an integer 1..65535' }).int('must be an integer').min(1, 'must be 1..65535').max(65535, 'must be 1..65535').default(fallback),
  );

const url = (protocols: string[]) =>
  z.string().refine((s) => {
    try {
      return protocols.includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

const optionalText = (fallback: string) => z.preprocess(blankToUndefined, z.string().default(fallback));

function buildSchema(root: string) {
  return z.object({
    DATABASE_URL: z.preprocess(blankToUndefined, url(['postgres:', 'postgresql:']).optional()),
    REDIS_URL: z.preprocess(blankToUndefined, url(['redis:', 'rediss:']).optional()),
    ARI_URL: z.preprocess(blankToUndefined, url(['http:', 'https:']).default('http://127.0.0.1:8088')),
    ARI_USER: optionalText('hotline'),
    ARI_PASSWORD: optionalText('hotline'),
    ARI_APP: optionalText('hotline'),
    HOTLINE_PORT: port(8080),
    SIM_HOST: optionalText('127.0.0.1'),
    SIM_PORT: port(8088),
    SIM_TIME_SCALE: z.preprocess(blankToUndefined, z.coerce.number({ error: 'must be a number > 0' }).positive('must be a number > 0').default(1)),
    SIM_SOUNDS_DIRS: optionalText(`${path.join(root, 'sounds')}:/usr/share/asterisk/sounds`),
    SIM_RECORDINGS_DIR: z.preprocess(blankToUndefined, z.string().optional()),
    LOG_LEVEL: z.preprocess(
      (v) => (typeof v === 'string' ? blankToUndefined(v.toLowerCase()) : v),
      z.enum(LOG_LEVELS).default('info'),
    ),
    DATA_DIR: optionalText(path.join(root, '.data')),
    CENTRE_NAME: optionalText('某某县公共法律服务中心'),
    CENTRE_HOURS: optionalText('mon-fri 08:30-12:00,14:00-17:30'),
    IVR_FLOW: optionalText(path.join(root, 'flows', '12348.yaml')),
    KEY_PREFIX: optionalText('hotline'),
  });
}

export type Config = Readonly<{
  /** undefined: start the embedded PostgreSQL (see lib/services.ts). */
  databaseUrl: string | undefined;
  /** undefined: spawn a local redis-server (see lib/services.ts). */
  redisUrl: string | undefined;
  ari: Readonly<{ url: string; user: string; password: string; app: string }>;
  hotlinePort: number;
  sim: Readonly<{
    host: string;
    port: number;
    timeScale: number;
    soundsDirs: readonly string[];
    recordingsDir: string;
  }>;
  /** The centre's name (greeting) and opening hours (`mon-fri 08:30-12:00,14:00-17:30`; lib/calendar). */
  centre: Readonly<{ name: string; hours: string }>;
  /** The IVR flow first published from this file; Redis keys are prefixed so several hotlines can share a Redis. */
  ivr: Readonly<{ flowFile: string; keyPrefix: string }>;
  logLevel: (typeof LOG_LEVELS)[number];
  dataDir: string;
  projectRoot: string;
}>;

/** Thrown by loadConfig; `issues` maps each bad variable to what is wrong with it. */
export class ConfigError extends Error {
  constructor(readonly issues: Record<string, string>) {
    super(
      'Invalid configuration:\n' +
        Object.entries(issues)
          .map(([name, msg]) => `  ${name}: ${msg}`)
          .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Relative paths in the environment are taken from the project root, not from the caller's cwd. */
const absolute = (root: string, p: string) => path.resolve(root, p);

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root: string = PROJECT_ROOT): Config {
  const parsed = buildSchema(root).safeParse(env);
  if (!parsed.success) {
    const issues: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '(environment)');
      // Zod's own wording for a failed coercion ("expected number, received NaN") hides the raw value.
      const raw = env[name];
      const msg = issue.message + (raw !== undefined ? ` (got ${JSON.stringify(raw)})` : '');
      issues[name] = issues[name] ? `${issues[name]}; ${msg}` : msg;
    }
    throw new ConfigError(issues);
  }
  const e = parsed.data;
  const dataDir = absolute(root, e.DATA_DIR);
  const config: Config = {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    ari: Object.freeze({ url: e.ARI_URL, user: e.ARI_USER, password: e.ARI_PASSWORD, app: e.ARI_APP }),
    hotlinePort: e.HOTLINE_PORT,
    sim: Object.freeze({
      host: e.SIM_HOST,
      port: e.SIM_PORT,
      timeScale: e.SIM_TIME_SCALE,
      soundsDirs: Object.freeze(
        e.SIM_SOUNDS_DIRS.split(':')
          .filter((d) => d !== '')
          .map((d) => absolute(root, d)),
      ),
      // Defaults under the project, not under DATA_DIR, as documented in the README.
      recordingsDir: absolute(root, e.SIM_RECORDINGS_DIR ?? path.join(root, '.data', 'sim-recordings')),
    }),
    centre: Object.freeze({ name: e.CENTRE_NAME, hours: e.CENTRE_HOURS }),
    ivr: Object.freeze({ flowFile: absolute(root, e.IVR_FLOW), keyPrefix: e.KEY_PREFIX }),
    logLevel: e.LOG_LEVEL,
    dataDir,
    projectRoot: root,
  };
  return Object.freeze(config);
}

/** For entry points: loadConfig(), or print the problems (no stack trace) and exit with code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
}

/** The URL with any password replaced, for log lines and error messages. */
export function redactUrl(u: string): string {
  try {
    const parsed = new URL(u);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
