import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { organisationMembers, savedSearches, users } from '../../db/schema.ts';
import { readDirectoryQuery } from '../../lib/directory/query.ts';
import { BadRequest } from '../../lib/errors.ts';
import type { ScheduledJob } from '../jobs/scheduled.ts';
import { type ListingSearch, searchListings } from '../listings/search.ts';
import { listingSearchFields } from '../listings/search-schemas.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { sendEmail } from '../notifications/mailer.ts';
import { createUnsubscribeLink, unsubscribeHeaders } from '../notifications/unsubscribe.ts';
import { type DigestSection, savedSearchDigestEmail } from './digest-email.ts';
import type { SavedSearch } from './saved-searches.ts';

export const SAVED_SEARCH_DIGEST_JOB = 'saved-search-digest';
/** New listings listed per search in a digest; the rest is one « see them all » link. */
export const DIGEST_LISTINGS_PER_SEARCH = 10;
/**
 * A run's window ends this long before it starts: a listing being published as the run searches
 * (its `publishedAt` taken, its row not yet written) is then still ahead of the watermark, found by
 * the next run instead of being skipped by this one.
 */
export const DIGEST_SETTLE_MS = 5 * 60_000;

type StoredFilters = Omit<ListingSearch, 'page' | 'perPage'>;

/**
 * The listing search a saved search stands for: its stored query read with the /annonces page's
 * leniency (`readDirectoryQuery`: a value no longer valid is dropped, as the page would), the radius
 * kept only with a commune, as on the page.
 */
export function savedSearchFilters(query: string): StoredFilters {
  const raw = Object.fromEntries(new URLSearchParams(query));
  const { values } = readDirectoryQuery(listingSearchFields, raw);
  const { commune, radiusKm, sort: _sort, ...filters } = values;
  return { ...filters, communeCode: commune, radiusKm: commune ? radiusKm : undefined };
}

/**
 * The daily digest of saved searches (docs/decisions/018). For each user, each saved search with
 * alerts on is run with the listing search itself (`searchListings`, newest first) over the
 * listings first published after the search's watermark (`lastAlertAt`, set at its creation, so a
 * new search never gets the backlog) and up to the run's instant less `DIGEST_SETTLE_MS` (the new
 * watermark); renewals keep their first `publishedAt`, so they are not news. The user's own organisations'
 * listings are left out. The searches with news are claimed in one transaction (the watermark moves
 * only where it still has the value read, and alerts are still on); the user then gets one email
 * grouping the claimed ones. Two runs, even in parallel, therefore send each alert once: a second
 * run finds an empty window or loses the claim. Delivery is at most once (claimed, then sent).
 */
export async function sendSavedSearchDigests(deps: ServiceDeps): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  const due = await db
    .select({ search: savedSearches, email: users.email })
    .from(savedSearches)
    .innerJoin(users, eq(users.id, savedSearches.userId))
    .where(and(eq(savedSearches.alerts, true), isNotNull(users.emailVerifiedAt)))
    .orderBy(asc(savedSearches.userId), asc(savedSearches.id));
  const byUser = new Map<number, { email: string; searches: SavedSearch[] }>();
  for (const { search, email } of due) {
    const entry = byUser.get(search.userId) ?? { email, searches: [] };
    entry.searches.push(search);
    byUser.set(search.userId, entry);
  }
  let sent = 0;
  for (const [userId, { email, searches }] of byUser) {
    if (await sendUserDigest(deps, userId, email, searches, now)) sent++;
  }
  return sent;
}

/** Moves a search's watermark to `until` if it still has the value read and alerts are still on. */
function claimSearch(db: Db, search: SavedSearch, until: string) {
  return db
    .update(savedSearches)
    .set({ lastAlertAt: until })
    .where(
      and(
        eq(savedSearches.id, search.id),
        eq(savedSearches.lastAlertAt, search.lastAlertAt),
        eq(savedSearches.alerts, true),
      ),
    )
    .returning({ id: savedSearches.id });
}

async function organisationsOf(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .select({ id: organisationMembers.organisationId })
    .from(organisationMembers)
    .where(eq(organisationMembers.userId, userId));
  return rows.map((r) => r.id);
}

/** One user's digest: true when an email was sent. */
async function sendUserDigest(
  deps: ServiceDeps,
  userId: number,
  email: string,
  searches: SavedSearch[],
  now: Date,
): Promise<boolean> {
  const { db } = deps;
  const until = new Date(now.getTime() - DIGEST_SETTLE_MS).toISOString();
  const own = await organisationsOf(db, userId);
  const found: Array<{ search: SavedSearch; page: Awaited<ReturnType<typeof searchListings>> }> = [];
  for (const search of searches) {
    try {
      const page = await searchListings(
        db,
        {
          ...savedSearchFilters(search.query),
          publishedAfter: search.lastAlertAt,
          publishedUntil: until,
          excludeOrganisationIds: own,
          sort: 'recent',
          page: 1,
          perPage: DIGEST_LISTINGS_PER_SEARCH,
        },
        now,
      );
      if (page.items.length > 0) found.push({ search, page });
    } catch (err) {
      // A stored commune that no longer exists (or lost its position): that search is skipped.
      if (!(err instanceof BadRequest)) throw err;
      deps.log({ level: 'warn', msg: 'saved search skipped', savedSearchId: search.id, error: err.message });
    }
  }
  if (found.length === 0) return false;
  // One transaction: SQLite serialises it, so of two parallel runs one claims and the other finds
  // every watermark moved.
  const [first, ...rest] = found.map(({ search }) => claimSearch(db, search, until));
  const claims = await db.batch([first!, ...rest]);
  const claimed = found.filter((_, i) => (claims[i]?.length ?? 0) > 0);
  if (claimed.length === 0) return false;
  const sections: DigestSection[] = [];
  for (const { search, page } of claimed) {
    sections.push({
      name: search.name,
      query: search.query,
      listings: page.items,
      total: page.total,
      capped: page.totalCapped === true,
      unsubscribeLink: await createUnsubscribeLink(db, userId, `saved_search:${search.id}`, deps.origin, now),
    });
  }
  const unsubscribeAllLink = await createUnsubscribeLink(db, userId, 'saved_searches', deps.origin, now);
  const content = await savedSearchDigestEmail({ origin: deps.origin, sections, unsubscribeAllLink });
  await sendEmail(db, deps, { to: email, ...content, headers: unsubscribeHeaders(unsubscribeAllLink) });
  return true;
}

export const savedSearchDigestJob: ScheduledJob = {
  name: SAVED_SEARCH_DIGEST_JOB,
  run: sendSavedSearchDigests,
};
