import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { listings } from '../../db/schema.ts';
import { ValidationError } from '../../lib/errors.ts';
import { getCommune } from '../geo/queries.ts';
import { LISTING_TTL_DAYS, type ListingCreate } from './schemas.ts';
import { stemText } from './search-text.ts';

const DAY_MS = 24 * 3600_000;

export type ListingRow = typeof listings.$inferSelect;

/** The indexed words of a listing (see search-text.ts): written with every title or description. */
export function searchColumns(title: string, description: string) {
  return { stemTitle: stemText(title), stemBody: stemText(description) };
}

/** When a listing published (or renewed) at `now` expires. */
export function expiryFrom(now: Date): string {
  return new Date(now.getTime() + LISTING_TTL_DAYS * DAY_MS).toISOString();
}

/**
 * Inserts a listing as a draft, placed at its commune (the organisation's when none is given,
 * resolved by the caller). The caller has checked the author's rights on the organisation and pôle.
 */
export async function insertListing(
  db: Db,
  input: Omit<ListingCreate, 'publish'> & { communeCode: string; publish?: boolean },
  author: { userId: number | null; onBehalfOfPoleId?: number | null },
  now: Date,
): Promise<ListingRow> {
  const commune = await getCommune(db, input.communeCode);
  if (!commune) throw new ValidationError({ communeCode: 'Commune inconnue.' });
  const at = now.toISOString();
  const { measure, publish: _publish, ...fields } = input;
  const [row] = await db
    .insert(listings)
    .values({
      ...fields,
      measureValue: measure?.value ?? null,
      measureUnit: measure?.unit ?? null,
      departement: commune.departement,
      region: commune.region,
      lat: commune.lat,
      lon: commune.lon,
      ...searchColumns(input.title, input.description),
      createdBy: author.userId,
      onBehalfOfPoleId: author.onBehalfOfPoleId ?? null,
      status: 'draft',
      expiresAt: expiryFrom(now),
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row!;
}

/** Publishes a draft (or renews a published listing): visible in search until `expiresAt`. */
export async function publishListingRow(db: Db, id: number, now: Date): Promise<ListingRow | undefined> {
  const at = now.toISOString();
  const [row] = await db
    .update(listings)
    .set({
      status: 'published',
      publishedAt: sql`coalesce(${listings.publishedAt}, ${at})`,
      expiresAt: expiryFrom(now),
      expiryReminderSentAt: null,
      closedReason: null,
      closedAt: null,
      version: sql`${listings.version} + 1`,
      updatedAt: at,
    })
    .where(eq(listings.id, id))
    .returning();
  return row;
}
