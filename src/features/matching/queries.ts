/**
 * Partner suggestions from the database: candidate generation by bounding box on the indexed
 * positions, facts loaded in batches (a fixed number of statements per request, never one per
 * candidate), scoring by ./scoring.ts, reasons by ./reasons.ts. See docs/decisions/020-matching.md.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { matchDismissals } from '../../db/schema.ts';
import { distanceKm } from '../../lib/normalize.ts';
import { boundingBox } from '../../lib/search.ts';
import type { ListingCategory, ListingType } from '../listings/labels.ts';
import { reasonsFor } from './reasons.ts';
import {
  type CandidateFacts,
  compareScored,
  idfOf,
  isSuggestible,
  type MatchListing,
  type MatchSide,
  type OrganisationKind,
  radiusOf,
  type ScoredCandidate,
  scoreCandidate,
  type TermStats,
  upperBound,
} from './scoring.ts';

export const MAX_MATCHES = 50;
export const DEFAULT_MATCHES = 10;
/** A thread left without any answer from the listing's organisation this long counts as ignored. */
const IGNORED_AFTER_DAYS = 14;
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

const toMatchListing = (row: ListingDbRow, centre?: { lat: number; lon: number }): MatchListing => ({
  id: row.id,
  type: row.type,
  category: row.category,
  title: row.title,
  terms: listingTerms(row.stemTitle, row.stemBody),
  radiusKm: row.radiusKm,
  availableFrom: row.availableFrom,
  availableUntil: row.availableUntil,
  distanceKm:
    centre && row.lat !== null && row.lon !== null
      ? distanceKm(centre.lat, centre.lon, row.lat, row.lon)
      : undefined,
});

interface OrgRow {
  id: number;
  kind: OrganisationKind;
  themes: string;
  lat: number | null;
  lon: number | null;
}

/** The subject: its organisation, active pôles (with names), and its published listings (or one). */
interface Subject {
  side: MatchSide;
  centre: { lat: number; lon: number } | null;
  poleNames: Map<number, string>;
  /** Listing mode: only candidates with a complementary listing. */
  pairRequired: boolean;
}

async function organisationRow(db: Db, id: number) {
  const [row] = await db.all<OrgRow>(
    sql`SELECT id, kind, themes, lat, lon FROM organisations WHERE id = ${id}`,
  );
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
    db.all<ListingDbRow>(sql`SELECT ${LISTING_COLUMNS} FROM listings
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

/** Rarity of the subject's stems, read from listings_fts through its fts5vocab table (migration 0012). */
async function termStats(db: Db, subject: MatchSide): Promise<TermStats> {
  const terms = [...new Set(subject.listings.flatMap((listing) => listing.terms))];
  if (terms.length === 0) return { idf: new Map(), avgLength: 1 };
  const [counts, [total]] = await Promise.all([
    db.all<{ term: string; doc: number }>(
      sql`SELECT term, doc FROM listings_fts_vocab WHERE term IN (${sql.join(
        terms.map((term) => sql`${term}`),
        sql`, `,
      )})`,
    ),
    // Rows ever indexed ≈ the highest id: exact enough for idf, and read from the primary key alone.
    db.all<{ n: number | null }>(sql`SELECT max(id) AS n FROM listings`),
  ]);
  const n = Number(total?.n ?? 0);
  const df = new Map(counts.map((row) => [row.term, Number(row.doc)]));
  return {
    idf: new Map(terms.map((term) => [term, idfOf(df.get(term) ?? 0, n)])),
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
  listings: MatchListing[];
  poleIds: number[];
}

/**
 * Candidates within `km` of the subject: organisations with a complementary listing (opposite type,
 * a category of the subject's) in the box, organisations of the box sharing a theme (organisation
 * mode), and co-members of its pôles — four statements whatever their number.
 */
async function candidatesOf(
  db: Db,
  subject: Subject,
  centre: { lat: number; lon: number },
  km: number,
  options: MatchOptions,
  excluded: ReadonlySet<number>,
): Promise<Map<number, Candidate>> {
  const box = boundingBox(centre.lat, centre.lon, km);
  const inBox = sql`lat BETWEEN ${box.minLat} AND ${box.maxLat} AND lon BETWEEN ${box.minLon} AND ${box.maxLon}`;
  const wanted = (type: ListingType) =>
    [
      ...new Set(
        subject.side.listings
          .filter((listing) => listing.type !== type)
          .map((listing) => listing.category)
          .filter((category) => !options.category || category === options.category),
      ),
    ].map((category) => sql`${category}`);
  const offers = wanted('offer');
  const needs = wanted('need');
  const complementary: SQL[] = [];
  if (offers.length > 0)
    complementary.push(sql`(type = 'offer' AND category IN (${sql.join(offers, sql`, `)}))`);
  if (needs.length > 0)
    complementary.push(sql`(type = 'need' AND category IN (${sql.join(needs, sql`, `)}))`);
  const themes = subject.side.themes.map((theme) => sql`${theme}`);
  const kindFilter = options.kind ? sql` AND kind = ${options.kind}` : sql``;
  const [listingRows, themeRows, poleRows] = await Promise.all([
    complementary.length === 0
      ? Promise.resolve([])
      : db.all<ListingDbRow>(sql`SELECT ${LISTING_COLUMNS} FROM listings INDEXED BY listings_position_idx
          WHERE ${inBox} AND ${publicListing(options.now)} AND organisation_id != ${subject.side.id}
            AND (${sql.join(complementary, sql` OR `)})`),
    subject.pairRequired || themes.length === 0 || options.category
      ? Promise.resolve([])
      : db.all<OrgRow>(sql`SELECT id, kind, themes, lat, lon FROM organisations INDEXED BY organisations_position_idx
          WHERE ${inBox}${kindFilter} AND id != ${subject.side.id}
            AND EXISTS (SELECT 1 FROM organisation_themes t WHERE t.organisation_id = organisations.id
              AND t.theme IN (${sql.join(themes, sql`, `)}))`),
    subject.side.poleIds.length === 0
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
      sql`SELECT id, kind, themes, lat, lon FROM organisations WHERE id IN (${ids(missing)})${kindFilter}`,
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
 * Activity and refusals of some candidates, in three statements: days since their last listing
 * update or thread message, threads declined either way, suggestions dismissed by them, and threads
 * of the subject they ignored.
 */
async function laterFacts(db: Db, subjectId: number, candidateIds: readonly number[], now: Date) {
  const list = ids(candidateIds);
  const ignoredBefore = new Date(now.getTime() - IGNORED_AFTER_DAYS * DAY_MS).toISOString();
  const [activity, threads, dismissals] = await Promise.all([
    db.all<{ id: number; at: string | null }>(sql`SELECT id, max(at) AS at FROM (
        SELECT organisation_id AS id, max(updated_at) AS at FROM listings
          WHERE organisation_id IN (${list}) AND status = 'published' GROUP BY organisation_id
        UNION ALL SELECT owner_organisation_id, max(last_message_at) FROM threads
          WHERE owner_organisation_id IN (${list}) GROUP BY owner_organisation_id
        UNION ALL SELECT responder_organisation_id, max(last_message_at) FROM threads
          WHERE responder_organisation_id IN (${list}) GROUP BY responder_organisation_id)
      GROUP BY id`),
    db.all<{ id: number; declined: number; ignored: number }>(sql`SELECT
        CASE WHEN t.owner_organisation_id = ${subjectId} THEN t.responder_organisation_id ELSE t.owner_organisation_id END AS id,
        sum(t.status = 'declined') AS declined,
        sum(t.status = 'open' AND t.responder_organisation_id = ${subjectId} AND t.created_at < ${ignoredBefore}
          AND NOT EXISTS (SELECT 1 FROM thread_messages m WHERE m.thread_id = t.id
            AND m.organisation_id = t.owner_organisation_id)) AS ignored
      FROM threads t
      WHERE (t.owner_organisation_id = ${subjectId} AND t.responder_organisation_id IN (${list}))
         OR (t.responder_organisation_id = ${subjectId} AND t.owner_organisation_id IN (${list}))
      GROUP BY 1`),
    db.all<{ id: number }>(sql`SELECT organisation_id AS id FROM match_dismissals
      WHERE candidate_organisation_id = ${subjectId} AND organisation_id IN (${list})`),
  ]);
  const ages = new Map(
    activity.flatMap((row) =>
      row.at ? [[row.id, Math.max(0, (now.getTime() - Date.parse(row.at)) / DAY_MS)] as const] : [],
    ),
  );
  const refusals = new Map(threads.map((row) => [row.id, row]));
  const dismissedMe = new Set(dismissals.map((row) => row.id));
  return (id: number) => ({
    activityAgeDays: ages.get(id) ?? null,
    declines: Number(refusals.get(id)?.declined ?? 0) + (dismissedMe.has(id) ? 1 : 0),
    ignored: Number(refusals.get(id)?.ignored ?? 0),
  });
}

interface Ranked {
  candidate: Candidate;
  facts: CandidateFacts;
  scored: ScoredCandidate;
}

/**
 * The best `limit` candidates. Activity and refusals are loaded for a batch at a time, best upper
 * bound first (the score without them, plus the most activity can add): once the next bound cannot
 * beat the `limit`-th score, no other candidate can enter the list.
 */
async function rank(
  db: Db,
  subject: Subject,
  candidates: Map<number, Candidate>,
  stats: TermStats,
  options: MatchOptions,
): Promise<Ranked[]> {
  const partial: Array<Ranked & { bound: number }> = [];
  for (const candidate of candidates.values()) {
    const side: MatchSide = {
      id: candidate.org.id,
      kind: candidate.org.kind,
      themes: parseThemes(candidate.org.themes),
      poleIds: candidate.poleIds,
      listings: candidate.listings,
    };
    const facts: CandidateFacts = {
      side,
      distanceKm: candidate.distanceKm,
      activityAgeDays: null,
      declines: 0,
      ignored: 0,
    };
    const scored = scoreCandidate(subject.side, facts, stats);
    if (options.category && !scored.pairs.some((pair) => pair.theirs.category === options.category)) continue;
    if (
      !isSuggestible(subject.side, facts, scored, {
        requestedKm: options.radiusKm,
        pairRequired: subject.pairRequired,
      })
    )
      continue;
    partial.push({ candidate, facts, scored, bound: upperBound(scored.score) });
  }
  partial.sort((a, b) => b.bound - a.bound || a.facts.distanceKm - b.facts.distanceKm);
  const done: Ranked[] = [];
  const batch = Math.max(2 * options.limit, 20);
  for (let start = 0; start < partial.length; start += batch) {
    const kth = done.length >= options.limit ? done[options.limit - 1]!.scored.score : -1;
    if (partial[start]!.bound < kth) break;
    const slice = partial.slice(start, start + batch);
    const later = await laterFacts(
      db,
      subject.side.id,
      slice.map((item) => item.candidate.org.id),
      options.now,
    );
    for (const item of slice) {
      const facts = { ...item.facts, ...later(item.candidate.org.id) };
      done.push({ candidate: item.candidate, facts, scored: scoreCandidate(subject.side, facts, stats) });
    }
    done.sort((a, b) =>
      compareScored(
        { ...a.scored, distanceKm: a.facts.distanceKm },
        { ...b.scored, distanceKm: b.facts.distanceKm },
      ),
    );
  }
  return done.slice(0, options.limit);
}

/** Names and communes of the suggested organisations, in one statement. */
async function describe(db: Db, subject: Subject, ranked: Ranked[]): Promise<MatchItem[]> {
  if (ranked.length === 0) return [];
  const rows = await db.all<{ id: number; name: string; communeCode: string; communeName: string }>(
    sql`SELECT o.id, o.name, o.commune_code AS communeCode, c.name AS communeName
      FROM organisations o JOIN communes c ON c.code = o.commune_code
      WHERE o.id IN (${ids(ranked.map((item) => item.candidate.org.id))})`,
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
  const [candidates, stats] = await Promise.all([
    candidatesOf(db, subject, subject.centre, km, options, excluded),
    termStats(db, subject.side),
  ]);
  const lengths = [...candidates.values()].flatMap((c) => c.listings.map((l) => l.terms.length));
  stats.avgLength = lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : 1;
  return describe(db, subject, await rank(db, subject, candidates, stats, options));
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
