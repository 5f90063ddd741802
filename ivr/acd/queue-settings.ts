// Each queue's own settings (the service_queue table: announcement interval, how long a call waits for a lawyer
// with the topic's skill), read through a short cache. Without the table or the row, the ACD's defaults apply; a
// failing database keeps the last settings.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

export interface QueueSetting { announceEveryMs: number; skillWaitMs: number }

export interface QueueSettings { forLine(line: string): Promise<QueueSetting | undefined> }

export function serviceQueueSettings(orm: MikroORM, log: Logger, ttlMs = 30_000): QueueSettings {
  let cache: { at: number; byLine: Map<string, QueueSetting> } | undefined;
  let loading: Promise<Map<string, QueueSetting>> | undefined;
  const load = async () => {
    try {
      const rows = await orm.em.fork().getConnection().execute<Array<{ line: string; announce_every_sec: number; skill_wait_sec: number }>>(
        'select line, announce_every_sec, skill_wait_sec from service_queue where active');
      cache = { at: Date.now(), byLine: new Map(rows.map((r) => [r.line, { announceEveryMs: r.announce_every_sec * 1000, skillWaitMs: r.skill_wait_sec * 1000 }])) };
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'queue settings unavailable: using the last ones or the defaults');
      cache = { at: Date.now() - ttlMs + 5000, byLine: cache?.byLine ?? new Map() };
    }
    return cache.byLine;
  };
  return {
    async forLine(line) {
      if (!cache || Date.now() - cache.at > ttlMs) {
        loading ??= load().finally(() => { loading = undefined; });
        await loading;
      }
      return cache?.byLine.get(line);
    },
  };
}
