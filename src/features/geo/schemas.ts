import * as z from 'zod';
import { DEPARTEMENTS, REGIONS } from './territories.ts';

const DEPARTEMENT_CODES = Object.keys(DEPARTEMENTS) as [string, ...string[]];
const REGION_CODES = Object.keys(REGIONS) as [string, ...string[]];

/** A département code of the COG (`38`, `2A`, `974`): the one schema of every filter and form. */
export const departementCode = z.enum(DEPARTEMENT_CODES, { error: 'Département inconnu.' });

/** A région code of the COG (`84`). */
export const regionCode = z.enum(REGION_CODES, { error: 'Région inconnue.' });

export const communeSearchQuery = z.object({
  q: z.string().max(100, 'La recherche est limitée à 100 caractères.').default(''),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** Form name of a commune field: letters only, so it is safe in ids and selectors. */
export const suggestionQuery = z.object({
  champ: z
    .string()
    .regex(/^[a-zA-Z]{1,40}$/)
    .default('commune'),
});
