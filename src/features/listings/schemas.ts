import * as z from 'zod';
import { LISTING_CATEGORIES, LISTING_TERMS, LISTING_TYPES } from '../../db/schema.ts';
import { safeText } from '../../lib/text.ts';

export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 5000;
export const DEFAULT_RADIUS_KM = 30;
export const MAX_RADIUS_KM = 1000;
/** A published listing leaves search this long after publication, unless renewed. */
export const LISTING_TTL_DAYS = 90;

const INSEE_COMMUNE = /^(?:\d{5}|2[AB]\d{3})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const isoDate = z
  .string()
  .trim()
  .regex(ISO_DATE, 'Indiquez une date au format AAAA-MM-JJ.')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'Cette date n’existe pas.')
  .meta({ example: '2027-01-15' });

/** Fields of a listing, shared by the JSON API and the page forms (which read their own strings first). */
export const listingFields = {
  type: z.enum(LISTING_TYPES, { error: 'Choisissez : offre ou besoin.' }),
  category: z.enum(LISTING_CATEGORIES, { error: 'Choisissez une catégorie.' }),
  title: safeText({ error: 'Indiquez un titre.' })
    .min(1, 'Indiquez un titre.')
    .max(TITLE_MAX, `Le titre est limité à ${TITLE_MAX} caractères.`),
  description: safeText({ multiline: true }).max(
    DESCRIPTION_MAX,
    `La description est limitée à ${DESCRIPTION_MAX} caractères.`,
  ),
  communeCode: z
    .string({ error: 'Indiquez la commune.' })
    .trim()
    .toUpperCase()
    .regex(INSEE_COMMUNE, 'Commune inconnue.')
    .meta({ description: 'Code INSEE de la commune (COG)', example: '38563' }),
  radiusKm: z
    .number({ error: 'Indiquez un rayon en kilomètres.' })
    .int('Indiquez un nombre entier de kilomètres.')
    .min(0, 'Le rayon ne peut pas être négatif.')
    .max(MAX_RADIUS_KM, `Le rayon est limité à ${MAX_RADIUS_KM} km.`),
  poleId: z.number().int().positive().nullable(),
  availableFrom: isoDate.nullable(),
  availableUntil: isoDate.nullable(),
  terms: z.enum(LISTING_TERMS, { error: 'Choisissez les conditions.' }),
  measure: z
    .object({
      value: z
        .number({ error: 'Indiquez une quantité.' })
        .positive('La quantité doit être positive.')
        .max(1e9),
      unit: safeText().min(1, 'Indiquez l’unité.').max(40, 'L’unité est limitée à 40 caractères.'),
    })
    .nullable(),
};

/** `POST /api/v1/listings`: a draft, unless `publish` is true. */
export const listingCreateInput = z
  .object({
    organisationId: z.number({ error: 'Choisissez l’organisation.' }).int().positive(),
    ...listingFields,
    description: listingFields.description.default(''),
    communeCode: listingFields.communeCode.optional(),
    radiusKm: listingFields.radiusKm.default(DEFAULT_RADIUS_KM),
    poleId: listingFields.poleId.default(null),
    availableFrom: listingFields.availableFrom.default(null),
    availableUntil: listingFields.availableUntil.default(null),
    measure: listingFields.measure.default(null),
  })
  .refine((v) => !v.availableFrom || !v.availableUntil || v.availableFrom <= v.availableUntil, {
    path: ['availableUntil'],
    message: 'La fin de disponibilité doit suivre son début.',
  });

export type ListingCreate = z.output<typeof listingCreateInput>;
