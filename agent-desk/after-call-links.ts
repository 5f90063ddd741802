// What a work order shows of the matters its call started (issue 8, item 5): appointments, legal-aid applications and
// tickets, matched by the call id (and by the work order id for matters linked to it later).
import type { EntityManager } from '@mikro-orm/postgresql';
import { Type, type Static } from 'typebox';
import { Appointment, LegalAidApplication, Ticket } from '../lib/entities/after-call.js';
import type { DeskUser } from './access.js';
import { AppointmentView, appointmentViews } from './routes/appointments.js';
import { legalAidView, LegalAidView } from './routes/applications.js';
import { ticketView, TicketView } from './routes/tickets.js';
import { WorkOrderView } from './schemas.js';

export const AfterCallLinks = Type.Object({
  appointments: Type.Array(AppointmentView),
  applications: Type.Array(LegalAidView),
  tickets: Type.Array(TicketView),
});

/** A work order with the matters of its call. */
export const WorkOrderDetail = Type.Intersect([WorkOrderView, Type.Object({ afterCall: AfterCallLinks })]);
export type WorkOrderDetail = Static<typeof WorkOrderDetail>;

export async function afterCallOf(em: EntityManager, user: DeskUser, wo: { id: string; callId: string }): Promise<Static<typeof AfterCallLinks>> {
  const by = { $or: [{ callId: wo.callId }, { workOrderId: wo.id }] };
  const [appointments, applications, tickets] = await Promise.all([
    em.find(Appointment, by, { orderBy: { id: 'asc' } }),
    em.find(LegalAidApplication, by, { orderBy: { id: 'asc' } }),
    // A lawyer never sees a complaint about themselves, not even on their own work order.
    em.find(Ticket, user.role === 'supervisor' ? by : { $and: [by, { $or: [{ concernsStaffNo: null }, { concernsStaffNo: { $ne: user.staffNo } }] }] }, { orderBy: { id: 'asc' } }),
  ]);
  return { appointments: await appointmentViews(em, appointments), applications: applications.map((a) => legalAidView(a)), tickets: tickets.map((t) => ticketView(t)) };
}
