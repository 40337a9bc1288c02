import { eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  listings,
  organisationMembers,
  organisations,
  poleMembers,
  threadMessages,
  threadReads,
  threads,
} from '../../db/schema.ts';
import { ValidationError } from '../../lib/errors.ts';
import { getCommune } from '../geo/queries.ts';
import { type ListingCardView, listingCardsInOrder } from './output.ts';
import { LISTING_TTL_DAYS, type ListingCreate } from './schemas.ts';
import { stemText } from './search-text.ts';

const DAY_MS = 24 * 3600_000;

export type ListingRow = typeof listings.$inferSelect;

/** The indexed words of a listing (see search-text.ts): written with every title or description. */
export function searchColumns(title: string, description: string) {
  return { stemTitle: stemText(title), stemBody: stemText(description) };
}

/** When a listing published (or renewed) at `now` expires. */
export function expiryFrom(now: Date): string {
  return new Date(now.getTime() + LISTING_TTL_DAYS * DAY_MS).toISOString();
}

/**
 * Inserts a listing as a draft, placed at its commune (the organisation's when none is given,
 * resolved by the caller). The caller has checked the author's rights on the organisation and pôle.
 */
export async function insertListing(
  db: Db,
  input: Omit<ListingCreate, 'publish'> & { communeCode: string; publish?: boolean },
  author: { userId: number | null; onBehalfOfPoleId?: number | null },
  now: Date,
): Promise<ListingRow> {
  const commune = await getCommune(db, input.communeCode);
  if (!commune) throw new ValidationError({ communeCode: 'Commune inconnue.' });
  const at = now.toISOString();
  const { measure, publish: _publish, ...fields } = input;
  const [row] = await db
    .insert(listings)
    .values({
      ...fields,
      measureValue: measure?.value ?? null,
      measureUnit: measure?.unit ?? null,
      departement: commune.departement,
      region: commune.region,
      lat: commune.lat,
      lon: commune.lon,
      ...searchColumns(input.title, input.description),
      createdBy: author.userId,
      onBehalfOfPoleId: author.onBehalfOfPoleId ?? null,
      status: 'draft',
      expiresAt: expiryFrom(now),
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row!;
}

/** Publishes a draft (or renews a published listing): visible in search until `expiresAt`. */
export async function publishListingRow(db: Db, id: number, now: Date): Promise<ListingRow | undefined> {
  const at = now.toISOString();
  const [row] = await db
    .update(listings)
    .set({
      status: 'published',
      publishedAt: sql`coalesce(${listings.publishedAt}, ${at})`,
      expiresAt: expiryFrom(now),
      expiryReminderSentAt: null,
      closedReason: null,
      closedAt: null,
      version: sql`${listings.version} + 1`,
      updatedAt: at,
    })
    .where(eq(listings.id, id))
    .returning();
  return row;
}

/**
 * The published listings of a pôle, as a set of ids for `listings.id IN (…)`: those shown on it
 * (`poleId`) and those its active member organisations publish, wherever they are shown — « a pôle
 * page shows its members’ published listings », and a member's listing belongs to the pôle's
 * activity even when its author did not pick the pôle. The pôle page and the search's `pole=`
 * filter both use it, so « voir toutes les annonces » lists what the page began. Two indexed
 * lookups: listings by (pole_id, status); the pôle's members by its primary key, then their
 * listings by (organisation_id, status) (CROSS JOIN keeps that order: members first).
 */
export function poleListingIds(poleId: number): SQL {
  return sql`SELECT id FROM ${listings} WHERE pole_id = ${poleId} AND status = 'published'
    UNION SELECT l.id FROM ${poleMembers} AS pm
      CROSS JOIN ${listings} AS l ON l.organisation_id = pm.organisation_id AND l.status = 'published'
      WHERE pm.pole_id = ${poleId} AND pm.status = 'active'`;
}

/**
 * The newest published, unexpired listings of a pôle (see `poleListingIds`), `limit` rows. The
 * pôle's ids drive the query (CROSS JOIN), each listing read by its primary key, then sorted: the
 * cost follows the pôle's listings, not the table's.
 */
export function newestPoleListingsQuery(poleId: number, now: Date, limit: number): SQL {
  return sql`SELECT l.id FROM (${poleListingIds(poleId)}) AS p
    CROSS JOIN ${listings} AS l ON l.id = p.id
    WHERE l.expires_at > ${now.toISOString()}
    ORDER BY l.published_at DESC, l.id DESC
    LIMIT ${limit}`;
}

/** The pôle's newest listing ids, at most `limit`, and whether there are more. */
export async function newestPoleListingIds(
  db: Db,
  poleId: number,
  now: Date,
  limit: number,
): Promise<{ ids: Array<{ id: number }>; more: boolean }> {
  const rows = await db.all<{ id: number }>(newestPoleListingsQuery(poleId, now, limit + 1));
  return { ids: rows.slice(0, limit), more: rows.length > limit };
}

/** How many listings a pôle page shows (then a link to the search). */
export const POLE_PAGE_LISTINGS = 12;

/** The pôle page's listings: the newest ids, then their views in one batch (no N+1). */
export async function poleListingViews(
  db: Db,
  poleId: number,
  now: Date,
  limit = POLE_PAGE_LISTINGS,
): Promise<{ items: ListingCardView[]; more: boolean }> {
  const { ids, more } = await newestPoleListingIds(db, poleId, now, limit);
  return { items: await listingCardsInOrder(db, ids), more };
}

/** A listing as « Mes annonces » (Mon espace) lists it. */
export interface ManagedListing {
  id: number;
  title: string;
  status: ListingRow['status'];
  expiresAt: string;
  organisationId: number;
  organisationName: string;
  /** Published by the viewer's pôle on the organisation's behalf (not taken over yet). */
  onBehalf: boolean;
  /** Threads answering it. */
  responses: number;
  /** Messages of those threads the viewer has not read (0 when they are not on the listing's side). */
  unread: number;
}

/** How many listings « Mes annonces » shows at most. */
export const MANAGED_LISTINGS_LIMIT = 50;

/**
 * The listings a user manages: those of the organisations they belong to, and those a pôle their
 * organisation coordinates published on a member's behalf (until the member takes them over). Drafts
 * first, then published, then the others; the most recently changed first in each. One statement:
 * responses and unread messages are counted by indexed subqueries (threads by listing, messages by
 * thread, reads by thread and user), never one query per listing.
 */
export async function listManagedListings(
  db: Db,
  userId: number,
  limit = MANAGED_LISTINGS_LIMIT,
): Promise<ManagedListing[]> {
  const rows = await db.all<{
    id: number;
    title: string;
    status: ListingRow['status'];
    expires_at: string;
    organisation_id: number;
    organisation_name: string;
    member: number;
    responses: number;
    unread: number;
  }>(sql`WITH mine AS (SELECT organisation_id FROM ${organisationMembers} WHERE user_id = ${userId}),
    coordinated AS (SELECT pm.pole_id FROM ${poleMembers} AS pm
      WHERE pm.role = 'coordinator' AND pm.status = 'active' AND pm.organisation_id IN (SELECT organisation_id FROM mine))
    SELECT l.id, l.title, l.status, l.expires_at, l.organisation_id, o.name AS organisation_name,
      l.organisation_id IN (SELECT organisation_id FROM mine) AS member,
      (SELECT count(*) FROM ${threads} AS t WHERE t.listing_id = l.id) AS responses,
      CASE WHEN l.organisation_id IN (SELECT organisation_id FROM mine) THEN
        (SELECT count(*) FROM ${threads} AS t JOIN ${threadMessages} AS m ON m.thread_id = t.id
          WHERE t.listing_id = l.id AND m.id > COALESCE((SELECT r.last_read_message_id FROM ${threadReads} AS r
            WHERE r.thread_id = t.id AND r.user_id = ${userId}), 0))
      ELSE 0 END AS unread
    FROM ${listings} AS l JOIN ${organisations} AS o ON o.id = l.organisation_id
    WHERE l.organisation_id IN (SELECT organisation_id FROM mine)
      OR (l.on_behalf_of_pole_id IN (SELECT pole_id FROM coordinated) AND l.taken_over_at IS NULL)
    ORDER BY CASE l.status WHEN 'draft' THEN 0 WHEN 'published' THEN 1 ELSE 2 END, l.updated_at DESC, l.id DESC
    LIMIT ${limit}`);
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    status: row.status,
    expiresAt: row.expires_at,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    onBehalf: !row.member,
    responses: Number(row.responses),
    unread: Number(row.unread),
  }));
}
