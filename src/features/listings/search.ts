import { type SQL, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../../db/client.ts';
import {
  LISTING_CATEGORIES,
  LISTING_TERMS,
  LISTING_TYPES,
  listings,
  ORGANISATION_KINDS,
  organisations,
  organisationThemes,
  poles,
  THEMES,
} from '../../db/schema.ts';
import { distanceKm } from '../../lib/normalize.ts';
import { paginationQuery } from '../../lib/pagination.tsx';
import { boundingBox, NOTHING } from '../../lib/search.ts';
import { departementCode, regionCode } from '../geo/schemas.ts';
import { haversineTerm, termWithin } from '../search/distance.ts';
import { DEFAULT_LIMITS, pageTotal, type SearchLimits } from '../search/limits.ts';
import { type ListingView, listingViewsInOrder } from './output.ts';
import { stemWord, wordsOf } from './search-text.ts';

export const LISTING_SORTS = ['relevance', 'distance', 'recent'] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

/** Words shorter than this match whole stems only. */
const MIN_PREFIX = 3;
/** At most this many words are searched (the rest of a long paste is ignored). */
const MAX_WORDS = 8;

/**
 * What a user typed as an FTS5 MATCH over the stemmed columns: each word lowercased, stripped of
 * accents and French-stemmed exactly as the index was (search-text.ts), quoted (so `"`, `*`, `-`,
 * `OR`, `NEAR`, parentheses are plain text), all required (AND), stems of 3+ letters as prefixes.
 * Null when nothing searchable was typed; a phrase matching nothing for symbols only.
 */
export function listingMatch(input: string | undefined): string | null {
  if (!input) return null;
  const words = wordsOf(input.slice(0, 2000)).slice(0, MAX_WORDS);
  if (words.length === 0) return /\p{S}/u.test(input) ? NOTHING : null;
  return words
    .map((word) => {
      const stem = stemWord(word).replace(/"/g, '');
      return [...stem].length < MIN_PREFIX ? `"${stem}"` : `"${stem}"*`;
    })
    .join(' ');
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Indiquez une date au format AAAA-MM-JJ.')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'Cette date n’existe pas.');

/** The filters of `GET /api/v1/listings` (strict) and of the `/annonces` page (lenient). */
export const listingSearchFields = {
  q: z.string().max(2000, 'La recherche est limitée à 2 000 caractères.').optional(),
  type: z.enum(LISTING_TYPES, { error: 'Type inconnu : offer ou need.' }).optional(),
  category: z.enum(LISTING_CATEGORIES, { error: 'Catégorie inconnue.' }).optional(),
  theme: z.enum(THEMES, { error: 'Thème inconnu.' }).optional(),
  kind: z.enum(ORGANISATION_KINDS, { error: 'Type d’organisation inconnu.' }).optional(),
  pole: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,100}$/, 'Pôle inconnu (identifiant ou slug).')
    .optional(),
  departement: departementCode.optional(),
  region: regionCode.optional(),
  commune: z
    .string()
    .toUpperCase()
    .regex(/^(?:\d{5}|2[AB]\d{3})$/, 'Code commune INSEE invalide.')
    .optional(),
  radiusKm: z.coerce
    .number()
    .positive('Le rayon doit être positif.')
    .max(1000, 'Le rayon est limité à 1 000 km.')
    .optional(),
  terms: z.enum(LISTING_TERMS, { error: 'Conditions inconnues.' }).optional(),
  availableOn: isoDate.optional(),
  sort: z.enum(LISTING_SORTS, { error: 'Tri inconnu : relevance, distance ou recent.' }).optional(),
};

/** Query of `GET /api/v1/listings`. */
export const listingListQuery = z
  .object({ ...listingSearchFields, ...paginationQuery })
  .refine((query) => query.radiusKm === undefined || query.commune !== undefined, {
    message: 'Un rayon de recherche demande une commune (paramètre « commune »).',
    path: ['radiusKm'],
  });

/** Query of the `/annonces` page (directory kit, lenient). */
export const listingDirectoryQuery = {
  ...listingSearchFields,
  communeQuery: z.string().max(100).optional(),
  page: paginationQuery.page,
};

export interface ListingSearch {
  q?: string | undefined;
  type?: (typeof LISTING_TYPES)[number] | undefined;
  category?: (typeof LISTING_CATEGORIES)[number] | undefined;
  theme?: (typeof THEMES)[number] | undefined;
  kind?: (typeof ORGANISATION_KINDS)[number] | undefined;
  pole?: string | undefined;
  departement?: string | undefined;
  region?: string | undefined;
  terms?: (typeof LISTING_TERMS)[number] | undefined;
  availableOn?: string | undefined;
  sort?: ListingSort | undefined;
  /** The searcher's commune, resolved (with its position). */
  centre?: { lat: number; lon: number } | undefined;
  radiusKm?: number | undefined;
  /** Only listings published after this instant (saved-search digests). */
  publishedAfter?: string | undefined;
  page: number;
  perPage: number;
  limits?: SearchLimits;
}

/** Conditions on `listings` (alias l) for the filters, public listings only. */
function conditions(search: ListingSearch, now: Date): SQL[] {
  const where: SQL[] = [sql`l.status = 'published'`, sql`l.expires_at > ${now.toISOString()}`];
  if (search.type) where.push(sql`l.type = ${search.type}`);
  if (search.category) where.push(sql`l.category = ${search.category}`);
  if (search.terms) where.push(sql`l.terms = ${search.terms}`);
  if (search.departement) where.push(sql`l.departement = ${search.departement}`);
  if (search.region) where.push(sql`l.region = ${search.region}`);
  if (search.publishedAfter) where.push(sql`l.published_at > ${search.publishedAfter}`);
  if (search.availableOn)
    where.push(
      sql`(l.available_from IS NULL OR l.available_from <= ${search.availableOn}) AND (l.available_until IS NULL OR l.available_until >= ${search.availableOn})`,
    );
  if (search.kind)
    where.push(
      sql`EXISTS (SELECT 1 FROM ${organisations} WHERE ${organisations.id} = l.organisation_id AND ${organisations.kind} = ${search.kind})`,
    );
  if (search.theme)
    where.push(
      sql`EXISTS (SELECT 1 FROM ${organisationThemes} WHERE ${organisationThemes.organisationId} = l.organisation_id AND ${organisationThemes.theme} = ${search.theme})`,
    );
  if (search.pole) {
    const byId = /^\d+$/.test(search.pole) ? Number(search.pole) : -1;
    where.push(
      sql`l.pole_id IN (SELECT ${poles.id} FROM ${poles} WHERE ${poles.id} = ${byId} OR ${poles.slug} = ${search.pole})`,
    );
  }
  if (search.centre && search.radiusKm !== undefined) {
    const box = boundingBox(search.centre.lat, search.centre.lon, search.radiusKm);
    where.push(
      sql`l.lat BETWEEN ${box.minLat} AND ${box.maxLat} AND l.lon BETWEEN ${box.minLon} AND ${box.maxLon}`,
      sql`${haversineTerm(sql`l.lat`, sql`l.lon`, search.centre)} <= ${termWithin(search.radiusKm)}`,
    );
  }
  return where;
}

/** The sort a search gets when none is asked: relevance with words, distance with a commune, else recent. */
export function defaultSort(search: Pick<ListingSearch, 'q' | 'centre' | 'sort'>): ListingSort {
  const hasWords = listingMatch(search.q) !== null;
  const sort = search.sort ?? (hasWords ? 'relevance' : search.centre ? 'distance' : 'recent');
  if (sort === 'relevance' && !hasWords) return search.centre ? 'distance' : 'recent';
  if (sort === 'distance' && !search.centre) return 'recent';
  return sort;
}

/**
 * Public listings matching the search, one page, with the bounded total (exact up to the count
 * limit). Words match the stemmed title (weighted ×3) and description; every order ends on the id,
 * so pages never repeat or skip a listing. Two statements in one batch, then the page's views.
 */
export async function searchListings(db: Db, search: ListingSearch, now: Date) {
  const limits = search.limits ?? DEFAULT_LIMITS;
  const { page, perPage } = search;
  const match = listingMatch(search.q);
  const sort = defaultSort(search);
  const where = conditions(search, now);
  const from = match
    ? sql`listings_fts JOIN ${listings} AS l ON l.id = listings_fts.rowid`
    : sql`${listings} AS l`;
  if (match) where.unshift(sql`listings_fts MATCH ${match}`);
  const whereSql = sql.join(where, sql` AND `);
  const centre = search.centre;
  const order =
    sort === 'relevance'
      ? sql`bm25(listings_fts, 3.0, 1.0), l.published_at DESC, l.id DESC`
      : sort === 'distance' && centre
        ? sql`${haversineTerm(sql`l.lat`, sql`l.lon`, centre)} IS NULL, ${haversineTerm(sql`l.lat`, sql`l.lon`, centre)}, l.published_at DESC, l.id DESC`
        : sql`l.published_at DESC, l.id DESC`;
  const [counted, rows] = await db.batch([
    db.all<{ total: number }>(
      sql`SELECT count(*) AS total FROM (SELECT 1 FROM ${from} WHERE ${whereSql} LIMIT ${limits.countLimit + 1})`,
    ),
    db.all<{ id: number; lat: number | null; lon: number | null }>(
      sql`SELECT l.id AS id, l.lat AS lat, l.lon AS lon FROM ${from} WHERE ${whereSql} ORDER BY ${order}
        LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`,
    ),
  ]);
  const rowsTotal = Number(counted[0]?.total ?? 0);
  const items: ListingView[] = await listingViewsInOrder(
    db,
    rows.map((row) => ({
      id: row.id,
      km:
        centre && row.lat !== null && row.lon !== null
          ? distanceKm(centre.lat, centre.lon, row.lat, row.lon)
          : undefined,
    })),
  );
  return {
    items,
    ...pageTotal({ total: Math.min(rowsTotal, limits.countLimit), capped: rowsTotal > limits.countLimit }),
    page,
    perPage,
    sort,
  };
}
