import { and, Column, eq, getTableName, is, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { amiApplications, amiConflicts, organisationMembers } from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { NotFound } from '../../lib/errors.ts';
import type { MemberRole } from '../organisations/permissions.ts';
import type { AmiApplicationRow } from './dossier.ts';
import type { AmiActor, AmiSection } from './workflow.ts';

/**
 * Who the viewer is to a dossier, read in one round trip: a member of its lead organisation (the
 * applicant side), staff whose scope covers it (national, or a regional instructor of its région),
 * and whether they declared a conflict of interest on it.
 */
export interface AmiAccess {
  application: AmiApplicationRow;
  /** The viewer's role in the lead organisation (null: not a member). */
  memberRole: MemberRole | null;
  /** Staff (instructor or admin) whose scope includes the dossier's région. */
  staffInScope: boolean;
  /**
   * The viewer has a conflict of interest on this dossier: declared, or implied for staff who are
   * members of its lead organisation (they would instruct their own organisation's dossier).
   */
  conflict: boolean;
}

const isStaff = (viewer: Pick<SessionUser, 'role'> | null) =>
  viewer?.role === 'instructor' || viewer?.role === 'admin';

/**
 * SQL true when the user (`userId`) is national staff or a regional instructor of `region`: admins
 * are national; an instructor with no `staff_regions` row is national, else limited to their rows.
 */
export function staffScopeSql(userId: number, role: SessionUser['role'], region: unknown) {
  if (role === 'admin') return sql`1`;
  if (role !== 'instructor') return sql`0`;
  // Qualified by hand: in a single-table select drizzle writes columns unqualified, and an
  // unqualified "region" inside the subquery would be staff_regions' own column (always true).
  const outer = is(region, Column) ? sql.raw(`"${getTableName(region.table)}"."${region.name}"`) : region;
  return sql`(NOT EXISTS (SELECT 1 FROM staff_regions sr WHERE sr.user_id = ${userId})
    OR EXISTS (SELECT 1 FROM staff_regions sr WHERE sr.user_id = ${userId} AND sr.region = ${outer}))`;
}

/** The dossier and the viewer's relation to it; undefined when there is no such dossier. */
export async function getAmiAccess(
  db: Db,
  applicationId: number,
  viewer: Pick<SessionUser, 'id' | 'role'> | null,
): Promise<AmiAccess | undefined> {
  const userId = viewer?.id ?? 0;
  const [row] = await db
    .select({
      application: amiApplications,
      memberRole: organisationMembers.role,
      staffInScope: staffScopeSql(userId, viewer?.role ?? 'member', amiApplications.region).mapWith(Number),
      conflict: sql<number>`EXISTS (SELECT 1 FROM ${amiConflicts} WHERE ${amiConflicts.applicationId} = ${amiApplications.id} AND ${amiConflicts.userId} = ${userId})`,
    })
    .from(amiApplications)
    .leftJoin(
      organisationMembers,
      and(
        eq(organisationMembers.organisationId, amiApplications.leadOrganisationId),
        eq(organisationMembers.userId, userId),
      ),
    )
    .where(eq(amiApplications.id, applicationId));
  if (!row) return undefined;
  return {
    application: row.application,
    memberRole: row.memberRole ?? null,
    staffInScope: isStaff(viewer) && Boolean(row.staffInScope),
    // Staff who are members of the lead organisation are in conflict without declaring it.
    conflict: Boolean(row.conflict) || (isStaff(viewer) && row.memberRole != null),
  };
}

/** What the viewer may do with a dossier (pure; handlers enforce it, views show it). */
export interface AmiRights {
  /** Applicant side: a member of the lead organisation (sees public events, messages, no notes nor scores). */
  applicant: boolean;
  /** Staff side: staff in scope, once the dossier is submitted (drafts, even withdrawn, are the applicant's alone). */
  staff: boolean;
  canView: boolean;
  /** The sections the applicant may edit now: all in a draft, the reopened ones under `changes_requested`. */
  editableSections: readonly AmiSection[];
  /** Staff in scope without a conflict: score, assign, decide. */
  canInstruct: boolean;
}

export function amiRights(
  access: AmiAccess,
  viewer: Pick<SessionUser, 'role' | 'emailVerified'> | null,
): AmiRights {
  const { application: a } = access;
  const applicant = access.memberRole !== null;
  // Once submitted: a draft withdrawn before any submit stays the applicant's alone.
  const staff = access.staffInScope && a.status !== 'draft' && a.submittedAt !== null;
  const verified = !!viewer?.emailVerified;
  const editableSections: readonly AmiSection[] =
    !applicant || !verified
      ? []
      : a.status === 'draft'
        ? (['porteur', 'membres', 'territoire', 'projet', 'emplois', 'budget', 'pieces'] as const)
        : a.status === 'changes_requested'
          ? a.reopenedSections
          : [];
  return {
    applicant,
    staff,
    canView: applicant || staff,
    editableSections,
    canInstruct: staff && !access.conflict,
  };
}

/** The actor a viewer acts as for a transition made `by` these actors (null: neither). */
export function actorFor(
  rights: AmiRights,
  viewer: Pick<SessionUser, 'role'>,
  by: readonly AmiActor[],
): AmiActor | null {
  if (by.includes('applicant') && rights.applicant) return 'applicant';
  if (rights.staff && (viewer.role === 'admin' || viewer.role === 'instructor')) return viewer.role;
  if (rights.applicant) return 'applicant';
  return null;
}

/** Why a dossier action is refused, in French (403). */
export const AMI_REFUSALS = {
  conflict:
    'Vous êtes en conflit d’intérêts sur ce dossier (déclaré, ou membre de l’organisation porteuse) : vous ne pouvez ni l’évaluer, ni l’attribuer, ni décider.',
  edit: 'Seuls les membres de l’organisation porteuse peuvent modifier ce dossier.',
  section:
    'Cette section n’est pas modifiable : le dossier est déposé (seules les sections rouvertes par l’instruction le sont).',
  staffOnly: 'Réservé à l’équipe d’instruction.',
} as const;

export const DOSSIER_NOT_FOUND = 'Dossier introuvable.';

/**
 * The dossier and the viewer's rights, if the viewer may see it (applicant of its lead
 * organisation, or staff in scope once submitted); 404 otherwise — never a hint that it exists.
 */
export async function visibleDossier(
  db: Db,
  applicationId: number,
  viewer: Pick<SessionUser, 'id' | 'role' | 'emailVerified'> | null,
): Promise<{ access: AmiAccess; rights: AmiRights }> {
  const access = await getAmiAccess(db, applicationId, viewer);
  const rights = access && amiRights(access, viewer);
  if (!access || !rights?.canView) throw new NotFound(DOSSIER_NOT_FOUND);
  return { access, rights };
}
