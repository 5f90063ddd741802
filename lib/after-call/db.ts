// Raw SQL inside a MikroORM unit of work: the few statements the ORM cannot say atomically (a guarded counter
// update, a sequence) run on the same connection and transaction as the entities around them.
import type { EntityManager } from '@mikro-orm/postgresql';

export async function sql<T = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
  return (await em.getConnection().execute(query, params, 'all', em.getTransactionContext())) as T[];
}

/** Beijing date of a moment as `YYYY-MM-DD`, the form date columns come back in. */
export const dateText = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
