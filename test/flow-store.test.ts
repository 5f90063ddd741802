// The flow store publishes the flow file at start when it changed, keeps revisions, and never runs an invalid file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import t from 'tap';
import pino from 'pino';
import { createOrm, migrateUp } from '../lib/db.js';
import { dropPostgresDatabase, ensurePostgresDatabase } from '../lib/services.js';
import { FlowStore, FlowRejected } from '../ivr/flow-store.js';
import { DB_BASE } from './helpers/hotline.js';
import { ROOT } from './helpers/sim.js';

const log = pino({ level: 'silent' });
const u = new URL(DB_BASE);
u.pathname = `/hotline_fs_${randomBytes(4).toString('hex')}`;
const url = u.toString();

t.test('start publishes a changed file as the next revision, an unchanged one not at all', async (t) => {
  await ensurePostgresDatabase(url, log);
  const orm = await createOrm(url);
  t.teardown(async () => { await orm.close(true); await dropPostgresDatabase(url); });
  await migrateUp(orm);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flows-'));
  const file = path.join(dir, '12348.yaml');
  const original = readFileSync(path.join(ROOT, 'flows', '12348.yaml'), 'utf8');
  writeFileSync(file, original);

  const a = new FlowStore(orm, '12348', log);
  await a.start(file);
  a.stop();
  t.equal(a.current().revision, 1, 'first start publishes revision 1');

  const b = new FlowStore(orm, '12348', log);
  await b.start(file);
  b.stop();
  t.equal(b.current().revision, 1, 'same file: no new revision');

  writeFileSync(file, original.replace('timeoutMs: 6000', 'timeoutMs: 7000'));
  const c = new FlowStore(orm, '12348', log);
  await c.start(file);
  c.stop();
  t.equal(c.current().revision, 2, 'changed file: revision 2');
  t.ok(c.revision(2), 'the new revision is loaded');

  writeFileSync(file, original.replace('type: menu', 'type: menuu'));
  const d = new FlowStore(orm, '12348', log);
  await d.start(file);
  d.stop();
  t.equal(d.current().revision, 2, 'an invalid file is refused; revision 2 keeps running');
  const err = await d.publish('version: 1\nstart: x\nnodes: {}\n', 'test').then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof FlowRejected, 'publishing an invalid flow is refused');
  t.match((err as FlowRejected).problems.join('\n'), /start/, 'with the reason');
});
