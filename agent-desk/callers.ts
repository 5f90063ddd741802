// A caller's profile: the caller row (name, dialect, note) and the green-channel listing (vulnerable_caller),
// read and written together. The IVR reads the listing (ivr/lookups.ts), the ACD the dialect (ivr/acd/callers.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { Caller, VulnerableCaller } from '../lib/entities/ledger-extra.js';
import { badField } from './errors.js';

export interface CallerProfile {
  number: string; name: string | null; dialect: string | null; note: string | null;
  vulnerable: boolean; vulnerableReason: string | null; updatedBy: string | null;
}

export interface CallerPatch {
  name?: string | null; dialect?: string | null; note?: string | null; vulnerable?: boolean; vulnerableReason?: string | null;
}

export async function callerProfile(em: EntityManager, number: string): Promise<CallerProfile> {
  const [c, v] = await Promise.all([em.findOne(Caller, { number }), em.findOne(VulnerableCaller, { number })]);
  return {
    number, name: c?.name ?? null, dialect: c?.dialect ?? null, note: c?.note ?? null,
    vulnerable: !!v, vulnerableReason: v?.reason ?? null, updatedBy: c?.updatedBy ?? v?.addedBy ?? null,
  };
}

export async function saveCallerProfile(em: EntityManager, by: string, number: string, patch: CallerPatch): Promise<CallerProfile> {
  const { vulnerable, vulnerableReason, ...fields } = patch;
  const reason = vulnerableReason?.trim() || undefined;
  // A reason alone lists the caller too; `vulnerable: false` unlists whatever the reason says.
  const listing = vulnerable ?? (reason ? true : undefined);
  await em.transactional(async (tx) => {
    if (Object.keys(fields).length) {
      const c = await tx.findOne(Caller, { number });
      if (c) tx.assign(c, { ...fields, updatedBy: by });
      else tx.create(Caller, { number, name: fields.name ?? null, dialect: fields.dialect ?? null, note: fields.note ?? null, updatedBy: by });
    }
    if (listing === false) await tx.nativeDelete(VulnerableCaller, { number });
    else if (listing) {
      const v = await tx.findOne(VulnerableCaller, { number });
      if (v && reason) tx.assign(v, { reason, addedBy: by });
      else if (!v && !reason) throw badField('vulnerableReason', 'is required to list a caller for the green channel');
      else if (!v) tx.create(VulnerableCaller, { number, reason: reason!, addedBy: by });
    }
  });
  return callerProfile(em.fork(), number);
}
