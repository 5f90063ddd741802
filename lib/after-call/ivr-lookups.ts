// IVR self-service booking (办事预约): the flow's lookup node asks for the earliest free slot of a service, reads it
// out (`say`: prompt ids for the date and time, played with `as: prompts`), and on the caller's one key books it.
// A slot taken meanwhile answers notFound, and the flow offers the next one.
import type { MikroORM } from '@mikro-orm/postgresql';
import { beijingTime, type WorkingCalendar } from '../calendar/index.js';
import { WorkOrder } from '../entities/work-order.js';
import type { Lookup } from '../../ivr/session/ari-port.js';
import { datePrompts, timePrompts } from '../../prompts/say.js';
import { AppointmentError, book, earliestFree } from './appointments.js';

/** A caller is never kept waiting on the database: past this the flow takes its error branch (a person). */
const LOOKUP_TIMEOUT_MS = 2000;

async function timed<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS); })]);
  } finally {
    clearTimeout(timer);
  }
}

export function appointmentLookups(orm: MikroORM, calendar: WorkingCalendar, now: () => Date = () => new Date()): Record<string, Lookup> {
  return {
    async earliestSlot(args) {
      const service = String(args.service ?? '');
      if (!/^[a-z][a-z-]{1,39}$/.test(service)) return { reason: 'notFound' };
      const slot = await timed(earliestFree(orm.em.fork(), calendar, service, now()).catch((e: unknown) => {
        if (e instanceof AppointmentError && e.status === 404) return null;
        throw e;
      }));
      if (!slot) return { reason: 'notFound' };
      const t = beijingTime(slot.startsAt);
      return {
        reason: 'found',
        value: { slotId: slot.id, service, room: slot.room, startsAt: slot.startsAt.toISOString(), say: [...datePrompts(t.date), ...timePrompts(t.minute)].join(' ') },
      };
    },
    async bookSlot(args) {
      const slotId = String(args.slotId ?? '');
      const number = String(args.number ?? '');
      if (!/^[1-9][0-9]{0,17}$/.test(slotId) || !/^\+?[0-9]{3,20}$/.test(number)) return { reason: 'notFound' };
      const callId = args.callId ? String(args.callId) : null;
      try {
        const em = orm.em.fork();
        const wo = callId ? await em.findOne(WorkOrder, { callId }) : null;
        const a = await timed(book(em, { slotId, callerNumber: number, channel: 'ivr', callId, workOrderId: wo?.id ?? null, bookedBy: 'ivr' }, now()));
        return { reason: 'found', value: { appointmentId: a.id, startsAt: a.startsAt.toISOString() } };
      } catch (e) {
        if (e instanceof AppointmentError) return { reason: 'notFound' };
        throw e;
      }
    },
  };
}
