// 首问负责 for the ACD (ivr/acd/types.ts FirstInquiry): a caller whose matter is still open — their newest work order
// awaiting follow-up — is offered first to the lawyer who owns it, as long as that lawyer still works here.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CallerDialects, FirstInquiry } from '../ivr/acd/types.js';

export function workOrderFirstInquiry(orm: MikroORM): FirstInquiry {
  return {
    async ownerFor(callerNumber: string): Promise<string | undefined> {
      const rows = await orm.em.fork().getConnection().execute<Array<{ staff_no: string }>>(
        `select w.staff_no from work_order w join staff s on s.staff_no = w.staff_no and s.active
          where w.caller_number = ? and w.disposition = 'follow_up'
          order by w.created_at desc, w.id desc limit 1`,
        [callerNumber],
      );
      return rows[0]?.staff_no;
    },
  };
}

/** The dialect noted on the caller's profile (the desk writes it; the ACD prefers a lawyer who speaks it). */
export function callerDialects(orm: MikroORM): CallerDialects {
  return {
    async dialectOf(callerNumber: string): Promise<string | undefined> {
      const rows = await orm.em.fork().getConnection().execute<Array<{ dialect: string | null }>>(
        'select dialect from caller where number = ?', [callerNumber]);
      return rows[0]?.dialect ?? undefined;
    },
  };
}
