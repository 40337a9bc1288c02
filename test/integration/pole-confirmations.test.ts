import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, formPost, jsonRequest } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation, type OrganisationFixture } from '../support/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let coordinator: TestUser;
let memberUser: TestUser;
let stranger: TestUser;
let staff: TestUser;
let coordOrg: OrganisationFixture;
let memberOrg: OrganisationFixture;
let pole: { id: number; slug: string };

beforeEach(async () => {
  t = await createTestApp();
  coordinator = await createSignedInUser(t, { name: 'Claire Coordinatrice' });
  memberUser = await createSignedInUser(t, { name: 'Marc Membre' });
  stranger = await createSignedInUser(t, { name: 'Sam Inconnu' });
  staff = await createSignedInUser(t, { name: 'Inès Instructrice', role: 'instructor' });
  coordOrg = await createOrganisation(t, { name: 'Régie', owner: coordinator });
  memberOrg = await createOrganisation(t, { name: 'Menuiserie', kind: 'sme', owner: memberUser });
  const res = await t.app.request(
    '/api/v1/poles',
    jsonRequest(
      'POST',
      { name: 'Pôle Voironnais', communeCode: '38563', organisationId: coordOrg.id },
      { authorization: coordinator.bearer },
    ),
  );
  pole = (await res.json()) as { id: number; slug: string };
  await t.app.request(
    `/api/v1/poles/${pole.id}/members`,
    jsonRequest('POST', { organisationId: memberOrg.id }, { authorization: staff.bearer }),
  );
  return () => t.client.close();
});

const get = (path: string, user?: TestUser) =>
  t.app.request(path, { headers: user ? { cookie: user.cookie } : {} });

describe('GET /poles/:slug/membres/:organisationId/retirer (confirmation step)', () => {
  it.each([
    ['the coordination', () => coordinator, 200, 'Retirer l’organisation du pôle'],
    ['the member itself', () => memberUser, 200, 'Quitter le pôle'],
    ['a stranger', () => stranger, 403, null],
    ['staff', () => staff, 200, 'Retirer l’organisation du pôle'],
  ] as const)('%s', async (_, user, status, title) => {
    const res = await get(`/poles/${pole.slug}/membres/${memberOrg.id}/retirer`, user());
    expect(res.status).toBe(status);
    if (title) {
      const html = await res.text();
      expect(html).toContain(title);
      expect(html).toContain(
        `<form method="post" action="/poles/${pole.slug}/membres/${memberOrg.id}/retirer"`,
      );
    }
  });

  it('anonymous → sign-in; unknown member 404; the only coordinator has no confirmation (403)', async () => {
    expect((await get(`/poles/${pole.slug}/membres/${memberOrg.id}/retirer`)).status).toBe(303);
    expect((await get(`/poles/${pole.slug}/membres/999999/retirer`, coordinator)).status).toBe(404);
    expect((await get(`/poles/${pole.slug}/membres/abc/retirer`, coordinator)).status).toBe(404);
    expect((await get(`/poles/${pole.slug}/membres/${coordOrg.id}/retirer`, coordinator)).status).toBe(403);
  });

  it('the pôle page links to it; the POST then removes', async () => {
    const html = await (await get(`/poles/${pole.slug}`, coordinator)).text();
    expect(html).toContain(`href="/poles/${pole.slug}/membres/${memberOrg.id}/retirer"`);
    const res = await t.app.request(
      `/poles/${pole.slug}/membres/${memberOrg.id}/retirer`,
      formPost({}, { cookie: coordinator.cookie }),
    );
    expect(res.status).toBe(303);
  });
});

describe('pôle membership forms in error', () => {
  it('an unknown role re-renders the pôle page with its message (422, « Erreur — »)', async () => {
    const res = await t.app.request(
      `/poles/${pole.slug}/membres/${memberOrg.id}/role`,
      formPost({ role: 'chef' }, { cookie: coordinator.cookie }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<title>Erreur — Pôle Voironnais/);
    expect(html).toContain('Rôle inconnu');
  });

  it('an invitation matching nothing is in the error summary, the field marked invalid', async () => {
    const res = await t.app.request(
      `/poles/${pole.slug}/membres`,
      formPost({ organisationQuery: 'zzzz introuvable' }, { cookie: coordinator.cookie }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('href="#champ-organisationQuery"');
    expect(html).toMatch(/id="champ-organisationQuery"[^>]*aria-invalid="true"/);
    expect(html.indexOf('<h1')).toBeLessThan(html.indexOf('<h2'));
  });
});
