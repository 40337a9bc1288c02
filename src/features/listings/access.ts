import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import { listings, organisationMembers, poleMembers } from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import type { MemberRole } from '../organisations/permissions.ts';
import type { ListingRow } from './queries.ts';

/** Who the viewer is to a listing, read in one round trip. */
export interface ListingAccess {
  listing: ListingRow;
  /** The viewer's role in the listing's organisation (null: not a member). */
  memberRole: MemberRole | null;
  /**
   * The viewer belongs to an organisation that coordinates the pôle which published the listing on
   * behalf of its member (« besoins d’abord »): they may edit it until the member takes it over
   * (`takenOverAt`).
   */
  onBehalfCoordinator: boolean;
}

/** A listing is in public search and its page is public: published and not expired. */
export function isPublic(listing: Pick<ListingRow, 'status' | 'expiresAt'>, now: Date): boolean {
  return listing.status === 'published' && listing.expiresAt > now.toISOString();
}

/** The listing and the viewer's relation to it; undefined when there is no such listing. */
/** Built and prepared once per database (a listing page's first read). */
const listingAccessQuery = (db: Db) =>
  prepared(db, 'listings.access', () => {
    const userId = sql.placeholder('userId');
    return db
      .select({
        listing: listings,
        memberRole: organisationMembers.role,
        onBehalfCoordinator: sql<number>`EXISTS (SELECT 1 FROM ${poleMembers}
        JOIN ${organisationMembers} AS om ON om.organisation_id = ${poleMembers.organisationId} AND om.user_id = ${userId}
        WHERE ${poleMembers.poleId} = ${listings.onBehalfOfPoleId} AND ${poleMembers.role} = 'coordinator'
          AND ${poleMembers.status} = 'active' AND ${listings.takenOverAt} IS NULL)`,
      })
      .from(listings)
      .leftJoin(
        organisationMembers,
        and(
          eq(organisationMembers.organisationId, listings.organisationId),
          eq(organisationMembers.userId, userId),
        ),
      )
      .where(eq(listings.id, sql.placeholder('listingId')))
      .prepare();
  });

export async function getListingAccess(
  db: Db,
  listingId: number,
  viewer: Pick<SessionUser, 'id'> | null,
): Promise<ListingAccess | undefined> {
  const [row] = await listingAccessQuery(db).all({ userId: viewer?.id ?? 0, listingId });
  if (!row) return undefined;
  return {
    listing: row.listing,
    memberRole: row.memberRole ?? null,
    onBehalfCoordinator: Boolean(row.onBehalfCoordinator),
  };
}

/** What the viewer may do with a listing (pure; handlers enforce it, views show it). */
export interface ListingRights {
  /** See the page (public listings: anyone; others: its managers and staff). */
  canView: boolean;
  /** Edit, publish, close, manage photos: members of its organisation, or the coordinating pôle's. */
  canEdit: boolean;
  /** Staff may unpublish (moderation). */
  canModerate: boolean;
}

export function listingRights(
  access: ListingAccess,
  viewer: Pick<SessionUser, 'role' | 'emailVerified'> | null,
  now: Date,
): ListingRights {
  const manager = access.memberRole !== null || access.onBehalfCoordinator;
  const staff = viewer?.role === 'instructor' || viewer?.role === 'admin';
  return {
    canView: isPublic(access.listing, now) || manager || staff,
    canEdit: manager && !!viewer?.emailVerified && access.listing.status !== 'unpublished',
    canModerate: staff,
  };
}

/** Why a listing action is refused, in French (403). */
export const LISTING_REFUSALS = {
  edit: 'Seuls les membres de l’organisation qui publie l’annonce peuvent la modifier.',
  respond: 'Vous ne pouvez pas répondre à une annonce de votre propre organisation.',
  moderate: 'Seule l’équipe de modération peut retirer une annonce.',
} as const;
