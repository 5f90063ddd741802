// `npm test`: resolve PostgreSQL and Redis, export them as DATABASE_URL / REDIS_URL, run tap
// with any extra arguments, stop what we started, exit with tap's code.
// Given URLs are used as they are (CI sets them). Without them, the embedded PostgreSQL and a
// local redis-server are used from DATA_DIR/test, apart from the ones `npm start` uses, so tests
// never touch a developer's running data.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { loadConfigOrExit } from '../config/index.js';
import { ensureDatabase, ensureRedis, type Service } from '../lib/services.js';

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  // stderr: stdout belongs to tap's report.
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const testConfig = { ...config, dataDir: path.join(config.dataDir, 'test') };

  const started: Service[] = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop().catch((err: unknown) => log.error({ err }, 'stop failed'));
  };

  let code = 1;
  try {
    const db = await ensureDatabase(testConfig, log);
    started.push(db);
    const redis = await ensureRedis(testConfig, log);
    started.push(redis);
    process.stderr.write(
      `[test] DATABASE_URL=${config.databaseUrl ? '(given)' : db.url} REDIS_URL=${config.redisUrl ? '(given)' : redis.url}\n`,
    );

    const tap = path.join(config.projectRoot, 'node_modules', '.bin', 'tap');
    const child = spawn(tap, process.argv.slice(2), {
      cwd: config.projectRoot,
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: redis.url },
    });
    // Ctrl-C reaches tap through the terminal too; forwarding covers `kill <pid>` of this process.
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    code = await new Promise<number>((resolve) => {
      child.on('error', (err) => {
        log.error({ err }, 'could not run tap');
        resolve(1);
      });
      child.on('exit', (c, sig) => resolve(c ?? (sig === 'SIGINT' ? 130 : 1)));
    });
  } catch (err) {
    log.fatal({ err }, 'could not provide the services the tests need');
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  } finally {
    await stopAll();
  }
  return code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(await main());
