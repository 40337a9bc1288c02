import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { communes, staffRegions, users } from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { NotFound, ValidationError } from '../../lib/errors.ts';

/**
 * An instructor's scope: national (no `staff_regions` row) or one or more régions (INSEE codes),
 * set by an admin on the users page or with `npm run cli -- create-user … --regions 84,93`. Admins
 * are always national; the scope is read by `staffScopeSql` (ami/access.ts).
 */

/** Where staff land after signing in (and the header's « Instruction » entry). */
export const STAFF_HOME = '/instruction';

export const isStaffRole = (role: SessionUser['role'] | undefined | null) =>
  role === 'instructor' || role === 'admin';

/** The page a user lands on after signing in when no return path was asked for. */
export function landingPath(role: SessionUser['role']): string {
  return isStaffRole(role) ? STAFF_HOME : '/compte';
}

/** The région codes of the communes table (the INSEE codes in use). */
export async function knownRegions(db: Db): Promise<Set<string>> {
  const rows = await db.selectDistinct({ region: communes.region }).from(communes);
  return new Set(rows.map((r) => r.region));
}

/**
 * « 84, 93 » / « 84 93 » → ['84', '93'] (sorted, unique), each checked against the communes
 * table's régions; blank → [] (national). Unknown or malformed codes: a French message naming them.
 */
export async function parseRegions(db: Db, text: string): Promise<{ regions: string[] } | { error: string }> {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { regions: [] };
  if (parts.length > 20 || text.length > 200) return { error: 'Vingt régions au plus.' };
  const known = await knownRegions(db);
  const unknown = parts.filter((p) => !known.has(p));
  if (unknown.length > 0)
    return {
      error: `Code${unknown.length > 1 ? 's' : ''} de région inconnu${unknown.length > 1 ? 's' : ''} : ${unknown
        .map((u) => `« ${u.slice(0, 10)} »`)
        .join(', ')}. Indiquez des codes INSEE de région (par exemple 84 pour Auvergne-Rhône-Alpes).`,
    };
  return { regions: [...new Set(parts)].sort() };
}

/**
 * Replaces an instructor's régions ([] = national), in one transaction. 404 unknown account; 422
 * when the account is not an instructor (admins are national, members have no scope).
 */
export async function setInstructorRegions(db: Db, userId: number, regions: readonly string[]) {
  const [user] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  if (!user) throw new NotFound('Compte introuvable.');
  if (user.role !== 'instructor')
    throw new ValidationError({
      regions: 'Seul un compte instructeur·rice a des régions (les administrateurs sont nationaux).',
    });
  await db.batch([
    db.delete(staffRegions).where(eq(staffRegions.userId, userId)),
    ...(regions.length > 0
      ? [db.insert(staffRegions).values(regions.map((region) => ({ userId, region })))]
      : []),
  ]);
}

/** Every account's régions, by user id (accounts without rows are absent: national). */
export async function regionsByUser(db: Db): Promise<Map<number, string[]>> {
  const rows = await db
    .select({ userId: staffRegions.userId, region: staffRegions.region })
    .from(staffRegions)
    .orderBy(staffRegions.userId, staffRegions.region);
  const out = new Map<number, string[]>();
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.region]);
  return out;
}

/** One user's régions ([] = national). */
export async function regionsOf(db: Db, userId: number): Promise<string[]> {
  const rows = await db
    .select({ region: staffRegions.region })
    .from(staffRegions)
    .where(eq(staffRegions.userId, userId))
    .orderBy(sql`${staffRegions.region}`);
  return rows.map((r) => r.region);
}
