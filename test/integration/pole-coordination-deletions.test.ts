import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { organisations, poleMembers, users } from '../../src/db/schema.ts';
import { createTestApp, formPost, jsonRequest } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation, type OrganisationFixture } from '../support/fixtures.ts';

// Defect 8: deleting the coordinating organisation, or the account that owns it, left a pôle
// without coordinator.

let t: Awaited<ReturnType<typeof createTestApp>>;
let coordinator: TestUser;
let coordOrg: OrganisationFixture;
let pole: { id: number; slug: string };

beforeEach(async () => {
  t = await createTestApp();
  coordinator = await createSignedInUser(t, { name: 'Claire Coordinatrice' });
  coordOrg = await createOrganisation(t, { name: 'Régie de quartier', owner: coordinator });
  const res = await t.app.request(
    '/api/v1/poles',
    jsonRequest(
      'POST',
      { name: 'Pôle Voironnais', communeCode: '38563', organisationId: coordOrg.id },
      { authorization: coordinator.bearer },
    ),
  );
  expect(res.status).toBe(201);
  pole = (await res.json()) as { id: number; slug: string };
  return () => t.client.close();
});

const stillThere = async (id: number) =>
  (await t.db.select().from(organisations).where(eq(organisations.id, id))).length === 1;

describe('deleting the only coordinating organisation of a pôle', () => {
  it('DELETE /api/v1/organisations/:id → 409 naming the pôle, nothing deleted', async () => {
    const res = await t.app.request(
      `/api/v1/organisations/${coordOrg.id}`,
      jsonRequest('DELETE', undefined, { authorization: coordinator.bearer }),
    );
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toContain('« Pôle Voironnais »');
    expect(await stillThere(coordOrg.id)).toBe(true);
  });

  it('POST /organisations/:id/supprimer → 409 page naming the pôle', async () => {
    const res = await t.app.request(
      `/organisations/${coordOrg.id}/supprimer`,
      formPost({}, { cookie: coordinator.cookie }),
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('« Pôle Voironnais »');
    expect(await stillThere(coordOrg.id)).toBe(true);
  });

  it('is allowed once another active coordinator exists', async () => {
    const other = await createOrganisation(t, { name: 'Autre coordinatrice' });
    await t.db.insert(poleMembers).values({
      poleId: pole.id,
      organisationId: other.id,
      role: 'coordinator',
      status: 'active',
      createdAt: t.clock.now().toISOString(),
      updatedAt: t.clock.now().toISOString(),
    });
    const res = await t.app.request(
      `/api/v1/organisations/${coordOrg.id}`,
      jsonRequest('DELETE', undefined, { authorization: coordinator.bearer }),
    );
    expect(res.status).toBe(204);
    expect(await stillThere(coordOrg.id)).toBe(false);
  });

  it('an invited coordinator does not count', async () => {
    const other = await createOrganisation(t, { name: 'Invitée' });
    await t.db.insert(poleMembers).values({
      poleId: pole.id,
      organisationId: other.id,
      role: 'coordinator',
      status: 'invited',
      createdAt: t.clock.now().toISOString(),
      updatedAt: t.clock.now().toISOString(),
    });
    const res = await t.app.request(
      `/api/v1/organisations/${coordOrg.id}`,
      jsonRequest('DELETE', undefined, { authorization: coordinator.bearer }),
    );
    expect(res.status).toBe(409);
  });
});

describe('deleting the account that alone owns the coordinating organisation', () => {
  it('the plan page says why, and the deletion is refused (409) with the pôle named', async () => {
    const plan = await t.app.request('/compte/supprimer', { headers: { cookie: coordinator.cookie } });
    const html = await plan.text();
    expect(html).toContain('Suppression impossible pour le moment');
    expect(html).toContain(`href="/poles/${pole.slug}"`);

    const res = await t.app.request(
      '/compte/supprimer',
      formPost({ confirm: 'oui' }, { cookie: coordinator.cookie }),
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('« Pôle Voironnais »');
    expect((await t.db.select().from(users).where(eq(users.id, coordinator.id))).length).toBe(1);
    expect(await stillThere(coordOrg.id)).toBe(true);
  });

  it('DELETE /api/v1/me → 409', async () => {
    const res = await t.app.request(
      '/api/v1/me',
      jsonRequest('DELETE', undefined, { authorization: coordinator.bearer }),
    );
    expect(res.status).toBe(409);
    expect(await stillThere(coordOrg.id)).toBe(true);
  });
});
