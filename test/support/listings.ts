import { insertListing, type ListingRow, publishListingRow } from '../../src/features/listings/queries.ts';
import { listingCreateInput } from '../../src/features/listings/schemas.ts';
import type { TestApp } from './app.ts';

/**
 * Creates a listing through the listings feature's input schema and queries (published unless
 * `status: 'draft'`). `input` takes the API's field names; the commune defaults to Voiron.
 */
export async function createListing(
  t: TestApp,
  organisationId: number,
  input: Record<string, unknown> & { status?: 'draft' | 'published'; userId?: number } = {},
): Promise<ListingRow> {
  const { status = 'published', userId = null, ...fields } = input;
  const parsed = listingCreateInput.parse({
    organisationId,
    type: 'offer',
    category: 'premises',
    title: 'Local de stockage partagé',
    terms: 'cost_sharing',
    communeCode: '38563',
    ...fields,
  });
  const row = await insertListing(
    t.db,
    { ...parsed, communeCode: parsed.communeCode ?? '38563' },
    { userId },
    t.clock.now(),
  );
  if (status === 'draft') return row;
  const published = await publishListingRow(t.db, row.id, t.clock.now());
  return published!;
}
