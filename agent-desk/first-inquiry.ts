// What the ACD asks about a caller before offering their call, in one query: 首问负责 (ivr/acd/types.ts FirstInquiry)
// — a caller whose matter is still open, their newest work order awaiting follow-up, is offered first to the lawyer
// who owns it, as long as that lawyer still works here — and the dialect noted on the caller's profile
// (CallerDialects; the desk writes it, the ACD prefers a lawyer who speaks it). The ACD asks both at once for the
// same number; they share the one read.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CallerDialects, FirstInquiry } from '../ivr/acd/types.js';

interface CallerFacts { owner?: string; dialect?: string }

export function callerRouting(orm: MikroORM): FirstInquiry & CallerDialects {
  const reading = new Map<string, Promise<CallerFacts>>();
  const facts = (callerNumber: string): Promise<CallerFacts> => {
    let p = reading.get(callerNumber);
    if (!p) {
      p = orm.em.fork().getConnection().execute<Array<{ owner: string | null; dialect: string | null }>>(
        `select (select w.staff_no from work_order w join staff s on s.staff_no = w.staff_no and s.active
                  where w.caller_number = ? and w.disposition = 'follow_up'
                  order by w.created_at desc, w.id desc limit 1) as owner,
                (select dialect from caller where number = ?) as dialect`,
        [callerNumber, callerNumber],
      ).then(([r]) => ({ owner: r?.owner ?? undefined, dialect: r?.dialect ?? undefined }))
        .finally(() => reading.delete(callerNumber));
      reading.set(callerNumber, p);
    }
    return p;
  };
  return {
    ownerFor: async (callerNumber) => (await facts(callerNumber)).owner,
    dialectOf: async (callerNumber) => (await facts(callerNumber)).dialect,
  };
}
