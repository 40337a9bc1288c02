import * as z from 'zod';
import { LISTING_CATEGORIES, LISTING_TYPES, ORGANISATION_KINDS } from '../../db/schema.ts';
import { DEFAULT_MATCHES, MAX_MATCHES } from './queries.ts';

/** Filters of the suggestions, shared by the page (lenient) and the API (strict). */
const matchFields = {
  limit: z.coerce
    .number({ error: 'Indiquez un nombre.' })
    .int('Indiquez un nombre entier.')
    .min(1, 'Au moins 1 suggestion.')
    .max(MAX_MATCHES, `Au plus ${MAX_MATCHES} suggestions.`)
    .default(DEFAULT_MATCHES),
  kind: z.enum(ORGANISATION_KINDS, { error: 'Type d’organisation inconnu.' }).optional(),
  category: z.enum(LISTING_CATEGORIES, { error: 'Catégorie inconnue.' }).optional(),
  radiusKm: z.coerce
    .number({ error: 'Indiquez un nombre de kilomètres.' })
    .positive('Le rayon doit être positif.')
    .max(1000, 'Le rayon est limité à 1 000 km.')
    .optional(),
};

/** Query of `GET /api/v1/organisations/:id/matches` and `GET /api/v1/listings/:id/matches`. */
export const matchQuery = z.object(matchFields).strict();

/** The `/organisations/:id/partenaires` filters: empty fields are no filter, bad values are ignored. */
export const matchPageQuery = z.object({
  kind: matchFields.kind.catch(undefined),
  category: matchFields.category.catch(undefined),
  radiusKm: matchFields.radiusKm.catch(undefined),
});

/** Where a dismissal form goes back to: one of the pages that show suggestions. */
const RETURN_PATH = /^\/(?:organisations\/\d{1,16}(?:\/partenaires)?|annonces\/\d{1,16})$/;

export const dismissForm = z.object({
  retour: z
    .string()
    .optional()
    .transform((value) => (value && RETURN_PATH.test(value) ? value : undefined)),
});

export const weeklyEmailForm = z.object({
  hebdo: z.enum(['oui', 'non'], { error: 'Choisissez oui ou non.' }),
});

const matchedListing = z.object({
  id: z.number(),
  type: z.enum(LISTING_TYPES),
  category: z.enum(LISTING_CATEGORIES),
  title: z.string(),
});

export const matchItemOutput = z.object({
  organisation: z.object({
    id: z.number(),
    name: z.string(),
    kind: z.enum(ORGANISATION_KINDS),
    communeCode: z.string(),
    communeName: z.string(),
  }),
  score: z.number().min(0).max(1),
  distanceKm: z.number().min(0),
  reasons: z.array(z.string()),
  listings: z.array(matchedListing),
});

export const organisationMatchesOutput = z.object({ items: z.array(matchItemOutput) });
export const listingMatchesOutput = z.object({
  items: z.array(matchItemOutput.extend({ listing: matchedListing })),
});
