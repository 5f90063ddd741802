// Audit trail of component lifecycle (start-up, shutdown, failures). Written by scripts/start.ts
// and any component that wants an operator to see what happened, in the database itself.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

// defineEntity rather than decorators: tsx emits no decorator metadata, and this keeps types in one place.
export const SystemEvent = defineEntity({
  name: 'SystemEvent',
  tableName: 'system_event',
  properties: {
    // bigserial; read back as a string so values past 2^53 stay exact.
    id: p.bigint('string').primary().autoincrement(),
    at: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    source: p.text(),
    kind: p.text(),
    details: p.json<Record<string, unknown>>().nullable(),
  },
});

export type SystemEvent = InferEntity<typeof SystemEvent>;
