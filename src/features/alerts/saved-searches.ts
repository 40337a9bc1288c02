import { and, asc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../../db/client.ts';
import { savedSearches } from '../../db/schema.ts';
import { Conflict, NotFound, ValidationError } from '../../lib/errors.ts';

export const MAX_SAVED_SEARCHES = 50;
export const MAX_QUERY_LENGTH = 2000;
/** Parameters of the listing search that a saved search keeps (paging and sort-free). */
const KEPT = new Set([
  'q',
  'type',
  'category',
  'theme',
  'kind',
  'pole',
  'departement',
  'region',
  'commune',
  'radiusKm',
  'terms',
  'availableOn',
]);

/**
 * A search's query string, normalised: only search parameters, without empty values or control
 * characters, sorted, so the same search saved twice reads the same.
 */
export function normaliseQuery(input: string): string {
  const params = new URLSearchParams(input.startsWith('?') ? input.slice(1) : input);
  const kept: Array<[string, string]> = [];
  for (const [key, value] of params) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
    const clean = value.replace(/[\u0000-\u001F\u007F]+/g, ' ').trim();
    if (KEPT.has(key) && clean) kept.push([key, clean]);
  }
  kept.sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  return new URLSearchParams(kept).toString();
}

const QUERY_TOO_LONG = 'La recherche est trop longue (2 000 caractères au plus).';
const nameField = z
  .string({ message: 'Donnez un nom à cette recherche.' })
  .trim()
  .min(1, 'Donnez un nom à cette recherche.')
  .max(100, 'Le nom fait 100 caractères au plus.');

export const savedSearchCreateInput = z.object({
  name: nameField,
  query: z
    .string()
    .max(MAX_QUERY_LENGTH * 2, QUERY_TOO_LONG)
    .default(''),
  alerts: z.boolean().default(true),
});
export const savedSearchUpdateInput = z.object({
  name: nameField.optional(),
  alerts: z.boolean().optional(),
});
export const savedSearchOutput = z.object({
  id: z.number(),
  name: z.string(),
  query: z.string(),
  alerts: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type SavedSearch = typeof savedSearches.$inferSelect;

export function savedSearchJson(row: SavedSearch) {
  return {
    id: row.id,
    name: row.name,
    query: row.query,
    alerts: row.alerts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function listSavedSearches(db: Db, userId: number) {
  return db
    .select()
    .from(savedSearches)
    .where(eq(savedSearches.userId, userId))
    .orderBy(asc(savedSearches.createdAt), asc(savedSearches.id));
}

/** Saves a search; the 51st is a 409. The count and the insert are one statement (race-safe). */
export async function createSavedSearch(
  db: Db,
  userId: number,
  input: { name: string; query: string; alerts: boolean },
  now: Date,
): Promise<SavedSearch> {
  const query = normaliseQuery(input.query);
  if (query.length > MAX_QUERY_LENGTH) throw new ValidationError({ query: QUERY_TOO_LONG });
  const at = now.toISOString();
  const rows = await db
    .insert(savedSearches)
    .select(
      sql`SELECT NULL, ${userId}, ${input.name}, ${query}, ${input.alerts ? 1 : 0}, ${at}, ${at}, ${at}
          WHERE (SELECT count(*) FROM ${savedSearches} WHERE ${savedSearches.userId} = ${userId}) < ${MAX_SAVED_SEARCHES}`,
    )
    .returning();
  const row = rows[0];
  if (!row)
    throw new Conflict(
      `Vous avez déjà ${MAX_SAVED_SEARCHES} recherches enregistrées : supprimez-en une d’abord.`,
    );
  return row;
}

export async function getOwnSavedSearch(db: Db, userId: number, id: number): Promise<SavedSearch> {
  const [row] = await db
    .select()
    .from(savedSearches)
    .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)));
  if (!row) throw new NotFound('Cette recherche enregistrée n’existe pas.');
  return row;
}

export async function updateSavedSearch(
  db: Db,
  userId: number,
  id: number,
  input: { name?: string | undefined; alerts?: boolean | undefined },
  now: Date,
): Promise<SavedSearch> {
  const set: Partial<SavedSearch> = { updatedAt: now.toISOString() };
  if (input.name !== undefined) set.name = input.name;
  if (input.alerts !== undefined) {
    set.alerts = input.alerts;
    // Turning alerts back on starts from now: no digest of what was published meanwhile.
    if (input.alerts) set.lastAlertAt = now.toISOString();
  }
  const [row] = await db
    .update(savedSearches)
    .set(set)
    .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)))
    .returning();
  if (!row) throw new NotFound('Cette recherche enregistrée n’existe pas.');
  return row;
}

export async function deleteSavedSearch(db: Db, userId: number, id: number): Promise<void> {
  const rows = await db
    .delete(savedSearches)
    .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)))
    .returning({ id: savedSearches.id });
  if (rows.length === 0) throw new NotFound('Cette recherche enregistrée n’existe pas.');
}
