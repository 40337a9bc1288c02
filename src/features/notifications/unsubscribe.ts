import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { matchEmailOptOuts, savedSearches, unsubscribeTokens } from '../../db/schema.ts';
import { randomToken, sha256Hex } from '../auth/crypto.ts';
import { setMessageFrequency } from './settings.ts';

/**
 * What an unsubscribe link turns off: new-message emails, one saved search's alerts, the alerts
 * of all the user's saved searches (the `List-Unsubscribe` of a digest grouping several), or the
 * weekly partner suggestions (src/features/matching/weekly.ts).
 */
export type UnsubscribeScope = 'messages' | 'saved_searches' | `saved_search:${number}` | 'matches';

/**
 * A one-click unsubscribe link for `scope` (only the token's SHA-256 is stored). Put it in the email's
 * text and in its `List-Unsubscribe` header (see {@link unsubscribeHeaders}).
 */
export async function createUnsubscribeLink(
  db: Db,
  userId: number,
  scope: UnsubscribeScope,
  origin: string,
  now: Date = new Date(),
): Promise<string> {
  const token = randomToken();
  await db
    .insert(unsubscribeTokens)
    .values({ tokenHash: await sha256Hex(token), userId, scope, createdAt: now.toISOString() });
  return `${origin}/desabonnement/${token}`;
}

/** The RFC 2369 / RFC 8058 headers of an email carrying `link`. */
export function unsubscribeHeaders(link: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

export interface UnsubscribeTarget {
  userId: number;
  scope: string;
  /** French description of what the link turns off. */
  label: string;
}

/** The link's target, or undefined for an unknown token. */
export async function findUnsubscribe(db: Db, token: string): Promise<UnsubscribeTarget | undefined> {
  if (!/^[A-Za-z0-9_-]{10,200}$/.test(token)) return undefined;
  const [row] = await db
    .select({ userId: unsubscribeTokens.userId, scope: unsubscribeTokens.scope })
    .from(unsubscribeTokens)
    .where(eq(unsubscribeTokens.tokenHash, await sha256Hex(token)));
  if (!row) return undefined;
  if (row.scope === 'messages') {
    return { ...row, label: 'les courriels de nouveaux messages dans vos échanges' };
  }
  if (row.scope === 'saved_searches') {
    return { ...row, label: 'les alertes de vos recherches enregistrées' };
  }
  if (row.scope === 'matches') {
    return { ...row, label: 'le courriel hebdomadaire des partenaires suggérés' };
  }
  const search = savedSearchId(row.scope);
  if (search !== undefined) {
    const [saved] = await db
      .select({ name: savedSearches.name })
      .from(savedSearches)
      .where(and(eq(savedSearches.id, search), eq(savedSearches.userId, row.userId)));
    if (!saved) return undefined;
    return { ...row, label: `les alertes de la recherche enregistrée « ${saved.name} »` };
  }
  return undefined;
}

function savedSearchId(scope: string): number | undefined {
  const match = /^saved_search:(\d+)$/.exec(scope);
  return match ? Number(match[1]) : undefined;
}

/** Turns off what the link names (idempotent); false for an unknown token. */
export async function applyUnsubscribe(
  db: Db,
  token: string,
  now: Date,
): Promise<UnsubscribeTarget | undefined> {
  const target = await findUnsubscribe(db, token);
  if (!target) return undefined;
  if (target.scope === 'messages') await setMessageFrequency(db, target.userId, 'never', now);
  if (target.scope === 'matches') {
    await db
      .insert(matchEmailOptOuts)
      .values({ userId: target.userId, createdAt: now.toISOString() })
      .onConflictDoNothing();
  }
  if (target.scope === 'saved_searches') {
    await db
      .update(savedSearches)
      .set({ alerts: false, updatedAt: now.toISOString() })
      .where(eq(savedSearches.userId, target.userId));
  }
  const search = savedSearchId(target.scope);
  if (search !== undefined) {
    await db
      .update(savedSearches)
      .set({ alerts: false, updatedAt: now.toISOString() })
      .where(and(eq(savedSearches.id, search), eq(savedSearches.userId, target.userId)));
  }
  return target;
}
