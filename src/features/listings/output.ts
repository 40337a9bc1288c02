import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { alias, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import * as z from 'zod';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import {
  communes,
  LISTING_CATEGORIES,
  LISTING_CLOSE_REASONS,
  LISTING_STATUSES,
  LISTING_TERMS,
  LISTING_TYPES,
  listingPhotos,
  listings,
  organisations,
  poles,
} from '../../db/schema.ts';
import { EXCERPT_LENGTH } from '../../lib/directory/format.ts';
import type { ListingRow } from './queries.ts';

/** A photo as pages and the API refer to it (bytes served at `url`). */
export interface PhotoRef {
  id: number;
  url: string;
  contentType: string;
  width: number | null;
  height: number | null;
  alt: string;
}

/** Where a listing photo is served (photo-routes.tsx). */
export const photoUrl = (listingId: number, photoId: number) => `/annonces/${listingId}/photos/${photoId}`;

/** A listing with what every view of it shows: organisation, commune, pôles, photos. */
export type ListingView = Omit<ListingRow, 'stemTitle' | 'stemBody'> & {
  organisation: { id: number; name: string; kind: string; themes: string[] };
  commune: { code: string; name: string; departement: string };
  pole: { id: number; slug: string; name: string } | null;
  onBehalfOfPole: { id: number; slug: string; name: string } | null;
  photos: PhotoRef[];
  /** Set in searches around a commune. */
  distanceKm?: number;
};

const onBehalf = alias(poles, 'on_behalf_pole');

/** `column IN` the ids bound as one JSON array: one SQL text whatever the number of ids. */
const inIds = (column: SQLiteColumn) =>
  sql`${column} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`;

/**
 * The two reads of `loadListingViews`, built and prepared once per database (rebuilding them cost
 * more than running them: about 1 ms of a search page's 20 cards).
 */
function viewQueries(db: Db) {
  return prepared(db, 'listings.views', () => {
    const { stemTitle: _title, stemBody: _body, ...listingColumns } = getTableColumns(listings);
    return {
      rows: db
        .select({
          listing: listingColumns,
          organisation: {
            id: organisations.id,
            name: organisations.name,
            kind: organisations.kind,
            themes: organisations.themes,
          },
          communeName: communes.name,
          pole: { id: poles.id, slug: poles.slug, name: poles.name },
          onBehalfOfPole: { id: onBehalf.id, slug: onBehalf.slug, name: onBehalf.name },
        })
        .from(listings)
        .innerJoin(organisations, eq(organisations.id, listings.organisationId))
        .innerJoin(communes, eq(communes.code, listings.communeCode))
        .leftJoin(poles, eq(poles.id, listings.poleId))
        .leftJoin(onBehalf, eq(onBehalf.id, listings.onBehalfOfPoleId))
        .where(inIds(listings.id))
        .prepare(),
      photos: db
        .select()
        .from(listingPhotos)
        .where(inIds(listingPhotos.listingId))
        .orderBy(asc(listingPhotos.listingId), asc(listingPhotos.position), asc(listingPhotos.id))
        .prepare(),
    };
  });
}

/** The views of these listings (any status), by id, in two indexed reads. */
export async function loadListingViews(db: Db, ids: readonly number[]): Promise<Map<number, ListingView>> {
  const out = new Map<number, ListingView>();
  if (ids.length === 0) return out;
  const bound = { ids: JSON.stringify([...new Set(ids)]) };
  const queries = viewQueries(db);
  const [rows, photos] = await Promise.all([queries.rows.all(bound), queries.photos.all(bound)]);
  const photosOf = photosByListing(photos);
  for (const row of rows) {
    const { listing } = row;
    out.set(listing.id, {
      ...listing,
      organisation: { ...row.organisation, themes: row.organisation.themes ?? [] },
      commune: { code: listing.communeCode, name: row.communeName, departement: listing.departement },
      pole: row.pole,
      onBehalfOfPole: row.onBehalfOfPole,
      photos: photosOf.get(listing.id) ?? [],
    });
  }
  return out;
}

type PhotoRow = Awaited<ReturnType<ReturnType<typeof viewQueries>['photos']['all']>>[number];

/** Photos by listing id, in their order. */
function photosByListing(photos: PhotoRow[]): Map<number, PhotoRef[]> {
  const photosOf = new Map<number, PhotoRef[]>();
  for (const photo of photos) {
    const list = photosOf.get(photo.listingId) ?? [];
    list.push({
      id: photo.id,
      url: photoUrl(photo.listingId, photo.id),
      contentType: photo.contentType,
      width: photo.width,
      height: photo.height,
      alt: photo.alt,
    });
    photosOf.set(photo.listingId, list);
  }
  return photosOf;
}

/**
 * What a listing card shows (card.tsx): no column that only the listing page or the API needs, and
 * the description cut to what the card's excerpt keeps.
 */
export type ListingCardView = Pick<
  ListingView,
  | 'id'
  | 'type'
  | 'category'
  | 'title'
  | 'description'
  | 'publishedAt'
  | 'lat'
  | 'lon'
  | 'photos'
  | 'distanceKm'
> & {
  organisation: { name: string };
  commune: { name: string; departement: string };
};

/** The card read, built and prepared once per database. */
const cardQuery = (db: Db) =>
  prepared(db, 'listings.cards', () =>
    db
      .select({
        id: listings.id,
        type: listings.type,
        category: listings.category,
        title: listings.title,
        // One character more than the excerpt keeps, so `excerpt` still knows when to add « … »
        // (SQLite counts characters, JavaScript UTF-16 units: the prefix is never shorter).
        description: sql<string>`substr(${listings.description}, 1, ${sql.raw(String(EXCERPT_LENGTH + 1))})`,
        publishedAt: listings.publishedAt,
        lat: listings.lat,
        lon: listings.lon,
        organisationName: organisations.name,
        communeName: communes.name,
        departement: listings.departement,
      })
      .from(listings)
      .innerJoin(organisations, eq(organisations.id, listings.organisationId))
      .innerJoin(communes, eq(communes.code, listings.communeCode))
      .where(inIds(listings.id))
      .prepare(),
  );

/**
 * The cards of these ids in the order given (missing ids dropped), with their distances if any: a
 * third of the columns of `listingViewsInOrder`, for the lists (search page, home, pôle page).
 */
export async function listingCardsInOrder(
  db: Db,
  items: ReadonlyArray<{ id: number; km?: number | undefined }>,
): Promise<ListingCardView[]> {
  if (items.length === 0) return [];
  const bound = { ids: JSON.stringify([...new Set(items.map((item) => item.id))]) };
  const [rows, photos] = await Promise.all([cardQuery(db).all(bound), viewQueries(db).photos.all(bound)]);
  const photosOf = photosByListing(photos);
  const found = new Map<number, ListingCardView>();
  for (const { organisationName, communeName, departement, ...row } of rows) {
    found.set(row.id, {
      ...row,
      organisation: { name: organisationName },
      commune: { name: communeName, departement },
      photos: photosOf.get(row.id) ?? [],
    });
  }
  return items.flatMap(({ id, km }) => {
    const card = found.get(id);
    if (!card) return [];
    return [km === undefined ? card : { ...card, distanceKm: Math.round(km * 10) / 10 }];
  });
}

/** One listing's view, or undefined. */
export async function getListingView(db: Db, id: number): Promise<ListingView | undefined> {
  return (await loadListingViews(db, [id])).get(id);
}

/** The views of these ids in the order given (missing ids dropped), with their distances if any. */
export async function listingViewsInOrder(
  db: Db,
  items: ReadonlyArray<{ id: number; km?: number | undefined }>,
): Promise<ListingView[]> {
  const found = await loadListingViews(
    db,
    items.map((item) => item.id),
  );
  return items.flatMap(({ id, km }) => {
    const view = found.get(id);
    if (!view) return [];
    return [km === undefined ? view : { ...view, distanceKm: Math.round(km * 10) / 10 }];
  });
}

/** The listing JSON of the API (raw strings: the API never escapes, pages do). */
export function listingJson(view: ListingView) {
  return {
    id: view.id,
    organisationId: view.organisationId,
    organisation: { id: view.organisation.id, name: view.organisation.name, kind: view.organisation.kind },
    poleId: view.poleId,
    onBehalfOfPoleId: view.onBehalfOfPoleId,
    type: view.type,
    category: view.category,
    title: view.title,
    description: view.description,
    communeCode: view.communeCode,
    commune: view.commune,
    departement: view.departement,
    region: view.region,
    radiusKm: view.radiusKm,
    availableFrom: view.availableFrom,
    availableUntil: view.availableUntil,
    terms: view.terms,
    measure:
      view.measureValue !== null && view.measureUnit !== null
        ? { value: view.measureValue, unit: view.measureUnit }
        : null,
    status: view.status,
    closedReason: view.closedReason,
    publishedAt: view.publishedAt,
    expiresAt: view.expiresAt,
    version: view.version,
    isDemo: view.isDemo,
    photos: view.photos,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    ...(view.distanceKm !== undefined ? { distanceKm: view.distanceKm } : {}),
  };
}

const photoOutput = z.object({
  id: z.number().int(),
  url: z.string(),
  contentType: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  alt: z.string(),
});

/** The listing JSON, for the OpenAPI document. */
export const listingOutput = z.object({
  id: z.number().int(),
  organisationId: z.number().int(),
  organisation: z.object({ id: z.number().int(), name: z.string(), kind: z.string() }),
  poleId: z.number().int().nullable(),
  onBehalfOfPoleId: z.number().int().nullable(),
  type: z.enum(LISTING_TYPES),
  category: z.enum(LISTING_CATEGORIES),
  title: z.string(),
  description: z.string(),
  communeCode: z.string(),
  commune: z.object({ code: z.string(), name: z.string(), departement: z.string() }),
  departement: z.string(),
  region: z.string(),
  radiusKm: z.number().int(),
  availableFrom: z.string().nullable(),
  availableUntil: z.string().nullable(),
  terms: z.enum(LISTING_TERMS),
  measure: z.object({ value: z.number(), unit: z.string() }).nullable(),
  status: z.enum(LISTING_STATUSES),
  closedReason: z.enum(LISTING_CLOSE_REASONS).nullable(),
  publishedAt: z.string().nullable(),
  expiresAt: z.string(),
  version: z.number().int(),
  isDemo: z.boolean(),
  photos: z.array(photoOutput),
  createdAt: z.string(),
  updatedAt: z.string(),
  distanceKm: z.number().optional().meta({ description: 'Avec `commune` : distance en km' }),
});

export type ListingJson = ReturnType<typeof listingJson>;
