// The lawyers who may take calls: active staff with the agent role and a phone endpoint, read from the staff table
// and cached for a few seconds (the ACD asks on every routing pass). A failing database keeps the last list in use,
// so routing goes on with what was known rather than stopping.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Agent, AgentDirectory } from './types.js';

export type Query = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

export interface StaffDirectoryOptions {
  query: Query;
  log: Logger;
  /** How long a read of the staff table is trusted. */
  ttlMs?: number;
  clock?: () => number;
}

const SQL = `select staff_no, name, endpoint, skills, dialects, lines, stars from staff
  where active and role = 'agent' and endpoint is not null and endpoint <> '' order by staff_no`;

const list = (v: unknown): string[] => {
  const a = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return Array.isArray(a) ? a.map(String) : [];
};

export class StaffDirectory implements AgentDirectory {
  private cache?: { at: number; agents: Agent[]; byNo: Map<string, Agent> };
  private loading?: Promise<Agent[]>;
  private readonly clock: () => number;

  constructor(private readonly o: StaffDirectoryOptions) {
    this.clock = o.clock ?? Date.now;
  }

  static fromOrm(orm: MikroORM, log: Logger, opts: Omit<StaffDirectoryOptions, 'query' | 'log'> = {}): StaffDirectory {
    return new StaffDirectory({ ...opts, log, query: (sql, params) => orm.em.fork().getConnection().execute(sql, params) });
  }

  async agents(): Promise<Agent[]> {
    const c = this.cache;
    if (c && this.clock() - c.at < (this.o.ttlMs ?? 5000)) return c.agents;
    // One read at a time: a burst of routing passes shares it.
    this.loading ??= this.load().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  async byStaffNo(staffNo: string): Promise<Agent | undefined> {
    await this.agents();
    return this.cache?.byNo.get(staffNo);
  }

  /** Forget the cached list (after staff were edited). */
  invalidate(): void { this.cache = undefined; }

  private async load(): Promise<Agent[]> {
    try {
      const rows = await this.o.query(SQL, []);
      const agents: Agent[] = rows.map((r) => ({
        staffNo: String(r.staff_no), name: String(r.name), endpoint: String(r.endpoint),
        skills: list(r.skills), dialects: list(r.dialects), lines: list(r.lines), stars: Number(r.stars ?? 3),
      }));
      this.cache = { at: this.clock(), agents, byNo: new Map(agents.map((a) => [a.staffNo, a])) };
      return agents;
    } catch (err) {
      if (!this.cache) throw err;
      this.o.log.warn({ err: (err as Error).message }, 'staff directory: database unavailable, using the last list');
      // Try again after a short pause, not on every pass.
      this.cache.at = this.clock() - (this.o.ttlMs ?? 5000) + 1000;
      return this.cache.agents;
    }
  }
}
