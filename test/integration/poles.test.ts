import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emails, users } from '../../src/db/schema.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { addMember, createOrganisation, type OrganisationFixture } from '../support/fixtures.ts';

/** This test's app: a fresh copy of `template` (the file's seeded world, or a describe's). */
let t: TestApp;
/** Owner of the coordinating organisation. */
let coordinator: TestUser;
/** Editor (not owner) of the same organisation. */
let coordinatorEditor: TestUser;
/** Owner of an unrelated organisation. */
let outsider: TestUser;
let staff: TestUser;
let coordOrg: OrganisationFixture;
let outsiderOrg: OrganisationFixture;
let fileTemplate: Awaited<ReturnType<typeof seedTemplate>>;
let template: string;

beforeAll(async () => {
  fileTemplate = await seedTemplate(async (seed) => {
    coordinator = await createSignedInUser(seed, { name: 'Claire Coordinatrice' });
    coordinatorEditor = await createSignedInUser(seed, { name: 'Éric Éditeur' });
    outsider = await createSignedInUser(seed, { name: 'Odile Extérieure' });
    staff = await createSignedInUser(seed, { role: 'instructor', name: 'Inès Instructrice' });
    coordOrg = await createOrganisation(seed, {
      name: 'Régie de quartier du Voironnais',
      kind: 'ess',
      owner: coordinator,
    });
    await addMember(seed, coordOrg.id, coordinator, coordinatorEditor, 'editor');
    outsiderOrg = await createOrganisation(seed, {
      name: 'Menuiserie Durand',
      kind: 'sme',
      communeCode: '38185',
      owner: outsider,
    });
  });
  template = fileTemplate.template;
});
afterAll(() => fileTemplate.remove());
beforeEach(async () => {
  t = await createTestApp({ template });
});
afterEach(() => t.close());

const auth = (user?: TestUser): Record<string, string> => (user ? { authorization: user.bearer } : {});

function api(method: string, path: string, body?: unknown, user?: TestUser) {
  return t.app.request(path, jsonRequest(method, body, auth(user)));
}

function page(path: string, user?: TestUser, headers: Record<string, string> = {}) {
  return t.app.request(path, { headers: { ...(user ? { cookie: user.cookie } : {}), ...headers } });
}

function post(path: string, body: Record<string, string | string[]>, user?: TestUser) {
  return t.app.request(path, formPost(body, user ? { cookie: user.cookie } : {}));
}

interface PoleJson {
  id: number;
  slug: string;
  name: string;
  status: string;
  version: number;
  departements: string[];
  themes: string[];
  commune: { code: string; name: string; departement: string };
  members: Array<{ organisationId: number; name: string; kind: string; role: string; status: string }>;
  composition: { meetsDefinition: boolean; criteria: Record<string, boolean> };
  distanceKm?: number;
}

let poleCounter = 0;

/** A pôle coordinated by `coordOrg`, created through the API. */
async function newPole(overrides: Record<string, unknown> = {}): Promise<PoleJson> {
  const res = await api(
    'POST',
    '/api/v1/poles',
    {
      name: `Pôle d’essai ${++poleCounter}`,
      description: 'Mutualisation de locaux et d’emplois.',
      communeCode: '38563',
      organisationId: coordOrg.id,
      ...overrides,
    },
    coordinator,
  );
  expect(res.status).toBe(201);
  return (await res.json()) as PoleJson;
}

async function getPole(id: number): Promise<PoleJson> {
  const res = await api('GET', `/api/v1/poles/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as PoleJson;
}

describe('POST /api/v1/poles', () => {
  it('creates a pôle with its coordinator, territory and themes', async () => {
    const res = await api(
      'POST',
      '/api/v1/poles',
      {
        name: 'PTCE Centre Isère',
        description: 'Coopération économique autour de Voiron.',
        communeCode: '38563',
        departements: ['38', '73', '38'],
        themes: ['insertion', 'recycling_reuse'],
        organisationId: coordOrg.id,
      },
      coordinator,
    );
    expect(res.status).toBe(201);
    const pole = (await res.json()) as PoleJson;
    expect(res.headers.get('location')).toBe(`/api/v1/poles/${pole.id}`);
    expect(pole).toMatchObject({
      slug: 'ptce-centre-isere',
      name: 'PTCE Centre Isère',
      commune: { code: '38563', name: 'Voiron', departement: '38' },
      departement: '38',
      region: '84',
      departements: ['38', '73'],
      themes: ['insertion', 'recycling_reuse'],
      status: 'emerging',
      version: 1,
      isDemo: false,
      members: [
        {
          organisationId: coordOrg.id,
          name: coordOrg.name,
          kind: 'ess',
          role: 'coordinator',
          status: 'active',
        },
      ],
      composition: {
        meetsDefinition: false,
        criteria: { threeMembers: false, essEnterprise: true, nonEssEnterprise: false, otherActor: false },
      },
    });
  });

  it('suffixes the slug when the name is taken', async () => {
    const first = await newPole({ name: 'Pôle Homonyme' });
    const second = await newPole({ name: 'Pôle homonyme' });
    expect(first.slug).toBe('pole-homonyme');
    expect(second.slug).toBe('pole-homonyme-2');
  });

  it('refuses an explicit slug already in use with 422', async () => {
    await newPole({ slug: 'slug-choisi' });
    const res = await api(
      'POST',
      '/api/v1/poles',
      { name: 'Autre', slug: 'slug-choisi', communeCode: '38563', organisationId: coordOrg.id },
      coordinator,
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.slug).toMatch(/déjà utilisé/);
  });

  it.each([
    ['missing name', { name: undefined }, 'name', /obligatoire/],
    ['name too long', { name: 'x'.repeat(201) }, 'name', /200 caractères/],
    ['unknown commune', { communeCode: '99999' }, 'communeCode', /^Commune inconnue\.$/],
    ['malformed commune', { communeCode: 'Voiron' }, 'communeCode', /^Commune inconnue\.$/],
    ['bad département', { departements: ['38', '999'] }, 'departements.1', /Département inconnu/],
    ['bad theme', { themes: ['astrologie'] }, 'themes.0', /Thème inconnu/],
    ['description too long', { description: 'x'.repeat(5001) }, 'description', /5 000 caractères/],
    ['missing organisation', { organisationId: undefined }, 'organisationId', /organisation/],
  ])('answers 422 for %s, with a French message on the field', async (_, override, field, message) => {
    const res = await api(
      'POST',
      '/api/v1/poles',
      { name: 'Pôle invalide', communeCode: '38563', organisationId: coordOrg.id, ...override },
      coordinator,
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields[field]).toMatch(message);
  });

  it('refuses a coordinating organisation the requester does not act for (403)', async () => {
    const res = await api(
      'POST',
      '/api/v1/poles',
      { name: 'Usurpation', communeCode: '38563', organisationId: coordOrg.id },
      outsider,
    );
    expect(res.status).toBe(403);
  });

  it('refuses a status in the create body (422, even for staff): a pôle starts emerging', async () => {
    const member = await api(
      'POST',
      '/api/v1/poles',
      { name: 'Autoproclamé', communeCode: '38563', organisationId: coordOrg.id, status: 'laureate' },
      coordinator,
    );
    expect(member.status).toBe(422);
    expect((await member.json()).error.fields.status).toMatch(/changement de statut motivé/);
    const staffOrg = await createOrganisation(t, { owner: staff, kind: 'network' });
    const res = await api(
      'POST',
      '/api/v1/poles',
      { name: 'Lauréat 2026', communeCode: '38563', organisationId: staffOrg.id, status: 'laureate' },
      staff,
    );
    expect(res.status).toBe(422);
    const created = await api(
      'POST',
      '/api/v1/poles',
      { name: 'Pôle neuf', communeCode: '38563', organisationId: staffOrg.id },
      staff,
    );
    expect((await created.json()).status).toBe('emerging');
  });

  it('needs a signed-in user (401) with a confirmed email (403)', async () => {
    const body = { name: 'Sans compte', communeCode: '38563', organisationId: coordOrg.id };
    expect((await api('POST', '/api/v1/poles', body)).status).toBe(401);
    const unverified = await createSignedInUser(t);
    await t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, unverified.id));
    await createOrganisation(t, { owner: unverified });
    expect((await api('POST', '/api/v1/poles', body, unverified)).status).toBe(403);
    expect((await api('POST', '/api/v1/poles', { name: '' }, unverified)).status).toBe(403);
  });
});

describe('pôle pages: create and edit', () => {
  it('creates a pôle from the form and redirects to its page', async () => {
    const form = await page('/poles/nouveau', coordinator);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('Déclarer un pôle');
    expect(html).toContain(`value="${coordOrg.id}"`);
    expect(html).not.toContain('name="status"');

    const res = await post(
      '/poles',
      {
        organisationId: String(coordOrg.id),
        name: 'Coopaxis',
        description: 'Pôle de coopération tourangeau.\n\nDeuxième paragraphe.',
        communeQuery: 'Tours',
        departements: '37, 41',
        themes: ['digital', 'business_services'],
      },
      coordinator,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/poles/coopaxis?message=cree');
    const view = await (await page('/poles/coopaxis?message=cree', coordinator)).text();
    expect(view).toContain('<h1>Coopaxis</h1>');
    expect(view).toContain('Le pôle est créé');
    expect(view).toContain('<p>Deuxième paragraphe.</p>');
    expect(view).toContain('Tours — Indre-et-Loire (37)');
    expect(view).toContain('Loir-et-Cher (41)');
    expect(view).toContain('Numérique');
    expect(view).toContain('href="/poles/coopaxis/modifier"');
  });

  it('re-renders the form with 422, French messages per field and the input kept', async () => {
    const res = await post(
      '/poles',
      {
        organisationId: String(coordOrg.id),
        name: '',
        description: 'Ma description gardée',
        communeQuery: 'Zzyzxville',
        departements: '38, 999',
      },
      coordinator,
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Le nom est obligatoire.');
    expect(html).toContain('Commune inconnue.');
    expect(html).toContain('Département inconnu.');
    expect(html).toContain('Ma description gardée');
    expect(html).toContain('value="Zzyzxville"');
    expect(html).toContain('value="38, 999"');
    expect(html).toContain('href="#champ-name"');
  });

  it('escapes markup in names on the page', async () => {
    const pole = await newPole({ name: '<script>alert(1)</script> Pôle' });
    const html = await (await page(`/poles/${pole.slug}`)).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Pôle');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('explains how to register an organisation to a user who has none', async () => {
    const newcomer = await createSignedInUser(t);
    const html = await (await page('/poles/nouveau', newcomer)).text();
    expect(html).toContain('href="/organisations/nouvelle"');
    expect(html).not.toContain('name="name"');
  });

  it('sends anonymous visitors of the form to sign in', async () => {
    const res = await page('/poles/nouveau');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/connexion?retour=%2Fpoles%2Fnouveau');
  });

  it('edits a pôle (coordinator); the edit form has no status field, even for staff', async () => {
    const pole = await newPole();
    const form = await (await page(`/poles/${pole.slug}/modifier`, coordinatorEditor)).text();
    expect(form).toContain(`value="${pole.name}"`);
    expect(form).not.toContain('name="status"');
    expect((await page(`/poles/${pole.slug}/modifier`, outsider)).status).toBe(403);
    expect(await (await page(`/poles/${pole.slug}/modifier`, staff)).text()).not.toContain('name="status"');

    const res = await post(
      `/poles/${pole.slug}/modifier`,
      {
        name: `${pole.name} renommé`,
        slug: pole.slug,
        description: 'Nouvelle description',
        commune: '38185',
        communeQuery: 'Grenoble',
        departements: '38',
        themes: 'culture',
        version: '1',
      },
      coordinatorEditor,
    );
    expect(res.status).toBe(303);
    const updated = await getPole(pole.id);
    expect(updated).toMatchObject({
      name: `${pole.name} renommé`,
      commune: { code: '38185', name: 'Grenoble' },
      themes: ['culture'],
      departements: ['38'],
      version: 2,
    });
  });

  it('shows a stale edit again with 409 and the input kept', async () => {
    const pole = await newPole();
    await api(
      'PATCH',
      `/api/v1/poles/${pole.id}`,
      { description: 'Changement concurrent', version: 1 },
      coordinator,
    );
    const res = await post(
      `/poles/${pole.slug}/modifier`,
      { name: 'Mon nom', slug: pole.slug, description: 'Ma version', commune: '38563', version: '1' },
      coordinatorEditor,
    );
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('modifié entre-temps');
    expect(html).toContain('Ma version');
    expect(html).toContain('name="version" value="2"');
  });

  it('refuses a status sent through the edit form (422, the status changes with a reason)', async () => {
    const pole = await newPole();
    const res = await post(
      `/poles/${pole.slug}/modifier`,
      { name: pole.name, description: '', commune: '38563', status: 'laureate', version: '1' },
      coordinator,
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('changement de statut motivé');
    expect((await getPole(pole.id)).status).toBe('emerging');
  });
});

describe('authorisation of writes', () => {
  type Actor = 'anonymous' | 'outsider' | 'coordinatorEditor' | 'staff';
  const who = (actor: Actor) =>
    ({ anonymous: undefined, outsider, coordinatorEditor, staff })[actor] as TestUser | undefined;

  it.each<[string, Actor, number]>([
    ['PATCH', 'anonymous', 401],
    ['PATCH', 'outsider', 403],
    ['PATCH', 'coordinatorEditor', 200],
    ['PATCH', 'staff', 200],
    ['status change', 'anonymous', 401],
    ['status change', 'outsider', 403],
    ['status change', 'coordinatorEditor', 403],
    ['status change', 'staff', 200],
    ['add member', 'anonymous', 401],
    ['add member', 'outsider', 403],
    ['add member', 'coordinatorEditor', 201],
    ['add member', 'staff', 201],
    ['remove member', 'anonymous', 401],
    ['remove member', 'outsider', 403],
    ['remove member', 'coordinatorEditor', 204],
    ['remove member', 'staff', 204],
  ])('%s by %s → %i', async (operation, actor, expected) => {
    const pole = await newPole();
    const user = who(actor);
    const member = await createOrganisation(t, { kind: 'research' });
    let res: Response;
    if (operation === 'PATCH') {
      res = await api('PATCH', `/api/v1/poles/${pole.id}`, { description: 'Modifié', version: 1 }, user);
    } else if (operation === 'status change') {
      res = await api(
        'POST',
        `/api/v1/poles/${pole.id}/status`,
        { status: 'established', reason: 'Deux ans d’activité', version: 1 },
        user,
      );
    } else if (operation === 'add member') {
      res = await api('POST', `/api/v1/poles/${pole.id}/members`, { organisationId: member.id }, user);
    } else {
      await api('POST', `/api/v1/poles/${pole.id}/members`, { organisationId: member.id }, coordinator);
      res = await api('DELETE', `/api/v1/poles/${pole.id}/members/${member.id}`, undefined, user);
    }
    expect(res.status).toBe(expected);
    const after = await getPole(pole.id);
    const changed = {
      PATCH: after.version === 2,
      'status change': after.status === 'established',
      'add member': after.members.some((m) => m.organisationId === member.id),
      'remove member': !after.members.some((m) => m.organisationId === member.id),
    }[operation];
    expect(changed).toBe(expected < 300);
  });

  it('answers 404 for an unknown pôle and 409 for a stale version', async () => {
    expect((await api('PATCH', '/api/v1/poles/999999', { version: 1 }, coordinator)).status).toBe(404);
    expect((await api('GET', '/api/v1/poles/abc')).status).toBe(404);
    const pole = await newPole();
    const first = await api(
      'PATCH',
      `/api/v1/poles/${pole.id}`,
      { themes: ['culture'], version: 1 },
      coordinator,
    );
    expect(first.status).toBe(200);
    expect((await first.json()).version).toBe(2);
    const stale = await api(
      'PATCH',
      `/api/v1/poles/${pole.id}`,
      { themes: ['digital'], name: 'Écrasé', version: 1 },
      coordinatorEditor,
    );
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe('conflict');
    const after = await getPole(pole.id);
    expect(after.themes).toEqual(['culture']);
    expect(after.name).toBe(pole.name);
    expect(
      (await api('PATCH', `/api/v1/poles/${pole.id}`, { name: 'Sans version' }, coordinator)).status,
    ).toBe(422);
  });

  it('validates PATCH fields (unknown commune 422)', async () => {
    const pole = await newPole();
    const res = await api(
      'PATCH',
      `/api/v1/poles/${pole.id}`,
      { communeCode: '00000', version: 1 },
      coordinator,
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.communeCode).toBe('Commune inconnue.');
  });
});

describe('membership', () => {
  it('staff add an organisation: active at once and listed on the page', async () => {
    const pole = await newPole();
    const lab = await createOrganisation(t, {
      name: 'Laboratoire Coopératif Alpin',
      kind: 'research',
      communeCode: '38185',
    });
    const res = await api('POST', `/api/v1/poles/${pole.id}/members`, { organisationId: lab.id }, staff);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      poleId: pole.id,
      organisationId: lab.id,
      role: 'member',
      status: 'active',
    });
    const again = await api('POST', `/api/v1/poles/${pole.id}/members`, { organisationId: lab.id }, staff);
    expect(again.status).toBe(200);
    const html = await (await page(`/poles/${pole.slug}`)).text();
    expect(html).toContain(`<a href="/organisations/${lab.id}">Laboratoire Coopératif Alpin</a>`);
    expect(html).toContain('Centre de recherche / université');
    expect(html).toContain('Membres (2)');
  });

  it('an organisation asks to join, the coordinator accepts on the page', async () => {
    const pole = await newPole();
    const res = await api(
      'POST',
      `/api/v1/poles/${pole.id}/members`,
      { organisationId: outsiderOrg.id },
      outsider,
    );
    expect(res.status).toBe(201);
    expect((await res.json()).status).toBe('requested');
    const [mail] = await t.db.select().from(emails).where(eq(emails.to, coordinator.email));
    expect(mail?.subject).toContain('Demande d’adhésion');

    // Not active yet: hidden from the public, shown to the coordination with an accept button.
    expect(await (await page(`/poles/${pole.slug}`)).text()).not.toContain('Menuiserie Durand');
    const html = await (await page(`/poles/${pole.slug}`, coordinator)).text();
    expect(html).toContain('demande à rejoindre le pôle');
    expect(html).toContain(`action="/poles/${pole.slug}/membres/${outsiderOrg.id}/accepter"`);

    // The requester cannot accept its own request.
    expect((await post(`/poles/${pole.slug}/membres/${outsiderOrg.id}/accepter`, {}, outsider)).status).toBe(
      403,
    );
    const accept = await post(
      `/poles/${pole.slug}/membres/${outsiderOrg.id}/accepter`,
      {},
      coordinatorEditor,
    );
    expect(accept.status).toBe(303);
    const after = await getPole(pole.id);
    expect(after.members.find((m) => m.organisationId === outsiderOrg.id)?.status).toBe('active');
    const told = await t.db.select().from(emails).where(eq(emails.to, outsider.email));
    expect(told.map((m) => m.subject)).toContain(`Votre organisation est membre du pôle ${pole.name}`);
  });

  it('the coordinator invites from a search, the organisation accepts its invitation', async () => {
    const pole = await newPole();
    const invitedOwner = await createSignedInUser(t);
    const invited = await createOrganisation(t, {
      name: 'Lycée des Métiers du Bâtiment',
      kind: 'training',
      owner: invitedOwner,
    });
    // Ambiguous text: the page offers the candidates.
    await createOrganisation(t, { name: 'Lycée agricole de la Côte' });
    const ambiguous = await post(`/poles/${pole.slug}/membres`, { organisationQuery: 'lycee' }, coordinator);
    expect(ambiguous.status).toBe(422);
    const choices = await ambiguous.text();
    expect(choices).toContain('Plusieurs organisations correspondent');
    expect(choices).toContain(`value="${invited.id}"`);
    // The htmx picker answers the same candidates as a fragment.
    const fragment = await (
      await page(`/poles/${pole.slug}/organisations-candidates?organisationQuery=batiment`)
    ).text();
    expect(fragment).toContain(`value="${invited.id}"`);
    expect(fragment).not.toContain('<html');

    const res = await post(
      `/poles/${pole.slug}/membres`,
      { organisationQuery: 'metiers batiment' },
      coordinator,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/poles/${pole.slug}?message=invite`);
    expect((await getPole(pole.id)).members.find((m) => m.organisationId === invited.id)?.status).toBe(
      'invited',
    );
    const [mail] = await t.db.select().from(emails).where(eq(emails.to, invitedOwner.email));
    expect(mail?.subject).toContain('Invitation');

    const html = await (await page(`/poles/${pole.slug}`, invitedOwner)).text();
    expect(html).toContain('Accepter l’invitation');
    // The coordinator cannot accept on the invitee's behalf.
    expect((await post(`/poles/${pole.slug}/membres/${invited.id}/accepter`, {}, coordinator)).status).toBe(
      403,
    );
    const accept = await post(`/poles/${pole.slug}/membres/${invited.id}/accepter`, {}, invitedOwner);
    expect(accept.status).toBe(303);
    expect((await getPole(pole.id)).members.find((m) => m.organisationId === invited.id)?.status).toBe(
      'active',
    );
    const told = await t.db.select().from(emails).where(eq(emails.to, coordinator.email));
    expect(told.map((m) => m.subject)).toContain(`${invited.name} a rejoint le pôle ${pole.name}`);
  });

  it('invites by platform number, and a join request from the page', async () => {
    const pole = await newPole();
    const owner = await createSignedInUser(t);
    const org = await createOrganisation(t, { kind: 'sme', owner });
    expect(
      (await post(`/poles/${pole.slug}/membres`, { organisationQuery: String(org.id) }, coordinator)).status,
    ).toBe(303);
    await api('DELETE', `/api/v1/poles/${pole.id}/members/${org.id}`, undefined, owner); // declines
    const join = await (await page(`/poles/${pole.slug}`, owner)).text();
    expect(join).toContain('Demander l’adhésion');
    const res = await post(`/poles/${pole.slug}/rejoindre`, { organisationId: String(org.id) }, owner);
    expect(res.headers.get('location')).toBe(`/poles/${pole.slug}?message=demande`);
    expect((await getPole(pole.id)).members.find((m) => m.organisationId === org.id)?.status).toBe(
      'requested',
    );
    // Asking in the name of someone else's organisation is refused.
    expect(
      (await post(`/poles/${pole.slug}/rejoindre`, { organisationId: String(coordOrg.id) }, owner)).status,
    ).toBe(403);
  });

  it('an organisation leaves; the only coordinator cannot (409)', async () => {
    const pole = await newPole();
    await api('POST', `/api/v1/poles/${pole.id}/members`, { organisationId: outsiderOrg.id }, staff);
    expect(
      (await api('DELETE', `/api/v1/poles/${pole.id}/members/${outsiderOrg.id}`, undefined, outsider)).status,
    ).toBe(204);
    expect((await getPole(pole.id)).members.map((m) => m.organisationId)).toEqual([coordOrg.id]);
    // No leave button for the only coordinator, whose leaving the server refuses.
    const own = await (await page(`/poles/${pole.slug}`, coordinator)).text();
    expect(own).not.toContain(`/membres/${coordOrg.id}/retirer`);
    const leave = await api(
      'DELETE',
      `/api/v1/poles/${pole.id}/members/${coordOrg.id}`,
      undefined,
      coordinator,
    );
    expect(leave.status).toBe(409);
    expect((await leave.json()).error.message).toMatch(/au moins une organisation coordinatrice/);
    expect(
      (await api('DELETE', `/api/v1/poles/${pole.id}/members/${outsiderOrg.id}`, undefined, coordinator))
        .status,
    ).toBe(404);
    // From the page: leave button for the member's own organisation.
    await api('POST', `/api/v1/poles/${pole.id}/members`, { organisationId: outsiderOrg.id }, staff);
    const html = await (await page(`/poles/${pole.slug}`, outsider)).text();
    expect(html).toContain('Quitter le pôle');
    const res = await post(`/poles/${pole.slug}/membres/${outsiderOrg.id}/retirer`, {}, outsider);
    expect(res.status).toBe(303);
    expect((await getPole(pole.id)).members).toHaveLength(1);
  });

  it('shares the coordination with another member, who then manages the pôle', async () => {
    const pole = await newPole();
    await api('POST', `/api/v1/poles/${pole.id}/members`, { organisationId: outsiderOrg.id }, staff);
    const role = (org: OrganisationFixture) => `/poles/${pole.slug}/membres/${org.id}/role`;
    expect((await post(role(outsiderOrg), { role: 'coordinator' }, outsider)).status).toBe(403);
    expect(await (await page(`/poles/${pole.slug}`, coordinator)).text()).toContain(
      'Associer à la coordination',
    );
    expect((await post(role(outsiderOrg), { role: 'coordinator' }, coordinator)).status).toBe(303);
    const patched = await api(
      'PATCH',
      `/api/v1/poles/${pole.id}`,
      { description: 'Par Odile', version: 1 },
      outsider,
    );
    expect(patched.status).toBe(200);
    // The first coordinator steps down, and loses the rights that came with the role.
    expect((await post(role(coordOrg), { role: 'member' }, coordinator)).status).toBe(303);
    expect((await api('PATCH', `/api/v1/poles/${pole.id}`, { version: 2 }, coordinator)).status).toBe(403);
    // The last coordinator cannot step down.
    expect((await post(role(outsiderOrg), { role: 'member' }, outsider)).status).toBe(409);
    expect((await getPole(pole.id)).members.map((m) => [m.organisationId, m.role])).toEqual([
      [outsiderOrg.id, 'coordinator'],
      [coordOrg.id, 'member'],
    ]);
    expect(
      (await api('DELETE', `/api/v1/poles/${pole.id}/members/${coordOrg.id}`, undefined, coordinator)).status,
    ).toBe(204);
  });

  it('shows the PTCE-definition indicator, criterion by criterion', async () => {
    const pole = await newPole();
    let html = await (await page(`/poles/${pole.slug}`)).text();
    expect(html).toContain('Composition à compléter');
    expect(html).toMatch(
      /data-critere="nonEssEnterprise">\s*<p class="fr-badge[^"]*fr-badge--error">Manquant/,
    );
    expect(html).toMatch(/data-critere="essEnterprise">\s*<p class="fr-badge[^"]*fr-badge--success">Rempli/);
    for (const kind of ['sme', 'local_authority'] as const) {
      const org = await createOrganisation(t, { kind });
      await api('POST', `/api/v1/poles/${pole.id}/members`, { organisationId: org.id }, staff);
    }
    html = await (await page(`/poles/${pole.slug}`)).text();
    expect(html).toContain('Composition conforme à la définition des PTCE');
    expect(html).not.toContain('Manquant');
    expect((await getPole(pole.id)).composition.meetsDefinition).toBe(true);
  });
});

describe('directory and search', () => {
  let energie: PoleJson;
  let recyclerie: PoleJson;
  let lyon: PoleJson;
  let directoryTemplate: Awaited<ReturnType<typeof seedTemplate>>;
  // Four pôles seeded once; each test searches its own copy (the file's beforeEach copies `template`).
  beforeAll(async () => {
    directoryTemplate = await seedTemplate(
      async (seed) => {
        t = seed;
        energie = await newPole({
          name: 'Énergies citoyennes du Grésivaudan',
          description: 'Centrales solaires villageoises et rénovation.',
          communeCode: '38185',
          departements: ['26'],
          themes: ['renewable_energy'],
        });
        recyclerie = await newPole({
          name: 'Recyclerie des Bauges',
          description: 'Réemploi et réparation.',
          communeCode: '73065',
          themes: ['recycling_reuse'],
        });
        lyon = await newPole({
          name: 'Fabrique culturelle lyonnaise',
          communeCode: '69123',
          themes: ['culture'],
        });
        await newPole({ name: 'Pôle de Voiron', themes: ['insertion'] });
      },
      { template: fileTemplate.template },
    );
    template = directoryTemplate.template;
  });
  afterAll(() => {
    template = fileTemplate.template;
    directoryTemplate.remove();
  });

  async function search(query: string) {
    const res = await api('GET', `/api/v1/poles?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { items: PoleJson[]; total: number; page: number; perPage: number };
  }

  it('finds pôles by words, ignoring accents and case', async () => {
    const result = await search('q=energie%20CITOYENNE');
    expect(result.items.map((p) => p.id)).toEqual([energie.id]);
    expect(result).toMatchObject({ total: 1, page: 1, perPage: 20 });
    expect((await search('q=reemploi')).items.map((p) => p.id)).toEqual([recyclerie.id]);
    // FTS5 syntax is neutralised: `" OR *` searches the word « or », which no pôle contains.
    expect((await search('q=%22%20OR%20*')).total).toBe(0);
  });

  it('filters by département: the seat or a covered one', async () => {
    expect((await search('departement=26')).items.map((p) => p.id)).toEqual([energie.id]);
    const isere = (await search('departement=38&perPage=100')).items.map((p) => p.id);
    expect(isere).toContain(energie.id);
    expect(isere).not.toContain(recyclerie.id);
    const savoie = (await search('departement=73&perPage=100')).items.map((p) => p.id);
    expect(savoie).toContain(recyclerie.id);
    expect(savoie).not.toContain(energie.id);
  });

  it('filters by theme, region and status', async () => {
    expect((await search('theme=culture')).items.map((p) => p.id)).toContain(lyon.id);
    expect((await search('theme=culture')).items.map((p) => p.id)).not.toContain(energie.id);
    expect((await search('region=84&q=recyclerie')).total).toBe(1);
    expect((await search('region=11&q=recyclerie')).total).toBe(0);
    expect((await search('status=laureate&q=recyclerie')).total).toBe(0);
  });

  it('sorts by distance from a commune within a radius, with distances', async () => {
    const result = await search('commune=38563&radiusKm=40&perPage=100');
    const ids = result.items.map((p) => p.id);
    expect(ids).toContain(energie.id);
    expect(ids).toContain(recyclerie.id);
    expect(ids).not.toContain(lyon.id);
    const distances = result.items.map((p) => p.distanceKm!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(result.items.find((p) => p.id === energie.id)?.distanceKm).toBeCloseTo(24, -1);
    expect(distances.every((d) => d <= 40)).toBe(true);
    const all = await search('commune=38563&perPage=100');
    expect(all.items.find((p) => p.id === lyon.id)?.distanceKm).toBeGreaterThan(60);
  });

  it('rejects bad parameters with 400', async () => {
    expect((await api('GET', '/api/v1/poles?commune=99999')).status).toBe(400);
    expect((await api('GET', '/api/v1/poles?theme=astrologie')).status).toBe(400);
    expect((await api('GET', '/api/v1/poles?radiusKm=-3')).status).toBe(400);
  });

  it('paginates', async () => {
    const first = await search('perPage=2');
    const second = await search('perPage=2&page=2');
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(2);
    expect(first.total).toBe(4);
    const seen = [...first.items, ...second.items].map((p) => p.id);
    expect(new Set(seen).size).toBe(4);
  });

  it('serves the directory page, with the same results without JavaScript', async () => {
    const res = await page('/poles?q=energie&communeQuery=Voiron&radiusKm=50');
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toContain('HX-Request');
    const html = await res.text();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('hx-get="/poles"');
    expect(html).toContain('hx-target="#resultats"');
    expect(html).toContain('hx-push-url="true"');
    expect(html).toContain('Énergies citoyennes du Grésivaudan');
    expect(html).toContain('1 pôle');
    expect(html).toMatch(/à 2\d(,\d)? km/);
    expect(html).not.toContain('Recyclerie des Bauges');
  });

  it('answers htmx partial requests with the results fragment only', async () => {
    const res = await page('/poles?q=recyclerie', undefined, {
      'HX-Request': 'true',
      'HX-Request-Type': 'partial',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toContain('HX-Request');
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('Recyclerie des Bauges');
    expect(html).not.toContain('Énergies citoyennes');
  });

  it('offers the candidates when the commune typed is ambiguous, and says when it is unknown', async () => {
    const ambiguous = await (await page('/poles?communeQuery=saint')).text();
    expect(ambiguous).toContain('communes proposées');
    const unknown = await (await page('/poles?communeQuery=zzqqxx')).text();
    expect(unknown).toContain('Aucune commune ne correspond à « zzqqxx »');
  });
});
