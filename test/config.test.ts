import path from 'node:path';
import t from 'tap';
import { ConfigError, PROJECT_ROOT, loadConfig, redactUrl } from '../config/index.js';

t.test('defaults with an empty environment', async (t) => {
  const c = loadConfig({});
  t.equal(c.databaseUrl, undefined, 'no DATABASE_URL means embedded');
  t.equal(c.redisUrl, undefined, 'no REDIS_URL means local');
  t.same(c.ari, { url: 'http://127.0.0.1:8088', user: 'hotline', password: 'hotline', app: 'hotline' });
  t.equal(c.hotlinePort, 8080);
  t.equal(c.sim.host, '127.0.0.1');
  t.equal(c.sim.port, 8088);
  t.equal(c.sim.timeScale, 1);
  t.same(c.sim.soundsDirs, [path.join(PROJECT_ROOT, 'sounds'), '/usr/share/asterisk/sounds']);
  t.equal(c.sim.recordingsDir, path.join(PROJECT_ROOT, '.data', 'sim-recordings'));
  t.equal(c.logLevel, 'info');
  t.equal(c.dataDir, path.join(PROJECT_ROOT, '.data'));
  t.equal(c.projectRoot, PROJECT_ROOT);
});

t.test('PROJECT_ROOT is the folder with package.json', async (t) => {
  const { existsSync } = await import('node:fs');
  t.ok(existsSync(path.join(PROJECT_ROOT, 'package.json')));
});

t.test('values from the environment are parsed and typed', async (t) => {
  const c = loadConfig({
    DATABASE_URL: 'postgres://u:p@db:5432/x',
    REDIS_URL: 'redis://cache:6379/2',
    ARI_URL: 'https://pbx.example:8089',
    ARI_USER: 'u',
    ARI_PASSWORD: 'p',
    ARI_APP: 'app',
    HOTLINE_PORT: '9000',
    SIM_HOST: '0.0.0.0',
    SIM_PORT: '18088',
    SIM_TIME_SCALE: '0.25',
    SIM_SOUNDS_DIRS: '/a:rel/b::/c',
    SIM_RECORDINGS_DIR: '/tmp/rec',
    LOG_LEVEL: 'DEBUG',
    DATA_DIR: 'var',
  });
  t.equal(c.databaseUrl, 'postgres://u:p@db:5432/x');
  t.equal(c.redisUrl, 'redis://cache:6379/2');
  t.same(c.ari, { url: 'https://pbx.example:8089', user: 'u', password: 'p', app: 'app' });
  t.equal(c.hotlinePort, 9000);
  t.equal(c.sim.port, 18088);
  t.equal(c.sim.host, '0.0.0.0');
  t.equal(c.sim.timeScale, 0.25);
  t.same(c.sim.soundsDirs, ['/a', path.join(PROJECT_ROOT, 'rel/b'), '/c'], 'empty entries dropped, relative resolved');
  t.equal(c.sim.recordingsDir, '/tmp/rec');
  t.equal(c.logLevel, 'debug');
  t.equal(c.dataDir, path.join(PROJECT_ROOT, 'var'), 'relative DATA_DIR is taken from the project root');
});

t.test('blank values count as unset', async (t) => {
  const c = loadConfig({ DATABASE_URL: '', HOTLINE_PORT: ' ', LOG_LEVEL: '' });
  t.equal(c.databaseUrl, undefined);
  t.equal(c.hotlinePort, 8080);
  t.equal(c.logLevel, 'info');
});

t.test('the result is frozen, nested objects too', async (t) => {
  const c = loadConfig({});
  t.ok(Object.isFrozen(c));
  t.ok(Object.isFrozen(c.ari));
  t.ok(Object.isFrozen(c.sim));
  t.ok(Object.isFrozen(c.sim.soundsDirs));
  t.throws(() => {
    (c as { hotlinePort: number }).hotlinePort = 1;
  }, TypeError);
});

t.test('every bad variable is named in one error', async (t) => {
  const env = {
    HOTLINE_PORT: '70000',
    SIM_PORT: 'abc',
    SIM_TIME_SCALE: '0',
    DATABASE_URL: 'mysql://x',
    REDIS_URL: 'not a url',
    LOG_LEVEL: 'loud',
    ARI_URL: 'ws://x',
  };
  let err: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    err = e;
  }
  t.ok(err instanceof ConfigError, 'throws ConfigError');
  const ce = err as ConfigError;
  t.same(Object.keys(ce.issues).sort(), Object.keys(env).sort(), 'each bad variable has an issue');
  for (const name of Object.keys(env)) t.match(ce.message, name, `message names ${name}`);
  t.match(ce.issues.HOTLINE_PORT, /1\.\.65535/);
  t.match(ce.issues.HOTLINE_PORT, /"70000"/, 'shows the value it got');
  t.match(ce.issues.SIM_TIME_SCALE, /> 0/);
});

t.test('ports must be integers', async (t) => {
  t.throws(() => loadConfig({ HOTLINE_PORT: '80.5' }), /HOTLINE_PORT: must be an integer/);
  t.throws(() => loadConfig({ SIM_PORT: '0' }), /SIM_PORT: must be 1\.\.65535/);
  t.throws(() => loadConfig({ HOTLINE_PORT: 'abc' }), /HOTLINE_PORT: must be an integer 1\.\.65535 \(got "abc"\)/);
  t.throws(() => loadConfig({ SIM_TIME_SCALE: 'fast' }), /SIM_TIME_SCALE: must be a number > 0/);
});

t.test('does not read process.env unless asked', async (t) => {
  const saved = process.env.HOTLINE_PORT;
  process.env.HOTLINE_PORT = '1234';
  try {
    t.equal(loadConfig({}).hotlinePort, 8080, 'explicit env wins');
    t.equal(loadConfig().hotlinePort, 1234, 'default argument is process.env');
  } finally {
    if (saved === undefined) delete process.env.HOTLINE_PORT;
    else process.env.HOTLINE_PORT = saved;
  }
});

t.test('redactUrl hides passwords', async (t) => {
  t.equal(redactUrl('postgres://u:secret@h:5432/db'), 'postgres://u:***@h:5432/db');
  t.equal(redactUrl('redis://h:6379'), 'redis://h:6379');
  t.equal(redactUrl('::'), '(unparsable URL)');
});

t.test('recordings: development key only for the demo; a real key, rotation and retention from the environment', async (t) => {
  const { keyRingFromConfig } = await import('../recordings-store/setup.js');
  const dev = loadConfig({});
  t.equal(dev.recordings.devKey, true);
  t.equal(keyRingFromConfig(dev).current.id, 'dev-insecure', 'the demo may run on the development key');
  t.throws(() => keyRingFromConfig(loadConfig({ DATABASE_URL: 'postgres://u@db/x' })), /RECORDINGS_KEY and RECORDINGS_KEY_ID must be set/, 'production refuses it');
  const key = Buffer.alloc(32, 1).toString('base64'), old = Buffer.alloc(32, 2).toString('base64');
  const c = loadConfig({ DATABASE_URL: 'postgres://u@db/x', RECORDINGS_KEY: key, RECORDINGS_KEY_ID: 'k2', RECORDINGS_OLD_KEYS: `k1:${old}`,
    RETENTION_CALL_DAYS: '1825', RETENTION_VOICEMAIL_DAYS: '365', RECORDINGS_MIN_FREE_MB: '2048', RECORDINGS_DOWNLOAD_ROLES: 'supervisor,admin' });
  const ring = keyRingFromConfig(c);
  t.equal(ring.current.id, 'k2');
  t.same(ring.get('k1'), Buffer.alloc(32, 2));
  t.same(c.recordings.retentionDays, { call: 1825, voicemail: 365 });
  t.equal(c.recordings.minFreeBytes, 2048 * 1024 * 1024);
  t.same(c.recordings.downloadRoles, ['supervisor', 'admin']);
  t.equal(c.recordings.dir, path.join(PROJECT_ROOT, '.data', 'recordings'));
  t.throws(() => loadConfig({ RECORDINGS_KEY: 'c2hvcnQ=', RECORDINGS_KEY_ID: 'x' }), /RECORDINGS_KEY: must be 32 bytes/);
  t.throws(() => loadConfig({ RECORDINGS_KEY: key }), /RECORDINGS_KEY_ID: is required with RECORDINGS_KEY/);
  t.throws(() => loadConfig({ RECORDINGS_STORE: 's3' }), /RECORDINGS_S3_ENDPOINT: is required/);
  t.throws(() => loadConfig({ RETENTION_CALL_DAYS: '0' }), /RETENTION_CALL_DAYS/);
});
