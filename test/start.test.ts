// scripts/start.ts's sequence with stand-in components, on the real PostgreSQL and Redis.
import t from 'tap';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { dropPostgresDatabase, pgQuery } from '../lib/services.js';
import type { Component } from '../scripts/components.js';
import { startHotline } from '../scripts/start.js';

const log = pino({ level: 'silent' });
const base = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test');
base.pathname = `/hotline_start_${process.pid}_${Date.now()}`;
const DB = base.toString();
const config = loadConfig({ DATABASE_URL: DB, REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379' });

t.teardown(() => dropPostgresDatabase(DB));

function fake(name: string, trail: string[], failStart = false): Component {
  return {
    name,
    async start(ctx) {
      if (failStart) throw new Error(`${name} refuses to start`);
      trail.push(`start ${name}`);
      t.equal(ctx.databaseUrl, DB, `${name} gets the resolved database`);
      return {
        urls: [`http://127.0.0.1/${name}`],
        async stop() {
          trail.push(`stop ${name}`);
        },
      };
    },
  };
}

const events = () =>
  pgQuery<{ source: string; kind: string }>(DB, 'select source, kind from system_event order by id');

t.test('components start in order, stop in reverse, and the audit trail records it', async (t) => {
  const trail: string[] = [];
  const running = await startHotline({ config, log, components: [fake('a', trail), fake('b', trail)] });
  t.same(running.listening, { a: ['http://127.0.0.1/a'], b: ['http://127.0.0.1/b'] });
  await running.stop('test');
  await running.stop('again');
  t.same(trail, ['start a', 'start b', 'stop b', 'stop a'], 'stopped once, in reverse order');
  t.same((await events()).map((e) => `${e.source} ${e.kind}`), [
    'hotline services-ready',
    'a started',
    'b started',
    'b stopped',
    'a stopped',
    'hotline stopped',
  ]);
});

t.test('a component failing to start stops the ones before it and rethrows', async (t) => {
  await pgQuery(DB, 'truncate system_event');
  const trail: string[] = [];
  await t.rejects(
    startHotline({ config, log, components: [fake('a', trail), fake('bad', trail, true)] }),
    /bad refuses to start/,
  );
  t.same(trail, ['start a', 'stop a']);
  t.same((await events()).map((e) => `${e.source} ${e.kind}`), [
    'hotline services-ready',
    'a started',
    'hotline start-failed',
    'a stopped',
    'hotline stopped',
  ]);
});
