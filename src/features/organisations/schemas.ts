import * as z from 'zod';
import { LEGAL_FORMS, ORGANISATION_KINDS, THEMES } from '../../db/schema.ts';
import { paginationQuery } from '../../lib/pagination.tsx';
import { safeText } from '../../lib/text.ts';
import { isValidSiret, normalizeSiret } from './siret.ts';

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 5000;

const INSEE_COMMUNE = /^(?:\d{5}|2[AB]\d{3})$/;

/** A message for a missing value, zod's French default for anything else. */
const required = (message: string) => (issue: { input: unknown }) =>
  issue.input === undefined || issue.input === null ? message : undefined;

const siret = z
  .string({ error: required('Indiquez le numéro SIRET.') })
  .overwrite(normalizeSiret)
  .regex(/^\d{14}$/, 'Le numéro SIRET comporte 14 chiffres.')
  .refine(isValidSiret, 'Ce numéro SIRET n’existe pas : vérifiez les chiffres (clé de contrôle incorrecte).')
  .meta({ description: 'SIRET, 14 chiffres (espaces ignorés)', example: '73282932000074' });

const name = safeText({ error: required('Indiquez le nom de l’organisation.') })
  .min(1, 'Indiquez le nom de l’organisation.')
  .max(NAME_MAX, `Le nom est limité à ${NAME_MAX} caractères.`);

const kind = z.enum(ORGANISATION_KINDS, { error: 'Choisissez le type d’organisation.' });
const legalForm = z.enum(LEGAL_FORMS, { error: 'Choisissez la forme juridique.' });

/** NAF (APE) code, `88.99B`; `8899b` is accepted and written back in the usual form. */
const nafCode = z
  .string()
  .trim()
  .overwrite((value) => value.toUpperCase().replace(/^(\d{2})(\d{2}[A-Z])$/, '$1.$2'))
  .regex(/^\d{2}\.\d{2}[A-Z]$/, 'Le code NAF s’écrit comme 88.99B.')
  .meta({ example: '88.99B' });

const themes = z
  .array(z.enum(THEMES, { error: 'Thème inconnu.' }))
  .max(THEMES.length)
  .refine((list) => new Set(list).size === list.length, 'Chaque thème ne peut figurer qu’une fois.');

const communeCode = z
  .string({ error: required('Indiquez la commune.') })
  .trim()
  .toUpperCase()
  .regex(INSEE_COMMUNE, 'Commune inconnue.')
  .meta({ description: 'Code INSEE de la commune (COG)', example: '38563' });

const description = safeText({ multiline: true }).max(
  DESCRIPTION_MAX,
  `La description est limitée à ${DESCRIPTION_MAX} caractères.`,
);

const website = z
  .url({
    protocol: /^https?$/,
    hostname: z.regexes.domain,
    error: 'Indiquez une adresse de site commençant par https:// ou http://.',
  })
  .max(500, 'L’adresse du site est limitée à 500 caractères.');

const contactEmail = z
  .email('Indiquez une adresse électronique valide, comme nom@exemple.fr.')
  .max(254, 'L’adresse électronique est trop longue.');

/** Body of `POST /api/v1/organisations` (and of the creation form, once read). */
export const organisationCreateSchema = z
  .object({
    siret,
    name,
    kind,
    legalForm,
    nafCode: nafCode.nullish(),
    themes: themes.default([]),
    communeCode,
    description: description.default(''),
    website: website.nullish(),
    contactEmail: contactEmail.nullish(),
  })
  .meta({ id: 'OrganisationCreate' });

export type OrganisationCreate = z.output<typeof organisationCreateSchema>;

/** A blank form field is "not given" (null); anything else is trimmed and validated. */
const blankIsNull = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }, schema.nullish());

/** The creation page's form: the API body, with blank optional fields and the commune picker's text. */
export const organisationFormSchema = organisationCreateSchema.extend({
  nafCode: blankIsNull(nafCode),
  website: blankIsNull(website),
  contactEmail: blankIsNull(contactEmail),
  communeCodeQuery: z.string().optional(),
});

/** The edit page's form: the creation form and the version it edits. */
export const organisationEditFormSchema = organisationFormSchema.extend({
  version: z.coerce
    .number({ error: 'Version du formulaire manquante : rechargez la page.' })
    .int()
    .min(1, 'Version du formulaire manquante : rechargez la page.'),
});

/** Body of `PATCH /api/v1/organisations/:id`: any subset of the fields, and the version it edits. */
export const organisationPatchSchema = z
  .object({
    siret: siret.optional(),
    name: name.optional(),
    kind: kind.optional(),
    legalForm: legalForm.optional(),
    nafCode: nafCode.nullish(),
    themes: themes.optional(),
    communeCode: communeCode.optional(),
    description: description.optional(),
    website: website.nullish(),
    contactEmail: contactEmail.nullish(),
    version: z
      .int({ error: required('Indiquez la version modifiée (champ « version » reçu avec l’organisation).') })
      .min(1),
  })
  .meta({ id: 'OrganisationPatch' });

export type OrganisationPatch = z.output<typeof organisationPatchSchema>;

/** Query of `GET /api/v1/organisations`. */
export const organisationListQuery = z
  .object({
    q: z.string().max(200, 'La recherche est limitée à 200 caractères.').optional(),
    kind: kind.optional(),
    theme: z.enum(THEMES, { error: 'Thème inconnu.' }).optional(),
    departement: z
      .string()
      .regex(/^(?:\d{2,3}|2[AB])$/, 'Code de département invalide.')
      .optional(),
    region: z
      .string()
      .regex(/^\d{2}$/, 'Code de région invalide.')
      .optional(),
    commune: z.string().toUpperCase().regex(INSEE_COMMUNE, 'Code commune INSEE invalide.').optional(),
    radiusKm: z.coerce
      .number()
      .positive('Le rayon doit être positif.')
      .max(1000, 'Le rayon est limité à 1 000 km.')
      .optional(),
    ...paginationQuery,
  })
  .refine((query) => query.radiusKm === undefined || query.commune !== undefined, {
    message: 'Un rayon de recherche demande une commune (paramètre « commune »).',
    path: ['radiusKm'],
  });

export type OrganisationListQuery = z.output<typeof organisationListQuery>;

/** Query of `POST /api/v1/organisations/:id/invitations` and of the invitation form. */
export const invitationSchema = z.object({
  email: z
    .string()
    .trim()
    .pipe(
      z
        .email('Indiquez une adresse électronique valide, comme nom@exemple.fr.')
        .max(254, 'L’adresse électronique est trop longue.'),
    ),
  role: z.enum(['owner', 'editor'], { error: 'Choisissez le rôle : propriétaire ou éditeur.' }),
});

export type InvitationInput = z.output<typeof invitationSchema>;

/** Body of a member's role change. */
export const memberRoleSchema = z.object({
  role: z.enum(['owner', 'editor'], { error: 'Choisissez le rôle : propriétaire ou éditeur.' }),
});

/**
 * Query of the directory page (`GET /organisations`): the same filters as the API, read leniently
 * (a blank select or a stale link value is ignored rather than refused), plus the commune picker's
 * typed text. The home page's search form sends `commune`, `communeQuery` and `radiusKm`.
 */
export const directoryPageQuery = z.object({
  q: z.string().max(200).catch(''),
  kind: kind.optional().catch(undefined),
  theme: z.enum(THEMES).optional().catch(undefined),
  departement: z
    .string()
    .regex(/^(?:\d{2,3}|2[AB])$/)
    .optional()
    .catch(undefined),
  region: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .catch(undefined),
  commune: z.string().toUpperCase().regex(INSEE_COMMUNE).optional().catch(undefined),
  communeQuery: z.string().max(100).optional().catch(undefined),
  radiusKm: z.coerce.number().positive().max(1000).optional().catch(undefined),
  page: paginationQuery.page.catch(1),
});

export type DirectoryPageQuery = z.output<typeof directoryPageQuery>;
