import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emails, listingReports, listings, moderationActions } from '../../src/db/schema.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

let t: TestApp;
let owner: TestUser;
let member: TestUser;
let instructor: TestUser;
let admin: TestUser;
let listingId: number;
let fileTemplate: Awaited<ReturnType<typeof seedTemplate>>;

const HOSTILE = '<img src=x onerror=alert(1)>';

beforeAll(async () => {
  fileTemplate = await seedTemplate(async (seed) => {
    owner = await createSignedInUser(seed, { name: 'Olivia Propriétaire' });
    member = await createSignedInUser(seed, { name: 'Marc Membre' });
    instructor = await createSignedInUser(seed, { role: 'instructor', name: 'Inès Instructrice' });
    admin = await createSignedInUser(seed, { role: 'admin', name: 'Adèle Admin' });
    const org = await createOrganisation(seed, { name: 'Ressourcerie du Voironnais', owner });
    await createOrganisation(seed, { name: 'Menuiserie Durand', owner: member });
    listingId = (await createListing(seed, org.id, { title: HOSTILE })).id;
  });
});
afterAll(() => fileTemplate.remove());
beforeEach(async () => {
  t = await createTestApp({ template: fileTemplate.template });
});
afterEach(() => t.close());

const api = (method: string, path: string, body?: unknown, user?: TestUser) =>
  t.app.request(
    path,
    jsonRequest(method, body, user ? { authorization: user.bearer, origin: 'http://localhost' } : {}),
  );
const page = (path: string, user?: TestUser) =>
  t.app.request(path, { headers: user ? { cookie: user.cookie } : {} });
const post = (path: string, body: Record<string, string>, user?: TestUser) =>
  t.app.request(path, formPost(body, user ? { cookie: user.cookie } : {}));

async function reportId(user = member) {
  const res = await api(
    'POST',
    `/api/v1/listings/${listingId}/reports`,
    { reason: 'spam', note: 'Publicité' },
    user,
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

describe('rights', () => {
  const who = () => ({ anonymous: undefined, owner, member, instructor, admin });
  const cases: Array<[string, (id: number) => Response | Promise<Response>, Record<string, number>]> = [
    [
      'report (API)',
      () => api('POST', `/api/v1/listings/${listingId}/reports`, { reason: 'spam' }, current),
      { anonymous: 401, owner: 201, member: 201, instructor: 201, admin: 201 },
    ],
    [
      'moderation page',
      () => page('/moderation', current),
      { anonymous: 303, owner: 403, member: 403, instructor: 200, admin: 200 },
    ],
    [
      'moderation API',
      () => api('GET', '/api/v1/moderation/reports', undefined, current),
      { anonymous: 401, owner: 403, member: 403, instructor: 200, admin: 200 },
    ],
    [
      'dismiss',
      (id) => api('POST', `/api/v1/moderation/reports/${id}/dismiss`, undefined, current),
      { anonymous: 401, owner: 403, member: 403, instructor: 200, admin: 200 },
    ],
    [
      'unpublish (API)',
      () => api('POST', `/api/v1/listings/${listingId}/unpublish`, { reason: 'Hors sujet' }, current),
      { anonymous: 401, owner: 403, member: 403, instructor: 204, admin: 204 },
    ],
    [
      'unpublish (page)',
      () => post(`/annonces/${listingId}/depublier`, { reason: 'Hors sujet' }, current),
      { anonymous: 401, owner: 403, member: 403, instructor: 303, admin: 303 },
    ],
  ];
  let current: TestUser | undefined;
  for (const [name, call, expected] of cases) {
    for (const role of Object.keys(expected)) {
      it(`${name} as ${role}: ${expected[role]}`, async () => {
        const id = await reportId();
        current = who()[role as keyof ReturnType<typeof who>];
        const res = await call(id);
        expect([res.status, role]).toEqual([expected[role], role]);
      });
    }
  }
});

describe('reports', () => {
  it('page form reports, 422 with a French message on a bad reason or an oversized note', async () => {
    let res = await post(`/annonces/${listingId}/signaler`, { reason: 'nope' }, member);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Choisissez le motif du signalement.');
    res = await post(`/annonces/${listingId}/signaler`, { reason: 'other', note: 'x'.repeat(1001) }, member);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('1 000 caractères au plus');
    res = await post(`/annonces/${listingId}/signaler`, { reason: 'other', note: 'a\u0000b' }, member);
    expect(res.status).toBe(200);
    const rows = await t.db.select().from(listingReports);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.note).not.toContain('\u0000');
  });

  it('API: 422 per field, 404 for a missing listing, 429 past the limit', async () => {
    let res = await api('POST', `/api/v1/listings/${listingId}/reports`, { reason: 'x' }, member);
    expect(res.status).toBe(422);
    expect(
      ((await res.json()) as { error: { fields: Record<string, string> } }).error.fields.reason,
    ).toBeTruthy();
    res = await api('POST', '/api/v1/listings/999999/reports', { reason: 'spam' }, member);
    expect(res.status).toBe(404);
    res = await api('POST', '/api/v1/listings/abc/reports', { reason: 'spam' }, member);
    expect(res.status).toBe(404);
    const all = await Promise.all(
      Array.from({ length: 22 }, () =>
        api('POST', `/api/v1/listings/${listingId}/reports`, { reason: 'spam' }, member),
      ),
    );
    const statuses = all.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('a draft cannot be reported by an outsider (404)', async () => {
    await t.db.update(listings).set({ status: 'draft' }).where(eq(listings.id, listingId));
    const res = await api('POST', `/api/v1/listings/${listingId}/reports`, { reason: 'spam' }, member);
    expect(res.status).toBe(404);
  });
});

describe('moderation', () => {
  it('lists open reports with the hostile title as text; dismissal is recorded', async () => {
    const id = await reportId();
    let html = await (await page('/moderation', instructor)).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('Publicité');
    const res = await post(`/moderation/signalements/${id}/rejeter`, {}, instructor);
    expect(res.status).toBe(303);
    expect((await post(`/moderation/signalements/${id}/rejeter`, {}, instructor)).status).toBe(409);
    html = await (await page('/moderation', instructor)).text();
    expect(html).toContain('Aucun signalement en attente.');
    const actions = await t.db.select().from(moderationActions);
    expect(actions.map((a) => [a.action, a.actorId, a.reportId])).toEqual([['dismiss', instructor.id, id]]);
  });

  it('unpublish: listing leaves the public page, owners emailed with the reason, reports actioned, action recorded', async () => {
    await reportId();
    const res = await api(
      'POST',
      `/api/v1/listings/${listingId}/unpublish`,
      { reason: 'Annonce commerciale' },
      admin,
    );
    expect(res.status).toBe(204);
    const [row] = await t.db.select().from(listings).where(eq(listings.id, listingId));
    expect(row!.status).toBe('unpublished');
    const sent = await t.db.select().from(emails).where(eq(emails.to, owner.email));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('Annonce commerciale');
    expect(sent[0]!.text).toContain(HOSTILE);
    expect((await t.db.select().from(listingReports))[0]!.status).toBe('actioned');
    expect((await t.db.select().from(moderationActions)).map((a) => [a.action, a.reason])).toEqual([
      ['unpublish', 'Annonce commerciale'],
    ]);
    expect(
      (await api('POST', `/api/v1/listings/${listingId}/unpublish`, { reason: 'encore' }, admin)).status,
    ).toBe(409);
    expect(
      (await api('POST', `/api/v1/listings/${listingId}/reports`, { reason: 'spam' }, member)).status,
    ).toBe(404);
    expect(
      (await api('POST', `/api/v1/listings/${listingId}/unpublish`, { reason: ' ' }, admin)).status,
    ).toBe(422);
  });

  it('unpublish page form without a reason: 422 with its message', async () => {
    const res = await post(`/annonces/${listingId}/depublier`, { reason: '' }, instructor);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Indiquez le motif de la dépublication.');
  });
});
