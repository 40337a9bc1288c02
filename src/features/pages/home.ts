import { and, count, desc, eq, gt, inArray, lt, sql, sum } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import { listingCounts, listings, threads } from '../../db/schema.ts';
import { type ListingCardView, listingCardsInOrder } from '../listings/output.ts';
import { publicInRecencyOrder } from '../listings/search.ts';

/** The home page's live counts, exact. */
export interface HomeCounts {
  offers: number;
  needs: number;
  /** Threads where a cooperation was agreed (accepted, or since concluded). */
  agreed: number;
  concluded: number;
}

/**
 * The home page's reads, built and prepared once per database (placeholders for the time and the
 * type). Public offers (needs) = the `listing_counts` rows of published listings expiring after
 * today (one row per expiry day, kept by triggers: migration 0014) + the published listings that
 * expire later today (a range of the (status, type, expires_at) index, at most a day of expiries):
 * exact, and the same whether or not the daily job has closed the expired ones yet. Cooperations from
 * the threads' status index; the newest ids from (status, published_at).
 */
const homeQueries = (db: Db) =>
  prepared(db, 'home', () => {
    const now = sql.placeholder('now');
    return {
      expiringAfterToday: db
        .select({ type: listingCounts.type, n: sum(listingCounts.n).mapWith(Number) })
        .from(listingCounts)
        .where(
          and(eq(listingCounts.status, 'published'), gt(listingCounts.expiresDay, sql.placeholder('today'))),
        )
        .groupBy(listingCounts.type)
        .prepare(),
      expiringLaterToday: db
        .select({ n: count() })
        .from(listings)
        .where(
          and(
            eq(listings.status, 'published'),
            eq(listings.type, sql.placeholder('type')),
            gt(listings.expiresAt, now),
            lt(listings.expiresAt, sql.placeholder('tomorrow')),
          ),
        )
        .prepare(),
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
  const today = at.slice(0, 10);
  const tomorrow = new Date(`${today}T00:00:00.000Z`);
  tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
  const laterToday = { now: at, tomorrow: tomorrow.toISOString() };
  const [afterToday, [offersToday], [needsToday], [agreed], [concluded], newest] = await Promise.all([
    queries.expiringAfterToday.all({ today }),
    queries.expiringLaterToday.all({ ...laterToday, type: 'offer' }),
    queries.expiringLaterToday.all({ ...laterToday, type: 'need' }),
    queries.agreed.all(),
    queries.concluded.all(),
    queries.newest.all({ now: at, limit: recent }),
  ]);
  const ofType = (type: 'offer' | 'need', today?: { n: number }) =>
    (afterToday.find((row) => row.type === type)?.n ?? 0) + (today?.n ?? 0);
  return {
    counts: {
      offers: ofType('offer', offersToday),
      needs: ofType('need', needsToday),
      agreed: agreed?.n ?? 0,
      concluded: concluded?.n ?? 0,
    },
    recent: await listingCardsInOrder(db, newest),
  };
}
