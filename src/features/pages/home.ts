import { and, count, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { listings, threads } from '../../db/schema.ts';
import { type ListingView, listingViewsInOrder } from '../listings/output.ts';
import { publicInRecencyOrder } from '../listings/search.ts';
import { boundedCount, boundedTotal } from '../search/count.ts';
import { DEFAULT_LIMITS } from '../search/limits.ts';

/** The home page's live counts. */
export interface HomeCounts {
  offers: number;
  needs: number;
  /** Set when `offers` (`needs`) is a lower bound: more than that many (a bounded count, decision 015). */
  offersCapped?: true;
  needsCapped?: true;
  /** Threads where a cooperation was agreed (accepted, or since concluded). */
  agreed: number;
  concluded: number;
}

const publicListings = (now: Date, type: 'offer' | 'need') => [
  eq(listings.status, 'published'),
  eq(listings.type, type),
  gt(listings.expiresAt, now.toISOString()),
];

/**
 * The live counts and the `recent` most recently published listings, in one round trip: counts
 * read from the (status, type, expires_at) and threads' status indexes — offers and needs bounded
 * like the searches' (exact up to 10,000, then « plus de 10 000 »: counting 150,000 index entries
 * per type cost more than the rest of the page) — the newest ids from (status, published_at),
 * hydrated once.
 */
export async function homeData(
  db: Db,
  now: Date,
  recent = 6,
): Promise<{ counts: HomeCounts; recent: ListingView[] }> {
  const [[offers], [needs], [agreed], [concluded], newest] = await db.batch([
    boundedCount(db, listings, publicListings(now, 'offer'), DEFAULT_LIMITS),
    boundedCount(db, listings, publicListings(now, 'need'), DEFAULT_LIMITS),
    db
      .select({ n: count() })
      .from(threads)
      .where(inArray(threads.status, ['accepted', 'concluded'])),
    db.select({ n: count() }).from(threads).where(eq(threads.status, 'concluded')),
    db
      .select({ id: listings.id })
      .from(listings)
      .where(and(...publicInRecencyOrder(now)))
      .orderBy(desc(listings.publishedAt), desc(listings.id))
      .limit(recent),
  ]);
  const offerTotal = boundedTotal(offers?.rows ?? 0, DEFAULT_LIMITS);
  const needTotal = boundedTotal(needs?.rows ?? 0, DEFAULT_LIMITS);
  return {
    counts: {
      offers: offerTotal.total,
      needs: needTotal.total,
      ...(offerTotal.capped ? { offersCapped: true as const } : {}),
      ...(needTotal.capped ? { needsCapped: true as const } : {}),
      agreed: agreed?.n ?? 0,
      concluded: concluded?.n ?? 0,
    },
    recent: await listingViewsInOrder(db, newest),
  };
}
