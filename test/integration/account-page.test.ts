import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCommune } from '../../src/features/geo/queries.ts';
import { createInvitation } from '../../src/features/organisations/queries.ts';
import { applyMembershipAction, createPole } from '../../src/features/poles/queries.ts';
import { createTestApp, formPost } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: TestUser;
let coordinator: TestUser;
let pole: { id: number; slug: string };
let invited: { id: number; name: string };
let invitationId: number;
let coordinatingId: number;
// A fresh database per test: several tests accept an invitation, and tests run in any order.
beforeEach(async () => {
  t = await createTestApp();
  member = await createSignedInUser(t, { name: 'Membre Invitée' });
  coordinator = await createSignedInUser(t, { name: 'Coordinatrice' });
  const coordinating = await createOrganisation(t, { name: 'Coordination Voironnaise', owner: coordinator });
  invited = await createOrganisation(t, { name: 'Atelier Solidaire', owner: member });
  const commune = (await getCommune(t.db, '38563'))!;
  pole = await createPole(
    t.db,
    {
      name: 'Pôle du Voironnais',
      description: 'Coopérer.',
      commune,
      departements: ['38'],
      themes: [],
      organisationId: coordinating.id,
    },
    t.clock.now(),
  );
  await applyMembershipAction(t.db, pole.id, invited.id, 'invite', t.clock.now());
  const invitation = await createInvitation(
    t.db,
    coordinating.id,
    { email: member.email, role: 'editor' },
    coordinator.id,
    t.clock.now(),
  );
  invitationId = invitation.id;
  coordinatingId = coordinating.id;
});
afterEach(() => t.client.close());

describe('GET /compte', () => {
  it('lists pending pôle and organisation invitations with a way to act', async () => {
    const res = await t.app.request('/compte', { headers: { cookie: member.cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Invitations en attente');
    expect(html).toContain('Pôle du Voironnais');
    expect(html).toContain(`action="/poles/${pole.slug}/membres/${invited.id}/accepter"`);
    expect(html).toContain('Coordination Voironnaise</a> vous invite comme éditeur·rice');
  });

  it('the accept button of a pôle invitation makes the organisation an active member', async () => {
    const res = await t.app.request(
      `/poles/${pole.slug}/membres/${invited.id}/accepter`,
      formPost({}, { cookie: member.cookie }),
    );
    expect(res.status).toBe(303);
    const after = await (await t.app.request('/compte', { headers: { cookie: member.cookie } })).text();
    expect(after).not.toContain(`/membres/${invited.id}/accepter`);
  });

  it('shows no invitation section to someone with none', async () => {
    const html = await (await t.app.request('/compte', { headers: { cookie: coordinator.cookie } })).text();
    expect(html).not.toContain('Invitations en attente');
  });

  it('moves sessions and API tokens to « Paramètres techniques »', async () => {
    const html = await (await t.app.request('/compte', { headers: { cookie: member.cookie } })).text();
    expect(html).not.toContain('Sessions ouvertes</h2>');
    expect(html).not.toContain('action="/compte/jetons"');
    expect(html).toContain('href="/compte/parametres-techniques"');
  });
});

describe('POST /compte/invitations/:id/accepter', () => {
  it.each([
    ['anonymous', 401, () => ({})],
    ['another account (not its invitation)', 404, () => ({ cookie: coordinator.cookie })],
  ])('as %s → %i', async (_who, status, headers) => {
    const res = await t.app.request(`/compte/invitations/${invitationId}/accepter`, formPost({}, headers()));
    expect(res.status).toBe(status);
  });

  it('an unknown id → 404', async () => {
    const res = await t.app.request(
      '/compte/invitations/999999/accepter',
      formPost({}, { cookie: member.cookie }),
    );
    expect(res.status).toBe(404);
  });

  it('the invited account joins the organisation, once', async () => {
    const html = await (await t.app.request('/compte', { headers: { cookie: member.cookie } })).text();
    expect(html).toContain(`action="/compte/invitations/${invitationId}/accepter"`);
    const res = await t.app.request(
      `/compte/invitations/${invitationId}/accepter`,
      formPost({}, { cookie: member.cookie }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/organisations/${coordinatingId}?info=bienvenue`);
    const after = await (await t.app.request('/compte', { headers: { cookie: member.cookie } })).text();
    expect(after).toContain(
      `href="/organisations/${coordinatingId}">Coordination Voironnaise</a> — éditeur·rice`,
    );
    const again = await t.app.request(
      `/compte/invitations/${invitationId}/accepter`,
      formPost({}, { cookie: member.cookie }),
    );
    expect(again.status).toBe(404);
  });
});

describe('GET /compte/parametres-techniques', () => {
  it('lists sessions (with the browser) and tokens, without a scrolling table', async () => {
    const res = await t.app.request('/compte/parametres-techniques', {
      headers: { cookie: member.cookie, 'user-agent': 'Navigateur de test' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Session actuelle');
    expect(html).toContain('action="/compte/jetons"');
    expect(html).toContain('/compte/jetons/');
    expect(html).not.toContain('<table');
  });

  it('sends anonymous visitors to sign in', async () => {
    const res = await t.app.request('/compte/parametres-techniques');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/connexion?retour=%2Fcompte%2Fparametres-techniques');
  });

  it('a token without a name is a 422 with its field message, on this page', async () => {
    const res = await t.app.request('/compte/jetons', formPost({ name: '' }, { cookie: member.cookie }));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Le nom du jeton est obligatoire.');
    expect(html).toContain('<title>Erreur — Paramètres techniques');
  });

  it('revoking a token comes back to this page', async () => {
    const created = await t.app.request(
      '/compte/jetons',
      formPost({ name: 'à révoquer' }, { cookie: member.cookie }),
    );
    const id = [...(await created.text()).matchAll(/\/compte\/jetons\/(\d+)\/supprimer/g)].at(-1)![1];
    const res = await t.app.request(
      `/compte/jetons/${id}/supprimer`,
      formPost({}, { cookie: member.cookie }),
    );
    expect(res.headers.get('location')).toBe('/compte/parametres-techniques?message=jeton-supprime');
  });
});
