import * as z from 'zod';
import { LEGAL_FORMS, ORGANISATION_KINDS, THEMES } from '../../db/schema.ts';

/**
 * An organisation as the API returns it: `contactEmail` for signed-in requesters only, `distanceKm`
 * when the search is around a commune. The OpenAPI document's response schema; test/integration/
 * openapi.test.ts checks real responses against it (no field more, none less).
 */
export const organisationOutput = z
  .object({
    id: z.int(),
    siret: z.string(),
    name: z.string(),
    kind: z.enum(ORGANISATION_KINDS),
    legalForm: z.enum(LEGAL_FORMS),
    nafCode: z.string().nullable(),
    themes: z.array(z.enum(THEMES)),
    communeCode: z.string(),
    commune: z.object({ code: z.string(), name: z.string(), departement: z.string() }),
    departement: z.string(),
    region: z.string(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    description: z.string(),
    website: z.string().nullable(),
    contactEmail: z.string().nullable().optional(),
    version: z.int(),
    isDemo: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    distanceKm: z.number().optional(),
  })
  .meta({ id: 'Organisation' });

export const organisationPageOutput = z.object({
  items: z.array(organisationOutput),
  total: z.int(),
  /** True when `total` is a lower bound (the count stopped early). */
  totalCapped: z.boolean().optional(),
  page: z.int(),
  perPage: z.int(),
});

/** The invitation `POST /api/v1/organisations/:id/invitations` created (its token is only emailed). */
export const invitationOutput = z.object({
  id: z.int(),
  email: z.string(),
  role: z.enum(['owner', 'editor']),
  expiresAt: z.string(),
});
