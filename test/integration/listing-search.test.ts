import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { searchListings } from '../../src/features/listings/search.ts';
import { DEFAULT_LIMITS } from '../../src/features/search/limits.ts';
import { createTestApp, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';
import { createPoleViaApi } from '../support/poles.ts';

const HOUR = 3600_000;

interface Item {
  id: number;
  title: string;
  distanceKm?: number;
  status: string;
}
interface ListPage {
  items: Item[];
  total: number;
  page: number;
  perPage: number;
  totalCapped?: boolean;
}

/** The published listings of the seed: where they are decides the radius expectations. */
const PUBLISHED = [
  {
    key: 'kitchen',
    org: 'A',
    title: 'Cuisine partagée à Voiron',
    description: 'Une cuisine professionnelle équipée, disponible les après-midi.',
    category: 'premises',
    communeCode: '38563',
    terms: 'cost_sharing',
  },
  {
    key: 'storage',
    org: 'B',
    title: 'Local de stockage disponible',
    description: 'Entrepôt sec de 80 m².',
    category: 'premises',
    communeCode: '38185',
    terms: 'paid',
  },
  {
    key: 'van',
    org: 'B',
    title: 'Véhicules utilitaires à partager',
    description: 'Deux camionnettes reconditionnées, idéales pour les travaux.',
    category: 'equipment',
    communeCode: '38133',
    terms: 'free',
  },
  {
    key: 'joinery',
    org: 'C',
    type: 'need',
    title: 'Atelier de menuiserie cherche du bois de réemploi',
    description: 'Matériaux de construction récupérés.',
    category: 'other',
    communeCode: '38474',
    terms: 'exchange',
  },
  {
    key: 'solar',
    org: 'C',
    title: 'Énergie solaire : panneaux à mutualiser',
    description: 'Installation photovoltaïque en autoconsommation collective.',
    category: 'energy_resources',
    communeCode: '38169',
    terms: 'cost_sharing',
    availableFrom: '2026-12-01',
    availableUntil: '2027-01-31',
  },
  {
    key: 'accountant',
    org: 'D',
    type: 'need',
    title: 'Comptable à temps partagé',
    description: 'Pour trois structures, dont une coopérative d’énergie citoyenne.',
    category: 'shared_jobs',
    communeCode: '69123',
    terms: 'paid',
  },
  {
    key: 'office',
    org: 'D',
    title: 'Bureau libre à Dijon',
    description: 'Un bureau dans nos locaux, à partager.',
    category: 'premises',
    communeCode: '21231',
    terms: 'free',
    availableUntil: '2026-12-10',
  },
] as const;

type Key = (typeof PUBLISHED)[number]['key'] | 'hidden';

let seeded: Awaited<ReturnType<typeof seedTemplate<World>>>;
interface World {
  ids: Record<string, number>;
  pole: { id: number; slug: string };
  hiddenIds: number[];
  centres: Record<string, { lat: number; lon: number }>;
}
let t: TestApp;
let world: World;

beforeAll(async () => {
  seeded = await seedTemplate(async (s) => {
    const coordinator = await createSignedInUser(s);
    const orgs = {
      A: await createOrganisation(s, { name: 'Recyclerie de Voiron', kind: 'ess', owner: coordinator }),
      B: await createOrganisation(s, { name: 'Garage solidaire', kind: 'sme', communeCode: '38185' }),
      C: await createOrganisation(s, { name: 'Coopérative Bois', kind: 'ess', communeCode: '38474' }),
      D: await createOrganisation(s, {
        name: 'Ville de Lyon',
        kind: 'local_authority',
        communeCode: '69123',
      }),
    };
    await s.db.run(
      sql`INSERT INTO organisation_themes (theme, organisation_id) VALUES ('food_agriculture', ${orgs.A.id})`,
    );
    const pole = await createPoleViaApi(s, coordinator, orgs.A.id);
    const ids: Record<string, number> = {};
    for (const { key, org, ...fields } of PUBLISHED) {
      s.clock.advance(HOUR);
      ids[key] = (await createListing(s, orgs[org].id, fields)).id;
    }
    // B's storage is published in the pôle (B is not a member).
    await s.db.run(sql`UPDATE listings SET pole_id = ${pole.id} WHERE id = ${ids.storage}`);
    // Never in search: a draft, a closed, an unpublished and an expired listing, all matching « local ».
    const hidden = [
      await createListing(s, orgs.A.id, { title: 'Local brouillon', status: 'draft' }),
      await createListing(s, orgs.A.id, { title: 'Local clôturé' }),
      await createListing(s, orgs.A.id, { title: 'Local retiré par la modération' }),
      await createListing(s, orgs.A.id, { title: 'Local expiré' }),
    ].map((row) => row.id);
    await s.db.run(
      sql`UPDATE listings SET status = 'closed', closed_reason = 'withdrawn' WHERE id = ${hidden[1]}`,
    );
    await s.db.run(sql`UPDATE listings SET status = 'unpublished' WHERE id = ${hidden[2]}`);
    await s.db.run(sql`UPDATE listings SET expires_at = '2026-01-01T00:00:00.000Z' WHERE id = ${hidden[3]}`);
    const rows = await s.db.all<{ code: string; lat: number; lon: number }>(
      sql`SELECT code, lat, lon FROM communes WHERE lat IS NOT NULL`,
    );
    const centres = Object.fromEntries(rows.map((row) => [row.code, { lat: row.lat, lon: row.lon }]));
    return { ids, pole, hiddenIds: hidden, centres };
  });
  world = seeded.world;
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
  t.clock.advance(10 * HOUR);
});
afterEach(() => t.close());

async function list(query: string): Promise<ListPage> {
  const res = await t.app.request(`/api/v1/listings?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ListPage;
}
const keysOf = (page: ListPage) => page.items.map((item) => keyOf(item.id));
function keyOf(id: number): Key {
  const entry = Object.entries(world.ids).find(([, value]) => value === id);
  return (entry?.[0] as Key | undefined) ?? 'hidden';
}
const sorted = (keys: readonly string[]) => [...keys].sort();

/** Haversine distance between commune centres, as the spec defines it (R = 6371.0088 km). */
function haversine(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

describe('GET /api/v1/listings: French-aware words', () => {
  it.each([
    // accents
    ['energie', ['solar', 'accountant']],
    ['ÉNERGIE', ['solar', 'accountant']],
    ['énergie', ['solar', 'accountant']],
    ['partagee', ['kitchen']],
    // inflections (singular/plural, Snowball stems)
    ['locaux', ['storage', 'office']],
    ['local', ['storage', 'office']],
    ['vehicule', ['van']],
    ['véhicules', ['van']],
    ['menuiseries', ['joinery']],
    ['menuiserie', ['joinery']],
    ['materiau', ['joinery']],
    ['materiaux', ['joinery']],
    ['travail', ['van']],
    ['travaux', ['van']],
    ['cuisines', ['kitchen']],
    // multi-word AND
    ['cuisine voiron', ['kitchen']],
    ['local dijon', ['office']],
    ['cuisine dijon', []],
    // prefixes (3+ letters; shorter words are whole words)
    ['cuisi', ['kitchen']],
    ['menuis', ['joinery']],
    ['photovolt', ['solar']],
    ['cu', []],
    ['menuiseriezz', []],
    ['introuvable', []],
  ])('q=%s → %j', async (q, expected) => {
    const page = await list(`q=${encodeURIComponent(q)}`);
    expect(sorted(keysOf(page))).toEqual(sorted(expected));
    expect(page.total).toBe(expected.length);
  });

  it('ranks a title match above a description match', async () => {
    expect(keysOf(await list('q=energie'))).toEqual(['solar', 'accountant']);
    expect(keysOf(await list('q=locaux'))).toEqual(['storage', 'office']);
  });

  it.each([
    '"',
    '""""',
    '*',
    '-',
    '(',
    ')',
    'NEAR',
    'NEAR(cuisine voiron)',
    'cuisine OR local',
    'cuisine AND NOT local',
    'stem_title:cuisine',
    '^cuisine',
    'a',
    'de',
    '🙂',
    '\u0000\u0007',
    'x'.repeat(2000),
    'cuisine '.repeat(250).slice(0, 2000),
  ])('hostile q=%j gives 200 with sane results', async (q) => {
    const page = await list(`q=${encodeURIComponent(q)}`);
    expect(page.items.every((item) => item.status === 'published')).toBe(true);
    for (const id of world.hiddenIds) expect(page.items.map((i) => i.id)).not.toContain(id);
    const html = await t.app.request(`/annonces?q=${encodeURIComponent(q)}`);
    expect(html.status).toBe(200);
  });

  it('NEAR and OR are words, not operators', async () => {
    expect(keysOf(await list('q=cuisine%20OR%20local'))).toEqual([]);
  });

  it('a query over 2,000 characters is a 400 in the API, ignored on the page', async () => {
    const q = 'x'.repeat(2001);
    expect((await t.app.request(`/api/v1/listings?q=${q}`)).status).toBe(400);
    expect((await t.app.request(`/annonces?q=${q}`)).status).toBe(200);
  });
});

describe('GET /api/v1/listings: filters', () => {
  it.each([
    ['', ['kitchen', 'storage', 'van', 'joinery', 'solar', 'accountant', 'office']],
    ['type=need', ['joinery', 'accountant']],
    ['type=offer&category=premises', ['kitchen', 'storage', 'office']],
    ['category=equipment', ['van']],
    ['terms=free', ['van', 'office']],
    ['theme=food_agriculture', ['kitchen']],
    ['kind=sme', ['storage', 'van']],
    ['kind=local_authority&type=offer', ['office']],
    ['departement=38', ['kitchen', 'storage', 'van', 'joinery', 'solar']],
    ['departement=69', ['accountant']],
    ['region=27', ['office']],
    ['region=84&type=need', ['joinery', 'accountant']],
    ['availableOn=2026-11-25', ['kitchen', 'storage', 'van', 'joinery', 'accountant', 'office']],
    ['availableOn=2026-12-05', ['kitchen', 'storage', 'van', 'joinery', 'solar', 'accountant', 'office']],
    ['availableOn=2026-12-20', ['kitchen', 'storage', 'van', 'joinery', 'solar', 'accountant']],
    ['availableOn=2027-02-01', ['kitchen', 'storage', 'van', 'joinery', 'accountant']],
    ['q=local&terms=free', ['office']],
  ])('%s → %j', async (query, expected) => {
    const page = await list(query);
    expect(sorted(keysOf(page))).toEqual(sorted(expected));
    expect(page.total).toBe(expected.length);
  });

  it('pôle by id or slug: listings published in it and by its active members', async () => {
    for (const pole of [String(world.pole.id), world.pole.slug]) {
      const page = await list(`pole=${pole}`);
      expect(sorted(keysOf(page))).toEqual(sorted(['kitchen', 'storage']));
    }
    expect((await list('pole=pole-inconnu')).items).toEqual([]);
    expect((await list('pole=999999')).items).toEqual([]);
  });

  it.each([
    'type=gift',
    'category=castles',
    'theme=astrologie',
    'kind=x',
    'terms=cheap',
    'availableOn=2026-13-45',
    'availableOn=demain',
    'sort=price',
    'commune=999',
    'radiusKm=10',
    'commune=38563&radiusKm=-1',
    'commune=38563&radiusKm=5000',
    'page=0',
    'perPage=500',
    'pole=%3Cscript%3E',
    'unknown=1',
  ])('%s → 400 with a French message', async (query) => {
    const res = await t.app.request(`/api/v1/listings?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(/\p{L}/u);
    // The page is lenient: the same query is a 200.
    expect((await t.app.request(`/annonces?${query}`)).status).toBe(200);
  });

  it('an unknown commune code is a 400 in the API', async () => {
    expect((await t.app.request('/api/v1/listings?commune=99999')).status).toBe(400);
  });
});

describe('GET /api/v1/listings: radius and distance', () => {
  const located = () =>
    PUBLISHED.map((listing) => ({
      key: listing.key as string,
      km: haversine(world.centres['38563']!, world.centres[listing.communeCode]!),
    }));

  it.each([5, 10, 25, 50, 200, 1000])(
    'commune=38563&radiusKm=%i: exactly those within, nearest first',
    async (radius) => {
      const expected = located()
        .filter((entry) => entry.km <= radius)
        .sort((a, b) => a.km - b.km);
      const page = await list(`commune=38563&radiusKm=${radius}&perPage=100`);
      expect(keysOf(page)).toEqual(expected.map((entry) => entry.key));
      expect(page.total).toBe(expected.length);
      page.items.forEach((item, i) => {
        expect(item.distanceKm).toBeCloseTo(expected[i]!.km, 1);
      });
    },
  );

  it('the acceptance case: 25 km around Voiron', async () => {
    const expected = located()
      .filter((entry) => entry.km <= 25)
      .sort((a, b) => a.km - b.km)
      .map((entry) => entry.key);
    expect(expected.length).toBeGreaterThan(1);
    expect(expected).not.toContain('accountant');
    expect(keysOf(await list('commune=38563&radiusKm=25'))).toEqual(expected);
  });

  it('a commune without radius sorts everything by distance, with distanceKm', async () => {
    const expected = located()
      .sort((a, b) => a.km - b.km)
      .map((entry) => entry.key);
    const page = await list('commune=38563');
    expect(keysOf(page)).toEqual(expected);
    expect(page.items.every((item) => typeof item.distanceKm === 'number')).toBe(true);
  });

  it('words within a radius', async () => {
    expect(sorted(keysOf(await list('q=local&commune=38563&radiusKm=50')))).toEqual(['storage']);
    // Nearest first, with the words' matches only, the same order as without words.
    const near = await list('commune=38563&radiusKm=1000&perPage=100');
    const expected = near.items.filter((item) => ['storage', 'office'].includes(keyOf(item.id)));
    const page = await list('q=local&commune=38563&radiusKm=1000&perPage=100');
    expect(page.items.map((item) => [item.id, item.distanceKm])).toEqual(
      expected.map((item) => [item.id, item.distanceKm]),
    );
    expect(page.total).toBe(expected.length);
  });

  it('other sorts within a radius keep the radius and the distances', async () => {
    const page = await list('commune=38563&radiusKm=25&sort=recent');
    const expected = located().filter((entry) => entry.km <= 25);
    expect(sorted(keysOf(page))).toEqual(sorted(expected.map((e) => e.key)));
    expect(page.items.every((item) => typeof item.distanceKm === 'number')).toBe(true);
  });
});

describe('GET /api/v1/listings: sorts and pagination', () => {
  it('recent: newest published first (the default without words or commune)', async () => {
    const newestFirst = PUBLISHED.map((l) => l.key).reverse();
    expect(keysOf(await list(''))).toEqual(newestFirst);
    expect(keysOf(await list('sort=recent'))).toEqual(newestFirst);
    expect(keysOf(await list('q=local&sort=recent'))).toEqual(['office', 'storage']);
  });

  it('relevance without words falls back to recent; distance without commune too', async () => {
    const newestFirst = PUBLISHED.map((l) => l.key).reverse();
    expect(keysOf(await list('sort=relevance'))).toEqual(newestFirst);
    expect(keysOf(await list('sort=distance'))).toEqual(newestFirst);
  });

  it.each([
    '',
    'sort=recent',
    'q=partager',
    'q=a%C3%A9',
    'commune=38563',
    'commune=38563&radiusKm=200',
    'q=a%C3%A9&commune=38563&radiusKm=1000',
    'commune=38563&sort=recent',
    'type=offer',
  ])('pages of 2 never repeat nor skip (%s)', async (query) => {
    const all = await list(`${query}&perPage=100`);
    const seen: number[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 2) + 1; page++) {
      const slice = await list(`${query}&perPage=2&page=${page}`);
      expect(slice.total).toBe(all.total);
      seen.push(...slice.items.map((item) => item.id));
    }
    expect(seen).toEqual(all.items.map((item) => item.id));
  });
});

describe('within a radius without words: pages from the nearest ring, the total bounded', () => {
  it.each([3, 100])(
    'countLimit %i: the same pages as the exact search, the total exact up to the limit',
    async (countLimit) => {
      const now = t.clock.now();
      const around = { communeCode: '38563', radiusKm: 200 };
      const all = await searchListings(t.db, { ...around, page: 1, perPage: 100 }, now);
      expect(all.total).toBeGreaterThan(3);
      const limits = { ...DEFAULT_LIMITS, countLimit };
      const seen: number[] = [];
      for (let page = 1; page <= Math.ceil(all.total / 2); page++) {
        const slice = await searchListings(t.db, { ...around, page, perPage: 2, limits }, now);
        expect(slice.total).toBe(Math.min(all.total, countLimit));
        expect(slice.totalCapped).toBe(all.total > countLimit ? true : undefined);
        seen.push(...slice.items.map((item) => item.id));
        slice.items.forEach((item, i) => {
          expect(item.distanceKm).toBe(all.items[(page - 1) * 2 + i]!.distanceKm);
        });
      }
      expect(seen).toEqual(all.items.map((item) => item.id));
    },
  );
});

describe('never in public search: drafts, closed, unpublished, expired', () => {
  it.each(['q=local', '', 'commune=38563', 'commune=38563&radiusKm=5', 'sort=recent&q=local', 'perPage=100'])(
    '%s',
    async (query) => {
      const page = await list(query);
      for (const id of world.hiddenIds) expect(page.items.map((item) => item.id)).not.toContain(id);
      const html = await (await t.app.request(`/annonces?${query}`)).text();
      for (const title of ['Local brouillon', 'Local clôturé', 'Local retiré', 'Local expiré']) {
        expect(html).not.toContain(title);
      }
    },
  );

  it('a listing leaves search once expired', async () => {
    expect(keysOf(await list('q=cuisine'))).toEqual(['kitchen']);
    t.clock.advance(91 * 24 * HOUR);
    expect((await list('q=cuisine')).items).toEqual([]);
  });
});

describe('GET /annonces', () => {
  it('shows the results as cards, identical to the API order', async () => {
    const res = await t.app.request('/annonces?q=locaux');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Annonces de mutualisation');
    const storage = html.indexOf(`href="/annonces/${world.ids.storage}"`);
    const office = html.indexOf(`href="/annonces/${world.ids.office}"`);
    expect(storage).toBeGreaterThan(0);
    expect(office).toBeGreaterThan(storage);
    expect(html).toContain('Garage solidaire');
    expect(html).toMatch(/publiée il y a|publiée aujourd’hui|publiée hier/);
  });

  it('around a commune the cards show the distance', async () => {
    const html = await (await t.app.request('/annonces?commune=38563&radiusKm=25')).text();
    expect(html).toMatch(/à \d+(,\d)? km|à moins d’1 km|km/);
  });

  it('answers htmx with the results fragment', async () => {
    const res = await t.app.request('/annonces?q=cuisine', {
      headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Cuisine partagée à Voiron');
    expect(html).not.toContain('<html');
  });

  it('a hostile title is text in the page and raw in the API', async () => {
    const xss = '<img src=x onerror=alert(1)>';
    const org = await createOrganisation(t, { name: 'Org XSS' });
    const row = await createListing(t, org.id, { title: xss });
    const html = await (await t.app.request('/annonces?q=onerror')).text();
    expect(html).not.toContain(xss);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const page = await list('q=onerror');
    expect(page.items.map((item) => [item.id, item.title])).toEqual([[row.id, xss]]);
  });
});
