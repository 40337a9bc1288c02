import * as z from 'zod';
import {
  LISTING_CATEGORIES,
  LISTING_TERMS,
  LISTING_TYPES,
  ORGANISATION_KINDS,
  THEMES,
} from '../../db/schema.ts';
import { paginationQuery } from '../../lib/pagination.tsx';
import { departementCode, regionCode } from '../geo/schemas.ts';
import { LISTING_SORTS } from './search.ts';

const INSEE_COMMUNE = /^(?:\d{5}|2[AB]\d{3})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Filters of the listing search, shared by the page (lenient) and the API (strict). */
export const listingSearchFields = {
  q: z.string().max(2000, 'La recherche est limitée à 2 000 caractères.').optional(),
  type: z.enum(LISTING_TYPES, { error: 'Type inconnu : offer ou need.' }).optional(),
  category: z.enum(LISTING_CATEGORIES, { error: 'Catégorie inconnue.' }).optional(),
  theme: z.enum(THEMES, { error: 'Thème inconnu.' }).optional(),
  kind: z.enum(ORGANISATION_KINDS, { error: 'Type d’organisation inconnu.' }).optional(),
  pole: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,100}$/i, 'Pôle inconnu : son identifiant ou son slug.')
    .optional()
    .meta({ description: 'Identifiant ou slug du pôle' }),
  departement: departementCode.optional(),
  region: regionCode.optional(),
  commune: z.string().toUpperCase().regex(INSEE_COMMUNE, 'Code commune INSEE invalide.').optional(),
  radiusKm: z.coerce
    .number()
    .positive('Le rayon doit être positif.')
    .max(1000, 'Le rayon est limité à 1 000 km.')
    .optional(),
  terms: z.enum(LISTING_TERMS, { error: 'Conditions inconnues.' }).optional(),
  availableOn: z
    .string()
    .regex(ISO_DATE, 'Indiquez une date au format AAAA-MM-JJ.')
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'Cette date n’existe pas.')
    .optional(),
  sort: z.enum(LISTING_SORTS, { error: 'Tri inconnu : relevance, distance ou recent.' }).optional(),
};

/** Query of `GET /api/v1/listings`. */
export const listingListQuery = z
  .object({ ...listingSearchFields, ...paginationQuery })
  .strict()
  .refine((query) => query.radiusKm === undefined || query.commune !== undefined, {
    message: 'Un rayon de recherche demande une commune (paramètre « commune »).',
    path: ['radiusKm'],
  });

/** Query of the `/annonces` page, read leniently, in the order links keep them. */
export const listingDirectoryQuery = {
  ...listingSearchFields,
  communeQuery: z.string().max(100).optional(),
  page: paginationQuery.page,
};
