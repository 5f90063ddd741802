// Desk accounts: create and edit lawyers, supervisors and admins. Shared by the admin routes, the `hotline admin`
// command and the demo seed, so all three apply the same rules (password length, one active admin at least).
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Staff, type Role } from '../lib/entities/staff.js';
import { DeskError, badField, notFound } from './errors.js';
import type { StaffView } from './schemas.js';
import { MIN_PASSWORD, hashPassword } from './sessions.js';

export interface StaffInput {
  staffNo: string;
  name: string;
  role: Role;
  password: string;
  skills?: string[];
  dialects?: string[];
  lines?: string[];
  endpoint?: string | null;
  stars?: number;
}

export type StaffPatch = Partial<Omit<StaffInput, 'staffNo'>> & { active?: boolean };

export function toStaffView(s: Staff): StaffView {
  return {
    staffNo: s.staffNo, name: s.name, role: s.role as Role, skills: s.skills ?? [], dialects: s.dialects ?? [],
    lines: s.lines ?? [], endpoint: s.endpoint ?? null, stars: s.stars, active: s.active,
  };
}

function checkPassword(p: string | undefined): void {
  if (p !== undefined && p.length < MIN_PASSWORD) throw badField('password', `must be at least ${MIN_PASSWORD} characters`);
}

const uniq = (xs: string[] | undefined) => (xs ? [...new Set(xs)] : undefined);

export async function createStaff(em: EntityManager, input: StaffInput): Promise<StaffView> {
  checkPassword(input.password);
  if (input.name.trim() === '') throw badField('name', 'is required');
  if (await em.count(Staff, { staffNo: input.staffNo })) throw taken(input.staffNo);
  const s = em.create(Staff, {
    staffNo: input.staffNo, name: input.name.trim(), role: input.role, passwordHash: await hashPassword(input.password),
    skills: uniq(input.skills) ?? [], dialects: uniq(input.dialects) ?? [], lines: uniq(input.lines) ?? [],
    endpoint: input.endpoint ?? null, stars: input.stars ?? 3, active: true, createdAt: new Date(),
  });
  try {
    await em.flush();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw taken(input.staffNo);
    throw e;
  }
  return toStaffView(s);
}

const taken = (staffNo: string) =>
  new DeskError(409, 'conflict', `staffNo: ${staffNo} is already in use`, [{ field: 'staffNo', message: 'is already in use' }]);

/**
 * Applies an admin's edit. Returns whether the person's existing sessions must end (password, role or active
 * changed), which the caller does: a demoted or disabled account must not keep its old powers until it logs out.
 */
export async function updateStaff(em: EntityManager, staffNo: string, patch: StaffPatch): Promise<{ view: StaffView; endSessions: boolean }> {
  const s = await em.findOne(Staff, { staffNo });
  if (!s) throw notFound('staff member');
  checkPassword(patch.password);
  if (patch.name !== undefined && patch.name.trim() === '') throw badField('name', 'is required');
  const losesAdmin = s.role === 'admin' && s.active && ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false);
  if (losesAdmin && (await em.count(Staff, { role: 'admin', active: true })) <= 1) {
    throw new DeskError(409, 'conflict', 'the last active admin cannot be demoted or disabled; create another admin first');
  }
  const endSessions = patch.password !== undefined || (patch.role !== undefined && patch.role !== s.role) || patch.active === false;
  const { password, ...rest } = patch;
  em.assign(s, {
    ...rest,
    ...(rest.name !== undefined ? { name: rest.name.trim() } : {}),
    ...(rest.skills ? { skills: uniq(rest.skills) } : {}),
    ...(rest.dialects ? { dialects: uniq(rest.dialects) } : {}),
    ...(rest.lines ? { lines: uniq(rest.lines) } : {}),
    ...(password !== undefined ? { passwordHash: await hashPassword(password) } : {}),
  });
  await em.flush();
  return { view: toStaffView(s), endSessions };
}

/** The demo accounts of issue 4: only `npm start` on the embedded database and the simulated Asterisk makes them. */
export const DEMO_PASSWORD = 'demo12348';
export const DEMO_STAFF: Omit<StaffInput, 'password'>[] = [
  { staffNo: 'supervisor', name: '王主任', role: 'supervisor', stars: 5 },
  { staffNo: 'lawyer1', name: '张律师', role: 'agent', endpoint: 'PJSIP/8001', skills: ['labour-wages', 'contract-debt'], stars: 4 },
  { staffNo: 'lawyer2', name: '李律师', role: 'agent', endpoint: 'PJSIP/8002', skills: ['marriage-family', 'land-housing'], stars: 4 },
];

/** Creates the demo accounts that are missing; never touches an existing one (a changed password stays changed). */
export async function seedDemoStaff(orm: MikroORM, log?: Logger): Promise<string[]> {
  const created: string[] = [];
  for (const d of DEMO_STAFF) {
    const em = orm.em.fork();
    if (await em.count(Staff, { staffNo: d.staffNo })) continue;
    try {
      await createStaff(em, { ...d, password: DEMO_PASSWORD });
      created.push(d.staffNo);
    } catch (e) {
      // Two processes seeding at once: the other one won, which is just as good.
      if (!(e instanceof DeskError && e.code === 'conflict')) throw e;
    }
  }
  if (created.length && log) log.info({ created }, `demo desk accounts created (password ${DEMO_PASSWORD})`);
  return created;
}
