// The call-record pipeline on the real Redis and PostgreSQL: events from CallEventSink, applied by the applier into
// call_record, read back through the call_ledger view. A throwaway database and a per-run key prefix; both removed.
import t from 'tap';
import pino from 'pino';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm, migrateUp } from '../lib/db.js';
import { dropPostgresDatabase, ensurePostgresDatabase, pgQuery } from '../lib/services.js';
import { waitFor } from '../lib/proc.js';
import { CallEventSink, CallRecorder, callEventsKey } from '../ivr/records/emitter.js';
import { startCallRecordApplier, deadLetterKey, type CallRecordApplier } from '../ivr/records/applier.js';
import { closeStaleCalls } from '../ivr/records/store.js';
import { CallEvents } from '../ivr/records/recorder.js';
import type { CallEvent } from '../ivr/records/events.js';

const log = pino({ level: 'silent' });
const base = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test');
base.pathname = `/hotline_callrec_${process.pid}_${Date.now()}`;
const dbUrl = base.toString();
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const prefix = `test:callrec:${process.pid}:${Date.now()}`;
const key = callEventsKey(prefix);

let orm: MikroORM;
let redis: Redis;
let sink: CallEventSink;
let applier: CallRecordApplier;
const registry = new Registry();

t.before(async () => {
  await ensurePostgresDatabase(dbUrl, log);
  orm = await createOrm(dbUrl);
  await migrateUp(orm);
  redis = new Redis(redisUrl);
  sink = new CallEventSink({ redisUrl, keyPrefix: prefix, log, registry });
  applier = startCallRecordApplier({ orm, redisUrl, keyPrefix: prefix, log, registry, blockMs: 100, holdRetryMs: 50,
    gapWaitMs: 400, batchSize: 4, staleAfterMs: 0 });
});
t.teardown(async () => {
  await sink?.close(1000);
  await applier?.stop();
  await redis?.del(key, deadLetterKey(prefix));
  redis?.disconnect();
  await orm?.close(true);
  await dropPostgresDatabase(dbUrl);
});

type Row = Record<string, unknown>;
const record = async (callId: string): Promise<Row | undefined> =>
  (await pgQuery(dbUrl, 'select * from call_record where call_id = $1', [callId]))[0];
const countRecords = async (callId: string) =>
  Number((await pgQuery(dbUrl, 'select count(*) as n from call_record where call_id = $1', [callId]))[0].n);
/** Waits until the stream holds nothing (every entry applied or set aside, and deleted). */
const settled = () => waitFor(async () => {
  const n = await redis.xlen(key);
  if (n !== 0) throw new Error(`${n} entries still in the stream`);
}, 10_000, 25);
const ended = (callId: string) => waitFor(async () => {
  const r = await record(callId);
  if (!r?.ended_at) throw new Error(`${callId} not ended yet`);
  return r;
}, 10_000, 25);

/** A fake clock: each event one second after the previous, from a fixed instant. */
function recorder(callId: string, start = Date.parse('2025-11-26T09:00:00+08:00')): CallRecorder {
  let now = start;
  return sink.forCall(callId, { clock: () => (now += 1000) });
}

function answeredCall(callId: string): CallEvent[] {
  const c = recorder(callId);
  return [
    c.emit({ type: 'arrived', callerNumber: '13800138000', calledNumber: '12348', flowName: '12348', flowRevision: 7 }),
    c.emit({ type: 'node_entered', node: 'greeting', nodeType: 'play' }),
    c.emit({ type: 'node_left', node: 'greeting', nodeType: 'play', outcome: 'done' }),
    c.emit({ type: 'node_entered', node: 'main', nodeType: 'menu' }),
    c.emit({ type: 'node_left', node: 'main', nodeType: 'menu', outcome: 'digits', digits: '1' }),
    c.emit({ type: 'tagged', key: 'serviceLine', value: 'consultation' }),
    c.emit({ type: 'node_entered', node: 'topic', nodeType: 'menu' }),
    c.emit({ type: 'node_left', node: 'topic', nodeType: 'menu', outcome: 'digits', digits: '2' }),
    c.emit({ type: 'tagged', key: 'legal_topic', value: 'labour' }),
    c.emit({ type: 'tagged', key: 'priority', value: 1 }),
    c.emit({ type: 'node_entered', node: 'queue', nodeType: 'queue' }),
    c.emit({ type: 'queued', serviceLine: 'consultation', legalTopic: 'labour', priority: 0, requestedAgent: '1024' }),
    c.emit({ type: 'answered', agent: '1024' }),
    c.emit({ type: 'node_left', node: 'queue', nodeType: 'queue', outcome: 'answered' }),
    c.emit({ type: 'node_entered', node: 'survey', nodeType: 'survey' }),
    c.emit({ type: 'node_left', node: 'survey', nodeType: 'survey', outcome: 'digits', digits: '1' }),
    c.emit({ type: 'survey_rated', rating: 1 }),
    c.emit({ type: 'ended', reason: 'completed' }),
  ];
}

const iso = (v: unknown) => (v as Date).toISOString();

t.test('a call answered by a lawyer leaves exactly one record with every field', async (t) => {
  const events = answeredCall('call-answered');
  const r = await ended('call-answered');
  t.equal(await countRecords('call-answered'), 1);
  t.match(r, {
    caller_number: '13800138000', called_number: '12348', flow_name: '12348', flow_revision: 7,
    service_line: 'consultation', legal_topic: 'labour', priority: 1, requested_agent: '1024', agent: '1024',
    survey_rating: 1, voicemail_recording: null, end_reason: 'completed', events_applied: 18,
  });
  t.equal(r.last_seq, String(events[17].seq), 'last_seq is the last event\'s');
  t.equal(events[17].seq - events[0].seq, 17, 'consecutive seqs');
  t.equal(iso(r.arrived_at), '2025-11-26T01:00:01.000Z', 'arrived_at is the arrived event time');
  t.equal(iso(r.queued_at), '2025-11-26T01:00:12.000Z');
  t.equal(iso(r.answered_at), '2025-11-26T01:00:13.000Z', 'answered by a person, not the IVR');
  t.equal(iso(r.ended_at), '2025-11-26T01:00:18.000Z');
  t.same(r.path, [
    { node: 'greeting', type: 'play', outcome: 'done', at: '2025-11-26T01:00:02.000Z' },
    { node: 'main', type: 'menu', outcome: 'digits', digits: '1', at: '2025-11-26T01:00:04.000Z' },
    { node: 'topic', type: 'menu', outcome: 'digits', digits: '2', at: '2025-11-26T01:00:07.000Z' },
    { node: 'queue', type: 'queue', outcome: 'answered', at: '2025-11-26T01:00:11.000Z' },
    { node: 'survey', type: 'survey', outcome: 'digits', digits: '1', at: '2025-11-26T01:00:15.000Z' },
  ], 'path in order, with digits');
  t.same(r.tags, { serviceLine: 'consultation', legal_topic: 'labour', priority: 1 });
  t.equal(r.priority, 1, 'green channel kept although the queue event said 0');
});

t.test('unanswered calls get their record too: hang-up in a menu, voicemail after hours', async (t) => {
  const a = recorder('call-hangup');
  a.emit({ type: 'arrived', callerNumber: '13900000001', calledNumber: '12348', flowName: '12348', flowRevision: 7 });
  a.emit({ type: 'node_entered', node: 'main', nodeType: 'menu' });
  a.emit({ type: 'ended', reason: 'caller_hangup' });
  const b = recorder('call-vm');
  b.emit({ type: 'arrived', callerNumber: '13900000002', calledNumber: '12348', flowName: '12348', flowRevision: 7 });
  b.emit({ type: 'node_entered', node: 'after_hours', nodeType: 'hours' });
  b.emit({ type: 'node_left', node: 'after_hours', nodeType: 'hours', outcome: 'closed' });
  b.emit({ type: 'node_entered', node: 'message', nodeType: 'voicemail' });
  b.emit({ type: 'voicemail_recorded', recording: 'vm-call-vm' });
  b.emit({ type: 'node_left', node: 'message', nodeType: 'voicemail', outcome: 'recorded' });
  b.emit({ type: 'ended', reason: 'voicemail' });
  const ra = await ended('call-hangup');
  t.match(ra, { end_reason: 'caller_hangup', answered_at: null, queued_at: null, service_line: null, priority: 0 });
  t.same(ra.path, [{ node: 'main', type: 'menu', outcome: 'caller_hangup', at: '2025-11-26T01:00:02.000Z' }],
    'the node the caller hung up in carries the end reason');
  const rb = await ended('call-vm');
  t.match(rb, { end_reason: 'voicemail', voicemail_recording: 'vm-call-vm', answered_at: null });
  t.same((rb.path as { outcome: string }[]).map((s) => s.outcome), ['closed', 'recorded']);
});

t.test('replays, duplicates and reordering change nothing', async (t) => {
  const events = answeredCall('call-replay');
  const before = await ended('call-replay');
  await settled();
  // Everything again, twice, backwards and shuffled, straight into the stream (as a retried XADD or a replay would).
  const again = [...events, ...events].reverse();
  for (let i = again.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [again[i], again[j]] = [again[j], again[i]];
  }
  for (const e of again) await redis.xadd(key, '*', 'e', JSON.stringify(e));
  await settled();
  t.same(await record('call-replay'), before, 'the row is identical, updated_at included');
  t.equal(await countRecords('call-replay'), 1);
  t.ok(applier.stats().duplicates >= again.length, 'all counted as duplicates');
});

t.test('a first delivery out of order (across batches) builds the same record as an ordered one', async (t) => {
  const events = answeredCall('call-ordered');
  const ordered = await ended('call-ordered');
  const gapsBefore = applier.stats().gapsSkipped;
  const shuffled = events.map((e) => ({ ...e, callId: 'call-shuffled' })).reverse();
  // Written at once (MULTI): a slow, event-by-event write would be a real gap once gapWaitMs (400 ms here) passed.
  const multi = redis.multi();
  for (const e of shuffled) multi.xadd(key, '*', 'e', JSON.stringify(e));
  await multi.exec();
  const r = await ended('call-shuffled');
  await settled();
  const strip = (row: Row) => ({ ...row, id: 0, call_id: '', created_at: 0, updated_at: 0 });
  t.same(strip((await record('call-shuffled'))!), strip(ordered));
  t.equal(r.events_applied, 18);
  t.equal(applier.stats().gapsSkipped - gapsBefore, 0, 'held until the gaps filled, not skipped');
});

t.test('a seq that never comes is waited for, then skipped; the rest still applies', async (t) => {
  // Numbered like a session would, but written straight to the stream so that seq 2 can go missing.
  let now = Date.parse('2025-11-26T09:00:00+08:00');
  const c = new CallRecorder({ emit: () => undefined }, 'call-gap', { clock: () => (now += 1000) });
  const events = [
    c.emit({ type: 'arrived', callerNumber: '13700000000', calledNumber: '12348', flowName: '12348', flowRevision: 7 }),
    c.emit({ type: 'node_entered', node: 'main', nodeType: 'menu' }),
    c.emit({ type: 'node_left', node: 'main', nodeType: 'menu', outcome: 'digits', digits: '0' }),
    c.emit({ type: 'ended', reason: 'caller_hangup' }),
  ];
  for (const e of [events[0], events[2], events[3]]) await redis.xadd(key, '*', 'e', JSON.stringify(e));
  const gapsBefore = applier.stats().gapsSkipped;
  const r = await ended('call-gap');
  t.match(r, { events_applied: 3, last_seq: String(events[3].seq), end_reason: 'caller_hangup' });
  t.same(r.path, [{ node: 'main', type: 'menu', outcome: 'digits', digits: '0', at: '2025-11-26T01:00:03.000Z' }]);
  t.equal(applier.stats().gapsSkipped - gapsBefore, 1);
});

t.test('a controller adopting a call continues its record without waiting for the lost events', async (t) => {
  const first = recorder('call-adopted');
  first.emit({ type: 'arrived', callerNumber: '13600000000', calledNumber: '12348', flowName: '12348', flowRevision: 7 });
  first.emit({ type: 'node_entered', node: 'main', nodeType: 'menu' });
  await waitFor(async () => {
    if ((await record('call-adopted'))?.events_applied !== 2) throw new Error('not yet');
  }, 5000, 25);
  const gapsBefore = applier.stats().gapsSkipped;
  const second = sink.forCall('call-adopted', { adopted: true }); // a new process: seq restarts higher
  second.emit({ type: 'node_entered', node: 'operator', nodeType: 'queue' });
  second.emit({ type: 'ended', reason: 'abandoned_in_queue' });
  const r = await ended('call-adopted');
  t.same((r.path as { node: string; outcome: string }[]).map((s) => [s.node, s.outcome]),
    [['main', 'interrupted'], ['operator', 'abandoned_in_queue']]);
  t.equal(r.last_seq, String(second.lastSeq));
  t.equal(applier.stats().gapsSkipped - gapsBefore, 0, 'a new session is not counted as lost events');
});

t.test('events that can never apply are set aside, not retried forever', async (t) => {
  const dead = deadLetterKey(prefix);
  await redis.xadd(key, '*', 'e', 'not json');
  await redis.xadd(key, '*', 'e', JSON.stringify({ callId: 'x', seq: 1, at: 'yesterday', type: 'arrived' }));
  const c = recorder('call-after-poison');
  c.emit({ type: 'arrived', callerNumber: '13400000000', calledNumber: '12348', flowName: '12348', flowRevision: 7 });
  c.emit({ type: 'ended', reason: 'error' });
  await ended('call-after-poison');
  await settled();
  const entries = await redis.xrange(dead, '-', '+');
  t.equal(entries.length, 2);
  t.match(entries[0][1], ['e', 'not json', 'error', /not JSON/, 'source', /^\d+-\d+$/]);
  t.match(entries[1][1][3], /at/);
});

t.test('calls left open for hours are closed as controller_lost', async (t) => {
  const c = recorder('call-stale', Date.now() - 6 * 3600_000);
  c.emit({ type: 'arrived', callerNumber: '13500000000', calledNumber: '12348', flowName: '12348', flowRevision: 7 });
  c.emit({ type: 'node_entered', node: 'main', nodeType: 'menu' });
  await waitFor(async () => {
    if ((await record('call-stale'))?.events_applied !== 2) throw new Error('not yet');
  }, 5000, 25);
  t.ok((await closeStaleCalls(orm, 4 * 3600_000)) >= 1);
  const r = (await record('call-stale'))!;
  t.match(r, { end_reason: 'controller_lost' });
  t.equal(iso(r.ended_at), iso(r.last_event_at), 'ended at its last known event');
  t.same((r.path as { outcome: string }[]).map((s) => s.outcome), ['controller_lost']);
  t.equal(await closeStaleCalls(orm, 4 * 3600_000), 0, 'answered calls and closed ones are left alone');
});

t.test('CallEvents: the controller reports facts by call id; a call it did not see arrive is adopted', async (t) => {
  let now = Date.parse('2025-11-26T10:00:00+08:00');
  const events = new CallEvents(sink, { clock: () => (now += 1000) });
  events.arrived({ callId: 'facade-1', callerNumber: '13300000000', calledNumber: '12348' }, { name: '12348', revision: 9 });
  events.node('facade-1', { node: 'main', type: 'menu' });
  events.node('facade-1', { node: 'main', type: 'menu', outcome: 'chosen', option: '1', entries: ['9', '1'] });
  events.tagged('facade-1', 'line', 'consultation');
  events.tagged('facade-1', 'topic', 'labour-wages');
  events.tagged('facade-1', 'priority', 5);
  events.tagged('facade-1', 'greenChannel', 'listed');
  events.queued('facade-1', { serviceLine: 'consultation', legalTopic: 'labour-wages', priority: 5 });
  events.answered('facade-1', '8001');
  events.tagged('facade-1', 'rating', 'basically_satisfied');
  events.ended('facade-1', 'completed');
  // Another process resumes a call mid-flow: no `arrived`, its first fact opens an adopted session.
  events.node('facade-2', { node: 'message', type: 'voicemail' });
  events.tagged('facade-2', 'voicemail', 'voicemail-facade-2-message');
  events.node('facade-2', { node: 'message', type: 'voicemail', outcome: 'recorded' });
  events.ended('facade-2', 'voicemail');
  t.equal(events.open, 0, 'sessions forgotten at the end');
  const r1 = await ended('facade-1');
  t.match(r1, { caller_number: '13300000000', flow_revision: 9, service_line: 'consultation', legal_topic: 'labour-wages',
    priority: 5, agent: '8001', survey_rating: 2, end_reason: 'completed', events_applied: 11 });
  t.same(r1.path, [{ node: 'main', type: 'menu', outcome: 'chosen', digits: '9,1', at: '2025-11-26T02:00:02.000Z' }]);
  t.match(r1.tags, { greenChannel: 'listed', line: 'consultation' });
  const r2 = await ended('facade-2');
  t.match(r2, { caller_number: null, voicemail_recording: 'voicemail-facade-2-message', end_reason: 'voicemail',
    events_applied: 5 });
});

t.test('the call_ledger view answers the documented columns', async (t) => {
  const cols = await pgQuery<{ column_name: string; data_type: string }>(dbUrl,
    `select column_name, data_type from information_schema.columns
      where table_schema = 'public' and table_name = 'call_ledger' order by ordinal_position`);
  t.same(cols.map((c) => [c.column_name, c.data_type]), [
    ['call_id', 'text'], ['caller_number', 'text'], ['service_line', 'text'], ['legal_topic', 'text'],
    ['flow_revision', 'integer'], ['arrived_at', 'timestamp with time zone'],
    ['answered_at', 'timestamp with time zone'], ['ended_at', 'timestamp with time zone'], ['end_reason', 'text'],
    ['priority', 'integer'],
  ]);
  const [row] = await pgQuery(dbUrl, `select * from call_ledger where call_id = 'call-answered'`);
  t.match(row, { caller_number: '13800138000', service_line: 'consultation', legal_topic: 'labour', flow_revision: 7,
    end_reason: 'completed', priority: 1 });
  const idx = await pgQuery<{ indexname: string }>(dbUrl, `select indexname from pg_indexes where tablename = 'call_record'`);
  t.ok(['call_record_arrived_at_idx', 'call_record_service_line_arrived_at_idx', 'call_record_caller_number_arrived_at_idx']
    .every((n) => idx.some((i) => i.indexname === n)), 'reporting indexes exist');
});
