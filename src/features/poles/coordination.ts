import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { poles } from '../../db/schema.ts';
import { Conflict } from '../../lib/errors.ts';

/**
 * The rule "a pôle always keeps an active coordinator" for deletions (defect 8): removing an
 * organisation (deleting it, or the account that is its only member) must not leave a pôle it
 * coordinates alone without one.
 */

const soleCoordinatorOf = (organisationIds: readonly number[] | SQL) => {
  const ids = Array.isArray(organisationIds)
    ? sql.join(
        organisationIds.map((id) => sql`${id}`),
        sql`, `,
      )
    : organisationIds;
  return sql`EXISTS (SELECT 1 FROM pole_members mine WHERE mine.pole_id = ${poles.id}
      AND mine.role = 'coordinator' AND mine.status = 'active' AND mine.organisation_id IN (${ids}))
    AND NOT EXISTS (SELECT 1 FROM pole_members other WHERE other.pole_id = ${poles.id}
      AND other.role = 'coordinator' AND other.status = 'active' AND other.organisation_id NOT IN (${ids}))`;
};

/** Pôles whose every active coordinator is among `organisationIds`: they would be left without one. */
export async function polesLeftWithoutCoordinator(
  db: Db,
  organisationIds: readonly number[],
): Promise<Array<{ id: number; name: string; slug: string }>> {
  if (organisationIds.length === 0) return [];
  return db
    .select({ id: poles.id, name: poles.name, slug: poles.slug })
    .from(poles)
    .where(soleCoordinatorOf(organisationIds))
    .orderBy(poles.name);
}

/** The refusal, naming the pôles (« … » quoted) that would lose their last coordinator. */
export function lastCoordinatorConflict(names: readonly string[]): Conflict {
  const list = names.map((name) => `« ${name} »`).join(', ');
  return new Conflict(
    names.length === 1
      ? `Cette suppression laisserait le pôle ${list} sans organisation coordinatrice : associez d’abord une autre organisation membre à sa coordination (depuis la page du pôle), ou retirez-en cette organisation.`
      : `Cette suppression laisserait les pôles ${list} sans organisation coordinatrice : associez d’abord une autre organisation membre à leur coordination (depuis la page de chaque pôle).`,
  );
}

/** Throws {@link lastCoordinatorConflict} when removing these organisations would orphan a pôle. */
export async function assertPolesKeepCoordinator(db: Db, organisationIds: readonly number[]): Promise<void> {
  const orphaned = await polesLeftWithoutCoordinator(db, organisationIds);
  if (orphaned.length > 0) throw lastCoordinatorConflict(orphaned.map((p) => p.name));
}

/**
 * A condition on an `organisations` row, for its DELETE statement: true unless the organisation is
 * the only active coordinator of some pôle. Checked in the statement itself, so a coordinator
 * stepping down at the same moment cannot slip between the check and the deletion.
 */
export function coordinatesNoPoleAlone(organisationId: SQL): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM ${poles} WHERE ${soleCoordinatorOf(organisationId)})`;
}
