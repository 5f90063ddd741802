// Appointments at the centre: each service has rooms / windows, a slot length and a capacity per slot, and is open
// only on working days inside its opening hours. Slots are rows made on demand from the calendar; a booking takes a
// place with one guarded UPDATE (booked < capacity) backed by a check constraint, so concurrent bookings of the last
// place cannot both succeed, whichever desk or IVR call they come from.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  addDays, beijingTime, civilDate, instantAt, parseOpeningHours, type CivilDate, type WorkingCalendar,
} from '../calendar/index.js';
import { Appointment, AppointmentService, AppointmentSlot } from '../entities/after-call.js';
import { sql } from './db.js';

export class AppointmentError extends Error {
  constructor(readonly field: string, message: string, readonly status: 404 | 409 | 400 = 409) { super(`${field}: ${message}`); }
}

/** How far ahead callers may book, and how soon the earliest slot offered by the IVR may start. */
export interface BookingRules { horizonDays: number; leadMinutes: number }
export const DEFAULT_RULES: BookingRules = { horizonDays: 30, leadMinutes: 60 };

function hoursOf(cal: WorkingCalendar, s: AppointmentService) {
  return s.hours ? parseOpeningHours(s.hours) : cal.hours;
}

/**
 * The slots of one service on one date, made if missing. None on a day off, and none in a year without holiday
 * data: a booking on a guessed working day could fall on a public holiday (the calendar has already warned).
 */
export async function ensureSlots(em: EntityManager, cal: WorkingCalendar, s: AppointmentService, date: CivilDate): Promise<number> {
  const day = cal.day(date);
  if (!day.working || !day.covered || !s.active) return 0;
  const starts: Date[] = [];
  const ends: Date[] = [];
  const rooms: string[] = [];
  for (const p of cal.openPeriods(date, hoursOf(cal, s))) {
    for (let m = p.from; m + s.slotMinutes <= p.to; m += s.slotMinutes) {
      for (const room of s.rooms) {
        starts.push(instantAt(date, m));
        ends.push(instantAt(date, m + s.slotMinutes));
        rooms.push(room);
      }
    }
  }
  if (!starts.length) return 0;
  await sql(em, `insert into appointment_slot (service, room, starts_at, ends_at, capacity)
    values ${starts.map(() => '(?, ?, ?, ?, ?)').join(', ')}
    on conflict (service, room, starts_at) do nothing`, starts.flatMap((st, i) => [s.code, rooms[i], st, ends[i], s.capacity]));
  return starts.length;
}

export async function serviceOf(em: EntityManager, code: string): Promise<AppointmentService> {
  const s = await em.findOne(AppointmentService, { code, active: true });
  if (!s) throw new AppointmentError('service', `no such service: ${code}`, 404);
  return s;
}

/** Free slots of a service on a date, starting after `now`. */
export async function freeSlots(em: EntityManager, cal: WorkingCalendar, code: string, date: CivilDate, now = new Date()): Promise<AppointmentSlot[]> {
  const s = await serviceOf(em, code);
  await ensureSlots(em, cal, s, date);
  return em.find(AppointmentSlot, {
    service: code, startsAt: { $gte: instantAt(date, 0), $lt: instantAt(addDays(date, 1), 0), $gt: now },
  }, { orderBy: { startsAt: 'asc', room: 'asc' } }).then((rows) => rows.filter((r) => r.booked < r.capacity));
}

/** The earliest free slot of a service from `now + leadMinutes` within the horizon (the IVR's offer). */
export async function earliestFree(em: EntityManager, cal: WorkingCalendar, code: string, now = new Date(), rules = DEFAULT_RULES): Promise<AppointmentSlot | null> {
  const s = await serviceOf(em, code);
  const from = new Date(now.getTime() + rules.leadMinutes * 60_000);
  const today = civilDate(now);
  for (let i = 0; i <= rules.horizonDays; i++) {
    const date = addDays(today, i);
    if (!(await ensureSlots(em, cal, s, date))) continue;
    const rows = await sql<{ id: string }>(em, `select id from appointment_slot
      where service = ? and starts_at >= ? and starts_at < ? and starts_at > ? and booked < capacity
      order by starts_at, room limit 1`, [code, instantAt(date, 0), instantAt(addDays(date, 1), 0), from]);
    if (rows.length) return em.findOne(AppointmentSlot, { id: String(rows[0].id) }, { refresh: true });
  }
  return null;
}

/** Takes one place in a slot, or throws 'full'. Must run inside the caller's transaction. */
async function take(em: EntityManager, slotId: string, now: Date): Promise<{ service: string; room: string; starts_at: Date }> {
  const rows = await sql<{ service: string; room: string; starts_at: Date }>(em,
    `update appointment_slot set booked = booked + 1 where id = ? and booked < capacity and starts_at > ?
     returning service, room, starts_at`, [slotId, now]);
  if (rows.length) return rows[0];
  const exists = await sql(em, 'select 1 from appointment_slot where id = ?', [slotId]);
  if (!exists.length) throw new AppointmentError('slotId', 'no such slot', 404);
  throw new AppointmentError('slotId', 'this slot is full or already past; choose another', 409);
}

async function release(em: EntityManager, slotId: string): Promise<void> {
  await sql(em, 'update appointment_slot set booked = booked - 1 where id = ? and booked > 0', [slotId]);
}

export interface BookingInput {
  slotId: string;
  callerNumber: string;
  callerName?: string | null;
  note?: string;
  channel: 'desk' | 'ivr';
  callId?: string | null;
  workOrderId?: string | null;
  bookedBy: string;
}

export async function book(em: EntityManager, b: BookingInput, now = new Date()): Promise<Appointment> {
  return em.transactional(async (tx) => {
    const slot = await take(tx, b.slotId, now);
    const a = tx.create(Appointment, {
      slotId: b.slotId, service: slot.service, room: slot.room, startsAt: new Date(slot.starts_at), callerNumber: b.callerNumber,
      callerName: b.callerName ?? null, note: b.note ?? '', status: 'booked', channel: b.channel, callId: b.callId ?? null,
      workOrderId: b.workOrderId ?? null, bookedBy: b.bookedBy,
    });
    await tx.flush();
    return a;
  });
}

async function lockBooked(tx: EntityManager, id: string): Promise<Appointment> {
  const a = await tx.findOne(Appointment, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!a) throw new AppointmentError('id', 'no such appointment', 404);
  if (a.status !== 'booked') throw new AppointmentError('status', `the appointment is ${a.status}`, 409);
  return a;
}

/** To another slot: the new place is taken before the old one is given back, in one transaction. */
export async function move(em: EntityManager, id: string, slotId: string, now = new Date()): Promise<Appointment> {
  return em.transactional(async (tx) => {
    const a = await lockBooked(tx, id);
    if (a.slotId === slotId) return a;
    const slot = await take(tx, slotId, now);
    await release(tx, a.slotId);
    tx.assign(a, {
      slotId, service: slot.service, room: slot.room, startsAt: new Date(slot.starts_at), moves: a.moves + 1,
      reminderStatus: null, reminderAt: null,
    });
    return a;
  });
}

export async function cancel(em: EntityManager, id: string): Promise<Appointment> {
  return em.transactional(async (tx) => {
    const a = await lockBooked(tx, id);
    await release(tx, a.slotId);
    a.status = 'cancelled';
    return a;
  });
}

/** The front desk marks who came: kept or no-show (counted in the statistics). */
export async function markAttendance(em: EntityManager, id: string, kept: boolean): Promise<Appointment> {
  return em.transactional(async (tx) => {
    const a = await lockBooked(tx, id);
    a.status = kept ? 'kept' : 'no_show';
    return a;
  });
}

/** The working day before an appointment's date: when its reminder call is made. */
export function reminderDay(cal: WorkingCalendar, appointmentDate: CivilDate): CivilDate {
  return cal.addWorkingDays(appointmentDate, -1);
}

/** The moment the reminder goes out: when the centre opens on the working day before. */
export function reminderTime(cal: WorkingCalendar, appointmentDate: CivilDate): Date {
  return cal.nextOpening(instantAt(reminderDay(cal, appointmentDate), 0));
}

/**
 * Appointments to remind today: today is a working day and they fall on the next working day. Run during opening
 * hours (or before them: the call waits for the opening); after closing today's chance has passed.
 */
export async function remindersDueToday(em: EntityManager, cal: WorkingCalendar, now = new Date()): Promise<Array<{ appointment: Appointment; at: Date }>> {
  const today = beijingTime(now).date;
  if (!cal.isWorkingDay(today)) return [];
  const at = cal.nextOpening(now);
  if (civilDate(at) !== today) return [];
  const target = cal.addWorkingDays(today, 1);
  const rows = await em.find(Appointment, {
    status: 'booked', reminderStatus: null, startsAt: { $gte: instantAt(target, 0), $lt: instantAt(addDays(target, 1), 0) },
  }, { orderBy: { startsAt: 'asc', id: 'asc' } });
  return rows.map((appointment) => ({ appointment, at }));
}
