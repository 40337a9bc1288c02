import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emails, listings } from '../../src/db/schema.ts';
import { runScheduledJobs } from '../../src/features/jobs/scheduled.ts';
import type { ServiceDeps } from '../../src/features/notifications/deps.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

const DAY = 24 * 3600_000;
const HOSTILE = '<img src=x onerror=alert(1)>';

let t: TestApp;
let owner: TestUser;
let listingId: number;
let fileTemplate: Awaited<ReturnType<typeof seedTemplate>>;

beforeAll(async () => {
  fileTemplate = await seedTemplate(async (seed) => {
    owner = await createSignedInUser(seed, { name: 'Olivia Propriétaire' });
    const org = await createOrganisation(seed, { name: 'Ressourcerie du Voironnais', owner });
    listingId = (await createListing(seed, org.id, { title: HOSTILE })).id;
  });
});
afterAll(() => fileTemplate.remove());
beforeEach(async () => {
  t = await createTestApp({ template: fileTemplate.template });
});
afterEach(() => t.close());

function deps(): ServiceDeps {
  return {
    db: t.db,
    clock: t.clock,
    log: () => {},
    config: t.config,
    mailer: async () => {},
    origin: 'http://localhost',
  };
}

const reminders = () => t.db.select().from(emails).where(eq(emails.to, owner.email));

describe('expiry', () => {
  it('reminds the owners once a week before expiry (twice in a row, and in parallel), with a renewal link that works once', async () => {
    let report = await runScheduledJobs(deps());
    expect(report['listing-expiry-reminders']).toBe(0);
    t.clock.advance(84 * DAY);
    const reports = await Promise.all([runScheduledJobs(deps()), runScheduledJobs(deps())]);
    expect(reports.map((r) => r['listing-expiry-reminders']).sort()).toEqual([0, 1]);
    report = await runScheduledJobs(deps());
    expect(report['listing-expiry-reminders']).toBe(0);
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(HOSTILE);
    const link = /http:\/\/localhost(\/annonces\/\d+\/renouveler\/[A-Za-z0-9_-]+)/.exec(sent[0]!.text)![1]!;

    const forged = link.replace(/[^/]+$/, 'A'.repeat(43));
    expect((await t.app.request(forged)).status).toBe(404);
    expect((await t.app.request(forged, formPost({}))).status).toBe(404);
    const other = link.replace(`/annonces/${listingId}/`, `/annonces/${listingId + 1}/`);
    expect((await t.app.request(other)).status).toBe(404);

    const confirm = await t.app.request(link);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain(HOSTILE);
    const [before] = await t.db.select().from(listings).where(eq(listings.id, listingId));
    expect((await t.app.request(link, formPost({}))).status).toBe(200);
    const [after] = await t.db.select().from(listings).where(eq(listings.id, listingId));
    expect(after!.expiresAt > before!.expiresAt).toBe(true);
    expect(after!.expiryReminderSentAt).toBeNull();
    expect((await t.app.request(link, formPost({}))).status).toBe(410);
  });

  it('closes expired listings (closed, expired), once', async () => {
    t.clock.advance(91 * DAY);
    const first = await runScheduledJobs(deps());
    expect(first['listing-expiry']).toBe(1);
    expect(first['listing-expiry-reminders']).toBe(0);
    const [row] = await t.db.select().from(listings).where(eq(listings.id, listingId));
    expect([row!.status, row!.closedReason]).toEqual(['closed', 'expired']);
    expect((await runScheduledJobs(deps()))['listing-expiry']).toBe(0);
  });
});

describe('saved searches', () => {
  const api = (method: string, path: string, body?: unknown, user: TestUser | null = owner) =>
    t.app.request(
      path,
      jsonRequest(method, body, user ? { authorization: user.bearer, origin: 'http://localhost' } : {}),
    );

  it('API CRUD: normalised query, rename, toggle, delete; others get 404, anonymous 401', async () => {
    const other = await createSignedInUser(t, { name: 'Autre' });
    let res = await api('POST', '/api/v1/saved-searches', {
      name: 'Locaux',
      query: '?page=3&q=locaux&type=offer&x=1&commune=&sort=recent',
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: number; query: string; alerts: boolean };
    expect(created.query).toBe('q=locaux&type=offer');
    expect(created.alerts).toBe(true);
    res = await api('PATCH', `/api/v1/saved-searches/${created.id}`, {
      name: 'Locaux à Voiron',
      alerts: false,
    });
    expect(await res.json()).toMatchObject({ name: 'Locaux à Voiron', alerts: false });
    expect((await api('GET', `/api/v1/saved-searches/${created.id}`, undefined, other)).status).toBe(404);
    expect((await api('PATCH', `/api/v1/saved-searches/${created.id}`, { name: 'x' }, other)).status).toBe(
      404,
    );
    expect((await api('DELETE', `/api/v1/saved-searches/${created.id}`, undefined, other)).status).toBe(404);
    expect((await api('GET', '/api/v1/saved-searches', undefined, null)).status).toBe(401);
    expect((await api('POST', '/api/v1/saved-searches', { name: '' })).status).toBe(422);
    expect(
      (await api('POST', '/api/v1/saved-searches', { name: 'x', query: `q=${'a'.repeat(2100)}` })).status,
    ).toBe(422);
    const list = (await (await api('GET', '/api/v1/saved-searches')).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
    expect((await api('DELETE', `/api/v1/saved-searches/${created.id}`)).status).toBe(204);
    expect((await api('GET', `/api/v1/saved-searches/${created.id}`)).status).toBe(404);
  });

  it('at most 50 per user, even in parallel', async () => {
    const all = await Promise.all(
      Array.from({ length: 55 }, (_, i) =>
        api('POST', '/api/v1/saved-searches', { name: `R${i}`, query: `q=r${i}` }),
      ),
    );
    const statuses = all.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
  });

  it('pages: save from /recherches/nouvelle, list with the name as text, rename, toggle, delete', async () => {
    const cookie = { cookie: owner.cookie };
    let res = await t.app.request('/recherches/nouvelle?q=v%C3%A9hicule&type=need', { headers: cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="query" value="q=v%C3%A9hicule&amp;type=need"');
    res = await t.app.request('/recherches', formPost({ name: '', query: 'q=x' }, cookie));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Donnez un nom à cette recherche.');
    res = await t.app.request('/recherches', formPost({ name: HOSTILE, query: 'q=vehicule' }, cookie));
    expect(res.status).toBe(303);
    let html = await (await t.app.request('/recherches', { headers: cookie })).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain(HOSTILE);
    const id = Number(/\/recherches\/(\d+)\/renommer/.exec(html)![1]);
    expect(
      (await t.app.request(`/recherches/${id}/renommer`, formPost({ name: 'Véhicules' }, cookie))).status,
    ).toBe(303);
    expect(
      (await t.app.request(`/recherches/${id}/alertes`, formPost({ alerts: 'off' }, cookie))).status,
    ).toBe(303);
    html = await (await t.app.request('/recherches', { headers: cookie })).text();
    expect(html).toContain('Véhicules');
    expect(html).toContain('alertes désactivées');
    expect((await t.app.request('/mon-espace', { headers: cookie })).status).toBe(200);
    expect((await t.app.request(`/recherches/${id}/supprimer`, formPost({}, cookie))).status).toBe(303);
    html = await (await t.app.request('/recherches', { headers: cookie })).text();
    expect(html).toContain('Aucune recherche enregistrée.');
  });
});
