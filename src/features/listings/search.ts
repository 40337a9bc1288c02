import {
  and,
  desc,
  eq,
  gt,
  gte,
  isNull,
  lte,
  notInArray,
  or,
  type Placeholder,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { listings, organisations, organisationThemes, poles } from '../../db/schema.ts';
import { BadRequest } from '../../lib/errors.ts';
import { distanceKm } from '../../lib/normalize.ts';
import { boundingBox, NOTHING } from '../../lib/search.ts';
import { type Commune, getCommune } from '../geo/queries.ts';
import { boundedCount, boundedTotal } from '../search/count.ts';
import {
  haversineTerm,
  type PlacedTable,
  placedPage,
  placedWithin,
  positionsAround,
  positionsWithin,
  termWithin,
} from '../search/distance.ts';
import { DEFAULT_LIMITS, pageTotal, type SearchLimits } from '../search/limits.ts';
import { newestMatches, type TextIndex, textCount, textPage } from '../search/text.ts';
import type { ListingCategory, ListingTerms, ListingType } from './labels.ts';
import { type ListingView, listingViewsInOrder } from './output.ts';
import { poleListingIds } from './queries.ts';
import { stemWord, wordsOf } from './search-text.ts';

export const LISTING_SORTS = ['relevance', 'distance', 'recent'] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

/** A listing search: words, filters, a commune (and radius), a sort and a page. */
export interface ListingSearch {
  q?: string | undefined;
  type?: ListingType | undefined;
  category?: ListingCategory | undefined;
  /** Theme of the publishing organisation. */
  theme?: string | undefined;
  /** Kind of the publishing organisation. */
  kind?: string | undefined;
  /** A pôle's id or slug: the listings published in it or by its active members. */
  pole?: string | undefined;
  departement?: string | undefined;
  region?: string | undefined;
  /** The searcher's commune, resolved (with a position), or its code. */
  commune?: (Commune & { lat: number; lon: number }) | undefined;
  communeCode?: string | undefined;
  radiusKm?: number | undefined;
  terms?: ListingTerms | undefined;
  /** `YYYY-MM-DD`: available on that day (open bounds when unset). */
  availableOn?: string | undefined;
  /** Only listings first published in (`publishedAfter`, `publishedUntil`] (ISO instants): the saved-search digest. */
  publishedAfter?: string | undefined;
  publishedUntil?: string | undefined;
  /** Leave out these organisations' listings (a digest skips the reader's own). */
  excludeOrganisationIds?: readonly number[] | undefined;
  sort?: ListingSort | undefined;
  page: number;
  perPage: number;
  limits?: SearchLimits | undefined;
}

export interface ListingPage<V = ListingView> {
  items: V[];
  total: number;
  totalCapped?: true;
  page: number;
  perPage: number;
  /** The sort applied (the default one when none or an impossible one was asked). */
  sort: ListingSort;
}

/** What a search page's items hold at least (a card or a full view). */
type HydratedListing = Pick<ListingView, 'id' | 'lat' | 'lon' | 'distanceKm'>;

/** Words of a query beyond this are ignored (like the directories). */
const MAX_WORDS = 8;
const MIN_PREFIX = 3;

const fold = (word: string) =>
  word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

/**
 * The FTS5 MATCH expression of a listing query: every word (AND), each stemmed exactly as the
 * index is (`stemWord`), words of 3+ letters also as prefixes — of the stem, or of the typed word
 * folded when it differs (a word being typed, `cuisi`, is not a stem of `cuisine`). Every token is
 * quoted (FTS5 syntax is inert); null when nothing searchable was typed, an empty phrase (no
 * results) for symbols only.
 */
export function listingMatch(input: string | undefined): string | null {
  if (!input) return null;
  const words = wordsOf(input).slice(0, MAX_WORDS);
  if (words.length === 0) return /\p{S}/u.test(input) ? NOTHING : null;
  const quote = (token: string) => `"${token.replaceAll('"', '""')}"`;
  return words
    .map((word) => {
      const folded = fold(word);
      if ([...folded].length < MIN_PREFIX) return quote(stemWord(word));
      const tokens = [...new Set([...inflections(folded).map(stemWord), folded])].filter(Boolean);
      const prefixes = tokens.map((token) => `${quote(token)}*`);
      return prefixes.length === 1 ? prefixes[0] : `(${prefixes.join(' OR ')})`;
    })
    .join(' AND ');
}

/**
 * A word and the forms of it whose Snowball stem differs (docs/decisions/016): the irregular
 * plurals in -aux (`matériau`/`matériaux` stem to `materiau`/`material`, `travail`/`travaux` to
 * `travail`/`traval`). The index keeps each text's own stems; the query asks for all of them.
 */
export function inflections(word: string): string[] {
  const forms = [word];
  if (/(?:au|eu)$/.test(word)) forms.push(`${word}x`);
  if (word.endsWith('ail')) forms.push(`${word.slice(0, -3)}aux`);
  if (word.endsWith('aux'))
    forms.push(`${word.slice(0, -3)}ail`, `${word.slice(0, -3)}au`, `${word.slice(0, -1)}l`);
  return forms;
}

/** The listings as the search module sees them. */
const textIndex: TextIndex = {
  table: listings,
  id: listings.id,
  sortKey: listings.id,
  fts: 'listings_fts',
  // A word of the title weighs ten times one of the description.
  weights: [10, 1],
  firstColumn: 'stem_title',
};

/** Rows of one position are read by id from the (lat, lon, status) index (its entries end with the rowid). */
const placed: PlacedTable = {
  table: listings,
  id: listings.id,
  lat: listings.lat,
  lon: listings.lon,
  sortKey: listings.id,
  positionIndex: 'listings_position_idx',
  // Public rows per position counted from (status, lat, lon, expires_at) alone (migration 0013).
  countIndex: 'listings_public_position_idx',
};

async function poleIdOf(db: Db, pole: string): Promise<number | null> {
  if (/^\d+$/.test(pole)) return Number(pole);
  const [row] = await db.select({ id: poles.id }).from(poles).where(eq(poles.slug, pole.toLowerCase()));
  return row?.id ?? null;
}

/** Public listings: published, not expired at `now`. */
const publicAt = (now: Date): SQL[] => [
  eq(listings.status, 'published'),
  gt(listings.expiresAt, now.toISOString()),
];

/**
 * The same conditions for a page in recency order: the expiry is checked row by row (`+` keeps
 * SQLite from choosing the (status, expires_at) index, which would sort every public listing
 * before the LIMIT), so the newest rows come from the (status, published_at) index.
 */
export const publicInRecencyOrder = (now: Date | Placeholder): SQL[] => [
  eq(listings.status, 'published'),
  sql`+${listings.expiresAt} > ${now instanceof Date ? now.toISOString() : now}`,
];

/** The search's own conditions (beyond being public), checked row by row (all indexed lookups). */
async function filterConditions(db: Db, search: ListingSearch): Promise<SQL[]> {
  const where: SQL[] = [];
  if (search.type) where.push(eq(listings.type, search.type));
  if (search.category) where.push(eq(listings.category, search.category));
  if (search.terms) where.push(eq(listings.terms, search.terms));
  if (search.publishedAfter) where.push(gt(listings.publishedAt, search.publishedAfter));
  if (search.publishedUntil) where.push(lte(listings.publishedAt, search.publishedUntil));
  if (search.excludeOrganisationIds?.length) {
    where.push(notInArray(listings.organisationId, [...search.excludeOrganisationIds]));
  }
  if (search.departement) where.push(eq(listings.departement, search.departement));
  if (search.region) where.push(eq(listings.region, search.region));
  if (search.availableOn) {
    const day = search.availableOn;
    where.push(
      or(isNull(listings.availableFrom), lte(listings.availableFrom, day))!,
      or(isNull(listings.availableUntil), gte(listings.availableUntil, day))!,
    );
  }
  if (search.theme) {
    where.push(sql`EXISTS (SELECT 1 FROM ${organisationThemes} WHERE ${organisationThemes.theme} = ${search.theme}
      AND ${organisationThemes.organisationId} = ${listings.organisationId})`);
  }
  if (search.kind) {
    where.push(sql`EXISTS (SELECT 1 FROM ${organisations} WHERE ${organisations.id} = ${listings.organisationId}
      AND ${organisations.kind} = ${search.kind})`);
  }
  if (search.pole) {
    const poleId = await poleIdOf(db, search.pole);
    if (poleId === null) where.push(sql`0`);
    else {
      where.push(sql`${listings.id} IN (${poleListingIds(poleId)})`);
    }
  }
  return where;
}

/** The centre of the search's commune, if any: 400 when the commune is unknown or has no position. */
async function searchCentre(db: Db, search: ListingSearch) {
  if (search.commune) return search.commune;
  if (!search.communeCode) return undefined;
  const commune = await getCommune(db, search.communeCode);
  if (!commune) throw new BadRequest('Commune inconnue.', { commune: 'Commune inconnue.' });
  if (commune.lat === null || commune.lon === null) {
    throw new BadRequest('La position de cette commune est inconnue.', {
      commune: 'La position de cette commune est inconnue : la recherche par distance est impossible.',
    });
  }
  return { lat: commune.lat, lon: commune.lon };
}

/** The sort of a search: the one asked when it applies, else distance with a commune, relevance with words, recent. */
export function effectiveSort(
  asked: ListingSort | undefined,
  hasWords: boolean,
  hasCentre: boolean,
): ListingSort {
  if (asked === 'distance' && hasCentre) return 'distance';
  if (asked === 'relevance' && hasWords) return 'relevance';
  if (asked === 'recent') return 'recent';
  return hasCentre ? 'distance' : hasWords ? 'relevance' : 'recent';
}

/** Reads the listings of a page, in the order given, with their distances when given. */
export type ListingHydrator<V> = (db: Db, items: Array<{ id: number; km?: number }>) => Promise<V[]>;

/**
 * Public listing search (published, unexpired at `now`): French-aware words (see `listingMatch`),
 * filters, around a commune (distance between commune centres, within `radiusKm` if given, with
 * `distanceKm`), sorted by relevance, distance or recency (published first, then id), each order
 * total so pages never repeat or skip. Bounded like the directories (docs/decisions/015, 016).
 * The page's listings are full views (`listingViewsInOrder`) unless another `hydrate` is given
 * (`listingCardsInOrder` for the search page's cards).
 */
export async function searchListings<V extends HydratedListing>(
  db: Db,
  search: ListingSearch,
  now: Date,
  hydrate: ListingHydrator<V>,
): Promise<ListingPage<V>>;
export async function searchListings(db: Db, search: ListingSearch, now: Date): Promise<ListingPage>;
export async function searchListings(
  db: Db,
  search: ListingSearch,
  now: Date,
  hydrate: ListingHydrator<HydratedListing> = listingViewsInOrder,
): Promise<ListingPage<HydratedListing>> {
  const { page, perPage } = search;
  const limits = search.limits ?? DEFAULT_LIMITS;
  const offset = (page - 1) * perPage;
  const match = listingMatch(search.q);
  const [own, centre] = await Promise.all([filterConditions(db, search), searchCentre(db, search)]);
  const filters = [...publicAt(now), ...own];
  const sort = effectiveSort(search.sort, match !== null, centre !== undefined);
  // One hydration per page (full views, or cards for the page); around a commune every item gets its distance.
  const done = async (ids: Array<{ id: number; km?: number }>, total: { total: number; capped: boolean }) => {
    const views = await hydrate(db, ids);
    const items = centre
      ? views.map((view) =>
          view.distanceKm !== undefined || view.lat === null || view.lon === null
            ? view
            : {
                ...view,
                distanceKm: Math.round(distanceKm(centre.lat, centre.lon, view.lat, view.lon) * 10) / 10,
              },
        )
      : views;
    return { items, ...pageTotal(total), page, perPage, sort };
  };

  if (centre && sort === 'distance') {
    const words = match ? await newestMatches(db, textIndex, match, limits) : undefined;
    if (words && search.radiusKm !== undefined) {
      // Words within a radius: the (at most countLimit) newest matches of the box, sorted in one pass.
      const within = await placedWithin(db, placed, [...filters, words.counting], centre, search.radiusKm, {
        offset,
        limit: perPage,
      });
      return done(within.rows, { total: within.total, capped: words.capped });
    }
    // Without words, within a radius: the page from the nearest ring, the total bounded (a dense
    // box is not counted in full). With words the matches are few: one pass counts them exactly.
    const around =
      !words && search.radiusKm !== undefined
        ? await positionsWithin(
            db,
            placed,
            filters,
            centre,
            search.radiusKm,
            { offset, limit: perPage },
            limits,
          )
        : await positionsAround(
            db,
            placed,
            {
              counting: words ? [...filters, words.counting] : filters,
              probing: words ? [...filters, words.probing] : filters,
            },
            centre,
            search.radiusKm,
            { offset, limit: perPage },
            limits,
          );
    const onPage = await placedPage(
      db,
      placed,
      words ? [...filters, words.probing] : filters,
      around.positions,
      {
        offset,
        limit: perPage,
      },
    );
    return done(onPage, { total: around.total, capped: around.capped || Boolean(words?.capped) });
  }

  // Other orders around a commune: the radius is a row condition (box, then the haversine term).
  if (centre && search.radiusKm !== undefined) {
    const box = boundingBox(centre.lat, centre.lon, search.radiusKm);
    const within = [
      sql`${listings.lat} BETWEEN ${box.minLat} AND ${box.maxLat} AND ${listings.lon} BETWEEN ${box.minLon} AND ${box.maxLon}`,
      sql`${haversineTerm(sql`${listings.lat}`, sql`${listings.lon}`, centre)} <= ${termWithin(search.radiusKm)}`,
    ];
    own.push(...within);
    filters.push(...within);
  }
  if (match && sort === 'relevance') {
    const top = textPage(textIndex, match, filters, { limit: perPage, offset }, limits);
    const [counted, rows] = await db.batch([
      db.all<{ total: number; capped: number }>(textCount(textIndex, match, filters, limits)),
      db.all<{ id: number }>(sql`SELECT id FROM (${top}) ORDER BY k1, k2, k3`),
    ]);
    const { total = 0, capped = 0 } = counted[0] ?? {};
    return done(rows, { total: Number(total), capped: Boolean(capped) });
  }

  // Recent: newest published first, read from the (status, published_at) index.
  const words = match ? await newestMatches(db, textIndex, match, limits) : undefined;
  const wordsCondition = words ? [words.counting] : [];
  const [[counted], rows] = await db.batch([
    boundedCount(db, listings, [...filters, ...wordsCondition], limits),
    db
      .select({ id: listings.id })
      .from(listings)
      .where(and(...publicInRecencyOrder(now), ...own, ...wordsCondition))
      .orderBy(desc(listings.publishedAt), desc(listings.id))
      .limit(perPage)
      .offset(offset),
  ]);
  const total = boundedTotal(counted?.rows ?? 0, limits);
  return done(rows, { total: total.total, capped: total.capped || Boolean(words?.capped) });
}
