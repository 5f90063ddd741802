// Retention: a recording is kept for its kind's period (calls, voicemail; three years unless configured), counted
// from when it finished, and then purged — unless a legal hold covers its call or its caller's number. What the
// purge deletes goes to the append-only audit log in the same transaction that marks the row purged. The policy is
// read at each run, so a longer period set later protects recordings already stored.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { BlobStore } from './storage.js';

export interface RetentionPolicy { callDays: number; voicemailDays: number }

const DAY = 86_400_000;

export interface PurgeResult { purged: number; held: number }

export async function purgeExpired(d: { orm: MikroORM; store: BlobStore; log: Logger }, policy: RetentionPolicy, now: Date, batch = 500): Promise<PurgeResult> {
  const conn = d.orm.em.fork().getConnection();
  const callBefore = new Date(now.getTime() - policy.callDays * DAY);
  const vmBefore = new Date(now.getTime() - policy.voicemailDays * DAY);
  const expired = `r.status = 'stored' and (
      (r.kind = 'call' and coalesce(r.finished_at, r.created_at) < ?) or (r.kind = 'voicemail' and coalesce(r.finished_at, r.created_at) < ?))`;
  const held = `exists (select 1 from legal_hold h left join call_record c on c.call_id = r.call_id
      where h.released_at is null and (h.call_id = r.call_id or (h.caller_number is not null and h.caller_number = c.caller_number)))`;
  const [{ n: heldCount }] = await conn.execute(`select count(*)::int as n from recording r where ${expired} and ${held}`, [callBefore, vmBefore]);
  const rows = (await conn.execute(`select r.id, r.name, r.call_id, r.kind, r.finished_at, r.storage_path, r.sha256 from recording r
    where ${expired} and not ${held} order by r.finished_at limit ?`, [callBefore, vmBefore, batch])) as Array<{
    id: string; name: string; call_id: string; kind: string; finished_at: Date | null; storage_path: string; sha256: string }>;
  let purged = 0;
  for (const r of rows) {
    // A hold placed since the list was read still wins.
    if ((await conn.execute(`select 1 from recording r where r.id = ? and ${held}`, [r.id])).length) continue;
    // Deleted from the store first: should marking it fail, the next run deletes again (a no-op) and marks it.
    await d.store.remove(r.storage_path);
    const em = d.orm.em.fork();
    await em.transactional(async (tx) => {
      const c = tx.getConnection();
      const done = await c.execute(`update recording set status = 'purged', purged_at = now(), updated_at = now() where id = ? and status = 'stored' returning id`, [r.id], 'all', tx.getTransactionContext());
      if (!done.length) return;
      await c.execute(`insert into recording_audit (actor, action, recording_id, call_id, details) values ('system:purge', 'purge', ?, ?, ?::jsonb)`, [
        r.id, r.call_id, JSON.stringify({
          name: r.name, kind: r.kind, finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null, storagePath: r.storage_path,
          sha256: r.sha256, retentionDays: r.kind === 'voicemail' ? policy.voicemailDays : policy.callDays, purgedAsOf: now.toISOString(),
        }),
      ], 'all', tx.getTransactionContext());
      purged++;
    });
  }
  if (purged || heldCount) d.log.info({ purged, held: heldCount }, 'recordings retention purge');
  return { purged, held: heldCount };
}
