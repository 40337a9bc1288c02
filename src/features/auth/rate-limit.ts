import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rateLimits } from '../../db/schema.ts';

export interface RateLimitRule {
  /** Events allowed in one window. */
  limit: number;
  windowMs: number;
}

export const RULES = {
  /** Failed sign-ins per account: the 6th within 15 minutes is refused. */
  signInAccount: { limit: 5, windowMs: 15 * 60_000 },
  signInIp: { limit: 30, windowMs: 15 * 60_000 },
  /** Sign-ups per address: an office or a training room shares one address, so this is generous. */
  signUpIp: { limit: 60, windowMs: 60 * 60_000 },
  /** Sign-ups per email domain: a script spraying one domain from many addresses stops here. */
  signUpDomain: { limit: 30, windowMs: 60 * 60_000 },
  /** Contact-form messages per address. */
  contactIp: { limit: 5, windowMs: 60 * 60_000 },
  resetIp: { limit: 10, windowMs: 60 * 60_000 },
  resetAccount: { limit: 3, windowMs: 60 * 60_000 },
} satisfies Record<string, RateLimitRule>;

/**
 * Counts one event for the key in a fixed window that opens at its first event; returns the count
 * so far in that window. One atomic upsert, so concurrent requests cannot both slip through.
 */
export async function countEvent(db: Db, key: string, rule: RateLimitRule, now: Date): Promise<number> {
  const at = now.getTime();
  const expired = at - rule.windowMs;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: at, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN ${at} ELSE ${rateLimits.windowStart} END`,
      },
    })
    .returning({ count: rateLimits.count });
  return row?.count ?? 1;
}

/** Counts an event and tells whether it went over the limit. */
export async function overLimit(db: Db, key: string, rule: RateLimitRule, now: Date): Promise<boolean> {
  return (await countEvent(db, key, rule, now)) > rule.limit;
}

/** Gives back one event counted by `countEvent` (e.g. an attempt that turned out legitimate). */
export async function uncountEvent(db: Db, key: string): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`max(${rateLimits.count} - 1, 0)` })
    .where(eq(rateLimits.key, key));
}

/** Forgets a key (e.g. an account's failed sign-ins after a successful one). */
export async function clearLimit(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}
