import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { emails, organisationInvitations, organisationMembers } from '../../src/db/schema.ts';
import { createTestApp, formPost } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation, type OrganisationFixture } from '../support/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let owner: TestUser;
let editor: TestUser;
let requester: TestUser;
let organisation: OrganisationFixture;

beforeEach(async () => {
  t = await createTestApp();
  owner = await createSignedInUser(t, { name: 'Odile Propriétaire' });
  editor = await createSignedInUser(t, { name: 'Émile Éditeur' });
  requester = await createSignedInUser(t, { name: 'Rita Demandeuse' });
  organisation = await createOrganisation(t, { owner, name: 'Recyclerie du Voironnais' });
  await t.db.insert(organisationMembers).values({
    organisationId: organisation.id,
    userId: editor.id,
    role: 'editor',
    createdAt: t.clock.now().toISOString(),
  });
  return () => t.client.close();
});

const get = (path: string, user?: TestUser) =>
  t.app.request(path, { headers: user ? { cookie: user.cookie } : {} });
const post = (path: string, user?: TestUser, body: Record<string, string> = {}) =>
  t.app.request(path, formPost(body, user ? { cookie: user.cookie } : {}));

describe('a SIRET already registered offers to ask the owners for access', () => {
  it('the creation form shows the offer; the owners accept on the organisation page', async () => {
    const res = await post('/organisations', requester, {
      siret: organisation.siret,
      name: 'Ma recyclerie',
      kind: 'ess',
      legalForm: 'association',
      communeCode: '38563',
    });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toMatch(/<title>Erreur — /);
    expect(html).toContain(`action="/organisations/${organisation.id}/acces"`);

    expect((await post(`/organisations/${organisation.id}/acces`, requester)).status).toBe(303);
    const [mail] = await t.db.select().from(emails).where(eq(emails.to, owner.email));
    expect(mail?.subject).toContain('Demande d’accès');
    expect(mail?.text).toContain('Rita Demandeuse');
    // Asking twice is a conflict, not a second email.
    expect((await post(`/organisations/${organisation.id}/acces`, requester)).status).toBe(409);

    const page = await (await get(`/organisations/${organisation.id}`, owner)).text();
    const match = /action="\/organisations\/\d+\/acces\/(\d+)\/accepter"/.exec(page);
    expect(match).not.toBeNull();
    const requestId = match![1];
    // An editor may not decide; the owner may.
    expect((await post(`/organisations/${organisation.id}/acces/${requestId}/accepter`, editor)).status).toBe(
      403,
    );
    expect((await post(`/organisations/${organisation.id}/acces/${requestId}/accepter`, owner)).status).toBe(
      303,
    );
    const [row] = await t.db
      .select()
      .from(organisationMembers)
      .where(
        and(
          eq(organisationMembers.organisationId, organisation.id),
          eq(organisationMembers.userId, requester.id),
        ),
      );
    expect(row?.role).toBe('editor');
    expect(await t.db.select().from(emails).where(eq(emails.to, requester.email))).toHaveLength(1);
    // Already decided.
    expect((await post(`/organisations/${organisation.id}/acces/${requestId}/refuser`, owner)).status).toBe(
      404,
    );
  });

  it('refuses an access request from anonymous (401 page redirect) and unknown organisations (404)', async () => {
    expect((await post(`/organisations/${organisation.id}/acces`)).status).toBe(401);
    expect((await post('/organisations/999999/acces', requester)).status).toBe(404);
    expect((await post(`/organisations/${organisation.id}/acces`, owner)).status).toBe(409);
    expect((await post(`/organisations/${organisation.id}/acces/1/peut-etre`, owner)).status).toBe(404);
  });
});

describe('confirmation steps (work without JavaScript)', () => {
  it.each([
    ['GET /organisations/:id/supprimer', (id: number) => `/organisations/${id}/supprimer`],
    [
      'GET /organisations/:id/membres/:uid/supprimer',
      (id: number) => `/organisations/${id}/membres/EDITOR/supprimer`,
    ],
  ])(
    '%s: owner 200 with a labelled POST button; editor 403; stranger 403; anonymous → sign-in',
    async (_, path) => {
      const url = path(organisation.id).replace('EDITOR', String(editor.id));
      const ok = await get(url, owner);
      expect(ok.status).toBe(200);
      const html = await ok.text();
      expect(html).toMatch(new RegExp(`<form method="post" action="${url}"`));
      expect(html).toMatch(/class="fr-btn fr-icon-delete-line fr-btn--icon-left">[^<]+</);
      expect((await get(url, editor)).status).toBe(403);
      expect((await get(url, requester)).status).toBe(403);
      expect((await get(url)).status).toBe(303);
    },
  );

  it('the organisation page links to the confirmations instead of acting in one click', async () => {
    const html = await (await get(`/organisations/${organisation.id}`, owner)).text();
    expect(html).toContain(`href="/organisations/${organisation.id}/supprimer"`);
    expect(html).not.toContain('hx-confirm');
    expect(html).toContain(`href="/organisations/${organisation.id}/membres/${editor.id}/supprimer"`);
    // The last owner has no remove button.
    expect(html).not.toContain(`/membres/${owner.id}/supprimer`);
  });

  it('the last owner cannot be removed (409 on the confirmation page)', async () => {
    expect((await get(`/organisations/${organisation.id}/membres/${owner.id}/supprimer`, owner)).status).toBe(
      409,
    );
    expect((await get(`/organisations/${organisation.id}/membres/999/supprimer`, owner)).status).toBe(404);
  });

  it('cancels a pending invitation after confirmation', async () => {
    await post(`/organisations/${organisation.id}/invitations`, owner, {
      email: 'x@example.org',
      role: 'editor',
    });
    const [invitation] = await t.db.select().from(organisationInvitations);
    const path = `/organisations/${organisation.id}/invitations/${invitation!.id}/annuler`;
    expect(await (await get(`/organisations/${organisation.id}`, owner)).text()).toContain(`href="${path}"`);
    expect((await get(path, owner)).status).toBe(200);
    expect((await get(path, editor)).status).toBe(403);
    expect((await post(path, editor)).status).toBe(403);
    expect((await post(path, owner)).status).toBe(303);
    expect(await t.db.select().from(organisationInvitations)).toHaveLength(0);
    expect((await post(path, owner)).status).toBe(404);
    expect((await get(`/organisations/${organisation.id}/invitations/abc/annuler`, owner)).status).toBe(404);
  });
});
