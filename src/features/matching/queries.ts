/**
 * Partner suggestions from the database: candidate generation by bounding box on the indexed
 * positions, facts loaded in batches (a fixed number of statements per request, never one per
 * candidate), scoring by ./scoring.ts, reasons by ./reasons.ts. See docs/decisions/020-matching.md.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { matchDismissals } from '../../db/schema.ts';
import { distanceKm } from '../../lib/normalize.ts';
import { boundingBox } from '../../lib/search.ts';
import type { ListingCategory, ListingType } from '../listings/labels.ts';
import { haversineTerm } from '../search/distance.ts';
import { reasonsFor } from './reasons.ts';
import {
  type CandidateFacts,
  idfOf,
  isSuggestible,
  type MatchListing,
  type MatchSide,
  type OrganisationKind,
  radiusOf,
  type ScoredCandidate,
  scoreBound,
  scoreCandidate,
  type TermStats,
  WEIGHTS,
} from './scoring.ts';

export const MAX_MATCHES = 50;
export const DEFAULT_MATCHES = 10;
/** A thread left without any answer from the listing's organisation this long counts as ignored. */
const IGNORED_AFTER_DAYS = 14;
/**
 * Organisations with only a theme in common are looked for among the nearest this many of the box
 * (by position, nearest first): in a dense box (Paris) they would otherwise be read by thousands,
 * and the nearest ones outrank the others on proximity with the same themes.
 */
const THEME_CANDIDATE_ROWS = 400;
/**
 * Complementary listings read per (category, type): the nearest ones. In a dense box (Paris, 100 km)
 * thousands qualify; beyond the nearest few hundred of one category, proximity keeps the others
 * out of any top 50 unless their words match far better — an approximation, stated in decision 020.
 */
const RANGE_LISTINGS = 300;
/**
 * The best score of an organisation with no complementary listing nor pôle in common: proximity,
 * kind fit, themes and activity at their maximum.
 */
const THEME_ONLY_MAX = WEIGHTS.proximity + WEIGHTS.kindFit + WEIGHTS.themes + WEIGHTS.activity;
const DAY_MS = 86_400_000;

export interface MatchOptions {
  limit: number;
  kind?: OrganisationKind | undefined;
  category?: ListingCategory | undefined;
  radiusKm?: number | undefined;
  now: Date;
}

export interface MatchItem {
  organisation: {
    id: number;
    name: string;
    kind: OrganisationKind;
    communeCode: string;
    communeName: string;
  };
  score: number;
  distanceKm: number;
  reasons: string[];
  /** The candidate's listings that complement the subject's, best first. */
  listings: Array<{ id: number; type: ListingType; category: ListingCategory; title: string }>;
}

/** A listing's stems as matching weighs them: title words twice (the search weighs them more too). */
export function listingTerms(stemTitle: string, stemBody: string): string[] {
  const title = stemTitle.split(' ').filter(Boolean);
  return [...title, ...title, ...stemBody.split(' ').filter(Boolean)];
}

const ids = (values: Iterable<number>) =>
  sql.join(
    [...values].map((value) => sql`${value}`),
    sql`, `,
  );

/**
 * A list of ids as ONE parameter (`id IN ${idList(…)}`): the statement's text does not depend on
 * how many there are, so the client's prepared statement is reused (src/db/native.ts).
 */
const idList = (values: Iterable<number>) =>
  sql`(SELECT value FROM json_each(${JSON.stringify([...values])}))`;

const parseThemes = (value: unknown): string[] => {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
};

interface ListingDbRow {
  id: number;
  organisationId: number;
  type: ListingType;
  category: ListingCategory;
  title: string;
  stemTitle: string;
  stemBody: string;
  radiusKm: number;
  availableFrom: string | null;
  availableUntil: string | null;
  lat: number | null;
  lon: number | null;
}

const LISTING_COLUMNS = sql.raw(`id, organisation_id AS organisationId, type, category, title,
  stem_title AS stemTitle, stem_body AS stemBody, radius_km AS radiusKm,
  available_from AS availableFrom, available_until AS availableUntil, lat, lon`);

/** How many words `split(' ').filter(Boolean)` finds, without building the array. */
function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) === 32;
    if (!space && !inWord) count += 1;
    inWord = !space;
  }
  return count;
}

/**
 * A listing as matching sees it. Its words are split on first use only: a candidate pruned by its
 * score ceiling (see rank) never needs them; their number, for BM25's average length, is counted
 * without them.
 */
class Listing implements MatchListing {
  readonly id: number;
  readonly type: ListingType;
  readonly category: ListingCategory;
  readonly title: string;
  readonly radiusKm: number;
  readonly availableFrom: string | null;
  readonly availableUntil: string | null;
  readonly distanceKm: number | undefined;
  readonly #stemTitle: string;
  readonly #stemBody: string;
  #terms: string[] | undefined;

  constructor(row: ListingDbRow, centre?: { lat: number; lon: number }) {
    this.id = row.id;
    this.type = row.type;
    this.category = row.category;
    this.title = row.title;
    this.radiusKm = row.radiusKm;
    this.availableFrom = row.availableFrom;
    this.availableUntil = row.availableUntil;
    this.distanceKm =
      centre && row.lat !== null && row.lon !== null
        ? distanceKm(centre.lat, centre.lon, row.lat, row.lon)
        : undefined;
    this.#stemTitle = row.stemTitle;
    this.#stemBody = row.stemBody;
  }

  get terms(): string[] {
    this.#terms ??= listingTerms(this.#stemTitle, this.#stemBody);
    return this.#terms;
  }

  /** `terms.length`, counted. */
  get length(): number {
    return this.#terms?.length ?? 2 * wordCount(this.#stemTitle) + wordCount(this.#stemBody);
  }
}

const toMatchListing = (row: ListingDbRow, centre?: { lat: number; lon: number }) => new Listing(row, centre);

interface OrgRow {
  id: number;
  kind: OrganisationKind;
  themes: string;
  lat: number | null;
  lon: number | null;
  /** From match_activity (kept by triggers): the last listing publication/update or thread message. */
  activeAt: string | null;
}

const ORG_COLUMNS = sql.raw(`organisations.id AS id, organisations.kind AS kind,
  organisations.themes AS themes, organisations.lat AS lat, organisations.lon AS lon,
  (SELECT active_at FROM match_activity WHERE organisation_id = organisations.id) AS activeAt`);

/** The subject: its organisation, active pôles (with names), and its published listings (or one). */
interface Subject {
  side: MatchSide;
  centre: { lat: number; lon: number } | null;
  poleNames: Map<number, string>;
  /** Listing mode: only candidates with a complementary listing. */
  pairRequired: boolean;
}

async function organisationRow(db: Db, id: number) {
  const [row] = await db.all<OrgRow>(sql`SELECT ${ORG_COLUMNS} FROM organisations WHERE id = ${id}`);
  return row;
}

async function polesOf(db: Db, organisationId: number) {
  const rows = await db.all<{ id: number; name: string }>(sql`SELECT p.id, p.name FROM pole_members m
    JOIN poles p ON p.id = m.pole_id WHERE m.organisation_id = ${organisationId} AND m.status = 'active'`);
  return new Map(rows.map((row) => [row.id, row.name]));
}

const publicListing = (now: Date) => sql`status = 'published' AND expires_at > ${now.toISOString()}`;

async function organisationSubject(db: Db, organisationId: number, now: Date): Promise<Subject | null> {
  const org = await organisationRow(db, organisationId);
  if (!org) return null;
  const [poleNames, listingRows] = await Promise.all([
    polesOf(db, organisationId),
    // Named index: without statistics SQLite prefers (status, expires_at), every public listing.
    db.all<ListingDbRow>(sql`SELECT ${LISTING_COLUMNS} FROM listings INDEXED BY listings_organisation_idx
      WHERE organisation_id = ${organisationId} AND ${publicListing(now)}`),
  ]);
  return {
    side: {
      id: org.id,
      kind: org.kind,
      themes: parseThemes(org.themes),
      poleIds: [...poleNames.keys()],
      listings: listingRows.map((row) => toMatchListing(row)),
    },
    centre: org.lat !== null && org.lon !== null ? { lat: org.lat, lon: org.lon } : null,
    poleNames,
    pairRequired: false,
  };
}

async function listingSubject(db: Db, listingId: number): Promise<Subject | null> {
  const [row] = await db.all<ListingDbRow>(
    sql`SELECT ${LISTING_COLUMNS} FROM listings WHERE id = ${listingId}`,
  );
  if (!row) return null;
  const org = await organisationRow(db, row.organisationId);
  if (!org) return null;
  const poleNames = await polesOf(db, org.id);
  return {
    side: {
      id: org.id,
      kind: org.kind,
      themes: parseThemes(org.themes),
      poleIds: [...poleNames.keys()],
      listings: [toMatchListing(row)],
    },
    centre: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    poleNames,
    pairRequired: true,
  };
}

/**
 * Words so common in French that their idf is ~0 anyway; fts5vocab counts a word's documents by
 * walking its whole posting list, which for « de » is every listing: they are not looked up.
 */
const STOP_WORDS = new Set(
  'a au aux avec ce ces dan dans de des du elle en et il la le les leur lui ma mai mes moi mon ne no nos not notr nou on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vo vos votr vou d l j m n s t c y'.split(
    ' ',
  ),
);

/**
 * Document counts of stems, per database and process, for an hour: they move slowly and their
 * lookup is the costly part.
 */
const DF_CACHES = new WeakMap<Db, Map<string, { df: number; at: number }>>();
const DF_TTL_MS = 3_600_000;
const DF_CACHE_MAX = 100_000;

/** Rarity of the subject's stems, read from listings_fts through its fts5vocab table (migration 0012). */
async function termStats(db: Db, subject: MatchSide, now: Date): Promise<TermStats> {
  const terms = [...new Set(subject.listings.flatMap((listing) => listing.terms))].filter(
    (term) => !STOP_WORDS.has(term),
  );
  if (terms.length === 0) return { idf: new Map(), avgLength: 1 };
  const cache = DF_CACHES.get(db) ?? new Map<string, { df: number; at: number }>();
  DF_CACHES.set(db, cache);
  const fresh = now.getTime() - DF_TTL_MS;
  const missing = terms.filter((term) => (cache.get(term)?.at ?? 0) <= fresh);
  const [counts, [total]] = await Promise.all([
    missing.length === 0
      ? Promise.resolve([])
      : db.all<{ term: string; doc: number }>(
          sql`SELECT term, doc FROM listings_fts_vocab WHERE term IN (${sql.join(
            missing.map((term) => sql`${term}`),
            sql`, `,
          )})`,
        ),
    // Rows ever indexed ≈ the highest id: exact enough for idf, and read from the primary key alone.
    db.all<{ n: number | null }>(sql`SELECT max(id) AS n FROM listings`),
  ]);
  if (cache.size > DF_CACHE_MAX) cache.clear();
  const found = new Map(counts.map((row) => [row.term, Number(row.doc)]));
  for (const term of missing) cache.set(term, { df: found.get(term) ?? 0, at: now.getTime() });
  const n = Number(total?.n ?? 0);
  return {
    idf: new Map(terms.map((term) => [term, idfOf(cache.get(term)?.df ?? 0, n)])),
    avgLength: 0,
  };
}

/** Organisations sharing a member with the subject (itself included): never suggested to it. */
async function sameUserOrganisations(db: Db, organisationId: number): Promise<Set<number>> {
  const rows = await db.all<{ id: number }>(sql`SELECT DISTINCT b.organisation_id AS id
    FROM organisation_members a JOIN organisation_members b ON b.user_id = a.user_id
    WHERE a.organisation_id = ${organisationId}`);
  return new Set([organisationId, ...rows.map((row) => row.id)]);
}

async function dismissedBy(db: Db, organisationId: number): Promise<Set<number>> {
  const rows = await db.all<{ id: number }>(
    sql`SELECT candidate_organisation_id AS id FROM match_dismissals WHERE organisation_id = ${organisationId}`,
  );
  return new Set(rows.map((row) => row.id));
}

interface Candidate {
  org: OrgRow;
  distanceKm: number;
  listings: Listing[];
  poleIds: number[];
}

/**
 * Candidates within `km` of the subject: organisations with a complementary listing (opposite type,
 * a category of the subject's) in the box, organisations of the box sharing a theme (organisation
 * mode), and co-members of its pôles — at most four statements whatever their number.
 */
async function candidatesOf(
  db: Db,
  subject: Subject,
  centre: { lat: number; lon: number },
  km: number,
  options: MatchOptions,
  excluded: ReadonlySet<number>,
  parts: { pairs: boolean; themes: boolean },
): Promise<Map<number, Candidate>> {
  const box = boundingBox(centre.lat, centre.lon, km);
  const inBox = sql`lat BETWEEN ${box.minLat} AND ${box.maxLat} AND lon BETWEEN ${box.minLon} AND ${box.maxLon}`;
  // One indexed range per (category, type) wanted — my needs' categories among offers, and back —
  // within the largest radius of my listings of that category; the index holds each listing's own
  // radius, so listings whose radius does not reach me are skipped before their row is read (a
  // planar distance, 2 % generous: the exact rule is applied by scoring.ts).
  const reach = new Map<string, number>();
  for (const listing of subject.side.listings) {
    if (options.category && listing.category !== options.category) continue;
    const key = `${listing.category}|${listing.type === 'need' ? 'offer' : 'need'}`;
    reach.set(key, Math.min(km, Math.max(reach.get(key) ?? 0, listing.radiusKm)));
  }
  const kmPerLon = 111.2 * Math.cos((centre.lat * Math.PI) / 180);
  const ranges = [...reach].map(([key, radius]) => {
    const [category, type] = key.split('|');
    const b = boundingBox(centre.lat, centre.lon, radius);
    const planar = sql`((lat - ${centre.lat}) * 111.2) * ((lat - ${centre.lat}) * 111.2)
          + ((lon - ${centre.lon}) * ${kmPerLon}) * ((lon - ${centre.lon}) * ${kmPerLon})`;
    // The nearest RANGE_LISTINGS of the range, chosen from the index alone; their rows only are read.
    return sql`SELECT * FROM (SELECT ${LISTING_COLUMNS} FROM listings WHERE id IN (
        SELECT id FROM listings INDEXED BY listings_match_idx
        WHERE category = ${category} AND type = ${type} AND status = 'published'
          AND lat BETWEEN ${b.minLat} AND ${b.maxLat} AND lon BETWEEN ${b.minLon} AND ${b.maxLon}
          AND ${planar} <= 1.04 * min(radius_km, ${radius}) * min(radius_km, ${radius})
        ORDER BY ${planar} LIMIT ${RANGE_LISTINGS})
      AND expires_at > ${options.now.toISOString()} AND organisation_id != ${subject.side.id})`;
  });
  const themes = subject.side.themes.map((theme) => sql`${theme}`);
  const kindFilter = options.kind ? sql` AND kind = ${options.kind}` : sql``;
  const [listingRows, themeRows, poleRows] = await Promise.all([
    Promise.all(ranges.map((range) => db.all<ListingDbRow>(range))).then((lists) => lists.flat()),
    !parts.themes || subject.pairRequired || themes.length === 0 || options.category
      ? Promise.resolve([])
      : db.all<OrgRow>(sql`WITH near AS (SELECT lat, lon FROM (
            SELECT lat, lon, rows, sum(rows) OVER (ORDER BY term, lat, lon ROWS UNBOUNDED PRECEDING) AS upTo
            FROM (SELECT lat, lon, rows, ${haversineTerm(sql`lat`, sql`lon`, centre)} AS term
              FROM organisation_positions WHERE ${inBox} ORDER BY term, lat, lon LIMIT ${THEME_CANDIDATE_ROWS}))
            WHERE upTo - rows < ${THEME_CANDIDATE_ROWS})
          SELECT ${ORG_COLUMNS} FROM near JOIN organisations INDEXED BY organisations_position_idx
            ON organisations.lat = near.lat AND organisations.lon = near.lon
          WHERE organisations.id != ${subject.side.id}${kindFilter}
            AND EXISTS (SELECT 1 FROM organisation_themes t WHERE t.organisation_id = organisations.id
              AND t.theme IN (${sql.join(themes, sql`, `)}))`),
    !parts.pairs || subject.side.poleIds.length === 0
      ? Promise.resolve([])
      : db.all<{
          organisationId: number;
          poleId: number;
        }>(sql`SELECT organisation_id AS organisationId, pole_id AS poleId
          FROM pole_members WHERE pole_id IN (${ids(subject.side.poleIds)}) AND status = 'active'
            AND organisation_id != ${subject.side.id}`),
  ]);
  const orgs = new Map<number, OrgRow>(themeRows.map((row) => [row.id, row]));
  const missing = new Set<number>();
  for (const row of listingRows) if (!orgs.has(row.organisationId)) missing.add(row.organisationId);
  if (!subject.pairRequired && !options.category)
    for (const row of poleRows) if (!orgs.has(row.organisationId)) missing.add(row.organisationId);
  for (const id of excluded) missing.delete(id);
  if (missing.size > 0) {
    const rows = await db.all<OrgRow>(
      sql`SELECT ${ORG_COLUMNS} FROM organisations WHERE id IN ${idList(missing)}${kindFilter}`,
    );
    for (const row of rows) orgs.set(row.id, row);
  }
  const candidates = new Map<number, Candidate>();
  for (const org of orgs.values()) {
    if (excluded.has(org.id) || org.lat === null || org.lon === null) continue;
    candidates.set(org.id, {
      org,
      distanceKm: distanceKm(centre.lat, centre.lon, org.lat, org.lon),
      listings: [],
      poleIds: [],
    });
  }
  for (const row of listingRows)
    candidates.get(row.organisationId)?.listings.push(toMatchListing(row, centre));
  for (const row of poleRows) candidates.get(row.organisationId)?.poleIds.push(row.poleId);
  if (subject.pairRequired) {
    // A listing's partners are as far as their nearest complementary listing.
    for (const [id, candidate] of candidates) {
      if (candidate.listings.length === 0) candidates.delete(id);
      else
        candidate.distanceKm = Math.min(
          ...candidate.listings.map((listing) => listing.distanceKm ?? Infinity),
        );
    }
  }
  return candidates;
}

/**
 * Refusals between the subject and anyone, in two statements (the subject's threads are few, read
 * from the owner and responder indexes): threads declined either way, suggestions of the subject
 * dismissed by others, threads the subject opened that were never answered.
 */
async function refusalsOf(db: Db, subjectId: number, now: Date) {
  const ignoredBefore = new Date(now.getTime() - IGNORED_AFTER_DAYS * DAY_MS).toISOString();
  const [threads, dismissals] = await Promise.all([
    db.all<{ id: number; declined: number; ignored: number }>(sql`SELECT
        CASE WHEN t.owner_organisation_id = ${subjectId} THEN t.responder_organisation_id ELSE t.owner_organisation_id END AS id,
        sum(t.status = 'declined') AS declined,
        sum(t.status = 'open' AND t.responder_organisation_id = ${subjectId} AND t.created_at < ${ignoredBefore}
          AND NOT EXISTS (SELECT 1 FROM thread_messages m WHERE m.thread_id = t.id
            AND m.organisation_id = t.owner_organisation_id)) AS ignored
      FROM threads t
      WHERE t.owner_organisation_id = ${subjectId} OR t.responder_organisation_id = ${subjectId}
      GROUP BY 1`),
    db.all<{ id: number }>(
      sql`SELECT organisation_id AS id FROM match_dismissals WHERE candidate_organisation_id = ${subjectId}`,
    ),
  ]);
  const refusals = new Map(threads.map((row) => [row.id, row]));
  const dismissedMe = new Set(dismissals.map((row) => row.id));
  return (id: number) => ({
    declines: Number(refusals.get(id)?.declined ?? 0) + (dismissedMe.has(id) ? 1 : 0),
    ignored: Number(refusals.get(id)?.ignored ?? 0),
  });
}

interface Ranked {
  candidate: Candidate;
  facts: CandidateFacts;
  scored: ScoredCandidate;
}

/** Best first, as compareScored orders them (without building an object per comparison). */
const byScore = (a: Ranked, b: Ranked) =>
  b.scored.score - a.scored.score ||
  a.facts.distanceKm - b.facts.distanceKm ||
  a.scored.candidateId - b.scored.candidateId;

/**
 * The best `limit` suggestible candidates (a total order). Candidates are scored by decreasing
 * ceiling (scoring.ts scoreBound: every component but the words' exact) and no longer once the
 * ceiling falls below the `limit`-th score found: the rest cannot enter the list, and their words
 * are never split nor compared. `scores` keeps each scored candidate's outcome (null: not
 * suggestible) so that a second call with more candidates scores only what it must.
 */
function rank(
  subject: Subject,
  candidates: Map<number, Candidate>,
  stats: TermStats,
  refusals: (id: number) => { declines: number; ignored: number },
  options: MatchOptions,
  scores: Map<number, Ranked | null>,
): Ranked[] {
  const queue: Array<{ candidate: Candidate; facts: CandidateFacts; bound: number }> = [];
  for (const candidate of candidates.values()) {
    const facts: CandidateFacts = {
      side: {
        id: candidate.org.id,
        kind: candidate.org.kind,
        themes: parseThemes(candidate.org.themes),
        poleIds: candidate.poleIds,
        listings: candidate.listings,
      },
      distanceKm: candidate.distanceKm,
      activityAgeDays: candidate.org.activeAt
        ? Math.max(0, (options.now.getTime() - Date.parse(candidate.org.activeAt)) / DAY_MS)
        : null,
      ...refusals(candidate.org.id),
    };
    queue.push({ candidate, facts, bound: scoreBound(subject.side, facts) });
  }
  queue.sort((a, b) => b.bound - a.bound);
  const ranked: Ranked[] = [];
  /** The best `limit` scores found so far, ascending: top[0] is the one to beat. */
  const top: number[] = [];
  for (const { candidate, facts, bound } of queue) {
    if (top.length === options.limit && bound < top[0]!) break;
    let outcome = scores.get(candidate.org.id);
    if (outcome === undefined) {
      const scored = scoreCandidate(subject.side, facts, stats);
      const suggestible =
        !(options.category && !scored.pairs.some((pair) => pair.theirs.category === options.category)) &&
        isSuggestible(subject.side, facts, scored, {
          requestedKm: options.radiusKm,
          pairRequired: subject.pairRequired,
        });
      outcome = suggestible ? { candidate, facts, scored } : null;
      scores.set(candidate.org.id, outcome);
    }
    if (!outcome) continue;
    ranked.push(outcome);
    const score = outcome.scored.score;
    if (top.length < options.limit) top.push(score);
    else if (score > top[0]!) top[0] = score;
    else continue;
    top.sort((a, b) => a - b);
  }
  ranked.sort(byScore);
  return ranked.slice(0, options.limit);
}

/** Names and communes of the suggested organisations, in one statement. */
async function describe(db: Db, subject: Subject, ranked: Ranked[]): Promise<MatchItem[]> {
  if (ranked.length === 0) return [];
  const rows = await db.all<{ id: number; name: string; communeCode: string; communeName: string }>(
    sql`SELECT o.id, o.name, o.commune_code AS communeCode, c.name AS communeName
      FROM organisations o JOIN communes c ON c.code = o.commune_code
      WHERE o.id IN ${idList(ranked.map((item) => item.candidate.org.id))}`,
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ranked.flatMap(({ candidate, facts, scored }) => {
    const row = byId.get(candidate.org.id);
    if (!row) return [];
    const seen = new Set<number>();
    const listings = scored.pairs.flatMap(({ theirs }) => {
      if (seen.has(theirs.id)) return [];
      seen.add(theirs.id);
      return [{ id: theirs.id, type: theirs.type, category: theirs.category, title: theirs.title }];
    });
    return [
      {
        organisation: {
          id: row.id,
          name: row.name,
          kind: candidate.org.kind,
          communeCode: row.communeCode,
          communeName: row.communeName,
        },
        score: Math.round(scored.score * 1000) / 1000,
        distanceKm: Math.round(facts.distanceKm * 10) / 10,
        reasons: reasonsFor(scored, {
          distanceKm: facts.distanceKm,
          communeName: row.communeName,
          poleNames: subject.poleNames,
        }),
        listings,
      },
    ];
  });
}

async function suggest(db: Db, subject: Subject | null, options: MatchOptions): Promise<MatchItem[] | null> {
  if (!subject) return null;
  if (!subject.centre) return [];
  const km = Math.min(radiusOf(subject.side), options.radiusKm ?? Number.POSITIVE_INFINITY);
  const [same, dismissed] = await Promise.all([
    sameUserOrganisations(db, subject.side.id),
    dismissedBy(db, subject.side.id),
  ]);
  const excluded = new Set([...same, ...dismissed]);
  const [candidates, stats, refusals] = await Promise.all([
    candidatesOf(db, subject, subject.centre, km, options, excluded, { pairs: true, themes: false }),
    termStats(db, subject.side, options.now),
    refusalsOf(db, subject.side.id, options.now),
  ]);
  const lengths = [...candidates.values()].flatMap((c) => c.listings.map((l) => l.length));
  stats.avgLength = lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : 1;
  const scores = new Map<number, Ranked | null>();
  let ranked = rank(subject, candidates, stats, refusals, options, scores);
  // Organisations sharing only a theme score at most THEME_ONLY_MAX: read them only when they can
  // still enter the list.
  const last = ranked[options.limit - 1]?.scored.score ?? -1;
  if (last <= THEME_ONLY_MAX) {
    const themed = await candidatesOf(db, subject, subject.centre, km, options, excluded, {
      pairs: false,
      themes: true,
    });
    for (const [id, candidate] of themed) if (!candidates.has(id)) candidates.set(id, candidate);
    if (themed.size > 0) ranked = rank(subject, candidates, stats, refusals, options, scores);
  }
  return describe(db, subject, ranked);
}

/** Suggestions for an organisation; null when it does not exist. */
export async function organisationMatches(
  db: Db,
  organisationId: number,
  options: MatchOptions,
): Promise<MatchItem[] | null> {
  return suggest(db, await organisationSubject(db, organisationId, options.now), options);
}

/** Suggestions for one listing (the other side's complementary listings); null when it does not exist. */
export async function listingMatches(
  db: Db,
  listingId: number,
  options: MatchOptions,
): Promise<MatchItem[] | null> {
  return suggest(db, await listingSubject(db, listingId), options);
}

/** Never suggest `candidateId` to `organisationId` again (idempotent). */
export async function dismissMatch(
  db: Db,
  organisationId: number,
  candidateId: number,
  userId: number,
  now: Date,
): Promise<void> {
  await db
    .insert(matchDismissals)
    .values({ organisationId, candidateOrganisationId: candidateId, userId, createdAt: now.toISOString() })
    .onConflictDoNothing();
}
