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
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'Cette date n’existe pas.')
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
    publish: z.boolean().default(false).meta({ description: 'true: published at once (else a draft)' }),
  })
  .refine((v) => !v.availableFrom || !v.availableUntil || v.availableFrom <= v.availableUntil, {
    path: ['availableUntil'],
    message: 'La fin de disponibilité doit suivre son début.',
  });

export type ListingCreate = z.output<typeof listingCreateInput>;

/**
 * The unit of a category's measure, when the category has one (m² of premises, FTE of a shared job,
 * hours of skills or training); other categories take a quantity and a unit of the author's choice
 * (matériel : « 2 véhicules », achats : « 300 kg »).
 */
export const MEASURE_UNITS: Partial<Record<(typeof LISTING_CATEGORIES)[number], string>> = {
  premises: 'm²',
  shared_jobs: 'ETP',
  skills: 'heures',
  training: 'heures',
};

/** `PATCH /api/v1/listings/:id`: any subset of the fields, and the version it edits. */
export const listingPatchInput = z
  .object({
    type: listingFields.type.optional(),
    category: listingFields.category.optional(),
    title: listingFields.title.optional(),
    description: listingFields.description.optional(),
    communeCode: listingFields.communeCode.optional(),
    radiusKm: listingFields.radiusKm.optional(),
    poleId: listingFields.poleId.optional(),
    availableFrom: listingFields.availableFrom.optional(),
    availableUntil: listingFields.availableUntil.optional(),
    terms: listingFields.terms.optional(),
    measure: listingFields.measure.optional(),
    version: z.int({ error: 'Indiquez la version modifiée (champ « version » reçu avec l’annonce).' }).min(1),
  })
  .meta({ id: 'ListingPatch' });

export type ListingPatch = z.output<typeof listingPatchInput>;

/** `POST /api/v1/listings/:id/close`: why (expiry is the platform's own reason). */
export const listingCloseInput = z.object({
  reason: z.enum(['fulfilled', 'withdrawn'], { error: 'Choisissez : satisfaite ou retirée.' }),
  version: z.int().min(1).optional(),
});

/** `POST /api/v1/listings/:id/publish`: publishes a draft, renews a published or closed listing. */
export const listingPublishInput = z.object({ version: z.int().min(1).optional() });

/** A blank or absent form field is "not given" (null); anything else is trimmed and parsed by `schema`. */
const blankIsNull = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (value === undefined) return null;
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }, schema.nullable());

/** A form number typed the French way (`12,5`, `1 000`); blank is null, anything else is `message`. */
const formNumber = (schema: z.ZodNumber, message: string) =>
  z.preprocess((value, ctx) => {
    if (value === undefined) return null;
    if (typeof value !== 'string') return value;
    const trimmed = value.trim().replace(/\s/g, '').replace(',', '.');
    if (trimmed === '') return null;
    const number = /^[-+]?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (Number.isFinite(number)) return number;
    ctx.issues.push({ code: 'custom', message, input: value });
    return z.NEVER;
  }, schema.nullable());

const versionField = z.coerce
  .number({ error: 'Version du formulaire manquante : rechargez la page.' })
  .int()
  .min(1, 'Version du formulaire manquante : rechargez la page.');

const listingFormFields = {
  organisationId: z.coerce
    .number({ error: 'Choisissez l’organisation.' })
    .int('Choisissez l’organisation.')
    .positive('Choisissez l’organisation.'),
  type: listingFields.type,
  category: listingFields.category,
  title: listingFields.title,
  description: listingFields.description.default(''),
  communeCode: z.string().trim().optional(),
  communeCodeQuery: z.string().optional(),
  radiusKm: formNumber(
    listingFields.radiusKm as unknown as z.ZodNumber,
    'Indiquez un rayon en kilomètres.',
  ).transform((v) => v ?? DEFAULT_RADIUS_KM),
  poleId: blankIsNull(z.coerce.number().int().positive()),
  availableFrom: blankIsNull(isoDate),
  availableUntil: blankIsNull(isoDate),
  terms: listingFields.terms,
  measureValue: formNumber(
    z.number().positive('La quantité doit être positive.').max(1e9, 'Quantité trop grande.'),
    'Indiquez une quantité en chiffres.',
  ),
  measureUnit: blankIsNull(safeText().max(40, 'L’unité est limitée à 40 caractères.')),
  action: z.enum(['publish', 'draft']).default('draft'),
};

const availabilityInOrder = (v: { availableFrom: string | null; availableUntil: string | null }) =>
  !v.availableFrom || !v.availableUntil || v.availableFrom <= v.availableUntil;
const AVAILABILITY_ORDER = {
  path: ['availableUntil'],
  message: 'La fin de disponibilité doit suivre son début.',
};

/** The creation page's form (strings), turned into the API's fields. */
export const listingFormSchema = z.object(listingFormFields).refine(availabilityInOrder, AVAILABILITY_ORDER);

/** The edit page's form: the creation form and the version it edits. */
export const listingEditFormSchema = z
  .object({ ...listingFormFields, version: versionField })
  .refine(availabilityInOrder, AVAILABILITY_ORDER);

export type ListingFormInput = z.output<typeof listingFormSchema>;

/** The close form of a listing page. */
export const listingCloseFormSchema = z.object({
  reason: listingCloseInput.shape.reason,
  version: versionField,
});

/** Forms that only carry the version they act on (publish, take over). */
export const listingVersionFormSchema = z.object({ version: versionField });

/** The measure of a form or an API body, with the category's own unit where it has one. */
export function measureOf(
  category: (typeof LISTING_CATEGORIES)[number],
  value: number | null,
  unit: string | null,
): { value: number; unit: string } | null | { error: string } {
  if (value === null) return null;
  const fixed = MEASURE_UNITS[category];
  if (fixed) return { value, unit: fixed };
  if (!unit) return { error: 'Indiquez l’unité de la quantité (par exemple « véhicules » ou « kg »).' };
  return { value, unit };
}
