import * as z from 'zod';

/**
 * Response bodies of the routes whose handlers build their JSON inline (accounts, communes). The
 * features with an output type keep theirs (`organisations/output.ts`, `poleOutput` in
 * poles/schemas.ts). test/integration/openapi.test.ts checks real responses against every one of them.
 */

const user = z
  .object({
    id: z.int(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['member', 'instructor', 'admin']),
    emailVerified: z.boolean(),
  })
  .meta({ id: 'User' });

export const userOutput = z.object({ user });

export const meOutput = user.extend({
  organisations: z.array(z.object({ id: z.int(), name: z.string(), role: z.enum(['owner', 'editor']) })),
});

/** Everything held about the account (RGPD): its sections, each a list of records. */
export const accountExportOutput = z.looseObject({
  exportedAt: z.string(),
  account: z.looseObject({ id: z.int(), email: z.string(), name: z.string() }),
  organisations: z.array(z.looseObject({})),
  poleMemberships: z.array(z.looseObject({})),
  sessions: z.array(z.looseObject({})),
});

export const accountDeletedOutput = z.object({
  deleted: z.literal(true),
  organisationsDeleted: z.array(z.object({ id: z.int(), name: z.string() })),
  organisationsKept: z.array(z.object({ id: z.int(), name: z.string(), newOwner: z.string().nullable() })),
});

export const communeListOutput = z.object({
  items: z.array(
    z
      .object({
        code: z.string(),
        name: z.string(),
        departement: z.string(),
        region: z.string(),
        postalCodes: z.array(z.string()),
        lat: z.number().nullable(),
        lon: z.number().nullable(),
      })
      .meta({ id: 'Commune' }),
  ),
});

/** This document itself (OpenAPI 3.0). */
export const openApiOutput = z.looseObject({ openapi: z.string(), paths: z.looseObject({}) });
