import type { MikroORM } from '@mikro-orm/postgresql';
import { loadCalendar, type WorkingCalendar } from '../lib/calendar/index.js';
import { appointmentLookups } from '../lib/after-call/ivr-lookups.js';
import type { Lookup } from './session/ari-port.js';

/** A lookup that takes longer than this gives the flow its error branch: a caller is never kept waiting on a query. */
const LOOKUP_TIMEOUT_MS = 2000;

const STATUS_PROMPT: Record<string, string> = {
  received: 'status-received', under_review: 'status-under-review', approved: 'status-approved',
  refused: 'status-refused', lawyer_assigned: 'status-lawyer-assigned', closed: 'status-closed',
};

async function query<T>(orm: MikroORM, sql: string, params: unknown[]): Promise<T[]> {
  const conn = orm.em.fork().getConnection();
  let timer: NodeJS.Timeout | undefined;
  try {
    const rows = await Promise.race([
      conn.execute(sql, params),
      new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS); }),
    ]);
    return rows as T[];
  } finally {
    clearTimeout(timer);
  }
}

/** The named functions flows may call (lookup node). Each answers found / notFound, or throws (-> error branch). */
export function databaseLookups(orm: MikroORM, calendar: WorkingCalendar = loadCalendar()): Record<string, Lookup> {
  return {
    /** 办事预约: the earliest free slot of a service, and booking it (lib/after-call/ivr-lookups.ts). */
    ...appointmentLookups(orm, calendar),
    /** 绿色通道: is the caller on the centre's list of elderly, disabled, minor, migrant-worker or low-income callers? */
    async vulnerableCaller(args) {
      const number = String(args.number ?? '');
      if (!number) return { reason: 'notFound' };
      const rows = await query<{ reason: string }>(orm, 'select reason from vulnerable_caller where number = ?', [number]);
      return rows.length ? { reason: 'found', value: { reason: rows[0].reason } } : { reason: 'notFound' };
    },
    /** Status of an application by case number, with the prompt that says it. */
    async applicationStatus(args) {
      const caseNumber = String(args.caseNumber ?? '');
      if (!/^[0-9]{4,20}$/.test(caseNumber)) return { reason: 'notFound' };
      const rows = await query<{ kind: string; status: string }>(orm, 'select kind, status from case_status where case_number = ?', [caseNumber]);
      if (!rows.length) return { reason: 'notFound' };
      return { reason: 'found', value: { kind: rows[0].kind, status: rows[0].status, prompt: STATUS_PROMPT[rows[0].status] } };
    },
    /** What the caller rang about before: for screen pops and for flows that greet repeat callers. */
    async callerHistory(args) {
      const number = String(args.number ?? '');
      const rows = await query<{ calls: string; last: string | null; line: string | null }>(orm,
        `select count(*) as calls, max(arrived_at) as last,
                (select service_line from call_ledger where caller_number = ? order by arrived_at desc limit 1) as line
           from call_ledger where caller_number = ?`, [number, number]);
      const calls = Number(rows[0]?.calls ?? 0);
      return calls ? { reason: 'found', value: { calls, lastAt: rows[0].last, lastLine: rows[0].line } } : { reason: 'notFound' };
    },
  };
}
