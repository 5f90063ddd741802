// Every answered call ends with exactly one work order (台账工单). When the ACD reports a call answered by a lawyer
// (DeskEvent 'answered' on `<prefix>:desk`), a draft work order is created for that call: owner = that lawyer
// (首问负责), service line and topic from the call record (falling back to the offer's), disposition follow_up (the
// matter stays open until the lawyer completes it). The insert is idempotent (`call_id` is unique: `on conflict do
// nothing`), so replayed events, several desk processes and the periodic sweep never make a second one. The sweep
// catches answered calls whose event no desk process heard (pub/sub keeps nothing while a desk is down).
//
// The lawyer completes the draft on the desk: PATCH /api/work-orders/:id, or the page's usual POST /api/work-orders,
// which for a call whose work order is still an untouched draft fills that draft instead of answering 409.
import type { FastifyInstance } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { deskChannel, type DeskEvent } from '../ivr/acd/types.js';
import { WorkOrder } from '../lib/entities/work-order.js';
import { userOf } from './access.js';
import type { Handling } from './handling.js';
import { scopeOf, updateWorkOrder, type PromiseSync, type WorkOrderInput } from './work-orders.js';

/** `updated_by` of a draft nobody has edited yet. */
export const DRAFT_BY = 'auto-draft';
/** The draft's matter (the column may not be blank); the lawyer replaces it. */
export const DRAFT_MATTER = '（待填写：通话已接通，请律师补充咨询事项）';

export interface DrafterOptions {
  /** How often answered calls without a work order are looked for (0: only at start). */
  sweepEveryMs: number;
  /** How far back the sweep looks. */
  sweepWindowMs: number;
  /** An 'answered' event may beat its call record to PostgreSQL: tries and the pause between them. */
  retries: number;
  retryMs: number;
}

export const DEFAULT_DRAFTER: DrafterOptions = { sweepEveryMs: 60_000, sweepWindowMs: 7 * 24 * 3600_000, retries: 20, retryMs: 250 };

export type DraftResult = 'created' | 'exists' | 'no_call';

export class WorkOrderDrafter {
  private sub: Redis | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly pending = new Set<Promise<unknown>>();
  /** Line and topic of recent offers, in case the call record does not have them yet. */
  private readonly offers = new Map<string, { line?: string; topic?: string }>();
  private readonly opts: DrafterOptions;

  constructor(private readonly o: { orm: MikroORM; redis: Redis; prefix: string; log: Logger; options?: Partial<DrafterOptions> }) {
    this.opts = { ...DEFAULT_DRAFTER, ...o.options };
  }

  async start(): Promise<void> {
    const sub = this.o.redis.duplicate();
    this.sub = sub;
    sub.on('error', (err: Error) => this.o.log.warn({ err: err.message }, 'work-order drafts: redis unavailable'));
    sub.on('message', (_channel: string, message: string) => this.onMessage(message));
    await sub.subscribe(deskChannel(this.o.prefix));
    this.track(this.sweep());
    if (this.opts.sweepEveryMs > 0) {
      this.sweepTimer = setInterval(() => this.track(this.sweep()), this.opts.sweepEveryMs);
      this.sweepTimer.unref();
    }
  }

  /** Resolves when every draft started so far is written (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sub?.disconnect();
    await this.idle();
  }

  private onMessage(message: string): void {
    let ev: DeskEvent;
    try { ev = JSON.parse(message) as DeskEvent; } catch { return; }
    if (!ev || typeof ev !== 'object' || typeof ev.callId !== 'string' || typeof ev.staffNo !== 'string') return;
    if (ev.type === 'offered') {
      this.offers.set(ev.callId, { line: ev.line, topic: ev.topic });
      if (this.offers.size > 5000) this.offers.delete(this.offers.keys().next().value!);
    } else if (ev.type === 'answered') {
      this.track(this.draft(ev.callId, ev.staffNo).catch((err: unknown) =>
        this.o.log.error({ err, callId: ev.callId }, 'work-order draft failed (the sweep will try again)')));
    }
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((err: unknown) => this.o.log.error({ err }, 'work-order drafts'));
    this.pending.add(q);
    void q.finally(() => this.pending.delete(q));
  }

  /** Creates the draft for an answered call unless the call already has a work order. Safe to repeat. */
  async draft(callId: string, staffNo: string): Promise<DraftResult> {
    const offer = this.offers.get(callId);
    for (let attempt = 0; ; attempt++) {
      const conn = this.o.orm.em.fork().getConnection();
      const rows = await conn.execute<Array<{ id: string }>>(
        `insert into work_order (call_id, staff_no, caller_number, service_line, legal_topic, matter, answer, disposition, updated_by)
         select c.call_id, s.staff_no, c.caller_number, coalesce(c.service_line, ?::text, 'operator'), coalesce(c.legal_topic, ?::text),
                ?, '', 'follow_up', ?
           from call_record c join staff s on s.staff_no = ?
          where c.call_id = ?
         on conflict (call_id) do nothing
         returning id`,
        [offer?.line ?? null, offer?.topic ?? null, DRAFT_MATTER, DRAFT_BY, staffNo, callId],
      );
      if (rows.length) {
        this.offers.delete(callId);
        this.o.log.info({ callId, staffNo, workOrder: String(rows[0].id) }, 'work order drafted for an answered call');
        return 'created';
      }
      const [found] = await conn.execute<Array<{ w: number; c: number }>>(
        `select (select count(*)::int from work_order where call_id = ?) as w, (select count(*)::int from call_record where call_id = ?) as c`,
        [callId, callId],
      );
      if (found.w > 0) { this.offers.delete(callId); return 'exists'; }
      if (attempt >= this.opts.retries || this.stopped) {
        this.o.log.warn({ callId, staffNo, callRecord: found.c > 0 }, 'no work order drafted yet: call record or lawyer missing (the sweep will try again)');
        return 'no_call';
      }
      await new Promise((r) => setTimeout(r, this.opts.retryMs));
    }
  }

  /** Drafts for answered calls (call record names the lawyer) that have no work order. Returns how many. */
  async sweep(): Promise<number> {
    const rows = await this.o.orm.em.fork().getConnection().execute<Array<{ id: string }>>(
      `insert into work_order (call_id, staff_no, caller_number, service_line, legal_topic, matter, answer, disposition, updated_by)
       select c.call_id, c.agent, c.caller_number, coalesce(c.service_line, 'operator'), c.legal_topic, ?, '', 'follow_up', ?
         from call_record c join staff s on s.staff_no = c.agent
        where c.answered_at is not null and c.arrived_at > now() - (? * interval '1 millisecond')
          and not exists (select 1 from work_order w where w.call_id = c.call_id)
       on conflict (call_id) do nothing
       returning id`,
      [DRAFT_MATTER, DRAFT_BY, this.opts.sweepWindowMs],
    );
    if (rows.length) this.o.log.info({ drafted: rows.length }, 'work orders drafted for answered calls found without one');
    return rows.length;
  }
}

type CreateBody = WorkOrderInput & { callId: string };

/**
 * POST /api/work-orders for a call whose work order is still the untouched draft: the draft's owner (or a
 * supervisor) writes the work order by filling the draft — one work order per call, and the desk page keeps working
 * unchanged. Anything else goes on to the route (create, 409 for a completed one, 403 for someone else's).
 */
export function installDraftCompletion(app: FastifyInstance, handling: Handling, promises?: PromiseSync): void {
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || req.routeOptions.url !== '/api/work-orders') return;
    const body = req.body as CreateBody | undefined;
    if (!body?.callId) return;
    const user = userOf(req);
    const draft = await req.em.findOne(WorkOrder, { callId: body.callId });
    if (!draft || draft.updatedBy !== DRAFT_BY) return;
    if (user.role !== 'supervisor' && draft.staffNo !== user.staffNo) return;
    const { callId, ...fields } = body;
    // A POST carries the whole work order: what it leaves out is blank, not the draft's.
    const whole: Partial<WorkOrderInput> = {
      legalTopic: null, callerName: null, callerDeclinedName: false, answer: '', referral: null, riskFlag: false, riskReason: null,
      callbackAt: null, ...fields,
    };
    const view = await updateWorkOrder(req.em, user, await scopeOf(user, handling), draft.id, whole, promises);
    await handling.done(view.staffNo, callId);
    req.log.info({ workOrder: view.id, callId, by: user.staffNo }, 'work order completed (draft filled)');
    return reply.code(201).send(view);
  });
}
