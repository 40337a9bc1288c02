import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import {
  listings,
  organisationMembers,
  organisations,
  poleMembers,
  poles,
  threads,
} from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { Conflict, Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import { getCommune } from '../geo/queries.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { sendEmail } from '../notifications/mailer.ts';
import { ownerEmails } from '../organisations/access-requests.ts';
import { onBehalfEmail } from './emails.ts';
import { deleteListingPhotoFiles, type PhotoDeps } from './photos.ts';
import { expiryFrom, insertListing, type ListingRow, publishListingRow, searchColumns } from './queries.ts';
import type { ListingCreate, ListingPatch } from './schemas.ts';

/** An organisation the user may publish for, and how. */
export interface PublishingChoice {
  organisationId: number;
  name: string;
  communeCode: string;
  /** Set when the user publishes as the coordinator of this pôle, on the organisation's behalf. */
  onBehalfOf: { poleId: number; poleName: string } | null;
  /** The pôles the organisation is an active member of (a listing may be shown on one). */
  poles: Array<{ id: number; name: string }>;
}

const coordinatorOrg = alias(poleMembers, 'coordinator_membership');
const memberOrg = alias(poleMembers, 'member_membership');

/**
 * The organisations a user may publish for: those they are a member of, then the members of the
 * pôles their organisations coordinate (« besoins d’abord »: on their behalf), each with its pôles.
 * Three indexed reads in one round trip.
 */
export async function publishingChoices(db: Db, userId: number): Promise<PublishingChoice[]> {
  const [own, represented] = await db.batch([
    db
      .select({ id: organisations.id, name: organisations.name, communeCode: organisations.communeCode })
      .from(organisationMembers)
      .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
      .where(eq(organisationMembers.userId, userId))
      .orderBy(asc(organisations.sortName), asc(organisations.id)),
    db
      .select({
        id: organisations.id,
        name: organisations.name,
        communeCode: organisations.communeCode,
        poleId: poles.id,
        poleName: poles.name,
      })
      .from(organisationMembers)
      .innerJoin(
        coordinatorOrg,
        and(
          eq(coordinatorOrg.organisationId, organisationMembers.organisationId),
          eq(coordinatorOrg.role, 'coordinator'),
          eq(coordinatorOrg.status, 'active'),
        ),
      )
      .innerJoin(poles, eq(poles.id, coordinatorOrg.poleId))
      .innerJoin(memberOrg, and(eq(memberOrg.poleId, poles.id), eq(memberOrg.status, 'active')))
      .innerJoin(organisations, eq(organisations.id, memberOrg.organisationId))
      .where(eq(organisationMembers.userId, userId))
      .orderBy(asc(poles.name), asc(organisations.sortName), asc(organisations.id)),
  ]);
  const ownIds = new Set(own.map((o) => o.id));
  const choices: PublishingChoice[] = own.map((o) => ({
    organisationId: o.id,
    name: o.name,
    communeCode: o.communeCode,
    onBehalfOf: null,
    poles: [],
  }));
  const seen = new Set<number>();
  for (const r of represented) {
    if (ownIds.has(r.id) || seen.has(r.id)) continue;
    seen.add(r.id);
    choices.push({
      organisationId: r.id,
      name: r.name,
      communeCode: r.communeCode,
      onBehalfOf: { poleId: r.poleId, poleName: r.poleName },
      poles: [],
    });
  }
  if (choices.length === 0) return choices;
  const memberships = await db
    .select({ organisationId: poleMembers.organisationId, id: poles.id, name: poles.name })
    .from(poleMembers)
    .innerJoin(poles, eq(poles.id, poleMembers.poleId))
    .where(
      and(
        inArray(
          poleMembers.organisationId,
          choices.map((c) => c.organisationId),
        ),
        eq(poleMembers.status, 'active'),
      ),
    )
    .orderBy(asc(poles.name));
  for (const choice of choices)
    choice.poles = memberships
      .filter((m) => m.organisationId === choice.organisationId)
      .map(({ id, name }) => ({ id, name }));
  return choices;
}

export const PUBLISH_REFUSAL =
  'Vous ne pouvez publier que pour vos organisations, ou pour les membres d’un pôle que votre organisation coordonne.';
export const POLE_NOT_MEMBER = 'Cette organisation n’est pas membre de ce pôle.';

/** Whether the organisation is an active member of the pôle. */
async function isPoleMember(db: Db, poleId: number, organisationId: number) {
  const [row] = await db
    .select({ one: sql`1` })
    .from(poleMembers)
    .where(
      and(
        eq(poleMembers.poleId, poleId),
        eq(poleMembers.organisationId, organisationId),
        eq(poleMembers.status, 'active'),
      ),
    );
  return !!row;
}

/**
 * Creates a listing for an organisation: as one of its members, or as the coordinator of one of its
 * pôles (on its behalf: its owners are told by email, and may take it over or withdraw it). Drafts
 * unless `publish`. The commune defaults to the organisation's.
 */
export async function createListing(
  deps: ServiceDeps,
  viewer: Pick<SessionUser, 'id' | 'name'>,
  input: Omit<ListingCreate, 'publish'>,
  options: { publish?: boolean } = {},
): Promise<ListingRow> {
  const { db } = deps;
  const now = deps.clock.now();
  const [organisation] = await db
    .select({ id: organisations.id, name: organisations.name, communeCode: organisations.communeCode })
    .from(organisations)
    .where(eq(organisations.id, input.organisationId));
  if (!organisation) throw new ValidationError({ organisationId: 'Organisation inconnue.' });
  const choice = (await publishingChoices(db, viewer.id)).find((c) => c.organisationId === organisation.id);
  if (!choice) throw new Forbidden(PUBLISH_REFUSAL);
  const poleId = input.poleId ?? choice.onBehalfOf?.poleId ?? null;
  if (poleId !== null && !choice.poles.some((p) => p.id === poleId))
    throw new ValidationError({ poleId: POLE_NOT_MEMBER });
  const row = await insertListing(
    db,
    { ...input, poleId, communeCode: input.communeCode ?? organisation.communeCode },
    { userId: viewer.id, onBehalfOfPoleId: choice.onBehalfOf?.poleId ?? null },
    now,
  );
  const listing = options.publish ? ((await publishListingRow(db, row.id, now)) ?? row) : row;
  if (choice.onBehalfOf) {
    const content = onBehalfEmail({
      poleName: choice.onBehalfOf.poleName,
      organisationName: organisation.name,
      authorName: viewer.name,
      title: listing.title,
      published: listing.status === 'published',
      link: `${deps.origin}/annonces/${listing.id}`,
    });
    for (const { email } of await ownerEmails(db, organisation.id))
      await sendEmail(db, deps, { to: email, ...content });
  }
  return listing;
}

const STALE = 'Cette annonce a été modifiée entre-temps : rechargez-la pour voir sa dernière version.';

/** The listing, or 404. */
export async function requireListing(db: Db, id: number): Promise<ListingRow> {
  const [row] = await db.select().from(listings).where(eq(listings.id, id));
  if (!row) throw new NotFound('Annonce introuvable.');
  return row;
}

/**
 * Applies a patch to a listing, guarded by the version it was read at (stale → 409). Title and
 * description rewrite the indexed words; a commune moves the listing; a pôle must be one of the
 * organisation's.
 */
export async function updateListing(db: Db, id: number, patch: ListingPatch, now: Date): Promise<ListingRow> {
  const current = await requireListing(db, id);
  if (current.version !== patch.version) throw new Conflict(STALE);
  if (current.status === 'unpublished')
    throw new Conflict('Cette annonce a été retirée par la modération : elle ne peut plus être modifiée.');
  const { version, measure, communeCode, ...fields } = patch;
  const next = { ...current, ...fields };
  if (next.availableFrom && next.availableUntil && next.availableFrom > next.availableUntil)
    throw new ValidationError({ availableUntil: 'La fin de disponibilité doit suivre son début.' });
  if (fields.poleId != null && !(await isPoleMember(db, fields.poleId, current.organisationId)))
    throw new ValidationError({ poleId: POLE_NOT_MEMBER });
  const set: Partial<typeof listings.$inferInsert> = { ...fields };
  if (measure !== undefined) {
    set.measureValue = measure?.value ?? null;
    set.measureUnit = measure?.unit ?? null;
  }
  if (fields.title !== undefined || fields.description !== undefined)
    Object.assign(set, searchColumns(next.title, next.description));
  if (communeCode !== undefined && communeCode !== current.communeCode) {
    const commune = await getCommune(db, communeCode);
    if (!commune) throw new ValidationError({ communeCode: 'Commune inconnue.' });
    Object.assign(set, {
      communeCode,
      departement: commune.departement,
      region: commune.region,
      lat: commune.lat,
      lon: commune.lon,
    });
  }
  const [row] = await db
    .update(listings)
    .set({ ...set, version: sql`${listings.version} + 1`, updatedAt: now.toISOString() })
    .where(and(eq(listings.id, id), eq(listings.version, version)))
    .returning();
  if (!row) throw new Conflict(STALE);
  return row;
}

/** Publishes a draft, or renews a published or closed listing (a new expiry). */
export async function publishListing(db: Db, id: number, version: number | undefined, now: Date) {
  const current = await requireListing(db, id);
  if (version !== undefined && current.version !== version) throw new Conflict(STALE);
  if (current.status === 'unpublished')
    throw new Conflict('Cette annonce a été retirée par la modération : elle ne peut pas être republiée.');
  const at = now.toISOString();
  const [row] = await db
    .update(listings)
    .set({
      status: 'published',
      publishedAt: current.status === 'published' ? current.publishedAt : at,
      expiresAt: expiryFrom(now),
      expiryReminderSentAt: null,
      closedReason: null,
      closedAt: null,
      version: sql`${listings.version} + 1`,
      updatedAt: at,
    })
    .where(and(eq(listings.id, id), eq(listings.version, current.version)))
    .returning();
  if (!row) throw new Conflict(STALE);
  return row;
}

/** Closes a draft or published listing (fulfilled or withdrawn); it leaves search. */
export async function closeListing(
  db: Db,
  id: number,
  reason: 'fulfilled' | 'withdrawn',
  version: number | undefined,
  now: Date,
) {
  const current = await requireListing(db, id);
  if (version !== undefined && current.version !== version) throw new Conflict(STALE);
  if (current.status !== 'draft' && current.status !== 'published')
    throw new Conflict('Cette annonce est déjà clôturée ou retirée.');
  const at = now.toISOString();
  const [row] = await db
    .update(listings)
    .set({
      status: 'closed',
      closedReason: reason,
      closedAt: at,
      version: sql`${listings.version} + 1`,
      updatedAt: at,
    })
    .where(
      and(
        eq(listings.id, id),
        eq(listings.version, current.version),
        inArray(listings.status, ['draft', 'published']),
      ),
    )
    .returning();
  if (!row) throw new Conflict(STALE);
  return row;
}

/** Whether anyone answered the listing (a thread exists): it can then be closed, not deleted. */
export async function hasResponses(db: Db, id: number): Promise<boolean> {
  const [answered] = await db
    .select({ id: threads.id })
    .from(threads)
    .where(eq(threads.listingId, id))
    .limit(1);
  return !!answered;
}

/**
 * Deletes a listing that nobody answered (its threads record cooperations: close it instead), with
 * its photo files (removed after the check, before the row: a storage failure leaves the listing).
 */
export async function deleteListing(deps: PhotoDeps, id: number): Promise<void> {
  const { db } = deps;
  await requireListing(db, id);
  if (await hasResponses(db, id))
    throw new Conflict(
      'Cette annonce a reçu des réponses : clôturez-la plutôt que de la supprimer, les échanges sont conservés.',
    );
  await deleteListingPhotoFiles(deps, id);
  await db
    .delete(listings)
    .where(
      and(eq(listings.id, id), sql`NOT EXISTS (SELECT 1 FROM ${threads} WHERE ${threads.listingId} = ${id})`),
    );
}

/** The organisation takes over a listing published on its behalf: the pôle no longer edits it. */
export async function takeOverListing(db: Db, id: number, version: number | undefined, now: Date) {
  const current = await requireListing(db, id);
  if (version !== undefined && current.version !== version) throw new Conflict(STALE);
  if (current.onBehalfOfPoleId === null || current.takenOverAt !== null)
    throw new Conflict('Cette annonce est déjà gérée par votre organisation seule.');
  const at = now.toISOString();
  const [row] = await db
    .update(listings)
    .set({ takenOverAt: at, version: sql`${listings.version} + 1`, updatedAt: at })
    .where(and(eq(listings.id, id), eq(listings.version, current.version)))
    .returning();
  if (!row) throw new Conflict(STALE);
  return row;
}

/** Other organisations' public listings of the same category, newest first (the listing page's « annonces proches »). */
/** Built and prepared once per database (every listing page runs it). */
const relatedListingsQuery = (db: Db) =>
  prepared(db, 'listings.related', () =>
    db
      .select({ id: listings.id })
      .from(listings)
      .where(
        and(
          eq(listings.category, sql.placeholder('category')),
          // The expiry is checked row by row (`+`): the newest rows of the category come in order from
          // the (category, status, published_at) index, not sorted from every public row.
          eq(listings.status, 'published'),
          sql`+${listings.expiresAt} > ${sql.placeholder('now')}`,
          ne(listings.id, sql.placeholder('id')),
          ne(listings.organisationId, sql.placeholder('organisationId')),
        ),
      )
      .orderBy(sql`${listings.publishedAt} DESC`, sql`${listings.id} DESC`)
      .limit(sql.placeholder('limit'))
      .prepare(),
  );

export async function relatedListingIds(db: Db, listing: ListingRow, now: Date, limit = 3) {
  const rows = await relatedListingsQuery(db).all({
    category: listing.category,
    now: now.toISOString(),
    id: listing.id,
    organisationId: listing.organisationId,
    limit,
  });
  return rows.map((r) => r.id);
}
