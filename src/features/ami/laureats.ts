import { and, asc, desc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../../db/client.ts';
import { amiApplications, amiWaves, communes, organisations, poleMembers, poles } from '../../db/schema.ts';
import { type Page, paginationQuery } from '../../lib/pagination.tsx';
import { REGIONS } from '../geo/territories.ts';

/**
 * The lauréats of the AMI: selected dossiers, public (issue 9 §14). Each shows the pôle the lead
 * organisation coordinates on the platform (else the project's name), the lead organisation's
 * commune and région, the wave and the amount granted.
 */

export const laureatesQuery = z.object({
  ...paginationQuery,
  waveId: z.coerce.number().int().positive().optional(),
});

export interface Laureate {
  id: number;
  reference: string | null;
  /** The pôle's name when the lead organisation coordinates one here, else the project's. */
  name: string;
  projectName: string;
  poleSlug: string | null;
  organisationName: string;
  commune: string;
  communeCode: string;
  region: string;
  regionName: string;
  waveId: number | null;
  waveName: string | null;
  amountGranted: number;
  decidedAt: string | null;
}

/** The pôle the lead organisation coordinates (active), the oldest first. */
const coordinatedPole = (column: 'name' | 'slug') =>
  sql<string | null>`(SELECT ${column === 'name' ? poles.name : poles.slug} FROM ${poles}
    JOIN ${poleMembers} ON ${poleMembers.poleId} = ${poles.id}
    WHERE ${poleMembers.organisationId} = ${amiApplications.leadOrganisationId}
      AND ${poleMembers.role} = 'coordinator' AND ${poleMembers.status} = 'active'
    ORDER BY ${poles.id} LIMIT 1)`;

/** One page of lauréats, the latest wave first, then by name. */
export async function listLaureates(db: Db, query: z.output<typeof laureatesQuery>): Promise<Page<Laureate>> {
  const where = and(
    eq(amiApplications.status, 'selected'),
    query.waveId ? eq(amiApplications.waveId, query.waveId) : undefined,
  );
  const poleName = coordinatedPole('name');
  const [rows, [count]] = await db.batch([
    db
      .select({
        id: amiApplications.id,
        reference: amiApplications.reference,
        projectName: amiApplications.projectName,
        poleName,
        poleSlug: coordinatedPole('slug'),
        organisationName: organisations.name,
        commune: communes.name,
        communeCode: organisations.communeCode,
        region: amiApplications.region,
        waveId: amiApplications.waveId,
        waveName: amiWaves.name,
        amountGranted: amiApplications.amountGranted,
        decidedAt: amiApplications.decidedAt,
      })
      .from(amiApplications)
      .innerJoin(organisations, eq(organisations.id, amiApplications.leadOrganisationId))
      .innerJoin(communes, eq(communes.code, organisations.communeCode))
      .leftJoin(amiWaves, eq(amiWaves.id, amiApplications.waveId))
      .where(where)
      .orderBy(
        desc(amiWaves.opensOn),
        sql`COALESCE(${poleName}, ${amiApplications.projectName}) COLLATE NOCASE`,
        asc(amiApplications.id),
      )
      .limit(query.perPage)
      .offset((query.page - 1) * query.perPage),
    db.select({ n: sql<number>`count(*)` }).from(amiApplications).where(where),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      name: r.poleName || r.projectName,
      projectName: r.projectName,
      poleSlug: r.poleSlug,
      organisationName: r.organisationName,
      commune: r.commune,
      communeCode: r.communeCode,
      region: r.region,
      regionName: REGIONS[r.region] ?? r.region,
      waveId: r.waveId,
      waveName: r.waveName,
      amountGranted: r.amountGranted ?? 0,
      decidedAt: r.decidedAt,
    })),
    total: Number(count?.n ?? 0),
    page: query.page,
    perPage: query.perPage,
  };
}

export const laureatesOutput = z
  .object({
    items: z.array(
      z.object({
        id: z.number(),
        reference: z.string().nullable(),
        name: z.string(),
        projectName: z.string(),
        poleSlug: z.string().nullable(),
        organisationName: z.string(),
        commune: z.string(),
        communeCode: z.string(),
        region: z.string(),
        regionName: z.string(),
        waveId: z.number().nullable(),
        waveName: z.string().nullable(),
        amountGranted: z.number(),
        decidedAt: z.string().nullable(),
      }),
    ),
    total: z.number(),
    page: z.number(),
    perPage: z.number(),
  })
  .meta({ id: 'AmiLaureatePage' });
