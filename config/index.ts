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
    // Recordings (recordings-store/): the AES-256-GCM key of new files and its id; older keys stay readable.
    RECORDINGS_KEY: z.preprocess(blankToUndefined, z.string().refine((s) => base64Key(s) !== undefined,
      'must be 32 bytes in base64 (openssl rand -base64 32)').optional()),
    RECORDINGS_KEY_ID: z.preprocess(blankToUndefined, z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'must be 1-32 of A-Z a-z 0-9 _ . -').optional()),
    RECORDINGS_OLD_KEYS: z.preprocess(blankToUndefined, z.string().refine((s) => parseOldKeys(s) !== undefined,
      'must be id:base64key pairs separated by commas').optional()),
    RECORDINGS_STORE: z.preprocess(blankToUndefined, z.enum(['fs', 's3']).default('fs')),
    RECORDINGS_DIR: z.preprocess(blankToUndefined, z.string().optional()),
    RECORDINGS_S3_ENDPOINT: z.preprocess(blankToUndefined, url(['http:', 'https:']).optional()),
    RECORDINGS_S3_BUCKET: optionalText(''),
    RECORDINGS_S3_REGION: optionalText('us-east-1'),
    RECORDINGS_S3_ACCESS_KEY: optionalText(''),
    RECORDINGS_S3_SECRET_KEY: optionalText(''),
    RETENTION_CALL_DAYS: days(3 * 365),
    RETENTION_VOICEMAIL_DAYS: days(3 * 365),
    RECORDINGS_MIN_FREE_MB: z.preprocess(blankToUndefined, z.coerce.number({ error: 'must be a number of MB >= 0' }).min(0, 'must be >= 0').default(1024)),
    RECORDINGS_DOWNLOAD_ROLES: optionalText('supervisor'),
    // Calls the centre places (callbacks, reminders): the dial string for a number, `{number}` filled in.
    OUTBOUND_ENDPOINT: z.preprocess(blankToUndefined, z.string().refine((s) => s.includes('{number}'), 'must contain {number}, e.g. PJSIP/{number}@trunk').optional()),
    OUTBOUND_CALLER_ID: optionalText('12348'),
    CALLBACK_MISSED_DELAY_MIN: minutes(5, 0),
    CALLBACK_SLA_MIN: minutes(120, 1),
    CALLBACK_MAX_ATTEMPTS: z.preprocess(blankToUndefined, z.coerce.number({ error: 'must be a whole number 1-10' }).int('must be a whole number 1-10').min(1).max(10).default(3)),
    CALLBACK_RETRY_MIN: minutes(15, 1),
    CALLBACK_CALLER_FIRST: z.preprocess(blankToUndefined, z.enum(['true', 'false'], { error: 'must be true or false' }).default('false')),
    // QA (质检): the share of answered calls sampled each working day; 0.05 is the provincial norm (质检率 >= 5 %).
    QA_SAMPLE_RATE: z.preprocess(blankToUndefined, z.coerce.number({ error: 'must be a number 0..1' }).min(0, 'must be 0..1').max(1, 'must be 0..1').default(0.05)),
  }).superRefine((e, ctx) => {
    if (e.RECORDINGS_KEY && !e.RECORDINGS_KEY_ID) ctx.addIssue({ code: 'custom', path: ['RECORDINGS_KEY_ID'], message: 'is required with RECORDINGS_KEY' });
    if (e.RECORDINGS_STORE === 's3') {
      for (const k of ['RECORDINGS_S3_ENDPOINT', 'RECORDINGS_S3_BUCKET', 'RECORDINGS_S3_ACCESS_KEY', 'RECORDINGS_S3_SECRET_KEY'] as const) {
        if (!e[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'is required with RECORDINGS_STORE=s3' });
      }
    }
    for (const r of e.RECORDINGS_DOWNLOAD_ROLES.split(',').map((x) => x.trim()).filter(Boolean)) {
      if (!['agent', 'supervisor', 'admin'].includes(r)) ctx.addIssue({ code: 'custom', path: ['RECORDINGS_DOWNLOAD_ROLES'], message: `unknown role ${r}` });
    }
  });
}

const minutes = (fallback: number, min: number) =>
  z.preprocess(blankToUndefined, z.coerce.number({ error: `must be a whole number of minutes >= ${min}` }).int('must be a whole number of minutes').min(min, `must be >= ${min}`).default(fallback));

const days = (fallback: number) =>
  z.preprocess(blankToUndefined, z.coerce.number({ error: 'must be a whole number of days >= 1' }).int('must be a whole number of days').min(1, 'must be >= 1').default(fallback));

function base64Key(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s.trim())) return undefined;
  const b = Buffer.from(s.trim(), 'base64');
  return b.length === 32 ? b : undefined;
}

function parseOldKeys(s: string): Array<{ id: string; key: Buffer }> | undefined {
  const out: Array<{ id: string; key: Buffer }> = [];
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    const key = i > 0 ? base64Key(part.slice(i + 1)) : undefined;
    if (!key || !/^[A-Za-z0-9_.-]{1,32}$/.test(part.slice(0, i))) return undefined;
    out.push({ id: part.slice(0, i), key });
  }
  return out;
}

/**
 * The development key: public (it is in this file), so recordings under it are protected from nobody. npm start on
 * the demo set-up uses it; anything else refuses to start with it (recordingKeysOrThrow).
 */
const DEV_KEY = Buffer.alloc(32, 0x5a);
export const DEV_KEY_ID = 'dev-insecure';

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
  recordings: Readonly<{
    /** Encrypts new files; `devKey` when nothing was configured (only the demo may run like that). */
    key: Readonly<{ id: string; key: Buffer }>;
    devKey: boolean;
    /** Keys of earlier rotations, still needed to read older files. */
    oldKeys: ReadonlyArray<Readonly<{ id: string; key: Buffer }>>;
    store: 'fs' | 's3';
    dir: string;
    s3: Readonly<{ endpoint?: string; bucket: string; region: string; accessKey: string; secretKey: string }>;
    retentionDays: Readonly<{ call: number; voicemail: number }>;
    /** Below this much free space the store stops writing (alarm) rather than filling the disk. */
    minFreeBytes: number;
    downloadRoles: readonly string[];
  }>;
  /** Calls the centre places: `endpoint` unset means none can be placed on a real Asterisk (the simulator dials PJSIP/{number}). */
  outbound: Readonly<{ endpoint?: string; callerId: string }>;
  /** Callbacks (lib/callbacks): when a missed call is called back, its deadline, attempts and their spacing. */
  callbacks: Readonly<{ missedDelayMs: number; slaMs: number; maxAttempts: number; retryMs: number; callerFirst: boolean }>;
  /** QA scoring (lib/qa): the daily sample's share of the answered calls (0..1). */
  qa: Readonly<{ sampleRate: number }>;
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
    outbound: Object.freeze({ endpoint: e.OUTBOUND_ENDPOINT, callerId: e.OUTBOUND_CALLER_ID }),
    callbacks: Object.freeze({
      missedDelayMs: e.CALLBACK_MISSED_DELAY_MIN * 60_000, slaMs: e.CALLBACK_SLA_MIN * 60_000, maxAttempts: e.CALLBACK_MAX_ATTEMPTS,
      retryMs: e.CALLBACK_RETRY_MIN * 60_000, callerFirst: e.CALLBACK_CALLER_FIRST === 'true',
    }),
    qa: Object.freeze({ sampleRate: e.QA_SAMPLE_RATE }),
    recordings: Object.freeze({
      key: Object.freeze(e.RECORDINGS_KEY ? { id: e.RECORDINGS_KEY_ID!, key: base64Key(e.RECORDINGS_KEY)! } : { id: DEV_KEY_ID, key: DEV_KEY }),
      devKey: !e.RECORDINGS_KEY,
      oldKeys: Object.freeze(e.RECORDINGS_OLD_KEYS ? parseOldKeys(e.RECORDINGS_OLD_KEYS)! : []),
      store: e.RECORDINGS_STORE,
      dir: absolute(root, e.RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
      s3: Object.freeze({ endpoint: e.RECORDINGS_S3_ENDPOINT, bucket: e.RECORDINGS_S3_BUCKET, region: e.RECORDINGS_S3_REGION,
        accessKey: e.RECORDINGS_S3_ACCESS_KEY, secretKey: e.RECORDINGS_S3_SECRET_KEY }),
      retentionDays: Object.freeze({ call: e.RETENTION_CALL_DAYS, voicemail: e.RETENTION_VOICEMAIL_DAYS }),
      minFreeBytes: Math.round(e.RECORDINGS_MIN_FREE_MB * 1024 * 1024),
      downloadRoles: Object.freeze(e.RECORDINGS_DOWNLOAD_ROLES.split(',').map((x) => x.trim()).filter(Boolean)),
    }),
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
