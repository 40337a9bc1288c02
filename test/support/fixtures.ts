import { createUser } from '../../src/features/auth/queries.ts';
import {
  acceptInvitation,
  createOrganisation as create,
  createInvitation,
} from '../../src/features/organisations/queries.ts';
import { organisationCreateSchema } from '../../src/features/organisations/schemas.ts';
import { withLuhnKey } from '../../src/features/organisations/siret.ts';
import type { TestApp } from './app.ts';

type Kind = Parameters<typeof create>[1]['kind'];

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

/** The account that creates the organisations a test gives no owner, one per database. */
const fixtureOwners = new WeakMap<TestApp['db'], Promise<number>>();

function fixtureOwner(t: TestApp): Promise<number> {
  let id = fixtureOwners.get(t.db);
  if (!id) {
    id = createUser(
      t.db,
      {
        email: `fixtures-${++counter}@example.org`,
        name: 'Propriétaire des organisations d’essai',
        password: 'un mot de passe solide',
        verified: true,
      },
      t.clock.now(),
    ).then((created) => created ?? Promise.reject(new Error('fixture owner exists')));
    fixtureOwners.set(t.db, id);
  }
  return id;
}

/**
 * Creates an organisation through the organisations feature (its input schema and
 * `createOrganisation`), owned by `owner`, or by a fixture account when none is given.
 */
export async function createOrganisation(
  t: TestApp,
  options: { name?: string; kind?: Kind; communeCode?: string; owner?: { id: number } } = {},
): Promise<OrganisationFixture> {
  const name = options.name ?? `Organisation ${counter + 1}`;
  const kind = options.kind ?? 'ess';
  const input = organisationCreateSchema.parse({
    siret: testSiret(),
    name,
    kind,
    legalForm: kind === 'sme' ? 'company' : kind === 'local_authority' ? 'public_body' : 'association',
    communeCode: options.communeCode ?? '38563',
  });
  const creatorId = options.owner?.id ?? (await fixtureOwner(t));
  const organisation = await create(t.db, input, creatorId, t.clock.now());
  return { id: organisation.id, name: organisation.name, siret: organisation.siret };
}

/**
 * Makes `user` a member of the organisation with `role`, the way the feature does it: an invitation
 * from `invitedBy` (an owner), accepted by the user.
 */
export async function addMember(
  t: TestApp,
  organisationId: number,
  invitedBy: { id: number },
  user: { id: number; email: string },
  role: 'owner' | 'editor',
): Promise<void> {
  const now = t.clock.now();
  const invitation = await createInvitation(
    t.db,
    organisationId,
    { email: user.email, role },
    invitedBy.id,
    now,
  );
  await acceptInvitation(t.db, invitation.token, user, now);
}
