import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emails, listings, threads, users } from '../../src/db/schema.ts';
import { UNSAFE_TEXT_MESSAGE } from '../../src/lib/text.ts';
import { createTestApp, formPost, jsonRequest, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { addMember, createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';
import { createPoleViaApi } from '../support/poles.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

let t: TestApp;
let owner: TestUser;
let editor: TestUser;
let outsider: TestUser;
let staff: TestUser;
let unverified: TestUser;
let coordinator: TestUser;
let ownerOrg: number;
let outsiderOrg: number;
let coordinatorOrg: number;
let pole: { id: number; slug: string };

const api = (user: TestUser | null, method: string, path: string, body?: unknown) =>
  t.app.request(path, jsonRequest(method, body, user ? { authorization: user.bearer } : {}));
const page = (user: TestUser | null, path: string) =>
  t.app.request(path, { headers: user ? { cookie: user.cookie } : {} });
const post = (user: TestUser | null, path: string, body: Record<string, string | string[]>) =>
  t.app.request(path, formPost(body, user ? { cookie: user.cookie } : {}));

/** A complete creation form, as the page sends it. */
const form = (overrides: Record<string, string> = {}) => ({
  organisationId: String(ownerOrg),
  type: 'offer',
  category: 'premises',
  title: 'Cuisine partagée à Voiron',
  description: 'Une cuisine professionnelle.\n\nDisponible le lundi.',
  communeCode: '',
  communeCodeQuery: '',
  radiusKm: '25',
  poleId: '',
  availableFrom: '',
  availableUntil: '',
  terms: 'cost_sharing',
  measureValue: '45',
  measureUnit: '',
  action: 'publish',
  ...overrides,
});

const idOf = (location: string | null) => Number(/\/annonces\/(\d+)/.exec(location ?? '')?.[1]);

beforeAll(async () => {
  t = await createTestApp();
  owner = await createSignedInUser(t, { name: 'Olivia Propriétaire' });
  editor = await createSignedInUser(t, { name: 'Éric Éditeur' });
  outsider = await createSignedInUser(t, { name: 'Odile Extérieure' });
  staff = await createSignedInUser(t, { role: 'admin', name: 'Admin' });
  coordinator = await createSignedInUser(t, { name: 'Coralie Coordinatrice' });
  unverified = await createSignedInUser(t, { name: 'Non vérifié' });
  ownerOrg = (await createOrganisation(t, { owner, name: 'Atelier Solidaire' })).id;
  await addMember(t, ownerOrg, owner, editor, 'editor');
  await addMember(t, ownerOrg, owner, unverified, 'editor');
  await t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, unverified.id));
  outsiderOrg = (await createOrganisation(t, { owner: outsider, name: 'Autre Structure' })).id;
  coordinatorOrg = (await createOrganisation(t, { owner: coordinator, name: 'Coordination Voironnaise' })).id;
  pole = await createPoleViaApi(t, coordinator, coordinatorOrg, 'Pôle Voironnais');
  const added = await api(staff, 'POST', `/api/v1/poles/${pole.id}/members`, { organisationId: ownerOrg });
  expect(added.status).toBe(201);
});
afterAll(() => t.close());

describe('publishing from the page', () => {
  it('publishes an offer at the organisation’s commune, with its measure, and shows it', async () => {
    const res = await post(owner, '/annonces', form({ title: HOSTILE, poleId: String(pole.id) }));
    expect(res.status).toBe(303);
    const id = idOf(res.headers.get('location'));
    expect(res.headers.get('location')).toBe(`/annonces/${id}?avis=publiee`);
    const shown = await page(null, `/annonces/${id}`);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('45 m²');
    expect(html).toContain('Voiron');
    expect(html).toContain('Pôle Voironnais');
    expect(html).toContain('Une cuisine professionnelle.</p>');
    // Found in the public search and the API returns the raw title.
    const json = (await (await api(null, 'GET', `/api/v1/listings/${id}`)).json()) as Record<string, unknown>;
    expect(json).toMatchObject({ title: HOSTILE, status: 'published', communeCode: '38563', radiusKm: 25 });
    expect(json.measure).toEqual({ value: 45, unit: 'm²' });
  });

  it('keeps a draft private to its organisation', async () => {
    const res = await post(owner, '/annonces', form({ action: 'draft', title: 'Brouillon privé' }));
    expect(res.status).toBe(303);
    const id = idOf(res.headers.get('location'));
    expect((await page(null, `/annonces/${id}`)).status).toBe(404);
    expect((await page(outsider, `/annonces/${id}`)).status).toBe(404);
    expect((await api(outsider, 'GET', `/api/v1/listings/${id}`)).status).toBe(404);
    const mine = await page(editor, `/annonces/${id}`);
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('Brouillon : visible seulement des membres de votre organisation.');
    expect((await page(staff, `/annonces/${id}`)).status).toBe(200);
  });

  it('shows every field error in French and keeps what was typed', async () => {
    const res = await post(
      owner,
      '/annonces',
      form({
        title: '',
        description: 'Texte conservé',
        category: 'equipment',
        measureValue: 'beaucoup',
        communeCodeQuery: 'Zzzzville',
        radiusKm: '-3',
        availableFrom: '2027-02-30',
      }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Indiquez un titre.');
    expect(html).toContain('Commune inconnue.');
    expect(html).toContain('Le rayon ne peut pas être négatif.');
    expect(html).toContain('Indiquez une quantité en chiffres.');
    expect(html).toContain('Cette date n’existe pas.');
    expect(html).toContain('Texte conservé');
    expect(html).toContain('Zzzzville');
  });

  it('asks for the unit of a free measure, and refuses a pôle the organisation is not in', async () => {
    const noUnit = await post(owner, '/annonces', form({ category: 'equipment', measureValue: '2' }));
    expect(noUnit.status).toBe(422);
    expect(await noUnit.text()).toContain('Indiquez l’unité de la quantité');
    const foreignPole = await createPoleViaApi(t, outsider, outsiderOrg, 'Pôle Étranger');
    const res = await post(owner, '/annonces', form({ poleId: String(foreignPole.id) }));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Cette organisation n’est pas membre de ce pôle.');
  });

  it('refuses to publish for an organisation the user is not in (403), nothing stored', async () => {
    const before = (await t.db.select({ id: listings.id }).from(listings)).length;
    const res = await post(outsider, '/annonces', form({ title: 'Usurpation' }));
    expect(res.status).toBe(403);
    expect((await t.db.select({ id: listings.id }).from(listings)).length).toBe(before);
  });

  it('refuses control characters and oversized text', async () => {
    const long = await post(owner, '/annonces', form({ title: 'x'.repeat(121) }));
    expect(long.status).toBe(422);
    expect(await long.text()).toContain('Le titre est limité à 120 caractères.');
    const ctrl = await post(owner, '/annonces', form({ title: `Salle${String.fromCharCode(7)} de réunion` }));
    expect(ctrl.status).toBe(422);
    expect(await ctrl.text()).toContain(UNSAFE_TEXT_MESSAGE);
  });
});

describe('editing', () => {
  it('edits with the version read, and a stale version is a 409 showing the latest', async () => {
    const listing = await createListing(t, ownerOrg, { title: 'Camion frigorifique' });
    const edit = await page(editor, `/annonces/${listing.id}/modifier`);
    expect(edit.status).toBe(200);
    const editHtml = await edit.text();
    expect(editHtml).toContain('Camion frigorifique');
    expect(editHtml).toContain('Photos');
    const values = form({
      title: 'Camion frigorifique révisé',
      communeCode: '38563',
      version: String(listing.version),
      action: 'publish',
    });
    const saved = await post(editor, `/annonces/${listing.id}/modifier`, values);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/annonces/${listing.id}?avis=modifiee`);
    const stale = await post(owner, `/annonces/${listing.id}/modifier`, { ...values, title: 'Écrasé' });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain('Camion frigorifique révisé');
    expect(html).toContain('Vos modifications n’ont pas été enregistrées');
  });

  it('lets exactly one of several parallel edits of the same version win', async () => {
    const listing = await createListing(t, ownerOrg, { title: 'Salle de réunion' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api(owner, 'PATCH', `/api/v1/listings/${listing.id}`, {
          title: `Salle ${i}`,
          version: listing.version,
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
  });

  it('publishes a draft from the edit page', async () => {
    const draft = await createListing(t, ownerOrg, { status: 'draft', title: 'Broyeur à végétaux' });
    const res = await post(
      owner,
      `/annonces/${draft.id}/modifier`,
      form({
        title: 'Broyeur à végétaux',
        version: String(draft.version),
        category: 'equipment',
        measureValue: '1',
        measureUnit: 'broyeur',
      }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/annonces/${draft.id}?avis=publiee`);
    const json = (await (await api(null, 'GET', `/api/v1/listings/${draft.id}`)).json()) as {
      status: string;
      measure: unknown;
    };
    expect(json.status).toBe('published');
    expect(json.measure).toEqual({ value: 1, unit: 'broyeur' });
  });
});

describe('lifecycle from the listing page', () => {
  it('closes, renews and deletes; a listing with answers is closed, not deleted', async () => {
    const listing = await createListing(t, ownerOrg, { title: 'Atelier bois' });
    const noReason = await post(owner, `/annonces/${listing.id}/cloturer`, {
      version: String(listing.version),
    });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('Choisissez : satisfaite ou retirée.');
    const closed = await post(owner, `/annonces/${listing.id}/cloturer`, {
      reason: 'fulfilled',
      version: String(listing.version),
    });
    expect(closed.status).toBe(303);
    expect((await page(null, `/annonces/${listing.id}`)).status).toBe(404);
    const again = await post(owner, `/annonces/${listing.id}/cloturer`, {
      reason: 'fulfilled',
      version: String(listing.version + 1),
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('déjà clôturée');
    const renewed = await post(owner, `/annonces/${listing.id}/publier`, {
      version: String(listing.version + 1),
    });
    expect(renewed.status).toBe(303);
    expect(renewed.headers.get('location')).toBe(`/annonces/${listing.id}?avis=renouvelee`);
    expect((await page(null, `/annonces/${listing.id}`)).status).toBe(200);

    const answered = await api(outsider, 'POST', `/api/v1/listings/${listing.id}/responses`, {
      organisationId: outsiderOrg,
      message: 'Intéressés !',
    });
    expect(answered.status).toBe(201);
    const refused = await post(owner, `/annonces/${listing.id}/supprimer`, {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('clôturez-la plutôt');
    expect((await api(owner, 'DELETE', `/api/v1/listings/${listing.id}`)).status).toBe(409);

    const lonely = await createListing(t, ownerOrg, { title: 'Sans réponse' });
    expect((await page(owner, `/annonces/${lonely.id}/supprimer`)).status).toBe(200);
    const deleted = await post(owner, `/annonces/${lonely.id}/supprimer`, {});
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/mon-espace?avis=annonce-supprimee');
    expect((await page(owner, `/annonces/${lonely.id}`)).status).toBe(404);
    const espace = await page(owner, '/mon-espace?avis=annonce-supprimee');
    expect(await espace.text()).toContain('L’annonce est supprimée.');
  });

  it('shows related listings of the same category from other organisations', async () => {
    const mine = await createListing(t, ownerOrg, { title: 'Entrepôt à partager', category: 'logistics' });
    await createListing(t, outsiderOrg, { title: 'Quai de chargement', category: 'logistics' });
    const html = await (await page(null, `/annonces/${mine.id}`)).text();
    expect(html).toContain('Annonces de la même catégorie');
    expect(html).toContain('Quai de chargement');
  });
});

describe('on behalf of a pôle member (« besoins d’abord »)', () => {
  it('a coordinator publishes a need for a member; its owners are told and may take it over', async () => {
    const choicePage = await (await page(coordinator, '/annonces/nouvelle')).text();
    expect(choicePage).toContain('Atelier Solidaire (pour le compte, pôle Pôle Voironnais)');
    const res = await post(
      coordinator,
      '/annonces',
      form({ type: 'need', category: 'skills', title: 'Comptable à temps partagé', measureValue: '8' }),
    );
    expect(res.status).toBe(303);
    const id = idOf(res.headers.get('location'));
    const html = await (await page(null, `/annonces/${id}`)).text();
    expect(html).toMatch(
      /Publié par le pôle\s*<a href="\/poles\/[^"]+">Pôle Voironnais<\/a>\s*pour\s*<a[^>]*>Atelier Solidaire<\/a>/,
    );
    const told = await t.db.select().from(emails).where(eq(emails.to, owner.email));
    expect(told.some((e) => e.text.includes('Comptable à temps partagé'))).toBe(true);

    // The coordinator may edit it; the member sees « Reprendre »; the coordinator may not take over.
    expect(
      (await api(coordinator, 'PATCH', `/api/v1/listings/${id}`, { radiusKm: 40, version: 2 })).status,
    ).toBe(200);
    expect(await (await page(owner, `/annonces/${id}`)).text()).toContain('Reprendre l’annonce');
    expect((await api(coordinator, 'POST', `/api/v1/listings/${id}/take-over`)).status).toBe(403);
    const taken = await post(owner, `/annonces/${id}/reprendre`, { version: '3' });
    expect(taken.status).toBe(303);
    expect(
      (await api(coordinator, 'PATCH', `/api/v1/listings/${id}`, { radiusKm: 50, version: 4 })).status,
    ).toBe(403);
    expect((await api(owner, 'POST', `/api/v1/listings/${id}/take-over`)).status).toBe(409);
  });
});

describe('JSON API', () => {
  it('creates a draft by default, publishes, closes and deletes', async () => {
    const created = await api(owner, 'POST', '/api/v1/listings', {
      organisationId: ownerOrg,
      type: 'need',
      category: 'purchasing',
      title: 'Achat groupé de légumes bio',
      terms: 'paid',
      measure: { value: 300, unit: 'kg' },
      availableFrom: '2027-01-01',
      availableUntil: '2027-06-30',
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: number; status: string; version: number; radiusKm: number };
    expect(created.headers.get('location')).toBe(`/api/v1/listings/${body.id}`);
    expect(body).toMatchObject({ status: 'draft', radiusKm: 30, communeCode: '38563' });
    const published = await api(owner, 'POST', `/api/v1/listings/${body.id}/publish`, {
      version: body.version,
    });
    expect(published.status).toBe(200);
    expect(((await published.json()) as { status: string }).status).toBe('published');
    const closed = await api(owner, 'POST', `/api/v1/listings/${body.id}/close`, { reason: 'withdrawn' });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ status: 'closed', closedReason: 'withdrawn' });
    expect((await api(owner, 'DELETE', `/api/v1/listings/${body.id}`)).status).toBe(204);
    expect((await api(owner, 'GET', `/api/v1/listings/${body.id}`)).status).toBe(404);
  });

  it('answers bad input with 422 per field, wrong content with 400/415, never 500', async () => {
    const bad = await api(owner, 'POST', '/api/v1/listings', {
      organisationId: ownerOrg,
      type: 'gift',
      category: 'premises',
      title: 'x'.repeat(200),
      terms: 'free',
      availableFrom: '2027-05-01',
      availableUntil: '2027-04-01',
      communeCode: '99999',
    });
    expect(bad.status).toBe(422);
    const error = ((await bad.json()) as { error: { code: string; fields: Record<string, string> } }).error;
    expect(Object.keys(error.fields)).toEqual(expect.arrayContaining(['type', 'title']));
    const unknownCommune = await api(owner, 'POST', '/api/v1/listings', {
      organisationId: ownerOrg,
      type: 'offer',
      category: 'premises',
      title: 'Bureau',
      terms: 'free',
      communeCode: '99999',
    });
    expect(unknownCommune.status).toBe(422);
    expect(((await unknownCommune.json()) as { error: { fields: object } }).error.fields).toEqual({
      communeCode: 'Commune inconnue.',
    });
    const unknownOrg = await api(owner, 'POST', '/api/v1/listings', {
      organisationId: 999999,
      type: 'offer',
      category: 'premises',
      title: 'Bureau',
      terms: 'free',
    });
    expect(unknownOrg.status).toBe(422);
    const malformed = await t.app.request('/api/v1/listings', {
      method: 'POST',
      body: '{"title":',
      headers: { 'content-type': 'application/json', authorization: owner.bearer },
    });
    expect([400, 422]).toContain(malformed.status);
    const listing = await createListing(t, ownerOrg);
    const wrongType = await t.app.request(`/api/v1/listings/${listing.id}/close`, {
      method: 'POST',
      body: 'reason=fulfilled',
      headers: { 'content-type': 'text/plain', authorization: owner.bearer },
    });
    expect(wrongType.status).toBe(415);
    expect((await api(owner, 'POST', `/api/v1/listings/${listing.id}/close`, {})).status).toBe(422);
    expect(
      (await api(owner, 'PATCH', `/api/v1/listings/${listing.id}`, { title: 'Sans version' })).status,
    ).toBe(422);
    for (const id of ['0', '0x10', '1e3', '99999999999999999999'])
      expect((await api(owner, 'GET', `/api/v1/listings/${id}`)).status).toBe(404);
  });
});

describe('who may do what (rights table)', () => {
  type Actor = 'anonymous' | 'unverified' | 'owner' | 'editor' | 'outsider' | 'staff';
  const actors = (): Record<Actor, TestUser | null> => ({
    anonymous: null,
    unverified,
    owner,
    editor,
    outsider,
    staff,
  });
  /** Fresh listings for every cell: tests run shuffled, and no cell may depend on another. */
  const fresh = async () => ({
    published: (await createListing(t, ownerOrg, { title: 'Publiée' })).id,
    draft: (await createListing(t, ownerOrg, { title: 'Brouillon', status: 'draft' })).id,
  });
  type Fixture = Awaited<ReturnType<typeof fresh>>;
  const current = async (id: number) =>
    (await t.db.select({ version: listings.version }).from(listings).where(eq(listings.id, id)))[0]!.version;

  // [label, request, expected status per actor]; pages redirect anonymous visitors to sign in (303).
  const table: Array<
    [string, (who: TestUser | null, f: Fixture) => Response | Promise<Response>, Record<Actor, number>]
  > = [
    [
      'GET /annonces/:id (published)',
      (who, f) => page(who, `/annonces/${f.published}`),
      { anonymous: 200, unverified: 200, owner: 200, editor: 200, outsider: 200, staff: 200 },
    ],
    [
      'GET /annonces/:id (draft)',
      (who, f) => page(who, `/annonces/${f.draft}`),
      { anonymous: 404, unverified: 200, owner: 200, editor: 200, outsider: 404, staff: 200 },
    ],
    [
      'GET /api/v1/listings/:id (draft)',
      (who, f) => api(who, 'GET', `/api/v1/listings/${f.draft}`),
      { anonymous: 404, unverified: 200, owner: 200, editor: 200, outsider: 404, staff: 200 },
    ],
    [
      'GET /annonces/nouvelle',
      (who) => page(who, '/annonces/nouvelle'),
      { anonymous: 303, unverified: 403, owner: 200, editor: 200, outsider: 200, staff: 200 },
    ],
    [
      'GET /annonces/:id/modifier (published)',
      (who, f) => page(who, `/annonces/${f.published}/modifier`),
      { anonymous: 303, unverified: 403, owner: 200, editor: 200, outsider: 403, staff: 403 },
    ],
    [
      'GET /annonces/:id/modifier (draft)',
      (who, f) => page(who, `/annonces/${f.draft}/modifier`),
      { anonymous: 303, unverified: 403, owner: 200, editor: 200, outsider: 404, staff: 403 },
    ],
    [
      'PATCH /api/v1/listings/:id',
      async (who, f) =>
        api(who, 'PATCH', `/api/v1/listings/${f.published}`, {
          radiusKm: 12,
          version: await current(f.published),
        }),
      { anonymous: 401, unverified: 403, owner: 200, editor: 200, outsider: 403, staff: 403 },
    ],
    [
      'POST /api/v1/listings/:id/publish (draft)',
      (who, f) => api(who, 'POST', `/api/v1/listings/${f.draft}/publish`, {}),
      { anonymous: 401, unverified: 403, owner: 200, editor: 200, outsider: 404, staff: 403 },
    ],
    [
      'POST /annonces/:id/cloturer',
      async (who, f) =>
        post(who, `/annonces/${f.published}/cloturer`, {
          reason: 'withdrawn',
          version: String(await current(f.published)),
        }),
      { anonymous: 401, unverified: 403, owner: 303, editor: 303, outsider: 403, staff: 403 },
    ],
    [
      'POST /annonces/:id/supprimer (draft)',
      (who, f) => post(who, `/annonces/${f.draft}/supprimer`, {}),
      { anonymous: 401, unverified: 403, owner: 303, editor: 303, outsider: 404, staff: 403 },
    ],
    [
      'DELETE /api/v1/listings/:id',
      (who, f) => api(who, 'DELETE', `/api/v1/listings/${f.published}`),
      { anonymous: 401, unverified: 403, owner: 204, editor: 204, outsider: 403, staff: 403 },
    ],
    [
      'POST /api/v1/listings/:id/take-over (not on behalf)',
      (who, f) => api(who, 'POST', `/api/v1/listings/${f.published}/take-over`),
      { anonymous: 401, unverified: 403, owner: 409, editor: 409, outsider: 403, staff: 403 },
    ],
    [
      'POST /api/v1/listings',
      (who) =>
        api(who, 'POST', '/api/v1/listings', {
          organisationId: ownerOrg,
          type: 'offer',
          category: 'other',
          title: 'Par la table des droits',
          terms: 'free',
        }),
      { anonymous: 401, unverified: 403, owner: 201, editor: 201, outsider: 403, staff: 403 },
    ],
  ];
  it.each(table)('%s', async (_label, request, expected) => {
    const got: Partial<Record<Actor, number>> = {};
    for (const [actor, who] of Object.entries(actors()) as Array<[Actor, TestUser | null]>)
      got[actor] = (await request(who, await fresh())).status;
    expect(got).toEqual(expected);
  });
});

describe('threads stay after a listing is closed', () => {
  it('keeps the thread of a closed listing', async () => {
    const listing = await createListing(t, ownerOrg, { title: 'Chambre froide' });
    const res = await api(outsider, 'POST', `/api/v1/listings/${listing.id}/responses`, {
      organisationId: outsiderOrg,
      message: 'Bonjour',
    });
    expect(res.status).toBe(201);
    expect(
      (await api(owner, 'POST', `/api/v1/listings/${listing.id}/close`, { reason: 'fulfilled' })).status,
    ).toBe(200);
    const rows = await t.db.select().from(threads).where(eq(threads.listingId, listing.id));
    expect(rows).toHaveLength(1);
  });
});
