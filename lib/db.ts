// MikroORM setup. Entities are listed explicitly (no folder scanning, no reflection), so the
// same code runs under tsx, under tap and from compiled JS alike.
import path from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { PROJECT_ROOT } from '../config/index.js';
import { Callback, CallbackAttempt } from './entities/callback.js';
import { CallRecord } from './entities/call-record.js';
import { FlowRevision } from './entities/flow-revision.js';
import { Caller, PresenceHistoryRow, ServiceQueue, VulnerableCaller } from './entities/ledger-extra.js';
import { LegalHold, Recording, RecordingAudit, RecordingPause } from './entities/recording.js';
import { Staff } from './entities/staff.js';
import { SystemEvent } from './entities/system-event.js';
import { WorkOrder } from './entities/work-order.js';
import { afterCallEntities } from './entities/after-call.js';
import { qaEntities } from './entities/qa.js';
import type { Log } from './proc.js';

/** Every entity of the application. Add new ones here (and a migration in migrations/). */
export const entities = [
  SystemEvent, CallRecord, FlowRevision, Staff, WorkOrder, Caller, VulnerableCaller, ServiceQueue, PresenceHistoryRow, ...afterCallEntities,
  Recording, RecordingPause, LegalHold, RecordingAudit, Callback, CallbackAttempt,
  ...qaEntities,
];

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');

export function ormOptions(url: string, extra: Partial<Options> = {}): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: url,
    entities,
    extensions: [Migrator],
    // Migrations are hand-written .ts files; tsx (or tap's --import=tsx) loads them directly.
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      glob: '!(*.d).{js,ts}',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    // Discovery must not fail because a test opened the ORM without touching every entity.
    discovery: { warnWhenNoEntities: false },
    debug: false,
    ...extra,
  };
}

export function createOrm(url: string, extra: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(url, extra));
}

/** Applies pending migrations; returns the names it applied (empty when up to date). */
export async function migrateUp(orm: MikroORM, log?: Log): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  const names = applied.map((m) => m.name);
  if (log) log.info({ applied: names }, names.length ? 'migrations applied' : 'database schema up to date');
  return names;
}

/** Appends one row to system_event; failures are the caller's to log, never to crash on. */
export async function recordSystemEvent(
  orm: MikroORM,
  source: string,
  kind: string,
  details?: Record<string, unknown>,
): Promise<void> {
  const em = orm.em.fork();
  em.create(SystemEvent, { source, kind, details: details ?? null, at: new Date() });
  await em.flush();
}
