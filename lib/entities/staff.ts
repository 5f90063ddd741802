// People who use the desk: hotline lawyers (agents), supervisors and admins. A lawyer's skills (legal topics and
// dialects) and lines drive the ACD; the phone endpoint is what the ACD rings (e.g. PJSIP/8001).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const Staff = defineEntity({
  name: 'Staff',
  tableName: 'staff',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    /** 工号: published to callers for 点名咨询; unique. */
    staffNo: p.text().unique(),
    name: p.text(),
    role: p.enum(() => [...ROLES]),
    passwordHash: p.text().hidden(),
    /** Legal topic codes (labour-wages, marriage-family, ...). */
    skills: p.json<string[]>().default('[]'),
    /** Dialects / languages spoken besides Mandarin (粤语, 客家话, ...). */
    dialects: p.json<string[]>().default('[]'),
    /** Service lines this lawyer answers; empty = every line. */
    lines: p.json<string[]>().default('[]'),
    endpoint: p.text().nullable(),
    /** 星级: shown to supervisors and used to break ties. */
    stars: p.integer().default(3),
    active: p.boolean().default(true),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
  },
});

export type Staff = InferEntity<typeof Staff>;
