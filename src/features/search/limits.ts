/**
 * How much work one search may do, whatever the data (see docs/decisions/015-bounded-search.md).
 * Searches take them as optional parameters so tests can use small values.
 */
export interface SearchLimits {
  /** Counts are exact up to this many rows; beyond, `total` is this lower bound and `totalCapped` is set. */
  countLimit: number;
  /**
   * Words matching at most this many rows are ranked by relevance (bm25) over all of them; more
   * frequent words fall back to an order read in index order (names first, then newest first).
   */
  rankLimit: number;
  /**
   * A text search with other filters checks them on at most this many of the newest matches to
   * count (one row lookup each); beyond, `total` is the lower bound found there.
   */
  probeLimit: number;
}

export const DEFAULT_LIMITS: SearchLimits = { countLimit: 10_000, rankLimit: 500, probeLimit: 1_000 };

/** A count that stops at the limit: exact below it, a lower bound (capped) above. */
export interface BoundedTotal {
  total: number;
  capped: boolean;
}

/** `{ total, totalCapped: true }` when capped, `{ total }` otherwise (the field stays optional in pages). */
export function pageTotal({ total, capped }: BoundedTotal): { total: number; totalCapped?: true } {
  return capped ? { total, totalCapped: true } : { total };
}
