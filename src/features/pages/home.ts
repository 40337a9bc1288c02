import { and, count, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { listings, threads } from '../../db/schema.ts';
import { type ListingView, listingViewsInOrder } from '../listings/output.ts';
import { publicInRecencyOrder } from '../listings/search.ts';

/** The home page's live counts. */
export interface HomeCounts {
  offers: number;
  needs: number;
  /** Threads where a cooperation was agreed (accepted, or since concluded). */
  agreed: number;
  concluded: number;
}

const publicListings = (now: Date, type: 'offer' | 'need') =>
  and(eq(listings.status, 'published'), eq(listings.type, type), gt(listings.expiresAt, now.toISOString()));

/**
 * The live counts and the `recent` most recently published listings, in one round trip: counts
 * read from the (status, type, expires_at) and threads' status indexes, the newest ids from
 * (status, published_at), hydrated once.
 */
export async function homeData(
  db: Db,
  now: Date,
  recent = 6,
): Promise<{ counts: HomeCounts; recent: ListingView[] }> {
  const [[offers], [needs], [agreed], [concluded], newest] = await db.batch([
    db.select({ n: count() }).from(listings).where(publicListings(now, 'offer')),
    db.select({ n: count() }).from(listings).where(publicListings(now, 'need')),
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
  return {
    counts: {
      offers: offers?.n ?? 0,
      needs: needs?.n ?? 0,
      agreed: agreed?.n ?? 0,
      concluded: concluded?.n ?? 0,
    },
    recent: await listingViewsInOrder(db, newest),
  };
}
