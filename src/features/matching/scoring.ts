/**
 * Partner matching: how well a candidate organisation suits a subject (an organisation, or one of
 * its listings). Pure — no database, no clock: src/features/matching/queries.ts gathers the facts,
 * this module turns them into a score in [0, 1] and a breakdown the reasons are written from.
 * The weights live in {@link WEIGHTS} only; their rationale is docs/decisions/020-matching.md.
 *
 * score = Σ weight × component (each component in [0, 1], the weights sum to 1)
 *         × penalty (1, or less when the two sides turned each other down before)
 */
import type { ListingCategory, ListingType } from '../listings/labels.ts';

/** What each component weighs. They sum to 1, so the score stays in [0, 1]. */
export const WEIGHTS = {
  /** My needs ↔ their offers and my offers ↔ their needs: same category, shared rare words. */
  complementarity: 0.4,
  /** Distance decay within the radius rule. */
  proximity: 0.15,
  /** An ESS structure for an SME, a collectivité…; an SME, a collectivité… for an ESS structure. */
  kindFit: 0.1,
  /** Themes in common (share of the smaller set). */
  themes: 0.1,
  /** Active members of one same pôle. */
  pole: 0.1,
  /** Listings published or updated, threads answered, recently. */
  activity: 0.1,
  /** The matched listings are available on overlapping dates. */
  availability: 0.05,
} as const;

/** Radius of a side that declared none (an organisation without published listings). */
export const DEFAULT_RADIUS_KM = 50;
/** Distance at which proximity falls to 1/e (≈ 0.37): 12 km ≈ 0.62, 50 km ≈ 0.14. */
export const PROXIMITY_SCALE_KM = 25;
/** Days after which recent activity has decayed to 1/e. */
export const ACTIVITY_SCALE_DAYS = 45;
/** Each time one side declined the other (a thread declined, a suggestion dismissed): score × this. */
export const DECLINE_FACTOR = 0.5;
/** Each thread of the subject the candidate left unanswered: score × this. */
export const IGNORE_FACTOR = 0.8;
/** BM25 parameters (Robertson's usual values) for the shared-words part of complementarity. */
export const BM25 = { k1: 1.2, b: 0.75 } as const;
/** A pair of listings in the same category scores this much before any word is shared. */
export const CATEGORY_FLOOR = 0.4;
/** Each further complementary pair adds this much to the best one (up to {@link MAX_EXTRA_PAIRS}). */
export const EXTRA_PAIR_BONUS = 0.05;
export const MAX_EXTRA_PAIRS = 4;

export type OrganisationKind =
  | 'ess'
  | 'sme'
  | 'local_authority'
  | 'research'
  | 'training'
  | 'network'
  | 'other';

/** A published listing as matching sees it. `terms`: its stems (title words twice: they weigh more). */
export interface MatchListing {
  id: number;
  type: ListingType;
  category: ListingCategory;
  title: string;
  terms: readonly string[];
  radiusKm: number;
  /** ISO dates, inclusive; null: open. */
  availableFrom: string | null;
  availableUntil: string | null;
  /** Distance from the subject's position (candidates' listings only). */
  distanceKm?: number | undefined;
}

/** The subject of a search or a candidate. */
export interface MatchSide {
  id: number;
  kind: OrganisationKind;
  themes: readonly string[];
  /** Pôles it is an active member of. */
  poleIds: readonly number[];
  /** Published listings (the subject's: all of them, or the one listing asked about). */
  listings: readonly MatchListing[];
}

/** What is known of a candidate besides its side. */
export interface CandidateFacts {
  side: MatchSide;
  distanceKm: number;
  /** Days since its last listing publication or update, or thread message; null: never. */
  activityAgeDays: number | null;
  /** Times the two turned each other down (declined threads, dismissed suggestions, both ways). */
  declines: number;
  /** Threads the subject opened on the candidate's listings that it never answered (after 14 days). */
  ignored: number;
}

/** Rarity of stems: BM25 idf, from listings_fts (see queries.ts), and the average listing length. */
export interface TermStats {
  idf: ReadonlyMap<string, number>;
  avgLength: number;
}

/** BM25's idf of a word found in `df` of `n` documents (never negative). */
export function idfOf(df: number, n: number): number {
  return Math.log(1 + (Math.max(n, df) - df + 0.5) / (df + 0.5));
}

/**
 * The radius rule: a candidate is within range when it lies within both sides' declared radius —
 * a side's radius is the largest of its published listings', {@link DEFAULT_RADIUS_KM} when it has
 * none — and within the radius asked for, if any.
 */
export function allowedRadiusKm(subject: MatchSide, candidate: MatchSide, requestedKm?: number): number {
  return Math.min(radiusOf(subject), radiusOf(candidate), requestedKm ?? Number.POSITIVE_INFINITY);
}

export function radiusOf(side: MatchSide): number {
  if (side.listings.length === 0) return DEFAULT_RADIUS_KM;
  return Math.max(...side.listings.map((listing) => listing.radiusKm));
}

/** How well kinds fit: the ESS with the rest of the economy first. */
export function kindFit(subject: OrganisationKind, candidate: OrganisationKind): number {
  if (subject === 'ess') return candidate === 'ess' ? 0.5 : 1;
  return candidate === 'ess' ? 1 : 0.3;
}

export const proximity = (km: number) => Math.exp(-Math.max(0, km) / PROXIMITY_SCALE_KM);

export const activity = (ageDays: number | null) =>
  ageDays === null ? 0 : Math.exp(-Math.max(0, ageDays) / ACTIVITY_SCALE_DAYS);

export function sharedOf<T>(a: readonly T[], b: readonly T[]): T[] {
  const other = new Set(b);
  return [...new Set(a)].filter((item) => other.has(item));
}

/** Themes in common, as a share of the smaller set (0 when either has none). */
export function themeScore(a: readonly string[], b: readonly string[]): number {
  const smaller = Math.min(new Set(a).size, new Set(b).size);
  return smaller === 0 ? 0 : sharedOf(a, b).length / smaller;
}

/**
 * Shared words, weighted by rarity: BM25 of the candidate listing for the subject listing's words
 * taken as the query, divided by the score of an ideal document (each word once, average length),
 * so 1 means « every rare word of mine is there ». Frequent words (« de », « local » when every
 * premises offer says it) weigh little by their idf.
 */
export function textScore(mine: readonly string[], theirs: readonly string[], stats: TermStats): number {
  const query = queryOf(mine);
  if (query.terms.length === 0 || theirs.length === 0) return 0;
  // Occurrences of the query's words only, counted in a reused array: no map per candidate listing
  // (thousands per request; their garbage was a tenth of the request's time).
  const counts = scratch(query.terms.length);
  for (const term of theirs) {
    const index = query.index.get(term);
    if (index !== undefined) counts[index]! += 1;
  }
  const { k1, b } = BM25;
  const norm = k1 * (1 - b + (b * theirs.length) / Math.max(1, stats.avgLength));
  let score = 0;
  let ideal = 0;
  for (let i = 0; i < query.terms.length; i++) {
    const idf = stats.idf.get(query.terms[i]!) ?? 0;
    ideal += idf;
    const f = counts[i]!;
    if (f > 0) score += (idf * (f * (k1 + 1))) / (f + norm);
  }
  return ideal === 0 ? 0 : Math.min(1, score / ideal);
}

// A listing's words are the query of many comparisons: their set and positions are computed once.
const QUERIES = new WeakMap<readonly string[], { terms: string[]; index: Map<string, number> }>();

function queryOf(terms: readonly string[]) {
  let query = QUERIES.get(terms);
  if (!query) {
    const unique = [...new Set(terms)];
    query = { terms: unique, index: new Map(unique.map((term, i) => [term, i])) };
    QUERIES.set(terms, query);
  }
  return query;
}

let counts = new Float64Array(64);
/** A zeroed array of `n` counts, reused from call to call (textScore is synchronous). */
function scratch(n: number): Float64Array {
  if (counts.length < n) counts = new Float64Array(n * 2);
  counts.fill(0, 0, n);
  return counts;
}

/** 1 when both date ranges overlap or one is open, 0 when they are disjoint. */
export function availabilityOverlap(a: MatchListing, b: MatchListing): number {
  const startA = a.availableFrom ?? '0000-01-01';
  const endA = a.availableUntil ?? '9999-12-31';
  const startB = b.availableFrom ?? '0000-01-01';
  const endB = b.availableUntil ?? '9999-12-31';
  return startA <= endB && startB <= endA ? 1 : 0;
}

/** A complementary pair: one of mine and one of theirs, opposite types, same category. */
export interface MatchedPair {
  mine: MatchListing;
  theirs: MatchListing;
  /** CATEGORY_FLOOR + (1 − CATEGORY_FLOOR) × shared-words score. */
  score: number;
  text: number;
  available: number;
}

/**
 * The complementary pairs of two sides, best first: opposite types, same category, and the
 * candidate's listing within both listings' radius of the subject (the radius rule, per listing).
 */
export function matchedPairs(
  subject: MatchSide,
  candidate: MatchSide,
  distanceKm: number,
  stats: TermStats,
): MatchedPair[] {
  const pairs: MatchedPair[] = [];
  for (const mine of subject.listings) {
    for (const theirs of candidate.listings) {
      if (mine.type === theirs.type || mine.category !== theirs.category) continue;
      const km = theirs.distanceKm ?? distanceKm;
      if (km > Math.min(mine.radiusKm, theirs.radiusKm)) continue;
      const text = textScore(mine.terms, theirs.terms, stats);
      pairs.push({
        mine,
        theirs,
        text,
        score: CATEGORY_FLOOR + (1 - CATEGORY_FLOOR) * text,
        available: availabilityOverlap(mine, theirs),
      });
    }
  }
  return pairs.sort((a, b) => b.score - a.score || b.available - a.available || a.theirs.id - b.theirs.id);
}

export type Components = { [K in keyof typeof WEIGHTS]: number };

export interface ScoredCandidate {
  candidateId: number;
  score: number;
  components: Components;
  penalty: number;
  pairs: MatchedPair[];
  sharedThemes: string[];
  sharedPoleIds: number[];
}

/** The best pair, plus a little for each further one: several complementary listings beat one. */
export function complementarity(pairs: readonly MatchedPair[]): number {
  if (pairs.length === 0) return 0;
  const extra = Math.min(MAX_EXTRA_PAIRS, pairs.filter((pair) => pair.score >= 0.5).length - 1);
  return Math.min(1, pairs[0]!.score + EXTRA_PAIR_BONUS * Math.max(0, extra));
}

/** The penalty factor of earlier refusals between the two sides. */
export const penaltyOf = (declines: number, ignored: number) =>
  DECLINE_FACTOR ** Math.max(0, declines) * IGNORE_FACTOR ** Math.max(0, ignored);

/** Every component of a candidate, its score and what explains it. */
export function scoreCandidate(subject: MatchSide, facts: CandidateFacts, stats: TermStats): ScoredCandidate {
  const pairs = matchedPairs(subject, facts.side, facts.distanceKm, stats);
  const sharedThemes = sharedOf(subject.themes, facts.side.themes);
  const sharedPoleIds = sharedOf(subject.poleIds, facts.side.poleIds);
  const components: Components = {
    complementarity: complementarity(pairs),
    proximity: proximity(facts.distanceKm),
    kindFit: kindFit(subject.kind, facts.side.kind),
    themes: themeScore(subject.themes, facts.side.themes),
    pole: sharedPoleIds.length > 0 ? 1 : 0,
    activity: activity(facts.activityAgeDays),
    availability: pairs.length === 0 ? 0 : Math.max(...pairs.map((pair) => pair.available)),
  };
  const penalty = penaltyOf(facts.declines, facts.ignored);
  const weighted = (Object.keys(WEIGHTS) as Array<keyof Components>).reduce(
    (sum, key) => sum + WEIGHTS[key] * components[key],
    0,
  );
  return {
    candidateId: facts.side.id,
    score: Math.min(1, Math.max(0, weighted * penalty)),
    components,
    penalty,
    pairs,
    sharedThemes,
    sharedPoleIds,
  };
}

/**
 * A ceiling of {@link scoreCandidate}'s score computed without the listings' words: every component
 * exact but complementarity and availability, taken at their maximum (1) when the candidate has a
 * listing at all. Each term is ≥ its exact counterpart and is summed in the same order, and IEEE
 * rounding is monotone, so `scoreBound(…) ≥ scoreCandidate(…).score` holds in floating point too:
 * queries.ts scores candidates by decreasing ceiling and stops once no ceiling reaches the top.
 */
export function scoreBound(subject: MatchSide, facts: CandidateFacts): number {
  const any = facts.side.listings.length > 0 ? 1 : 0;
  const components: Components = {
    complementarity: any,
    proximity: proximity(facts.distanceKm),
    kindFit: kindFit(subject.kind, facts.side.kind),
    themes: themeScore(subject.themes, facts.side.themes),
    pole: sharedOf(subject.poleIds, facts.side.poleIds).length > 0 ? 1 : 0,
    activity: activity(facts.activityAgeDays),
    availability: any,
  };
  const weighted = (Object.keys(WEIGHTS) as Array<keyof Components>).reduce(
    (sum, key) => sum + WEIGHTS[key] * components[key],
    0,
  );
  return Math.min(1, Math.max(0, weighted * penaltyOf(facts.declines, facts.ignored)));
}

/**
 * Whether a candidate may be suggested at all: not the subject, within the radius rule, and with
 * something to work on together — a complementary listing, a theme or a pôle in common (distance alone is no reason).
 */
export function isSuggestible(
  subject: MatchSide,
  facts: CandidateFacts,
  scored: ScoredCandidate,
  options: { requestedKm?: number | undefined; pairRequired?: boolean } = {},
): boolean {
  if (facts.side.id === subject.id) return false;
  if (facts.distanceKm > allowedRadiusKm(subject, facts.side, options.requestedKm)) return false;
  // Suggestions for a listing are listings that answer it: a complementary one is required.
  if (options.pairRequired) return scored.pairs.length > 0;
  return scored.pairs.length > 0 || scored.sharedThemes.length > 0 || scored.sharedPoleIds.length > 0;
}

/** Best first; ties by distance, then id (a total order: pages are stable). */
export function compareScored(
  a: { score: number; distanceKm: number; candidateId: number },
  b: { score: number; distanceKm: number; candidateId: number },
): number {
  return b.score - a.score || a.distanceKm - b.distanceKm || a.candidateId - b.candidateId;
}
