// Published IVR flows. A publish adds a revision; calls run on the revision they started with and every call
// record names it, so old revisions are kept (they are small) and never edited.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const FlowRevision = defineEntity({
  name: 'FlowRevision',
  tableName: 'flow_revision',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    name: p.text(),
    revision: p.integer(),
    document: p.text(),
    sha256: p.text(),
    publishedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    publishedBy: p.text(),
    note: p.text().nullable(),
  },
  uniques: [{ properties: ['name', 'revision'] }],
});

export type FlowRevision = InferEntity<typeof FlowRevision>;
