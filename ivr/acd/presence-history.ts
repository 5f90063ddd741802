// presence_history in PostgreSQL, written behind the call path: append() only queues, a background flush inserts in
// batches. A slow or failing database delays rows (and past a bound drops the oldest, with a warning) but never holds
// up a presence change, so calls keep being routed while PostgreSQL is down.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { PresenceHistory } from './presence.js';
import type { AgentPresence } from './types.js';

export type Execute = (sql: string, params: unknown[]) => Promise<unknown>;

export interface PgPresenceHistoryOptions {
  execute: Execute;
  log: Logger;
  /** Rows kept while the database is unavailable; beyond it the oldest are dropped. */
  maxBuffered?: number;
  flushEveryMs?: number;
  /** Rows per INSERT. */
  batch?: number;
}

interface Row { staffNo: string; state: string; reason: string | null; at: Date }

export class PgPresenceHistory implements PresenceHistory {
  private readonly rows: Row[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;
  private dropped = 0;
  private closed = false;

  constructor(private readonly o: PgPresenceHistoryOptions) {}

  static fromOrm(orm: MikroORM, log: Logger, opts: Omit<PgPresenceHistoryOptions, 'execute' | 'log'> = {}): PgPresenceHistory {
    return new PgPresenceHistory({ ...opts, log, execute: (sql, params) => orm.em.fork().getConnection().execute(sql, params) });
  }

  append(p: AgentPresence): void {
    if (this.closed) return;
    this.rows.push({ staffNo: p.staffNo, state: p.state, reason: p.reason ?? null, at: new Date(p.since || Date.now()) });
    const max = this.o.maxBuffered ?? 10_000;
    if (this.rows.length > max) {
      const n = this.rows.length - max;
      this.rows.splice(0, n);
      this.dropped += n;
      if (this.dropped === n || this.dropped % 1000 < n) this.o.log.warn({ dropped: this.dropped }, 'presence history: database unavailable, dropping the oldest rows');
    }
    this.schedule();
  }

  /** Rows waiting for the database. */
  get pending(): number { return this.rows.length; }

  private schedule(): void {
    if (this.timer || this.closed) return;
    // Back off while the database fails, up to ~10 s between attempts.
    const ms = Math.min(10_000, (this.o.flushEveryMs ?? 100) * 2 ** Math.min(this.failures, 7));
    this.timer = setTimeout(() => { this.timer = undefined; void this.flush(); }, ms);
    this.timer.unref();
  }

  /** Inserts what is queued (one flush at a time). */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    while (this.rows.length) {
      const batch = this.rows.slice(0, this.o.batch ?? 200);
      const sql = `insert into presence_history (staff_no, state, reason, at) values ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`;
      try {
        await this.o.execute(sql, batch.flatMap((r) => [r.staffNo, r.state, r.reason, r.at]));
      } catch (err) {
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0) this.o.log.warn({ err: (err as Error).message, pending: this.rows.length }, 'presence history: insert failed, will retry');
        this.schedule();
        return;
      }
      this.failures = 0;
      // Rows appended meanwhile stay. Drops only ever remove from the front, so whatever is left of the batch is
      // still at the head, ending at its last row (gone too if the bound cut the whole batch).
      this.rows.splice(0, this.rows.indexOf(batch[batch.length - 1]) + 1);
    }
  }

  /** Last flush, bounded: shutdown must not hang on a dead database. */
  async close(timeoutMs = 2000): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    let t: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((r) => { t = setTimeout(r, timeoutMs); })]).finally(() => clearTimeout(t));
    this.closed = true;
  }
}
