// What the after-call routes (appointments, legal aid, tickets, calendar) share: one working-day calendar for the
// desk process (bundled data + DATA_DIR/calendar + the years an admin stored), and the rule for linking a matter to
// the call that started it.
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { loadCalendar, type WorkingCalendar } from '../lib/calendar/index.js';
import { loudWarnings, refreshCalendar } from '../lib/after-call/calendar-store.js';
import { CallRecord } from '../lib/entities/call-record.js';
import { WorkOrder } from '../lib/entities/work-order.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { DeskUser } from './access.js';
import { DeskError, forbidden } from './errors.js';
import type { Handling } from './handling.js';

/** How often each desk process re-reads the holiday years an admin stored (another process may have saved one). */
const CALENDAR_REFRESH_MS = 5 * 60_000;

export interface AfterCallContext {
  calendar: WorkingCalendar;
  refresh(): Promise<void>;
  stop(): void;
}

export function afterCallContext(config: Config, orm: MikroORM, log: FastifyBaseLogger): AfterCallContext {
  const calendar = loadCalendar({
    extraDir: path.join(config.dataDir, 'calendar'), hours: config.centre.hours, onWarning: loudWarnings(log as unknown as Logger),
  });
  const refresh = async () => {
    try {
      await refreshCalendar(orm, calendar);
    } catch (err) {
      // The bundled and file years still work; the banner will say if a year is missing.
      log.warn({ err: (err as Error).message }, 'calendar: could not read stored holiday years');
    }
  };
  const timer = setInterval(() => void refresh(), CALENDAR_REFRESH_MS);
  timer.unref();
  return { calendar, refresh, stop: () => clearInterval(timer) };
}

export interface CallLink { callId: string | null; workOrderId: string | null; callerNumber: string | null }

/**
 * The call a matter comes from: a lawyer may only attach a call they took or are handling (as for work orders),
 * a supervisor any. Without a call id the matter stands alone (e.g. a walk-in typed by a supervisor).
 */
export async function linkCall(em: EntityManager, user: DeskUser, handling: Handling, callId: string | undefined | null): Promise<CallLink> {
  if (!callId) return { callId: null, workOrderId: null, callerNumber: null };
  const call = await em.findOne(CallRecord, { callId });
  if (user.role !== 'supervisor') {
    const mine = call?.agent === user.staffNo || (await handling.handles(user.staffNo, callId));
    if (!mine) throw forbidden('callId: you can only attach a call you handled');
  }
  if (!call) throw new DeskError(404, 'not_found', 'callId: no such call', [{ field: 'callId', message: 'no such call' }]);
  const wo = await em.findOne(WorkOrder, { callId });
  return { callId, workOrderId: wo?.id ?? null, callerNumber: call.callerNumber ?? null };
}
