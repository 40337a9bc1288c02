import * as z from 'zod';
import { ORGANISATION_KINDS, POLE_STATUSES, THEMES } from '../../db/schema.ts';
import { paginationQuery } from '../../lib/pagination.tsx';
import { safeText } from '../../lib/text.ts';
import { departementCode, regionCode } from '../geo/schemas.ts';
import { STATUS_MOVED } from './status.ts';

const INSEE_CODE = /^(?:\d{5}|2[AB]\d{3})$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const UNKNOWN_COMMUNE = 'Commune inconnue.';

const name = safeText({ error: 'Le nom est obligatoire.' })
  .min(1, 'Le nom est obligatoire.')
  .max(200, 'Le nom est limité à 200 caractères.');
const slug = z
  .string()
  .trim()
  .max(80, 'L’identifiant est limité à 80 caractères.')
  .regex(SLUG, 'Identifiant invalide : lettres minuscules sans accents, chiffres et tirets.');
const description = safeText({ multiline: true }).max(5000, 'La description est limitée à 5 000 caractères.');
const communeCode = z
  .string({ error: 'La commune du siège est obligatoire.' })
  .trim()
  .toUpperCase()
  .regex(INSEE_CODE, UNKNOWN_COMMUNE);
const unique = <T>(values: T[]) => [...new Set(values)];
const departements = z.array(departementCode).max(30, '30 départements au plus.').transform(unique);
const themes = z
  .array(z.enum(THEMES, { error: 'Thème inconnu.' }))
  .max(THEMES.length)
  .transform(unique);
const status = z.enum(POLE_STATUSES, { error: 'Statut inconnu.' });
/** `status` in a create or update body: refused (422), the status changes with a reason. */
const statusMoved = z.never({ error: STATUS_MOVED }).optional();

/**
 * Creating a pôle (`POST /api/v1/poles`). `organisationId` is the coordinating organisation: the
 * requester must be its owner or editor. A pôle starts `emerging`; its status changes only through
 * the reasoned status change (`poles/status.ts`): `status` here is refused with a message saying so.
 */
export const poleCreateInput = z.object({
  name,
  slug: slug.optional(),
  description: description.default(''),
  communeCode,
  departements: departements.default([]),
  themes: themes.default([]),
  status: statusMoved,
  organisationId: z
    .number({ error: 'Choisissez l’organisation qui coordonne le pôle.' })
    .int()
    .positive('Choisissez l’organisation qui coordonne le pôle.'),
});
export type PoleCreateInput = z.infer<typeof poleCreateInput>;

/** Changing a pôle (`PATCH /api/v1/poles/:id`): any subset of the fields, and the version read. */
export const poleUpdateInput = z.object({
  name: name.optional(),
  slug: slug.optional(),
  description: description.optional(),
  communeCode: communeCode.optional(),
  departements: departements.optional(),
  themes: themes.optional(),
  status: statusMoved,
  version: z
    .number({ error: 'La version lue est obligatoire (contrôle des modifications concurrentes).' })
    .int()
    .positive(),
});
export type PoleUpdateInput = z.infer<typeof poleUpdateInput>;

/** `POST /api/v1/poles/:id/members`: add (coordinator) or ask to join (the organisation). */
export const poleMemberInput = z.object({
  organisationId: z.number({ error: 'L’organisation est obligatoire.' }).int().positive(),
});

/**
 * A query parameter where an empty value (as a GET form sends it) means "not set"; any other value
 * gets the field's own message (a union with `''` would only say « Entrée invalide »).
 */
const optionalParam = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** `GET /api/v1/poles` and the `/poles` directory. */
export const poleSearchQuery = z.object({
  q: optionalParam(z.string().trim().max(200, 'La recherche est limitée à 200 caractères.')),
  theme: optionalParam(z.enum(THEMES, { error: 'Thème inconnu.' })),
  departement: optionalParam(departementCode),
  region: optionalParam(regionCode),
  status: optionalParam(status),
  /** INSEE code of the commune to measure distances from (results sorted by distance). */
  commune: optionalParam(z.string().trim().toUpperCase().regex(INSEE_CODE, UNKNOWN_COMMUNE)),
  radiusKm: optionalParam(z.string().regex(/^\d{1,4}(?:\.\d+)?$/, 'Rayon invalide.'))
    .transform((value) => (value === undefined ? undefined : Number(value)))
    .refine((value) => value === undefined || (value > 0 && value <= 1000), 'Le rayon va de 1 à 1 000 km.'),
  ...paginationQuery,
});
export type PoleSearchQuery = z.infer<typeof poleSearchQuery>;

/**
 * Query of the directory page (`GET /poles`): the API's filters, read by the directory kit's
 * lenient reader (`readDirectoryQuery`), and the commune picker's typed text; 20 pôles a page.
 */
export const poleDirectoryQuery = {
  ...poleSearchQuery.omit({ perPage: true }).shape,
  communeQuery: z.string().max(100).optional(),
};

const memberOutput = z.object({
  organisationId: z.number().int(),
  name: z.string(),
  kind: z.enum(ORGANISATION_KINDS),
  communeCode: z.string(),
  communeName: z.string(),
  role: z.enum(['coordinator', 'member']),
  status: z.enum(['active', 'invited', 'requested']),
});

const compositionOutput = z.object({
  meetsDefinition: z.boolean(),
  counts: z.object({
    members: z.number().int(),
    ess: z.number().int(),
    sme: z.number().int(),
    otherActors: z.number().int(),
  }),
  criteria: z.object({
    threeMembers: z.boolean(),
    essEnterprise: z.boolean(),
    nonEssEnterprise: z.boolean(),
    otherActor: z.boolean(),
  }),
});

/** A pôle as the API returns it (`members` on the single-pôle endpoints only). */
export const poleOutput = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  communeCode: z.string(),
  commune: z.object({ code: z.string(), name: z.string(), departement: z.string() }),
  departement: z.string(),
  region: z.string(),
  departements: z.array(z.string()),
  themes: z.array(z.string()),
  status: z.enum(POLE_STATUSES),
  members: z.array(memberOutput).optional(),
  composition: compositionOutput,
  distanceKm: z.number().optional(),
  version: z.number().int(),
  isDemo: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PoleOutput = z.infer<typeof poleOutput>;

export const polePageOutput = z.object({
  items: z.array(poleOutput),
  total: z.number().int(),
  /** True when `total` is a lower bound (the count stopped early). */
  totalCapped: z.boolean().optional(),
  page: z.number().int(),
  perPage: z.number().int(),
});

export const poleMemberOutput = z.object({
  poleId: z.number().int(),
  organisationId: z.number().int(),
  role: z.enum(['coordinator', 'member']),
  status: z.enum(['active', 'invited', 'requested']),
});
