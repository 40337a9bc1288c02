import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, formPost, jsonRequest } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation, type OrganisationFixture } from '../support/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let owner: TestUser;
let organisation: OrganisationFixture;

beforeEach(async () => {
  t = await createTestApp();
  owner = await createSignedInUser(t, { name: 'Odile Propriétaire' });
  organisation = await createOrganisation(t, { owner, name: 'Recyclerie' });
  return () => t.client.close();
});

const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';

describe('POST /organisations/:id/membres/:uid/role', () => {
  it('re-renders the organisation page with the role message when the role is unknown (422)', async () => {
    const res = await t.app.request(
      `/organisations/${organisation.id}/membres/${owner.id}/role`,
      formPost({ role: 'boss' }, { cookie: owner.cookie }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(title(html)).toMatch(/^Erreur — /);
    expect(html).toContain('Choisissez le rôle : propriétaire ou éditeur.');
    expect(html).toContain('Personnes qui gèrent l’organisation');
  });
});

describe('POST /organisations/:id/invitations', () => {
  it('shows every field message, in field order, with « Erreur — » in the title', async () => {
    const res = await t.app.request(
      `/organisations/${organisation.id}/invitations`,
      formPost({ email: 'pas-une-adresse', role: 'boss' }, { cookie: owner.cookie }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(title(html)).toMatch(/^Erreur — Recyclerie/);
    const email = html.indexOf('href="#champ-email"');
    const role = html.indexOf('href="#champ-role"');
    expect(email).toBeGreaterThan(-1);
    expect(role).toBeGreaterThan(email);
    expect(html).toMatch(/id="champ-role"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="champ-role"/);
  });

  it('trims the address before validating it', async () => {
    const res = await t.app.request(
      `/organisations/${organisation.id}/invitations`,
      formPost({ email: '  invitee@example.org  ', role: 'editor' }, { cookie: owner.cookie }),
    );
    expect(res.status).toBe(303);
  });

  it('answers 400, not 500, to a malformed multipart body', async () => {
    const res = await t.app.request(`/organisations/${organisation.id}/invitations`, {
      method: 'POST',
      body: '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc',
      headers: {
        'content-type': 'multipart/form-data; boundary=y',
        origin: 'http://localhost',
        cookie: owner.cookie,
      },
    });
    expect(res.status).toBe(400);
  });
});

describe('text fields refuse control characters and bidi overrides (defect 11)', () => {
  const cases: Array<[string, string]> = [
    ['NUL', 'Recyclerie\u0000 cachée'],
    ['bell', 'Recyclerie\u0007'],
    ['right-to-left override', 'Recyclerie \u202Egpj.exe'],
    ['first-strong isolate', 'Recyclerie \u2068x\u2069'],
    ['line feed in a one-line name', 'Recyclerie\nbis'],
  ];
  it.each(cases)('PATCH /api/v1/organisations refuses a name with %s (422)', async (_, name) => {
    const res = await t.app.request(
      `/api/v1/organisations/${organisation.id}`,
      jsonRequest('PATCH', { version: 1, name }, { authorization: owner.bearer }),
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields.name).toMatch(/caractères invisibles ou de contrôle/);
  });

  it('keeps line breaks in a description, as LF', async () => {
    const res = await t.app.request(
      `/api/v1/organisations/${organisation.id}`,
      jsonRequest(
        'PATCH',
        { version: 1, description: 'Ligne 1\r\nLigne 2' },
        { authorization: owner.bearer },
      ),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { description: string }).description).toBe('Ligne 1\nLigne 2');
  });

  it('refuses NUL in a description sent by a form', async () => {
    const res = await t.app.request(
      `/api/v1/organisations/${organisation.id}`,
      jsonRequest('PATCH', { version: 1, description: 'a\u0000b' }, { authorization: owner.bearer }),
    );
    expect(res.status).toBe(422);
  });
});
