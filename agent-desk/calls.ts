// GET /api/calls: the call_ledger view (one row per call, answered or not) with the lawyer who answered and the work
// order written for it. The view has no column for the lawyer, so that one comes from call_record; everything
// else is the view's, whose columns are the stable reporting interface.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceLine } from '../ivr/records/events.js';
import type { CallView } from './schemas.js';
import { timeRange } from './time.js';
import type { Scope } from './work-orders.js';

export interface CallQuery { caller?: string; from?: string; to?: string; line?: ServiceLine; staffNo?: string; limit?: number; offset?: number }

interface Row {
  call_id: string; caller_number: string | null; service_line: string | null; legal_topic: string | null;
  flow_revision: number | null; arrived_at: Date; answered_at: Date | null; ended_at: Date | null;
  end_reason: string | null; priority: number; agent: string | null; work_order_id: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export async function searchCalls(em: EntityManager, scope: Scope, q: CallQuery): Promise<{ total: number; items: CallView[] }> {
  const knex = em.getKnex();
  const range = timeRange(q.from, q.to);
  const base = knex('call_ledger as l')
    .join('call_record as r', 'r.call_id', 'l.call_id')
    .leftJoin('work_order as w', 'w.call_id', 'l.call_id');
  if (q.caller) base.where('l.caller_number', q.caller);
  if (range.from) base.where('l.arrived_at', '>=', range.from);
  if (range.to) base.where('l.arrived_at', '<', range.to);
  if (q.line) base.where('l.service_line', q.line);
  if (q.staffNo) {
    const s = q.staffNo;
    base.where((b) => void b.where('r.agent', s).orWhere('w.staff_no', s));
  }
  if (!scope.all) {
    const { staffNo, callers, callIds } = scope;
    base.where((b) => {
      b.where('r.agent', staffNo).orWhere('w.staff_no', staffNo);
      if (callers.length) b.orWhereIn('l.caller_number', callers);
      if (callIds.length) b.orWhereIn('l.call_id', callIds);
    });
  }
  const [{ count }] = (await base.clone().count({ count: '*' })) as Array<{ count: string | number }>;
  const rows = (await base.clone()
    .select('l.*', 'r.agent', knex.raw('w.id::text as work_order_id'))
    .orderBy([{ column: 'l.arrived_at', order: 'desc' }, { column: 'l.call_id', order: 'desc' }])
    .limit(q.limit ?? 50).offset(q.offset ?? 0)) as Row[];
  return {
    total: Number(count),
    items: rows.map((r) => ({
      callId: r.call_id, callerNumber: r.caller_number, serviceLine: r.service_line, legalTopic: r.legal_topic,
      flowRevision: r.flow_revision, arrivedAt: iso(r.arrived_at)!, answeredAt: iso(r.answered_at), endedAt: iso(r.ended_at),
      endReason: r.end_reason, priority: r.priority, agent: r.agent, workOrderId: r.work_order_id,
    })),
  };
}
