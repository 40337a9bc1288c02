import { and, count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  emails,
  organisationInvitations,
  organisationMembers,
  organisations,
  organisationThemes,
  users,
} from '../../src/db/schema.ts';
import { isValidSiret } from '../../src/features/organisations/siret.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { addMember as addMemberFixture } from '../support/fixtures.ts';

/** This test's app: a fresh copy of the file's seeded accounts. */
let t: TestApp;
let owner: TestUser;
let editor: TestUser;
let other: TestUser;
let admin: TestUser;
let unverified: TestUser;
let seeded: Awaited<ReturnType<typeof seedTemplate>>;

beforeAll(async () => {
  seeded = await seedTemplate(async (seed) => {
    owner = await createSignedInUser(seed, { name: 'Odile Propriétaire' });
    editor = await createSignedInUser(seed, { name: 'Émile Éditeur' });
    other = await createSignedInUser(seed, { name: 'Olga Autre' });
    admin = await createSignedInUser(seed, { role: 'admin', name: 'Ada Admin' });
    unverified = await createSignedInUser(seed, { name: 'Ulysse Non-Vérifié' });
    await seed.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, unverified.id));
  });
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

let serial = 0;
/** A fresh valid SIRET (Luhn) for each organisation of this file. */
function nextSiret(): string {
  for (;;) {
    const candidate = String(81_000_000_000_000 + ++serial * 37);
    if (isValidSiret(candidate)) return candidate;
  }
}

function validBody(overrides: Record<string, unknown> = {}) {
  return {
    siret: nextSiret(),
    name: 'Recyclerie du Voironnais',
    kind: 'ess',
    legalForm: 'association',
    nafCode: '38.32Z',
    themes: ['recycling_reuse', 'insertion'],
    communeCode: '38563',
    description: 'Collecte, tri et revente d’objets.\n\nChantier d’insertion.',
    website: 'https://recyclerie.example.org',
    contactEmail: 'contact@recyclerie.example.org',
    ...overrides,
  };
}

async function createViaApi(user: TestUser = owner, overrides: Record<string, unknown> = {}) {
  const res = await t.app.request(
    '/api/v1/organisations',
    jsonRequest('POST', validBody(overrides), { authorization: user.bearer }),
  );
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; version: number; siret: string; name: string };
}

/** `user` joins an organisation `owner` created, through an invitation it accepts. */
function addMember(organisationId: number, user: TestUser, role: 'owner' | 'editor') {
  return addMemberFixture(t, organisationId, owner, user, role);
}

async function organisationCount() {
  const [row] = await t.db.select({ n: count() }).from(organisations);
  return row!.n;
}

describe('POST /api/v1/organisations', () => {
  it('creates an organisation placed at its commune, its creator as owner', async () => {
    const body = validBody({ siret: ' 732 829 320 00074 ', nafCode: '3832z' });
    const res = await t.app.request(
      '/api/v1/organisations',
      jsonRequest('POST', body, { authorization: owner.bearer }),
    );
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(res.headers.get('location')).toBe(`/api/v1/organisations/${created.id}`);
    expect(created).toMatchObject({
      siret: '73282932000074',
      name: 'Recyclerie du Voironnais',
      kind: 'ess',
      legalForm: 'association',
      nafCode: '38.32Z',
      themes: ['recycling_reuse', 'insertion'],
      communeCode: '38563',
      commune: { code: '38563', name: 'Voiron', departement: '38' },
      departement: '38',
      region: '84',
      lat: 45.38047,
      lon: 5.58695,
      website: 'https://recyclerie.example.org',
      contactEmail: 'contact@recyclerie.example.org',
      version: 1,
      isDemo: false,
      createdAt: '2026-11-22T10:00:00.000Z',
    });
    const members = await t.db
      .select()
      .from(organisationMembers)
      .where(eq(organisationMembers.organisationId, created.id));
    expect(members).toEqual([expect.objectContaining({ userId: owner.id, role: 'owner' })]);
    const themes = await t.db
      .select({ theme: organisationThemes.theme })
      .from(organisationThemes)
      .where(eq(organisationThemes.organisationId, created.id));
    expect(themes.map((r) => r.theme).sort()).toEqual(['insertion', 'recycling_reuse']);
  });

  it('refuses anonymous requests with 401 and unverified accounts with 403', async () => {
    const before = await organisationCount();
    const anonymous = await t.app.request('/api/v1/organisations', jsonRequest('POST', validBody()));
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('unauthorized');
    const notVerified = await t.app.request(
      '/api/v1/organisations',
      jsonRequest('POST', validBody(), { authorization: unverified.bearer }),
    );
    expect(notVerified.status).toBe(403);
    expect(await organisationCount()).toBe(before);
  });

  it.each([
    ['siret', 'a wrong key', { siret: '73282932000075' }, 'Ce numéro SIRET n’existe pas'],
    ['siret', '13 digits', { siret: '7328293200007' }, 'Le numéro SIRET comporte 14 chiffres.'],
    ['siret', 'missing', { siret: undefined }, 'Indiquez le numéro SIRET.'],
    ['name', 'missing', { name: undefined }, 'Indiquez le nom de l’organisation.'],
    ['name', 'blank', { name: '   ' }, 'Indiquez le nom de l’organisation.'],
    ['name', '201 characters', { name: 'x'.repeat(201) }, 'Le nom est limité à 200 caractères.'],
    ['kind', 'missing', { kind: undefined }, 'Choisissez le type d’organisation.'],
    ['legalForm', 'unknown code', { legalForm: 'sarl' }, 'Choisissez la forme juridique.'],
    ['nafCode', 'malformed', { nafCode: '88-99' }, 'Le code NAF s’écrit comme 88.99B.'],
    [
      'themes',
      'a duplicate',
      { themes: ['culture', 'culture'] },
      'Chaque thème ne peut figurer qu’une fois.',
    ],
    ['themes.0', 'an unknown theme', { themes: ['astrologie'] }, 'Thème inconnu.'],
    ['communeCode', 'an unknown code', { communeCode: '99999' }, 'Commune inconnue.'],
    ['communeCode', 'a name instead of a code', { communeCode: 'Voiron' }, 'Commune inconnue.'],
    [
      'description',
      '5001 characters',
      { description: 'a'.repeat(5001) },
      'La description est limitée à 5000 caractères.',
    ],
    [
      'website',
      'a javascript: URL',
      { website: 'javascript:alert(1)' },
      'Indiquez une adresse de site commençant par https://',
    ],
    [
      'contactEmail',
      'not an address',
      { contactEmail: 'pas-une-adresse' },
      'Indiquez une adresse électronique valide',
    ],
  ])(
    'answers 422 on %s (%s) with a French message and stores nothing',
    async (field, _case, overrides, message) => {
      const before = await organisationCount();
      const res = await t.app.request(
        '/api/v1/organisations',
        jsonRequest('POST', validBody(overrides), { authorization: owner.bearer }),
      );
      expect(res.status).toBe(422);
      const { error } = await res.json();
      expect(error.code).toBe('validation_failed');
      expect(error.fields[field]).toContain(message);
      expect(await organisationCount()).toBe(before);
    },
  );

  it('reports every invalid field at once', async () => {
    const res = await t.app.request(
      '/api/v1/organisations',
      jsonRequest(
        'POST',
        validBody({ siret: '123', name: '', kind: 'x', description: 'a'.repeat(6000), contactEmail: 'x' }),
        { authorization: owner.bearer },
      ),
    );
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(Object.keys(error.fields).sort()).toEqual([
      'contactEmail',
      'description',
      'kind',
      'name',
      'siret',
    ]);
  });

  it('refuses a 5 MB description with 413 (body limit)', async () => {
    const body = JSON.stringify(validBody({ description: 'a'.repeat(5 * 1024 * 1024) }));
    const res = await t.app.request('/api/v1/organisations', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        authorization: owner.bearer,
      },
    });
    expect(res.status).toBe(413);
  });

  it('answers 409 on a SIRET already registered (spaces ignored)', async () => {
    const first = await createViaApi();
    const spaced = first.siret.replace(/^(\d{3})(\d{3})(\d{3})/, '$1 $2 $3 ');
    const res = await t.app.request(
      '/api/v1/organisations',
      jsonRequest('POST', validBody({ siret: spaced }), { authorization: other.bearer }),
    );
    expect(res.status).toBe(409);
    const { error } = await res.json();
    expect(error.code).toBe('conflict');
    expect(error.fields.siret).toBe('Une organisation avec ce numéro SIRET est déjà inscrite.');
  });

  it('stores HTML as text and always renders it escaped', async () => {
    const name = '<script>alert("x")</script> Coop <b>gras</b>';
    const created = await createViaApi(owner, { name, description: '<img src=x onerror=alert(1)>' });
    const json = await (await t.app.request(`/api/v1/organisations/${created.id}`)).json();
    expect(json.name).toBe(name);
    const page = await (await t.app.request(`/organisations/${created.id}`)).text();
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Coop &lt;b&gt;gras&lt;/b&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
  });
});

describe('GET /api/v1/organisations/:id', () => {
  it('shows the contact address to signed-in requesters only', async () => {
    const created = await createViaApi();
    const anonymous = await (await t.app.request(`/api/v1/organisations/${created.id}`)).json();
    expect(anonymous).not.toHaveProperty('contactEmail');
    expect(anonymous.name).toBe('Recyclerie du Voironnais');
    const signedIn = await (
      await t.app.request(`/api/v1/organisations/${created.id}`, { headers: { authorization: other.bearer } })
    ).json();
    expect(signedIn.contactEmail).toBe('contact@recyclerie.example.org');
  });

  it('answers 404 for an unknown or malformed id', async () => {
    for (const path of ['/api/v1/organisations/999999', '/api/v1/organisations/abc']) {
      const res = await t.app.request(path);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
  });
});

type Who = 'anonymous' | 'unverified' | 'other user' | 'editor' | 'owner' | 'admin';
type Action = 'GET' | 'PATCH' | 'DELETE' | 'invite';

const expected: Record<Action, Record<Who, number>> = {
  GET: { anonymous: 200, unverified: 200, 'other user': 200, editor: 200, owner: 200, admin: 200 },
  PATCH: { anonymous: 401, unverified: 403, 'other user': 403, editor: 200, owner: 200, admin: 200 },
  DELETE: { anonymous: 401, unverified: 403, 'other user': 403, editor: 403, owner: 204, admin: 403 },
  invite: { anonymous: 401, unverified: 403, 'other user': 403, editor: 403, owner: 201, admin: 403 },
};
const table = (Object.keys(expected) as Action[]).flatMap((action) =>
  (Object.keys(expected[action]) as Who[]).map((who) => [who, action, expected[action][who]] as const),
);

describe('authorisation (API)', () => {
  const headersFor = (who: Who): Record<string, string> => {
    const user = { owner, editor, 'other user': other, admin, unverified }[who as Exclude<Who, 'anonymous'>];
    return user ? { authorization: user.bearer } : {};
  };

  it.each(table)('%s × %s → %i', async (who, action, status) => {
    const created = await createViaApi();
    await addMember(created.id, editor, 'editor');
    const path = `/api/v1/organisations/${created.id}`;
    const headers = headersFor(who);
    const res = await t.app.request(
      action === 'invite' ? `${path}/invitations` : path,
      action === 'GET'
        ? { headers }
        : action === 'PATCH'
          ? jsonRequest('PATCH', { version: created.version, name: 'Nouveau nom' }, headers)
          : action === 'DELETE'
            ? jsonRequest('DELETE', undefined, headers)
            : jsonRequest('POST', { email: `invite-${serial}@example.org`, role: 'editor' }, headers),
    );
    expect(res.status).toBe(status);
    const [row] = await t.db
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, created.id));
    if (action === 'DELETE') expect(row === undefined).toBe(status === 204);
    if (action === 'PATCH')
      expect(row!.name).toBe(status === 200 ? 'Nouveau nom' : 'Recyclerie du Voironnais');
  });
});

describe('authorisation (pages)', () => {
  it('sends anonymous visitors of the create and edit forms to the sign-in page', async () => {
    const created = await createViaApi();
    for (const path of ['/organisations/nouvelle', `/organisations/${created.id}/modifier`]) {
      const res = await t.app.request(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/connexion?retour=${encodeURIComponent(path)}`);
    }
  });

  it('refuses the edit form and the delete button to non-members, and deletion to editors', async () => {
    const created = await createViaApi();
    await addMember(created.id, editor, 'editor');
    const edit = await t.app.request(`/organisations/${created.id}/modifier`, {
      headers: { cookie: other.cookie },
    });
    expect(edit.status).toBe(403);
    const byEditor = await t.app.request(
      `/organisations/${created.id}/supprimer`,
      formPost({}, { cookie: editor.cookie }),
    );
    expect(byEditor.status).toBe(403);
    expect(await byEditor.text()).toContain(
      'Seuls les propriétaires de l’organisation peuvent la supprimer.',
    );
    const anonymous = await t.app.request(`/organisations/${created.id}/supprimer`, formPost({}));
    expect(anonymous.status).toBe(401);
    const byOwner = await t.app.request(
      `/organisations/${created.id}/supprimer`,
      formPost({}, { cookie: owner.cookie }),
    );
    expect(byOwner.status).toBe(303);
    expect(byOwner.headers.get('location')).toBe('/organisations?info=supprimee');
    expect((await t.app.request(`/organisations/${created.id}`)).status).toBe(404);
  });

  it('shows edit and member actions only to those allowed', async () => {
    const created = await createViaApi();
    await addMember(created.id, editor, 'editor');
    const page = async (user?: TestUser) =>
      (
        await t.app.request(`/organisations/${created.id}`, { headers: user ? { cookie: user.cookie } : {} })
      ).text();
    const anonymous = await page();
    expect(anonymous).not.toContain(`/organisations/${created.id}/modifier`);
    expect(anonymous).not.toContain(owner.email);
    expect(anonymous).not.toContain('contact@recyclerie.example.org');
    expect(anonymous).toContain('Connectez-vous pour voir le contact');
    const byOther = await page(other);
    expect(byOther).toContain('contact@recyclerie.example.org');
    expect(byOther).not.toContain(`/organisations/${created.id}/modifier`);
    expect(byOther).not.toContain(owner.email);
    const byEditor = await page(editor);
    expect(byEditor).toContain(`/organisations/${created.id}/modifier`);
    expect(byEditor).toContain(owner.email);
    expect(byEditor).not.toContain(`/organisations/${created.id}/supprimer`);
    expect(byEditor).not.toContain(`/organisations/${created.id}/invitations`);
    const byOwner = await page(owner);
    expect(byOwner).toContain(`/organisations/${created.id}/supprimer`);
    expect(byOwner).toContain(`/organisations/${created.id}/invitations`);
    expect(byOwner).toContain(`/organisations/${created.id}/membres/${editor.id}/supprimer`);
  });
});

describe('PATCH /api/v1/organisations/:id', () => {
  const patch = (id: number, body: unknown, user = owner) =>
    t.app.request(`/api/v1/organisations/${id}`, jsonRequest('PATCH', body, { authorization: user.bearer }));

  it('changes only the fields sent and bumps the version', async () => {
    const created = await createViaApi();
    t.clock.advance(60_000);
    const res = await patch(created.id, {
      version: 1,
      name: 'Recyclerie du Pays Voironnais',
      communeCode: '38185',
      themes: ['culture'],
      website: null,
    });
    expect(res.status).toBe(200);
    const updated = await res.json();
    expect(updated).toMatchObject({
      name: 'Recyclerie du Pays Voironnais',
      kind: 'ess',
      nafCode: '38.32Z',
      commune: { code: '38185', name: 'Grenoble', departement: '38' },
      lat: 45.18423,
      lon: 5.71554,
      themes: ['culture'],
      website: null,
      contactEmail: 'contact@recyclerie.example.org',
      version: 2,
    });
    expect(updated.updatedAt).not.toBe(updated.createdAt);
    const themes = await t.db
      .select({ theme: organisationThemes.theme })
      .from(organisationThemes)
      .where(eq(organisationThemes.organisationId, created.id));
    expect(themes).toEqual([{ theme: 'culture' }]);
  });

  it('answers 409 on a stale version and changes nothing, themes included', async () => {
    const created = await createViaApi();
    expect((await patch(created.id, { version: 1, name: 'Première modification' })).status).toBe(200);
    const stale = await patch(created.id, { version: 1, name: 'Seconde modification', themes: ['digital'] });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.message).toContain('version actuelle : 2');
    const current = await (await t.app.request(`/api/v1/organisations/${created.id}`)).json();
    expect(current).toMatchObject({ name: 'Première modification', version: 2 });
    expect(current.themes).toEqual(['recycling_reuse', 'insertion']);
    const themes = await t.db
      .select({ theme: organisationThemes.theme })
      .from(organisationThemes)
      .where(eq(organisationThemes.organisationId, created.id));
    expect(themes.map((r) => r.theme).sort()).toEqual(['insertion', 'recycling_reuse']);
  });

  it('requires the version, validates fields, and refuses a SIRET taken by another organisation', async () => {
    const a = await createViaApi();
    const b = await createViaApi();
    const missing = await patch(a.id, { name: 'Sans version' });
    expect(missing.status).toBe(422);
    expect((await missing.json()).error.fields.version).toContain('Indiquez la version');
    const invalid = await patch(a.id, { version: 1, description: 'a'.repeat(5001), communeCode: '00000' });
    expect(invalid.status).toBe(422);
    const duplicate = await patch(a.id, { version: 1, siret: b.siret });
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).error.fields.siret).toBeDefined();
    const unknownCommune = await patch(a.id, { version: 1, communeCode: '99999' });
    expect(unknownCommune.status).toBe(422);
    expect((await unknownCommune.json()).error.fields).toEqual({ communeCode: 'Commune inconnue.' });
  });

  it('answers 404 for an unknown organisation', async () => {
    expect((await patch(999_999, { version: 1, name: 'X' })).status).toBe(404);
  });
});

describe('creation form', () => {
  const formFields = (overrides: Record<string, string | string[]> = {}) => ({
    name: 'Atelier du Grésivaudan',
    siret: nextSiret(),
    kind: 'sme',
    legalForm: 'company',
    nafCode: '',
    communeCode: '',
    communeCodeQuery: 'Voiron',
    themes: ['digital', 'training'],
    description: 'Formations au numérique.',
    website: '',
    contactEmail: '',
    ...overrides,
  });

  it('shows the form to a signed-in account', async () => {
    const res = await t.app.request('/organisations/nouvelle', { headers: { cookie: owner.cookie } });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<h1>Inscrire une organisation</h1>');
    for (const name of [
      'name',
      'siret',
      'kind',
      'legalForm',
      'nafCode',
      'communeCodeQuery',
      'themes',
      'description',
    ])
      expect(body).toContain(`name="${name}"`);
  });

  it('creates the organisation and redirects to its page (commune typed, no JavaScript)', async () => {
    const res = await t.app.request('/organisations', formPost(formFields(), { cookie: owner.cookie }));
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/organisations\/\d+\?info=creee$/);
    const page = await (await t.app.request(location, { headers: { cookie: owner.cookie } })).text();
    expect(page).toContain('<h1>Atelier du Grésivaudan</h1>');
    expect(page).toContain('L’organisation est inscrite.');
    expect(page).toContain('Voiron');
    expect(page).toContain('Numérique');
    const id = Number(location.split('/')[2]!.split('?')[0]);
    const json = await (await t.app.request(`/api/v1/organisations/${id}`)).json();
    expect(json).toMatchObject({
      communeCode: '38563',
      themes: ['digital', 'training'],
      nafCode: null,
      website: null,
    });
  });

  it('comes back with 422, a message per field, the input kept and escaped, nothing stored', async () => {
    const before = await organisationCount();
    const res = await t.app.request(
      '/organisations',
      formPost(
        formFields({
          name: '<script>alert(1)</script>',
          siret: '123 456 789 00000',
          kind: '',
          communeCodeQuery: 'Zzzzville',
          description: 'd'.repeat(5001),
          website: 'ftp://example.org',
        }),
        { cookie: owner.cookie },
      ),
    );
    expect(res.status).toBe(422);
    const body = await res.text();
    // Five errors: HTML in the name is not one (it is text, shown escaped).
    expect(body).toContain('Le formulaire contient 5 erreurs');
    for (const message of [
      'Ce numéro SIRET n’existe pas',
      'Choisissez le type d’organisation.',
      'Commune inconnue.',
      'La description est limitée à 5000 caractères.',
      'Indiquez une adresse de site commençant par https://',
    ])
      expect(body).toContain(message);
    expect(body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(body).not.toContain('<script>alert(1)');
    expect(body).toContain('value="123 456 789 00000"');
    expect(body).toContain('value="Zzzzville"');
    expect(body).toContain('value="ftp://example.org"');
    expect(await organisationCount()).toBe(before);
  });

  it('asks to choose when the commune text is ambiguous', async () => {
    const res = await t.app.request(
      '/organisations',
      formPost(formFields({ communeCodeQuery: 'Saint-Martin' }), { cookie: owner.cookie }),
    );
    expect(res.status).toBe(422);
    const body = await res.text();
    expect(body).toContain('Plusieurs communes correspondent');
    expect(body).toContain('type="radio"');
  });

  it('shows a duplicate SIRET as a field error', async () => {
    const existing = await createViaApi();
    const res = await t.app.request(
      '/organisations',
      formPost(formFields({ siret: existing.siret }), { cookie: owner.cookie }),
    );
    expect(res.status).toBe(409);
    const body = await res.text();
    expect(body).toContain('Une organisation avec ce numéro SIRET est déjà inscrite.');
    expect(body).toContain('value="Atelier du Grésivaudan"');
  });

  it('refuses a form posted from another site (CSRF)', async () => {
    const res = await t.app.request(
      '/organisations',
      formPost(formFields(), { cookie: owner.cookie, origin: 'https://evil.example' }),
    );
    expect(res.status).toBe(403);
  });
});

describe('edit form', () => {
  it('saves the changes with the version it was opened at', async () => {
    const created = await createViaApi();
    const form = await (
      await t.app.request(`/organisations/${created.id}/modifier`, { headers: { cookie: owner.cookie } })
    ).text();
    expect(form).toContain('name="version" value="1"');
    expect(form).toContain('value="Recyclerie du Voironnais"');
    expect(form).toContain('value="38563" checked=""');
    const res = await t.app.request(
      `/organisations/${created.id}/modifier`,
      formPost(
        {
          version: '1',
          name: 'Recyclerie modifiée',
          siret: created.siret,
          kind: 'ess',
          legalForm: 'scic',
          nafCode: '38.32Z',
          communeCode: '38563',
          communeCodeQuery: 'Voiron',
          themes: 'recycling_reuse',
          description: 'Nouvelle présentation',
          website: '',
          contactEmail: 'nouveau@example.org',
        },
        { cookie: editor.cookie },
      ),
    );
    expect(res.status).toBe(403); // the editor is not a member yet
    await addMember(created.id, editor, 'editor');
    const saved = await t.app.request(
      `/organisations/${created.id}/modifier`,
      formPost(
        {
          version: '1',
          name: 'Recyclerie modifiée',
          siret: created.siret,
          kind: 'ess',
          legalForm: 'scic',
          nafCode: '38.32Z',
          communeCode: '38563',
          communeCodeQuery: 'Voiron',
          themes: 'recycling_reuse',
          description: 'Nouvelle présentation',
          website: '',
          contactEmail: 'nouveau@example.org',
        },
        { cookie: editor.cookie },
      ),
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/organisations/${created.id}?info=modifiee`);
    const json = await (
      await t.app.request(`/api/v1/organisations/${created.id}`, { headers: { authorization: owner.bearer } })
    ).json();
    expect(json).toMatchObject({
      name: 'Recyclerie modifiée',
      legalForm: 'scic',
      themes: ['recycling_reuse'],
      website: null,
      contactEmail: 'nouveau@example.org',
      version: 2,
    });
  });

  it('answers 409 with a message and the current data when someone saved in between', async () => {
    const created = await createViaApi();
    const concurrent = await t.app.request(
      `/api/v1/organisations/${created.id}`,
      jsonRequest(
        'PATCH',
        { version: 1, name: 'Nom changé par une collègue' },
        { authorization: owner.bearer },
      ),
    );
    expect(concurrent.status).toBe(200);
    const res = await t.app.request(
      `/organisations/${created.id}/modifier`,
      formPost(
        {
          version: '1',
          name: 'Mon nom à moi',
          siret: created.siret,
          kind: 'ess',
          legalForm: 'association',
          communeCode: '38563',
          communeCodeQuery: 'Voiron',
          description: '',
        },
        { cookie: owner.cookie },
      ),
    );
    expect(res.status).toBe(409);
    const body = await res.text();
    expect(body).toContain('Modification concurrente');
    expect(body).toContain('a été modifiée par quelqu’un d’autre');
    expect(body).toContain('value="Nom changé par une collègue"');
    expect(body).toContain('name="version" value="2"');
    const json = await (await t.app.request(`/api/v1/organisations/${created.id}`)).json();
    expect(json.name).toBe('Nom changé par une collègue');
  });

  it('comes back with 422 and the messages on invalid input', async () => {
    const created = await createViaApi();
    const res = await t.app.request(
      `/organisations/${created.id}/modifier`,
      formPost(
        {
          version: '1',
          name: '',
          siret: created.siret,
          kind: 'ess',
          legalForm: 'association',
          communeCode: '38563',
          contactEmail: 'pas une adresse',
        },
        { cookie: owner.cookie },
      ),
    );
    expect(res.status).toBe(422);
    const body = await res.text();
    expect(body).toContain('Indiquez le nom de l’organisation.');
    expect(body).toContain('Indiquez une adresse électronique valide');
    expect(body).toContain('value="pas une adresse"');
  });
});

describe('invitations', () => {
  async function invite(organisationId: number, email: string, role = 'editor') {
    const res = await t.app.request(
      `/organisations/${organisationId}/invitations`,
      formPost({ email, role }, { cookie: owner.cookie }),
    );
    expect(res.status).toBe(303);
    const [mail] = await t.db.select().from(emails).where(eq(emails.to, email.toLowerCase()));
    const link = /http:\/\/localhost(\/invitations\/organisation\/[A-Za-z0-9_-]+)/.exec(mail!.text);
    return { res, mail: mail!, path: link![1]! };
  }

  it('invites by email, and the matching account accepts once', async () => {
    const created = await createViaApi();
    const invitee = await createSignedInUser(t, { email: 'invitee@example.org', name: 'Inès Invitée' });
    const { res, mail, path } = await invite(created.id, 'Invitee@Example.org');
    expect(res.headers.get('location')).toBe(`/organisations/${created.id}?info=invitation#membres`);
    expect(mail.subject).toBe('Invitation à gérer « Recyclerie du Voironnais » sur ptce-hub');
    expect(mail.text).toContain('Odile Propriétaire vous invite');
    expect(mail.text).toContain('« Éditeur·rice »');
    expect(mail.sentAt).not.toBeNull();
    const [stored] = await t.db
      .select()
      .from(organisationInvitations)
      .where(eq(organisationInvitations.organisationId, created.id));
    expect(stored!.expiresAt).toBe(new Date(t.clock.now().getTime() + 7 * 24 * 3600_000).toISOString());
    expect(stored!.tokenHash).not.toContain(path.split('/').at(-1)!);

    const ownerPage = await (
      await t.app.request(`/organisations/${created.id}`, { headers: { cookie: owner.cookie } })
    ).text();
    expect(ownerPage).toContain('Invitations en attente');
    expect(ownerPage).toContain('invitee@example.org');

    const anonymous = await t.app.request(path);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/connexion?retour=');

    const wrongPage = await t.app.request(path, { headers: { cookie: other.cookie } });
    expect(wrongPage.status).toBe(403);
    expect(await wrongPage.text()).toContain('envoyée à une autre adresse électronique');
    const wrongAccept = await t.app.request(path, formPost({}, { cookie: other.cookie }));
    expect(wrongAccept.status).toBe(403);

    const page = await t.app.request(path, { headers: { cookie: invitee.cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Rejoindre « Recyclerie du Voironnais »');
    expect(html).toContain('Accepter l’invitation');

    const accepted = await t.app.request(path, formPost({}, { cookie: invitee.cookie }));
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe(`/organisations/${created.id}?info=bienvenue`);
    const [membership] = await t.db
      .select()
      .from(organisationMembers)
      .where(
        and(eq(organisationMembers.organisationId, created.id), eq(organisationMembers.userId, invitee.id)),
      );
    expect(membership!.role).toBe('editor');

    const reused = await t.app.request(path, formPost({}, { cookie: invitee.cookie }));
    expect(reused.status).toBe(404);
    expect(await reused.text()).toContain('déjà été utilisée');
    expect((await t.app.request(path, { headers: { cookie: invitee.cookie } })).status).toBe(404);

    // The new editor can now edit through the API.
    const edit = await t.app.request(
      `/api/v1/organisations/${created.id}`,
      jsonRequest('PATCH', { version: 1, description: 'Par Inès' }, { authorization: invitee.bearer }),
    );
    expect(edit.status).toBe(200);
  });

  it('refuses an expired invitation, an unverified account, and an unknown token', async () => {
    const created = await createViaApi();
    const late = await createSignedInUser(t, { email: 'late@example.org' });
    const { path } = await invite(created.id, 'late@example.org');
    await t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, late.id));
    expect((await t.app.request(path, formPost({}, { cookie: late.cookie }))).status).toBe(403);
    await t.db
      .update(users)
      .set({ emailVerifiedAt: t.clock.now().toISOString() })
      .where(eq(users.id, late.id));
    await t.db
      .update(organisationInvitations)
      .set({ expiresAt: t.clock.now().toISOString() })
      .where(eq(organisationInvitations.email, 'late@example.org'));
    const expired = await t.app.request(path, formPost({}, { cookie: late.cookie }));
    expect(expired.status).toBe(404);
    expect(await expired.text()).toContain('a expiré');
    expect((await t.app.request(path, { headers: { cookie: late.cookie } })).status).toBe(404);
    const unknown = await t.app.request(
      '/invitations/organisation/inconnu',
      formPost({}, { cookie: late.cookie }),
    );
    expect(unknown.status).toBe(404);
  });

  it('re-renders the form with 422 on an invalid address or an existing member', async () => {
    const created = await createViaApi();
    const invalid = await t.app.request(
      `/organisations/${created.id}/invitations`,
      formPost({ email: 'pas-une-adresse', role: 'editor' }, { cookie: owner.cookie }),
    );
    expect(invalid.status).toBe(422);
    const body = await invalid.text();
    expect(body).toContain('Indiquez une adresse électronique valide');
    expect(body).toContain('value="pas-une-adresse"');
    const member = await t.app.request(
      `/organisations/${created.id}/invitations`,
      formPost({ email: owner.email, role: 'editor' }, { cookie: owner.cookie }),
    );
    expect(member.status).toBe(422);
    expect(await member.text()).toContain('Cette personne est déjà membre de l’organisation.');
  });
});

describe('members', () => {
  it('lets an owner change roles and remove members, but never the last owner', async () => {
    const created = await createViaApi();
    await addMember(created.id, editor, 'editor');
    const post = (path: string, body: Record<string, string> = {}, user = owner) =>
      t.app.request(`/organisations/${created.id}/membres/${path}`, formPost(body, { cookie: user.cookie }));

    expect((await post(`${owner.id}/supprimer`, {}, editor)).status).toBe(403);
    const lastOwner = await post(`${owner.id}/supprimer`);
    expect(lastOwner.status).toBe(409);
    expect(await lastOwner.text()).toContain('Une organisation garde au moins un propriétaire');
    expect((await post(`${owner.id}/role`, { role: 'editor' })).status).toBe(409);

    const promoted = await post(`${editor.id}/role`, { role: 'owner' });
    expect(promoted.status).toBe(303);
    const demoted = await post(`${owner.id}/role`, { role: 'editor' });
    expect(demoted.status).toBe(303);
    // The former owner is now an editor: managing members is refused.
    expect((await post(`${editor.id}/supprimer`)).status).toBe(403);
    const removed = await post(`${owner.id}/supprimer`, {}, editor);
    expect(removed.status).toBe(303);
    const members = await t.db
      .select({ userId: organisationMembers.userId, role: organisationMembers.role })
      .from(organisationMembers)
      .where(eq(organisationMembers.organisationId, created.id));
    expect(members).toEqual([{ userId: editor.id, role: 'owner' }]);
    expect((await post(`${other.id}/supprimer`, {}, editor)).status).toBe(404);
  });
});
