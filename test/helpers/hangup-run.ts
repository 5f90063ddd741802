// The hang-up-at-every-node test, run in shards (test/ivr-hangup-nodes-*.test.ts) so that tap's two jobs share it.
// For each node of the loaded 12348 flow: drive a caller there by keys (hangup-table.ts), hang up, and check that the
// controller kept nothing (sessions, event waiters, timers, the port's own waits) and that the call record ends
// at that node with the right reason.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { loadFlow } from '../../flows/load.js';
import { HoldingQueue } from '../../ivr/acd/holding-queue.js';
import { databaseLookups } from '../../ivr/lookups.js';
import type { Acd, AriCallPort } from '../../ivr/session/ari-port.js';
import { CASE_BROKEN, CASE_FOUND, HANGUP_AT, LISTED_CALLER, SERVICE_WITHOUT_SLOTS, type Setup, type Step } from './hangup-table.js';
import { startHotline, type TestHotline } from './hotline.js';
import { guardProcess, pathNodes, probeController, type Probe } from './ivr-probe.js';
import { call, ROOT, until } from './sim.js';

const FLOW_FILE = path.join(ROOT, 'flows', '12348.yaml');

export function flowNodeIds(): string[] {
  const r = loadFlow(readFileSync(FLOW_FILE, 'utf8'), FLOW_FILE);
  if ('problems' in r) throw new Error(`12348.yaml does not load: ${r.problems.map((p) => p.reason).join('; ')}`);
  return Object.keys(r.flow.nodes);
}

export function runHangupShard(shard: number, shards: number): void {
  const nodes = flowNodeIds();
  const mine = nodes.filter((_, i) => i % shards === shard);
  const guard = guardProcess(t);
  let h: TestHotline;
  let p: Probe;
  let setup: Setup = {};
  const expected: Array<{ id: string; node: string; reason: string }> = [];

  // The queue for these calls: the holding queue (music, announcements), or a lawyer answering, or an overflow.
  let holding: HoldingQueue | undefined;
  const acd: Acd = {
    async enqueue(port: AriCallPort, req) {
      if (setup.acd === 'answer') { await port.wait(1000); return { reason: 'answered', agent: '8001' }; }
      if (setup.acd === 'overflow') return { reason: 'overflow' };
      holding ??= new HoldingQueue(port.d.rest, { announceEveryMs: 20_000, defaultAnnouncement: ['queue-apology'] });
      return holding.enqueue(port, req);
    },
  };

  t.before(async () => {
    h = await startHotline();
    await h.controller.stop();
    await h.sql('insert into vulnerable_caller (number, reason, added_by) values (?, ?, ?)', [LISTED_CALLER, 'elderly', 'test']);
    await h.sql('insert into case_status (case_number, kind, status) values (?, ?, ?)', [CASE_FOUND, 'legal_aid', 'approved']);
    await h.sql('update appointment_service set active = false where code = ?', [SERVICE_WITHOUT_SLOTS]);
    const db = databaseLookups(h.orm);
    p = await probeController(h, {
      acd, open: () => !setup.closed,
      lookups: {
        ...db,
        async applicationStatus(args, c) {
          if (args.caseNumber === CASE_BROKEN) throw new Error('status service down');
          return db.applicationStatus(args, c);
        },
      },
    });
  });
  t.teardown(async () => { await p?.controller.stop(); await h?.close(); });

  t.test('the table covers every node of the flow, and only those', async (t) => {
    t.same(nodes.filter((n) => !HANGUP_AT[n]), [], 'nodes without a way to reach them');
    t.same(Object.keys(HANGUP_AT).filter((n) => !nodes.includes(n)), [], 'table entries for nodes the flow no longer has');
  });

  async function drive(id: string, steps: Step[]): Promise<void> {
    for (const s of steps) {
      if ('hear' in s) await h.waitHeard(id, s.hear);
      else if ('finish' in s) await h.waitFinished(id, s.finish);
      else if ('press' in s) await h.press(id, s.press);
      else if ('moh' in s) await h.waitHeard(id, 'moh:default');
      else await until(async () => (await call(h.sim, 'GET', '/sim/stats')).body.liveRecordings > 0, `${id}: a live recording`, 15000);
    }
  }

  for (const node of mine) {
    const how = HANGUP_AT[node];
    if (!how) continue; // reported by the coverage test
    t.test(`hang-up at ${node}: ${how.what}`, async (t) => {
      const c = p.controller;
      const listeners = c.conn.listenerCount('event');
      setup = how.setup ?? {};
      let id = '';
      let port: AriCallPort | undefined;
      if (how.at === 'entry') {
        // The hang-up reaches the controller exactly as the session enters the node.
        p.recorder.onNodeEntered = (callId, n) => {
          if ((id !== '' && callId !== id) || n !== node) return;
          port = c.calls.get(callId)?.port;
          c.conn.emit('event', { type: 'ChannelHangupRequest', channel: { id: callId } });
          void h.hangup(callId);
        };
      }
      try {
        id = await h.dial(setup.from ?? '13800000001');
        await until(() => c.calls.has(id) || (how.at === 'entry' && !!port), `${id} to start`);
        port ??= c.calls.get(id)!.port;
        await drive(id, how.steps);
        if (how.at === 'now') {
          await until(() => c.calls.get(id)?.session.current === node, `${id} to be in ${node}`);
          await h.hangup(id);
        }
        await until(() => !c.calls.has(id), `${id}: the session to end`);
      } finally {
        p.recorder.onNodeEntered = undefined;
      }
      const queued = h.flows.current().flow.nodes[node].type === 'queue';
      expected.push({ id, node, reason: how.reason ?? (queued ? 'abandoned_in_queue' : 'caller_hangup') });
      // Nothing left behind: sessions, event waiters, timers on the session clock, the port's own waits.
      t.equal(c.calls.size, 0, 'no session left');
      t.equal(c.waiters.size, 0, `no event waiter left (${c.waiters.keys().join(', ')})`);
      t.equal(p.timers.size, 0, 'no timer left on the session clock');
      t.equal(port!.pendingTimers, 0, "no port timer left");
      t.equal(port!.pendingWaits, 0, 'nothing waits on the call any more');
      t.equal(c.conn.listenerCount('event'), listeners, 'no listener added');
      await h.waitEnded(id);
    });
  }

  t.test('each call left one record, ended at the node where the caller hung up', async (t) => {
    const byId = new Map<string, Record<string, any>>();
    await until(async () => {
      const rows = await h.sql('select * from call_record where call_id in (?) and ended_at is not null', [expected.map((e) => e.id)]);
      for (const r of rows) byId.set(r.call_id, r);
      return byId.size === expected.length;
    }, 'every record closed', 15000).catch(() => undefined);
    for (const e of expected) {
      const r = byId.get(e.id);
      if (!t.ok(r, `${e.node}: record closed`)) continue;
      const nodesOf = pathNodes(r!);
      const last = (r!.path as Array<{ node: string; outcome: string | null }>).at(-1);
      t.equal(r!.end_reason, e.reason, `${e.node}: end reason`);
      t.equal(last?.node, e.node, `${e.node}: path ends there (${nodesOf.join(' > ')})`);
      t.ok(last?.outcome, `${e.node}: the last step has an outcome (${last?.outcome})`);
    }
    const counts = await h.sql('select call_id, count(*)::int as n from call_record where call_id in (?) group by call_id', [expected.map((e) => e.id)]);
    t.ok(counts.every((c) => Number(c.n) === 1), 'one record per call');
    t.equal((await h.redis.keys(`${h.prefix}:session:*`)).length, 0, 'no saved session state left in Redis');
    guard.check(t);
  });
}
