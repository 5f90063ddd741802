// After-call matters in the statistics (issue 8 item 5): appointments kept and missed, legal-aid applications decided
// within their 7 working days, complaint and supervision tickets closed by their deadline. Definitions: FIGURES
// (appointmentsKeptRate, applicationsOnTimeRate, ticketsOnTimeRate).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Period } from './query.js';

export interface AfterCallFigures {
  appointments: { booked: number; kept: number; noShow: number; keptRate: number | null };
  applications: { received: number; decided: number; decidedOnTime: number; onTimeRate: number | null };
  tickets: { created: number; closed: number; closedOnTime: number; onTimeRate: number | null };
}

const n = (v: unknown) => Number(v ?? 0);
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export async function afterCallSection(em: EntityManager, p: Period): Promise<AfterCallFigures> {
  const conn = em.getConnection();
  const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const [[a], [l], [t]] = await Promise.all([
    conn.execute<Array<Record<string, unknown>>>(`select count(*) filter (where status <> 'cancelled') booked,
        count(*) filter (where status = 'kept') kept, count(*) filter (where status = 'no_show') no_show
        from appointment where starts_at >= ? and starts_at < ?`, [p.from, p.to]),
    conn.execute<Array<Record<string, unknown>>>(`select count(*) received, count(*) filter (where decided_on is not null) decided,
        count(*) filter (where decided_on is not null and decided_on <= decision_due) on_time
        from legal_aid_application where received_on >= ?::date and received_on < ?::date`, [day(p.from), day(p.to)]),
    conn.execute<Array<Record<string, unknown>>>(`select count(*) created, count(*) filter (where status = 'closed') closed,
        count(*) filter (where status = 'closed' and closed_on_time) on_time
        from ticket where created_at >= ? and created_at < ?`, [p.from, p.to]),
  ]);
  const kept = n(a?.kept), noShow = n(a?.no_show);
  return {
    appointments: { booked: n(a?.booked), kept, noShow, keptRate: ratio(kept, kept + noShow) },
    applications: { received: n(l?.received), decided: n(l?.decided), decidedOnTime: n(l?.on_time), onTimeRate: ratio(n(l?.on_time), n(l?.decided)) },
    tickets: { created: n(t?.created), closed: n(t?.closed), closedOnTime: n(t?.on_time), onTimeRate: ratio(n(t?.on_time), n(t?.closed)) },
  };
}
