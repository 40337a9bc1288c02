import { organisationMembers, organisations } from '../../src/db/schema.ts';
import { getCommune } from '../../src/features/geo/queries.ts';
import { withLuhnKey } from '../../src/features/organisations/siret.ts';
import { normalizeName } from '../../src/lib/normalize.ts';
import type { createTestApp } from './app.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Kind = (typeof organisations.$inferInsert)['kind'];

let counter = 0;

/** A valid SIRET (Luhn-valid SIREN and SIRET), different at every call within a test file. */
export function testSiret(): string {
  const siren = withLuhnKey(String(40_000_000 + ++counter * 7919));
  return withLuhnKey(`${siren}0001`);
}

export interface OrganisationFixture {
  id: number;
  name: string;
  siret: string;
}

/**
 * Inserts an organisation straight into the database (the organisations feature owns the real
 * creation flow) and, when `owner` is given, makes that user its owner (or `role`).
 */
export async function createOrganisation(
  t: TestApp,
  options: {
    name?: string;
    kind?: Kind;
    communeCode?: string;
    owner?: { id: number };
    role?: 'owner' | 'editor';
  } = {},
): Promise<OrganisationFixture> {
  const commune = await getCommune(t.db, options.communeCode ?? '38563');
  if (!commune) throw new Error(`unknown commune ${options.communeCode}`);
  const now = t.clock.now().toISOString();
  const name = options.name ?? `Organisation ${counter + 1}`;
  const siret = testSiret();
  const kind = options.kind ?? 'ess';
  const [row] = await t.db
    .insert(organisations)
    .values({
      siret,
      name,
      sortName: normalizeName(name),
      kind,
      legalForm: kind === 'sme' ? 'company' : kind === 'local_authority' ? 'public_body' : 'association',
      communeCode: commune.code,
      departement: commune.departement,
      region: commune.region,
      lat: commune.lat,
      lon: commune.lon,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: organisations.id });
  if (options.owner) {
    await t.db.insert(organisationMembers).values({
      organisationId: row!.id,
      userId: options.owner.id,
      role: options.role ?? 'owner',
      createdAt: now,
    });
  }
  return { id: row!.id, name, siret };
}
