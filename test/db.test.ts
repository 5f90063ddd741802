// Applies the migrations to a throwaway database on the real PostgreSQL and checks the result.
import { readdirSync } from 'node:fs';
import t from 'tap';
import pino from 'pino';
import { createOrm, migrateUp, MIGRATIONS_DIR, recordSystemEvent } from '../lib/db.js';
import { SystemEvent } from '../lib/entities/system-event.js';
import { dropPostgresDatabase, ensurePostgresDatabase, pgQuery } from '../lib/services.js';

const log = pino({ level: 'silent' });
const base = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const u = new URL(base);
u.pathname = `/hotline_migrate_${process.pid}_${Date.now()}`;
const url = u.toString();

t.before(async () => {
  await ensurePostgresDatabase(url, log);
});
t.teardown(async () => {
  await dropPostgresDatabase(url);
});

t.test('migrations create system_event, and a second run applies nothing', async (t) => {
  const orm = await createOrm(url);
  t.teardown(() => orm.close(true));
  const applied = await migrateUp(orm, log);
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
  t.same(applied, files, 'every migration ran, in name order');
  t.equal(applied[0], 'Migration20251126000000_system_event');
  t.same(await migrateUp(orm, log), [], 'nothing pending the second time');

  const cols = await pgQuery<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
    url,
    `select column_name, data_type, is_nullable, column_default from information_schema.columns
      where table_schema = 'public' and table_name = 'system_event' order by ordinal_position`,
  );
  t.same(
    cols.map((c) => [c.column_name, c.data_type, c.is_nullable]),
    [
      ['id', 'bigint', 'NO'],
      ['at', 'timestamp with time zone', 'NO'],
      ['source', 'text', 'NO'],
      ['kind', 'text', 'NO'],
      ['details', 'jsonb', 'YES'],
    ],
  );
  t.match(cols[0].column_default, /nextval/, 'id is a bigserial');
  t.match(cols[1].column_default, /now\(\)/, 'at defaults to now()');
});

t.test('the entity maps onto the table', async (t) => {
  const orm = await createOrm(url);
  t.teardown(() => orm.close(true));
  await migrateUp(orm);
  await recordSystemEvent(orm, 'test', 'started', { port: 8080, note: '启动' });
  await pgQuery(url, `insert into system_event (source, kind) values ('sql', 'raw')`);
  const rows = await orm.em.fork().find(SystemEvent, {}, { orderBy: { id: 'asc' } });
  t.equal(rows.length, 2);
  t.equal(rows[0].source, 'test');
  t.same(rows[0].details, { port: 8080, note: '启动' }, 'jsonb round-trips, Chinese included');
  t.type(rows[0].id, 'string', 'bigint ids come back as strings');
  t.ok(rows[1].at instanceof Date && Math.abs(rows[1].at.getTime() - Date.now()) < 60_000, 'database default now()');
  t.equal(rows[1].details, null);
});
