// `npm run migrate`: applies pending migrations to the resolved database (DATABASE_URL, or the
// embedded PostgreSQL, which is started for the occasion and stopped again).
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { loadConfigOrExit } from '../config/index.js';
import { createOrm, migrateUp } from '../lib/db.js';
import { ensureDatabase } from '../lib/services.js';

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel });
  const db = await ensureDatabase(config, log);
  try {
    const orm = await createOrm(db.url);
    try {
      await migrateUp(orm, log);
    } finally {
      await orm.close(true);
    }
    return 0;
  } catch (err) {
    log.fatal({ err }, 'migration failed');
    return 1;
  } finally {
    await db.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(await main());
