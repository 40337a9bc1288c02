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
    loaded = await loadDemoDataOnce(seed.db, seed.clock.now());
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
    expect(await loadDemoDataOnce(t.db, t.clock.now())).toBe(false);
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
