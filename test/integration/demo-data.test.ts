import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findUserByEmail } from '../../src/features/auth/queries.ts';
import { DEMO_ACCOUNTS, loadDemoDataOnce } from '../../src/features/demo/demo.ts';
import { isValidSiret } from '../../src/features/organisations/siret.ts';
import { createTestApp, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';

/** This test's app: a fresh copy of a database where the demo data was loaded once. */
let t: TestApp;
let loaded: boolean;
let seeded: Awaited<ReturnType<typeof seedTemplate>>;

// How long loading takes is measured by bench/demo-load.ts, not asserted here.
beforeAll(async () => {
  seeded = await seedTemplate(async (seed) => {
    loaded = await loadDemoDataOnce(seed.db, seed.clock.now(), { storage: seed.storage });
  });
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

async function count(query: string): Promise<number> {
  const [row] = await t.db.all<{ n: number }>(sql.raw(query));
  return row!.n;
}

async function counts() {
  return {
    poles: await count('SELECT count(*) AS n FROM poles WHERE is_demo = 1'),
    organisations: await count('SELECT count(*) AS n FROM organisations WHERE is_demo = 1'),
    members: await count('SELECT count(*) AS n FROM pole_members'),
    poleThemes: await count('SELECT count(*) AS n FROM pole_themes'),
    users: await count('SELECT count(*) AS n FROM users'),
    listings: await count('SELECT count(*) AS n FROM listings'),
    photos: await count('SELECT count(*) AS n FROM listing_photos'),
    threads: await count('SELECT count(*) AS n FROM threads'),
    messages: await count('SELECT count(*) AS n FROM thread_messages'),
    files: readdirSync(t.filesFolder, { recursive: true }).filter((name) => String(name).endsWith('.png'))
      .length,
  };
}

async function signIn(email: string, password: string): Promise<string> {
  const res = await t.app.request('/api/v1/auth/login', {
    ...jsonRequest('POST', { email, password }),
    headers: { 'content-type': 'application/json', origin: 'http://localhost' },
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('loadDemoDataOnce', () => {
  it('loads real pôles with fictional members', async () => {
    expect(loaded).toBe(true);
    const loadedCounts = await counts();
    expect(loadedCounts.poles).toBeGreaterThanOrEqual(65);
    expect(loadedCounts.organisations).toBeGreaterThanOrEqual(loadedCounts.poles * 3);
    expect(loadedCounts.members).toBeGreaterThanOrEqual(loadedCounts.poles * 3);
    expect(loadedCounts.poleThemes).toBeGreaterThanOrEqual(loadedCounts.poles);
  });

  it('gives every pôle 3–6 active members, most of them meeting the PTCE definition', async () => {
    const res = await t.app.request('/api/v1/poles?perPage=100');
    const { items, total } = (await res.json()) as {
      items: Array<{
        composition: { meetsDefinition: boolean; counts: { members: number } };
        isDemo: boolean;
      }>;
      total: number;
    };
    expect(items).toHaveLength(total);
    for (const pole of items) {
      expect(pole.isDemo).toBe(true);
      expect(pole.composition.counts.members).toBeGreaterThanOrEqual(3);
      expect(pole.composition.counts.members).toBeLessThanOrEqual(6);
    }
    const meeting = items.filter((p) => p.composition.meetsDefinition).length;
    expect(meeting / total).toBeGreaterThan(0.7);
    expect(meeting).toBeLessThan(total);
  });

  it('uses valid SIRETs and real communes', async () => {
    const rows = await t.db.all<{ siret: string; lat: number | null }>(
      sql`SELECT siret, lat FROM organisations WHERE is_demo = 1`,
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((row) => !isValidSiret(row.siret))).toEqual([]);
    expect(rows.filter((row) => row.lat === null)).toEqual([]);
    expect(await count('SELECT count(*) AS n FROM poles WHERE lat IS NULL')).toBe(0);
  });

  it('marks laureates from the reference file', async () => {
    const res = await t.app.request('/api/v1/poles?status=laureate&perPage=100');
    expect((await res.json()).total).toBeGreaterThanOrEqual(20);
  });

  it('places the pôles of the founding documents', async () => {
    const expected: Array<[string, string]> = [
      ['cite-phares', '93039'],
      ['la-coursive-boutaric', '21231'],
      ['la-serre-le-multiple', '31555'],
      ['coopaxis', '37261'],
      ['le-damier', '63113'],
      ['ptce-centre-isere', '38563'],
      ['pole-sud', '26362'],
    ];
    for (const [slug, commune] of expected) {
      const res = await t.app.request(`/poles/${slug}`);
      expect(res.status, slug).toBe(200);
      const row = await t.db.all<{ commune_code: string }>(
        sql`SELECT commune_code FROM poles WHERE slug = ${slug}`,
      );
      expect(row[0]?.commune_code, slug).toBe(commune);
    }
  });

  it('renders a demo pôle page with its members and the demo badge', async () => {
    const res = await t.app.request('/poles/cite-phares');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Cité Phares</h1>');
    expect(html).toContain('Donnée de démonstration');
    expect(html).toMatch(/L(&#39;|')Île-Saint-Denis/);
    expect(html).toMatch(/Membres \([3-6]\)/);
    expect(html).toMatch(/href="\/organisations\/\d+"/);
    expect(html).toContain('Lauréat');
  });

  it('finds demo pôles by words and around a commune', async () => {
    const words = await (await t.app.request('/api/v1/poles?q=economie%20circulaire')).json();
    expect(words.total).toBeGreaterThan(0);
    const near = await (await t.app.request('/api/v1/poles?commune=38185&radiusKm=50')).json();
    expect(near.items.map((p: { slug: string }) => p.slug)).toContain('ptce-centre-isere');
  });

  it('creates the two verified demo accounts, which can sign in', async () => {
    const member = await findUserByEmail(t.db, DEMO_ACCOUNTS.member.email);
    const instructor = await findUserByEmail(t.db, DEMO_ACCOUNTS.instructor.email);
    expect(member).toMatchObject({ role: 'member' });
    expect(instructor).toMatchObject({ role: 'instructor' });
    expect(member?.emailVerifiedAt).toBeTruthy();
    expect(instructor?.emailVerifiedAt).toBeTruthy();
    expect(await signIn(DEMO_ACCOUNTS.instructor.email, DEMO_ACCOUNTS.instructor.password)).toMatch(
      /session=/,
    );
  });

  it('lets the demo member coordinate the PTCE Centre Isère and answer an invitation', async () => {
    const cookie = await signIn(DEMO_ACCOUNTS.member.email, DEMO_ACCOUNTS.member.password);
    const centreIsere = await (
      await t.app.request('/poles/ptce-centre-isere', { headers: { cookie } })
    ).text();
    expect(centreIsere).toContain('Modifier le pôle');
    expect(centreIsere).toContain('Accepter la demande');
    const poleSud = await (await t.app.request('/poles/pole-sud', { headers: { cookie } })).text();
    expect(poleSud).toContain('Accepter l’invitation');
  });

  it('does nothing the second time', async () => {
    const before = await counts();
    expect(before.listings).toBeGreaterThan(0);
    expect(before.photos).toBeGreaterThan(0);
    expect(before.files).toBe(before.photos);
    t.clock.advance(3600_000);
    expect(await loadDemoDataOnce(t.db, t.clock.now(), { storage: t.storage })).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('leaves the accounts out on request', async () => {
    const other = await createTestApp();
    try {
      expect(await loadDemoDataOnce(other.db, other.clock.now(), { accounts: false })).toBe(true);
      expect(await findUserByEmail(other.db, DEMO_ACCOUNTS.member.email)).toBeUndefined();
      const [row] = await other.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM organisation_members`);
      expect(row?.n).toBe(0);
    } finally {
      other.close();
    }
  });
});

describe('demo listings and threads', () => {
  const DAY = 24 * 3600_000;

  it('publishes 30–60 listings of every category and both types, recent and unexpired', async () => {
    const rows = await t.db.all<{
      type: string;
      category: string;
      status: string;
      pole_id: number | null;
      on_behalf_of_pole_id: number | null;
      published_at: string | null;
      expires_at: string;
      is_demo: number;
    }>(sql`SELECT type, category, status, pole_id, on_behalf_of_pole_id, published_at, expires_at, is_demo
      FROM listings`);
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(rows.length).toBeLessThanOrEqual(60);
    expect(rows.every((r) => r.is_demo === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.category)).size).toBe(10);
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['offer', 'need']));
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['published', 'draft', 'closed']));
    expect(rows.filter((r) => r.pole_id !== null).length).toBeGreaterThan(rows.length / 2);
    expect(rows.filter((r) => r.on_behalf_of_pole_id !== null).length).toBeGreaterThanOrEqual(1);
    const now = t.clock.now().getTime();
    for (const row of rows.filter((r) => r.status === 'published')) {
      const published = Date.parse(row.published_at!);
      expect(published).toBeLessThan(now);
      expect(published).toBeGreaterThan(now - 7 * 7 * DAY);
      expect(Date.parse(row.expires_at)).toBeGreaterThan(now + 30 * DAY);
    }
  });

  it('finds the shared kitchen around Voiron, with its measure', async () => {
    const page = await (await t.app.request('/annonces?q=cuisine&commune=38563&radiusKm=30')).text();
    expect(page).toContain('Cuisine professionnelle partagée à Voiron');
    const api = await (await t.app.request('/api/v1/listings?q=cuisine&commune=38563&radiusKm=30')).json();
    const kitchen = api.items.find((item: { title: string }) =>
      item.title.startsWith('Cuisine professionnelle'),
    );
    expect(kitchen).toMatchObject({
      type: 'offer',
      category: 'premises',
      measure: { value: 45, unit: 'm²' },
      commune: { code: '38563', name: 'Voiron' },
      isDemo: true,
    });
    expect(kitchen.distanceKm).toBe(0);
    // French-aware matching works on the demo texts too: plural, no accents.
    const vans = await (await t.app.request('/api/v1/listings?q=fourgons%20utilitaires')).json();
    expect(vans.items.map((item: { title: string }) => item.title)).toContain(
      'Fourgon utilitaire reconditionné de 12 m³ à partager',
    );
  });

  it('serves the photos, stored as uploads are, on the listing and in the cards', async () => {
    const api = await (await t.app.request('/api/v1/listings?q=cuisine&commune=38563&radiusKm=30')).json();
    const kitchen = api.items.find((item: { title: string }) =>
      item.title.startsWith('Cuisine professionnelle'),
    );
    expect(kitchen.photos).toHaveLength(2);
    const res = await t.app.request(kitchen.photos[0].url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const body = new Uint8Array(await res.arrayBuffer());
    expect([...body.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // PNG
    const page = await (await t.app.request('/annonces?q=cuisine&commune=38563&radiusKm=30')).text();
    expect(page).toContain(`src="${kitchen.photos[0].url}"`);
  });

  it('counts the agreed and concluded cooperations on the home page', async () => {
    const html = await (await t.app.request('/')).text();
    const tiles = Object.fromEntries(
      [...html.matchAll(/app-home-count">([\d\u202f ]+)<\/span> (?:<a[^>]*>)?([^<]+)/g)].map((m) => [
        m[2]!.trim(),
        Number(m[1]!.replace(/\D/g, '')),
      ]),
    );
    expect(tiles['coopérations conclues']).toBeGreaterThanOrEqual(5);
    expect(tiles['coopérations engagées']).toBeGreaterThan(tiles['coopérations conclues']!);
    expect(tiles['offres publiées']).toBeGreaterThanOrEqual(20);
    expect(tiles['besoins publiés']).toBeGreaterThanOrEqual(10);
  });

  it('records threads at every step of the funnel, dated after their listing and before now', async () => {
    const rows = await t.db.all<{
      status: string;
      decline_reason: string | null;
      outcome_euros: number | null;
      outcome_tonnes: number | null;
      outcome_people_trained: number | null;
      outcome_note: string | null;
      created_at: string;
      last_message_at: string;
      updated_at: string;
      published_at: string;
      messages: number;
    }>(sql`SELECT t.status, t.decline_reason, t.outcome_euros, t.outcome_tonnes, t.outcome_people_trained,
        t.outcome_note, t.created_at, t.last_message_at, t.updated_at, l.published_at,
        (SELECT count(*) FROM thread_messages m WHERE m.thread_id = t.id) AS messages
      FROM threads t JOIN listings l ON l.id = t.listing_id`);
    const byStatus = (status: string) => rows.filter((r) => r.status === status);
    expect(byStatus('open').length).toBeGreaterThanOrEqual(3);
    expect(byStatus('accepted').length).toBeGreaterThanOrEqual(1);
    expect(byStatus('declined').every((r) => r.decline_reason !== null)).toBe(true);
    expect(byStatus('declined').length).toBeGreaterThanOrEqual(2);
    const concluded = byStatus('concluded');
    expect(concluded.length).toBeGreaterThanOrEqual(5);
    expect(concluded.every((r) => r.outcome_note)).toBe(true);
    expect(concluded.some((r) => r.outcome_tonnes! > 0)).toBe(true);
    expect(concluded.some((r) => r.outcome_people_trained! > 0)).toBe(true);
    expect(concluded.some((r) => r.outcome_euros! > 0)).toBe(true);
    const now = t.clock.now().toISOString();
    for (const row of rows) {
      expect(row.messages).toBeGreaterThanOrEqual(1);
      expect(row.created_at > row.published_at).toBe(true);
      expect(row.updated_at < now && row.last_message_at < now).toBe(true);
    }
  });

  it('shows the members’ listings on their pôle’s page', async () => {
    const html = await (await t.app.request('/poles/ptce-centre-isere')).text();
    const section = html.slice(html.indexOf('id="annonces-du-pole"'));
    expect(section).toContain('Cuisine professionnelle partagée à Voiron');
    expect(section).toContain('Local sec de 30 m² pour stocker du papier près de Saint-Égrève');
    expect(section).not.toContain('Atelier réparation de petit électroménager'); // a draft
  });

  it('shows the demo member the threads of their organisations, unread first', async () => {
    const cookie = await signIn(DEMO_ACCOUNTS.member.email, DEMO_ACCOUNTS.member.password);
    const html = await (await t.app.request('/echanges', { headers: { cookie } })).text();
    expect(html).toContain('Cuisine professionnelle partagée à Voiron');
    expect(html).toContain('Camion 20 m³ avec hayon');
    expect(html).toMatch(/non lus?/);
    const espace = await (await t.app.request('/mon-espace', { headers: { cookie } })).text();
    const mine = espace.slice(espace.indexOf('id="annonces"'), espace.indexOf('id="echanges"'));
    expect(mine).toContain('Cuisine professionnelle partagée à Voiron');
    expect(mine).toContain('3 réponses');
    expect(mine).toContain('Brouillon'); // the draft workshop
    expect(mine).toContain('Paniers de légumes bio'); // the second organisation's
    expect(mine).toContain('publiée par votre pôle pour elle'); // the PTCE Centre Isère's, on behalf
  });
});
