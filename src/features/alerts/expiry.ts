import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { listingRenewalTokens, listings, organisationMembers, users } from '../../db/schema.ts';
import { randomToken, sha256Hex } from '../auth/crypto.ts';
import type { ScheduledJob } from '../jobs/scheduled.ts';
import { publishListingRow } from '../listings/queries.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { sendEmail } from '../notifications/mailer.ts';

const DAY_MS = 24 * 3600_000;
/** Owners are reminded this long before a listing expires. */
export const REMINDER_BEFORE_MS = 7 * DAY_MS;

async function ownerEmails(db: Db, organisationId: number): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(
      and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.role, 'owner')),
    );
  return rows.map((r) => r.email);
}

/**
 * Reminds the owners of each published listing expiring within a week, once: the listing is
 * claimed (`expiryReminderSentAt` set where still null) before its email is sent, so two runs,
 * even in parallel, send it once.
 */
export async function sendExpiryReminders(deps: ServiceDeps): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  const at = now.toISOString();
  const due = await db
    .select({ id: listings.id })
    .from(listings)
    .where(
      and(
        eq(listings.status, 'published'),
        isNull(listings.expiryReminderSentAt),
        gt(listings.expiresAt, at),
        lte(listings.expiresAt, new Date(now.getTime() + REMINDER_BEFORE_MS).toISOString()),
      ),
    );
  let sent = 0;
  for (const { id } of due) {
    const token = randomToken();
    const [claimed] = await db.batch([
      db
        .update(listings)
        .set({ expiryReminderSentAt: at })
        .where(
          and(eq(listings.id, id), isNull(listings.expiryReminderSentAt), eq(listings.status, 'published')),
        )
        .returning({
          id: listings.id,
          title: listings.title,
          organisationId: listings.organisationId,
          expiresAt: listings.expiresAt,
        }),
      db.insert(listingRenewalTokens).select(
        sql`SELECT ${await sha256Hex(token)}, ${id}, ${at}, ${new Date(now.getTime() + 30 * DAY_MS).toISOString()}, NULL
              WHERE changes() > 0`,
      ),
    ]);
    const listing = claimed[0];
    if (!listing) continue;
    const link = `${deps.origin}/annonces/${id}/renouveler/${token}`;
    const until = new Date(listing.expiresAt).toLocaleDateString('fr-FR', {
      dateStyle: 'long',
      timeZone: 'Europe/Paris',
    });
    for (const to of await ownerEmails(db, listing.organisationId)) {
      await sendEmail(db, deps, {
        to,
        subject: `Votre annonce « ${listing.title} » expire bientôt`,
        text: [
          'Bonjour,',
          '',
          `Votre annonce « ${listing.title} » expire le ${until} : elle quittera alors la recherche.`,
          'Pour la prolonger de 90 jours, ouvrez ce lien et confirmez :',
          link,
          '',
          `Voir l’annonce : ${deps.origin}/annonces/${id}`,
        ].join('\n'),
      });
      sent++;
    }
  }
  return sent;
}

/** Closes published listings whose expiry has passed (`closed`, reason `expired`). */
export async function closeExpiredListings(deps: ServiceDeps): Promise<number> {
  const at = deps.clock.now().toISOString();
  const rows = await deps.db
    .update(listings)
    .set({
      status: 'closed',
      closedReason: 'expired',
      closedAt: at,
      version: sql`${listings.version} + 1`,
      updatedAt: at,
    })
    .where(and(eq(listings.status, 'published'), lte(listings.expiresAt, at)))
    .returning({ id: listings.id });
  return rows.length;
}

export type RenewalCheck =
  | { ok: true; listing: { id: number; title: string } }
  | { ok: false; reason: 'invalid' | 'used' | 'expired' };

/** What a renewal link stands for (without using it). */
export async function checkRenewal(
  db: Db,
  listingId: number,
  token: string,
  now: Date,
): Promise<RenewalCheck> {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return { ok: false, reason: 'invalid' };
  const [row] = await db
    .select({ token: listingRenewalTokens, title: listings.title, status: listings.status })
    .from(listingRenewalTokens)
    .innerJoin(listings, eq(listings.id, listingRenewalTokens.listingId))
    .where(
      and(
        eq(listingRenewalTokens.tokenHash, await sha256Hex(token)),
        eq(listingRenewalTokens.listingId, listingId),
      ),
    );
  if (!row) return { ok: false, reason: 'invalid' };
  if (row.token.usedAt) return { ok: false, reason: 'used' };
  if (row.token.expiresAt <= now.toISOString() || row.status === 'unpublished' || row.status === 'draft')
    return { ok: false, reason: 'expired' };
  return { ok: true, listing: { id: listingId, title: row.title } };
}

/** Uses a renewal link once: marks the token, then publishes the listing with a new expiry. */
export async function renewWithToken(
  db: Db,
  listingId: number,
  token: string,
  now: Date,
): Promise<RenewalCheck> {
  const check = await checkRenewal(db, listingId, token, now);
  if (!check.ok) return check;
  const [used] = await db
    .update(listingRenewalTokens)
    .set({ usedAt: now.toISOString() })
    .where(
      and(eq(listingRenewalTokens.tokenHash, await sha256Hex(token)), isNull(listingRenewalTokens.usedAt)),
    )
    .returning({ listingId: listingRenewalTokens.listingId });
  if (!used) return { ok: false, reason: 'used' };
  await publishListingRow(db, listingId, now);
  return check;
}

export const expiryJobs: ScheduledJob[] = [
  { name: 'listing-expiry-reminders', run: sendExpiryReminders },
  { name: 'listing-expiry', run: closeExpiredListings },
];
