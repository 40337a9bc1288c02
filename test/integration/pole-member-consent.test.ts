import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { poleMembers } from '../../src/db/schema.ts';
import { createTestApp, formPost, jsonRequest } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation, type OrganisationFixture } from '../support/fixtures.ts';

// Defect 17: a coordinator could make any organisation an active member of its pôle (through the
// API) without the organisation's consent.

let t: Awaited<ReturnType<typeof createTestApp>>;
let coordinator: TestUser;
let target: TestUser;
let staff: TestUser;
let targetOrg: OrganisationFixture;
let pole: { id: number; slug: string };

beforeEach(async () => {
  t = await createTestApp();
  coordinator = await createSignedInUser(t, { name: 'Claire Coordinatrice' });
  target = await createSignedInUser(t, { name: 'Théo Cible' });
  staff = await createSignedInUser(t, { name: 'Inès Instructrice', role: 'instructor' });
  const coordOrg = await createOrganisation(t, { name: 'Régie', owner: coordinator });
  targetOrg = await createOrganisation(t, { name: 'Menuiserie Durand', kind: 'sme', owner: target });
  const res = await t.app.request(
    '/api/v1/poles',
    jsonRequest(
      'POST',
      { name: 'Pôle Voironnais', communeCode: '38563', organisationId: coordOrg.id },
      { authorization: coordinator.bearer },
    ),
  );
  pole = (await res.json()) as { id: number; slug: string };
  return () => t.client.close();
});

const membership = async () =>
  (
    await t.db
      .select()
      .from(poleMembers)
      .where(and(eq(poleMembers.poleId, pole.id), eq(poleMembers.organisationId, targetOrg.id)))
  )[0];

describe('POST /api/v1/poles/:id/members', () => {
  it('by a coordinator, invites the organisation instead of making it active', async () => {
    const res = await t.app.request(
      `/api/v1/poles/${pole.id}/members`,
      jsonRequest('POST', { organisationId: targetOrg.id }, { authorization: coordinator.bearer }),
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { status: string }).status).toBe('invited');
    expect((await membership())?.status).toBe('invited');
    const pole1 = (await (await t.app.request(`/api/v1/poles/${pole.id}`)).json()) as {
      composition: { counts: { members: number } };
    };
    expect(pole1.composition.counts.members).toBe(1);

    // The organisation consents on the pôle page: then it is active.
    const accept = await t.app.request(
      `/poles/${pole.slug}/membres/${targetOrg.id}/accepter`,
      formPost({}, { cookie: target.cookie }),
    );
    expect(accept.status).toBe(303);
    expect((await membership())?.status).toBe('active');
    expect((await membership())?.addedBy).toBeNull();
  });

  it('by staff, adds directly and records who and when', async () => {
    const res = await t.app.request(
      `/api/v1/poles/${pole.id}/members`,
      jsonRequest('POST', { organisationId: targetOrg.id }, { authorization: staff.bearer }),
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { status: string }).status).toBe('active');
    const row = await membership();
    expect(row?.addedBy).toBe(staff.id);
    expect(row?.addedAt).toBe(t.clock.now().toISOString());
  });
});
