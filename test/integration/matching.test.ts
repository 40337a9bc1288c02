import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emails, matchDismissals, matchEmailOptOuts, organisations } from '../../src/db/schema.ts';
import { runScheduledJobs } from '../../src/features/jobs/scheduled.ts';
import { listingMatchesOutput, organisationMatchesOutput } from '../../src/features/matching/schemas.ts';
import { WEEKLY_JOB } from '../../src/features/matching/weekly.ts';
import type { ServiceDeps } from '../../src/features/notifications/deps.ts';
import { createTestApp, formPost, jsonRequest, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { addMember, createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

let t: TestApp;
let sme: TestUser;
let colleague: TestUser;
let outsider: TestUser;
let essOwner: TestUser;
let smeOrg: number;
let smeOtherOrg: number;
let outsiderOrg: number;
let moirans: number;
let grenoble: number;
let marseille: number;
let unrelated: number;
let chambery: number;
let need: number;
let draftOfOther: number;
let moiransOffer: number;
/** A second SME in Voiron, for the tests that dismiss (tests run in random order: the first one's view stays intact). */
let other: TestUser;
let otherOrg: number;

const api = (user: TestUser | null, method: string, path: string, body?: unknown) =>
  t.app.request(path, jsonRequest(method, body, user ? { authorization: user.bearer } : {}));
const page = (user: TestUser | null, path: string) =>
  t.app.request(path, { headers: user ? { cookie: user.cookie } : {} });
const post = (user: TestUser | null, path: string, body: Record<string, string>) =>
  t.app.request(path, formPost(body, user ? { cookie: user.cookie } : {}));

async function matches(user: TestUser, query = '', organisationId = smeOrg) {
  const res = await api(user, 'GET', `/api/v1/organisations/${organisationId}/matches${query}`);
  expect(res.status).toBe(200);
  return organisationMatchesOutput.parse(await res.json()).items;
}

beforeAll(async () => {
  t = await createTestApp();
  sme = await createSignedInUser(t, { name: 'Sophie PME' });
  colleague = await createSignedInUser(t, { name: 'Colin Collègue' });
  outsider = await createSignedInUser(t, { name: 'Odile Extérieure' });
  essOwner = await createSignedInUser(t, { name: 'Élise ESS' });
  // An SME in Voiron that needs storage premises.
  smeOrg = (await createOrganisation(t, { owner: sme, name: 'Menuiserie Voironnaise', kind: 'sme' })).id;
  await addMember(t, smeOrg, sme, colleague, 'editor');
  need = (
    await createListing(t, smeOrg, {
      type: 'need',
      category: 'premises',
      title: 'Local de stockage pour nos bois',
      description: 'Nous cherchons un local de stockage sec, 50 m², près de Voiron.',
      radiusKm: 30,
    })
  ).id;
  // Another organisation of the same user, offering premises next door: never suggested.
  smeOtherOrg = (await createOrganisation(t, { owner: sme, name: 'Association du même gérant', kind: 'ess' }))
    .id;
  await createListing(t, smeOtherOrg, { title: 'Local de stockage partagé' });
  // ESS structures offering premises: 7 km, 25 km, ~250 km away; one offering unrelated services.
  moirans = (
    await createOrganisation(t, { owner: essOwner, name: 'Ressourcerie de Moirans', communeCode: '38239' })
  ).id;
  moiransOffer = (
    await createListing(t, moirans, {
      title: 'Local de stockage partagé',
      description: 'Un local de stockage sec et sécurisé, à partager entre structures.',
      communeCode: '38239',
    })
  ).id;
  grenoble = (await createOrganisation(t, { name: 'Entrepôt solidaire grenoblois', communeCode: '38185' }))
    .id;
  await createListing(t, grenoble, {
    title: 'Entrepôt de stockage à partager',
    description: 'Des mètres carrés de stockage disponibles.',
    communeCode: '38185',
  });
  marseille = (await createOrganisation(t, { name: 'Locaux solidaires marseillais', communeCode: '13055' }))
    .id;
  await createListing(t, marseille, {
    title: 'Local de stockage partagé',
    description: 'Un local de stockage sec.',
    communeCode: '13055',
    radiusKm: 500,
  });
  unrelated = (await createOrganisation(t, { name: 'Formations numériques de Voiron' })).id;
  await createListing(t, unrelated, { category: 'training', title: 'Formation au numérique' });
  // Chambéry (~45 km): beyond the need's 30 km.
  chambery = (await createOrganisation(t, { name: 'Stockage savoyard', communeCode: '73065' })).id;
  await createListing(t, chambery, { title: 'Local de stockage', communeCode: '73065', radiusKm: 100 });
  outsiderOrg = (await createOrganisation(t, { owner: outsider, name: 'Structure extérieure' })).id;
  draftOfOther = (await createListing(t, outsiderOrg, { type: 'need', status: 'draft' })).id;
  other = await createSignedInUser(t, { name: 'Paul PME' });
  otherOrg = (await createOrganisation(t, { owner: other, name: 'Fromagerie de Voiron', kind: 'sme' })).id;
  await createListing(t, otherOrg, {
    type: 'need',
    title: 'Local de stockage pour nos fromages',
    description: 'Un local de stockage frais.',
  });
});
afterAll(() => t.close());

describe('an SME in Voiron that needs storage premises', () => {
  it('sees the nearby ESS premises offers first, with the distance and the matching offer', async () => {
    const items = await matches(sme);
    expect(items.map((i) => i.organisation.id).slice(0, 2)).toEqual([moirans, grenoble]);
    const [first] = items;
    expect(first?.organisation).toEqual({
      id: moirans,
      name: 'Ressourcerie de Moirans',
      kind: 'ess',
      communeCode: '38239',
      communeName: 'Moirans',
    });
    expect(first?.reasons).toContain('Propose : local de stockage partagé');
    expect(first?.reasons[0]).toMatch(/^À [0-9]+ km \(Moirans\)$/);
    expect(first?.listings).toEqual([
      { id: moiransOffer, type: 'offer', category: 'premises', title: 'Local de stockage partagé' },
    ]);
    expect(first!.score).toBeGreaterThan(items[1]!.score);
  });

  it('never gets a suggestion beyond the radius rule, itself, or its user’s other organisations', async () => {
    const ids = (await matches(sme)).map((i) => i.organisation.id);
    expect(ids).not.toContain(marseille);
    expect(ids).not.toContain(chambery);
    expect(ids).not.toContain(smeOrg);
    expect(ids).not.toContain(smeOtherOrg);
    expect(ids).not.toContain(unrelated);
    for (const item of await matches(sme)) expect(item.distanceKm).toBeLessThanOrEqual(30);
  });

  it('narrows by radius, kind and category', async () => {
    expect((await matches(sme, '?radiusKm=10')).map((i) => i.organisation.id)).toEqual([moirans]);
    expect(await matches(sme, '?kind=sme')).toEqual([]);
    expect(await matches(sme, '?category=skills')).toEqual([]);
    expect((await matches(sme, '?limit=1')).length).toBe(1);
  });

  it('refuses bad parameters with a message per field', async () => {
    for (const query of [
      '?limit=0',
      '?limit=51',
      '?limit=abc',
      '?kind=pirate',
      '?category=x',
      '?radiusKm=-3',
      '?foo=1',
    ]) {
      const res = await api(sme, 'GET', `/api/v1/organisations/${smeOrg}/matches${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(Object.keys(body.error.fields).length, query).toBeGreaterThan(0);
    }
  });

  it('gets the offers that answer its need on the need’s page and API', async () => {
    const res = await api(sme, 'GET', `/api/v1/listings/${need}/matches`);
    expect(res.status).toBe(200);
    const { items } = listingMatchesOutput.parse(await res.json());
    expect(items[0]?.listing.id).toBe(moiransOffer);
    const shown = await page(sme, `/annonces/${need}`);
    const html = await shown.text();
    expect(html).toContain('Offres qui répondent à ce besoin');
    expect(html).toContain('Ressourcerie de Moirans');
    expect(await (await page(outsider, `/annonces/${need}`)).text()).not.toContain('Offres qui répondent');
  });

  it('and the reverse: an offer sees the needs it can serve', async () => {
    const res = await api(essOwner, 'GET', `/api/v1/listings/${moiransOffer}/matches`);
    const { items } = listingMatchesOutput.parse(await res.json());
    const mine = items.find((i) => i.organisation.id === smeOrg);
    expect(items.map((i) => i.organisation.id)).not.toContain(grenoble);
    expect(mine?.reasons).toContain(
      'Recherche : local de stockage pour nos bois — vous proposez : local de stockage partagé',
    );
  });
});

describe('pages', () => {
  it('shows the suggestions page to members, with reasons, contact and dismiss, without JavaScript', async () => {
    const res = await page(colleague, `/organisations/${smeOrg}/partenaires`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Partenaires suggérés');
    expect(html).toContain('Ressourcerie de Moirans');
    expect(html).toContain('Propose : local de stockage partagé');
    expect(html).toContain(`href="/annonces/${moiransOffer}#reponse-titre"`);
    expect(html).toContain(`action="/organisations/${smeOrg}/partenaires/${moirans}/ecarter"`);
  });

  it('shows a block on the organisation page to its members only', async () => {
    expect(await (await page(sme, `/organisations/${smeOrg}`)).text()).toContain('Toutes les suggestions');
    expect(await (await page(outsider, `/organisations/${smeOrg}`)).text()).not.toContain(
      'Partenaires suggérés',
    );
    expect(await (await page(null, `/organisations/${smeOrg}`)).text()).not.toContain('Partenaires suggérés');
  });

  it('keeps the filters of the page form, ignoring nonsense', async () => {
    const res = await page(sme, `/organisations/${smeOrg}/partenaires?radiusKm=10&kind=pirate&category=`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Ressourcerie de Moirans');
    expect(html).not.toContain('Entrepôt solidaire grenoblois');
  });
});

describe('rights', () => {
  it.each([
    ['anonymous, page', null, 'page', 303],
    ['anonymous, API', null, 'api', 401],
    ['outsider, page', 'outsider', 'page', 403],
    ['outsider, API', 'outsider', 'api', 403],
    ['member, page', 'colleague', 'page', 200],
    ['member, API', 'colleague', 'api', 200],
  ] as const)('%s (%s, %s) → %s', async (_, who, kind, status) => {
    const user = who === 'outsider' ? outsider : who === 'colleague' ? colleague : null;
    const res =
      kind === 'page'
        ? await page(user, `/organisations/${smeOrg}/partenaires`)
        : await api(user, 'GET', `/api/v1/organisations/${smeOrg}/matches`);
    expect(res.status).toBe(status);
  });

  it.each([
    ['unknown organisation, page', '/organisations/999999/partenaires'],
    ['unknown organisation, API', '/api/v1/organisations/999999/matches'],
    ['unknown listing, API', '/api/v1/listings/999999/matches'],
    ['another organisation’s draft, API', () => `/api/v1/listings/${draftOfOther}/matches`],
    ['malformed id', '/api/v1/organisations/0x10/matches'],
  ])('%s → 404', async (_, path) => {
    const res = await api(sme, 'GET', typeof path === 'function' ? path() : path);
    expect(res.status).toBe(404);
  });

  it('listing suggestions: the listing’s organisation only (403 for another on a public listing)', async () => {
    expect((await api(outsider, 'GET', `/api/v1/listings/${need}/matches`)).status).toBe(403);
    expect((await api(null, 'GET', `/api/v1/listings/${need}/matches`)).status).toBe(401);
    expect((await api(colleague, 'GET', `/api/v1/listings/${need}/matches`)).status).toBe(200);
  });

  it('dismissal: members only, a real other organisation', async () => {
    const dismiss = (user: TestUser | null, org: number, candidate: number) =>
      api(user, 'POST', `/api/v1/organisations/${org}/matches/${candidate}/dismiss`);
    expect((await dismiss(null, smeOrg, unrelated)).status).toBe(401);
    expect((await dismiss(outsider, smeOrg, unrelated)).status).toBe(403);
    expect((await dismiss(sme, 999999, unrelated)).status).toBe(404);
    expect((await dismiss(sme, smeOrg, 999999)).status).toBe(404);
    expect((await dismiss(sme, smeOrg, smeOrg)).status).toBe(422);
    expect(
      (await post(outsider, `/organisations/${smeOrg}/partenaires/${unrelated}/ecarter`, {})).status,
    ).toBe(403);
  });
});

describe('feedback', () => {
  it('a dismissed suggestion never comes back (form, then API twice: idempotent)', async () => {
    expect((await matches(other, '', otherOrg)).map((i) => i.organisation.id)).toContain(grenoble);
    const res = await post(other, `/organisations/${otherOrg}/partenaires/${grenoble}/ecarter`, {
      retour: `/organisations/${otherOrg}/partenaires`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/organisations/${otherOrg}/partenaires?avis=ecartee`);
    expect((await matches(other, '', otherOrg)).map((i) => i.organisation.id)).not.toContain(grenoble);
    expect(
      (await api(other, 'POST', `/api/v1/organisations/${otherOrg}/matches/${grenoble}/dismiss`)).status,
    ).toBe(204);
    expect(
      (await api(other, 'POST', `/api/v1/organisations/${otherOrg}/matches/${grenoble}/dismiss`)).status,
    ).toBe(204);
  });

  it('a foreign return path is ignored (no open redirect)', async () => {
    const res = await post(sme, `/organisations/${smeOrg}/partenaires/${unrelated}/ecarter`, {
      retour: 'https://evil.example/',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/organisations/${smeOrg}/partenaires?avis=ecartee`);
  });

  it('parallel dismissals of one candidate: all answered, one row', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api(other, 'POST', `/api/v1/organisations/${otherOrg}/matches/${unrelated}/dismiss`),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([204, 204, 204, 204, 204]);
    const rows = await t.db
      .select()
      .from(matchDismissals)
      .where(
        and(
          eq(matchDismissals.organisationId, otherOrg),
          eq(matchDismissals.candidateOrganisationId, unrelated),
        ),
      );
    expect(rows).toHaveLength(1);
  });

  it('control characters: a bad return path falls back to the page, a bad choice is a 422', async () => {
    const res = await post(other, `/organisations/${otherOrg}/partenaires/${unrelated}/ecarter`, {
      retour: '/organisations/1\u0000',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/organisations/${otherOrg}/partenaires?avis=ecartee`);
    const weekly = await post(other, `/organisations/${otherOrg}/partenaires/courriel`, {
      hebdo: 'oui\u0007',
    });
    expect(weekly.status).toBe(422);
  });

  it('a dismissal counts against the dismissing side when it is the candidate', async () => {
    // Moirans dismissed the cheese maker: it still sees Moirans (its own choice), with a lower score.
    const before = (await matches(other, '', otherOrg)).find((i) => i.organisation.id === moirans)!.score;
    expect(
      (await api(essOwner, 'POST', `/api/v1/organisations/${moirans}/matches/${otherOrg}/dismiss`)).status,
    ).toBe(204);
    const after = (await matches(other, '', otherOrg)).find((i) => i.organisation.id === moirans)!.score;
    expect(after).toBeLessThan(before);
  });
});

describe('weekly suggestions email', () => {
  const deps = (): ServiceDeps => ({
    db: t.db,
    clock: t.clock,
    log: () => {},
    config: t.config,
    mailer: async () => {},
    origin: 'http://localhost',
  });
  const inbox = (user: TestUser) => t.db.select().from(emails).where(eq(emails.to, user.email));

  it('sends new good suggestions once a week, with a one-click unsubscribe, and honours the opt-out', async () => {
    const first = await runScheduledJobs(deps());
    expect(first[WEEKLY_JOB]).toBeGreaterThan(0);
    const mail = (await inbox(colleague)).find((e) => e.subject.includes('partenaires'));
    expect(mail?.text).toContain('Ressourcerie de Moirans');
    expect(mail?.headers?.['List-Unsubscribe']).toMatch(/^<http:\/\/localhost\/desabonnement\/[\w-]+>$/);
    expect((await runScheduledJobs(deps()))[WEEKLY_JOB]).toBe(0);
    const link = /desabonnement\/([\w-]+)/.exec(mail!.headers!['List-Unsubscribe']!)![1];
    const done = await t.app.request(`/desabonnement/${link}`, formPost({}));
    expect(done.status).toBeLessThan(400);
    expect(
      await t.db.select().from(matchEmailOptOuts).where(eq(matchEmailOptOuts.userId, colleague.id)),
    ).toHaveLength(1);
  });

  it('the page toggles the weekly email for the viewer', async () => {
    const off = await post(sme, `/organisations/${smeOrg}/partenaires/courriel`, { hebdo: 'non' });
    expect(off.status).toBe(303);
    expect(
      await t.db.select().from(matchEmailOptOuts).where(eq(matchEmailOptOuts.userId, sme.id)),
    ).toHaveLength(1);
    expect(await (await page(sme, `/organisations/${smeOrg}/partenaires`)).text()).toContain(
      'Recevoir ce courriel',
    );
    await post(sme, `/organisations/${smeOrg}/partenaires/courriel`, { hebdo: 'oui' });
    expect(
      await t.db.select().from(matchEmailOptOuts).where(eq(matchEmailOptOuts.userId, sme.id)),
    ).toHaveLength(0);
    expect(
      (await post(sme, `/organisations/${smeOrg}/partenaires/courriel`, { hebdo: 'peut-être' })).status,
    ).toBe(422);
    expect(
      (await post(outsider, `/organisations/${smeOrg}/partenaires/courriel`, { hebdo: 'non' })).status,
    ).toBe(403);
  });

  it('leaves no trace of a deleted candidate', async () => {
    await t.db.delete(organisations).where(eq(organisations.id, chambery));
    expect((await api(sme, 'GET', `/api/v1/organisations/${smeOrg}/matches`)).status).toBe(200);
  });
});
