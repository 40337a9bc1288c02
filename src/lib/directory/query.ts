import type * as z from 'zod';

/** A query parameter a directory page could not use, as the page reports it. */
export interface IgnoredFilter {
  key: string;
  value: string;
}

export type LenientValues<S extends z.ZodRawShape> = { [K in keyof S]: z.output<S[K]> | undefined };

/**
 * Reads a directory page's query with the one leniency policy of the pages (see
 * docs/decisions/014-directory-kit.md): each parameter is checked alone by its field schema (the
 * same schemas as the JSON API, which stays strict); a blank one is unset, an invalid or unknown one
 * (`theme=astrologie`, `page=abc`) is dropped and listed in `ignored`, so the page says so instead of
 * failing or pretending. A dropped field takes its default (`page` → 1), if it has one.
 */
export function readDirectoryQuery<S extends z.ZodRawShape>(
  shape: S,
  raw: Record<string, string | undefined>,
): { values: LenientValues<S>; ignored: IgnoredFilter[] } {
  const values: Record<string, unknown> = {};
  const ignored: IgnoredFilter[] = [];
  for (const [key, schema] of Object.entries(shape) as Array<[string, z.ZodType]>) {
    const value = raw[key];
    const blank = value === undefined || value.trim() === '';
    const parsed = blank ? undefined : schema.safeParse(value);
    if (parsed?.success) {
      values[key] = parsed.data;
      continue;
    }
    if (parsed && value !== undefined) ignored.push({ key, value });
    const fallback = schema.safeParse(undefined);
    values[key] = fallback.success ? fallback.data : undefined;
  }
  return { values: values as LenientValues<S>, ignored };
}

/** French names of the directory filters, for the « filtre ignoré » notice. */
export const FILTER_LABELS: Record<string, string> = {
  q: 'Mots-clés',
  kind: 'Type d’organisation',
  theme: 'Thème',
  status: 'Statut',
  departement: 'Département',
  region: 'Région',
  commune: 'Commune',
  communeQuery: 'Commune',
  radiusKm: 'Rayon',
  page: 'Page',
  // Listing search (/annonces).
  type: 'Offre ou besoin',
  category: 'Catégorie',
  terms: 'Conditions',
  availableOn: 'Disponible le',
  pole: 'Pôle',
  sort: 'Tri',
};
