import { and, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import { listings, threads } from '../../db/schema.ts';
import { type ListingCardView, listingCardsInOrder } from '../listings/output.ts';
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

/**
 * The home page's reads, built and prepared once per database (placeholders for the time and the
 * type): counts read from the (status, type, expires_at) and threads' status indexes — offers and
 * needs bounded like the searches' (exact up to 10,000, then « plus de 10 000 »: counting 150,000
 * index entries per type cost more than the rest of the page) — the newest ids from (status,
 * published_at).
 */
const homeQueries = (db: Db) =>
  prepared(db, 'home', () => {
    const now = sql.placeholder('now');
    return {
      publicOfType: boundedCount(
        db,
        listings,
        [
          eq(listings.status, 'published'),
          eq(listings.type, sql.placeholder('type')),
          gt(listings.expiresAt, now),
        ],
        DEFAULT_LIMITS,
      ).prepare(),
      agreed: db
        .select({ n: count() })
        .from(threads)
        .where(inArray(threads.status, ['accepted', 'concluded']))
        .prepare(),
      concluded: db.select({ n: count() }).from(threads).where(eq(threads.status, 'concluded')).prepare(),
      newest: db
        .select({ id: listings.id })
        .from(listings)
        .where(and(...publicInRecencyOrder(now)))
        .orderBy(desc(listings.publishedAt), desc(listings.id))
        .limit(sql.placeholder('limit'))
        .prepare(),
    };
  });

/** The live counts and the `recent` most recently published listings, hydrated once. */
export async function homeData(
  db: Db,
  now: Date,
  recent = 6,
): Promise<{ counts: HomeCounts; recent: ListingCardView[] }> {
  const at = now.toISOString();
  const queries = homeQueries(db);
  const [[offers], [needs], [agreed], [concluded], newest] = await Promise.all([
    queries.publicOfType.all({ type: 'offer', now: at }),
    queries.publicOfType.all({ type: 'need', now: at }),
    queries.agreed.all(),
    queries.concluded.all(),
    queries.newest.all({ now: at, limit: recent }),
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
    recent: await listingCardsInOrder(db, newest),
  };
}
