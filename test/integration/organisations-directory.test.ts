import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getCommune } from '../../src/features/geo/queries.ts';
import { isValidSiret } from '../../src/features/organisations/siret.ts';
import { distanceKm } from '../../src/lib/normalize.ts';
import { createTestApp, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';

/** This test's app: a fresh copy of the seeded directory below. */
let t: TestApp;
let owner: TestUser;
let seeded: Awaited<ReturnType<typeof seedTemplate>>;

let serial = 0;
function nextSiret(): string {
  for (;;) {
    const candidate = String(52_000_000_000_000 + ++serial * 41);
    if (isValidSiret(candidate)) return candidate;
  }
}

/** The directory's fixtures: where they are decides the distance expectations, computed below. */
const SEED = [
  { name: 'Économie Solidaire Grenoble', communeCode: '38185', kind: 'ess', themes: ['insertion'] },
  {
    name: 'Recyclerie de Voiron',
    communeCode: '38563',
    kind: 'ess',
    themes: ['recycling_reuse', 'insertion'],
    description: 'Ressourcerie et atelier de réparation de vélos.',
  },
  { name: 'Atelier numérique de Coublevie', communeCode: '38133', kind: 'sme', themes: ['digital'] },
  { name: 'Coopérative de Sassenage', communeCode: '38474', kind: 'ess', themes: ['food_agriculture'] },
  { name: 'Fontaine Énergies', communeCode: '38169', kind: 'sme', themes: ['renewable_energy'] },
  { name: 'Services du Vinoux', communeCode: '38423', kind: 'network', themes: ['business_services'] },
  { name: 'Tiers-lieu lyonnais', communeCode: '69123', kind: 'local_authority', themes: ['culture'] },
  { name: 'La Coursive Boutaric', communeCode: '21231', kind: 'ess', themes: ['culture', 'insertion'] },
] as const;

const ids = new Map<string, number>();
/** Exact distance from Voiron's centre to each fixture's commune centre. */
const fromVoiron = new Map<string, number>();

beforeAll(async () => {
  seeded = await seedTemplate(async (s) => {
    owner = await createSignedInUser(s);
    const voiron = (await getCommune(s.db, '38563'))!;
    for (const seed of SEED) {
      const res = await s.app.request(
        '/api/v1/organisations',
        jsonRequest(
          'POST',
          {
            legalForm: 'association',
            description: '',
            contactEmail: 'contact@example.org',
            ...seed,
            siret: nextSiret(),
          },
          { authorization: owner.bearer },
        ),
      );
      expect(res.status).toBe(201);
      ids.set(seed.name, (await res.json()).id);
      const commune = (await getCommune(s.db, seed.communeCode))!;
      fromVoiron.set(seed.name, distanceKm(voiron.lat!, voiron.lon!, commune.lat!, commune.lon!));
    }
  });
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

async function list(query: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(`/api/v1/organisations?${query}`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    items: Array<{ id: number; name: string; distanceKm?: number; contactEmail?: string }>;
    total: number;
    page: number;
    perPage: number;
  };
}
const names = (page: { items: Array<{ name: string }> }) => page.items.map((item) => item.name);

describe('GET /api/v1/organisations: words', () => {
  it.each([
    ['economie', ['Économie Solidaire Grenoble']],
    ['ÉCONOMIE', ['Économie Solidaire Grenoble']],
    ['econ', ['Économie Solidaire Grenoble']],
    ['solidaire grenoble', ['Économie Solidaire Grenoble']],
    ['energies', ['Fontaine Énergies']],
    ['velos', ['Recyclerie de Voiron']],
    ['cooperative', ['Coopérative de Sassenage']],
    ['"OR" * -', []],
    ['introuvable', []],
  ])('q=%s → %j', async (q, expected) => {
    const page = await list(`q=${encodeURIComponent(q)}`);
    expect(names(page)).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });
});

describe('GET /api/v1/organisations: filters', () => {
  it.each([
    ['kind=sme', ['Atelier numérique de Coublevie', 'Fontaine Énergies']],
    ['theme=culture', ['La Coursive Boutaric', 'Tiers-lieu lyonnais']],
    [
      'theme=insertion&kind=ess',
      ['Économie Solidaire Grenoble', 'La Coursive Boutaric', 'Recyclerie de Voiron'],
    ],
    ['departement=69', ['Tiers-lieu lyonnais']],
    ['departement=21', ['La Coursive Boutaric']],
    ['region=27', ['La Coursive Boutaric']],
    ['region=84&theme=insertion', ['Économie Solidaire Grenoble', 'Recyclerie de Voiron']],
    ['departement=38&q=cooperative', ['Coopérative de Sassenage']],
    ['departement=75', []],
  ])('%s', async (query, expected) => {
    const page = await list(query);
    expect(names(page)).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  it('lists everything by name, paginated', async () => {
    const all = await list('perPage=100');
    expect(all.total).toBe(SEED.length);
    expect(names(all)).toEqual([...SEED.map((s) => s.name)].sort((a, b) => a.localeCompare(b, 'fr')));
    const second = await list('perPage=3&page=2');
    expect(second).toMatchObject({ total: SEED.length, page: 2, perPage: 3 });
    expect(names(second)).toEqual(names(all).slice(3, 6));
    const beyond = await list('perPage=3&page=9');
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(SEED.length);
  });

  it('omits contact addresses for anonymous requesters', async () => {
    const anonymous = await list('kind=sme');
    expect(anonymous.items[0]).not.toHaveProperty('contactEmail');
    const signedIn = await list('kind=sme', { authorization: owner.bearer });
    expect(signedIn.items[0]!.contactEmail).toBe('contact@example.org');
  });

  it.each([
    ['radiusKm=20', 'radiusKm'],
    ['kind=banque', 'kind'],
    ['theme=astrologie', 'theme'],
    ['commune=Voiron', 'commune'],
    ['commune=38563&radiusKm=-5', 'radiusKm'],
    ['perPage=500', 'perPage'],
    ['page=0', 'page'],
  ])('answers 400 on %s', async (query, field) => {
    const res = await t.app.request(`/api/v1/organisations?${query}`);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('bad_request');
    expect(error.fields[field]).toBeTypeOf('string');
  });

  it('answers 400 on an unknown commune', async () => {
    const res = await t.app.request('/api/v1/organisations?commune=99999');
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields.commune).toBe('Commune inconnue.');
  });
});

describe('GET /api/v1/organisations: around a commune', () => {
  const byDistance = () =>
    [...fromVoiron.entries()].sort((a, b) => a[1] - b[1]).map(([name, km]) => ({ name, km }));

  it('commune=38563&radiusKm=20 returns exactly those within 20 km of Voiron, nearest first', async () => {
    const expected = byDistance().filter((o) => o.km <= 20);
    // The fixtures straddle the circle: some inside, some outside (Saint-Martin-le-Vinoux is inside
    // the bounding box but outside the circle).
    expect(expected.map((o) => o.name)).toEqual([
      'Recyclerie de Voiron',
      'Atelier numérique de Coublevie',
      'Coopérative de Sassenage',
    ]);
    expect(fromVoiron.get('Services du Vinoux')).toBeGreaterThan(20);
    expect(fromVoiron.get('Services du Vinoux')).toBeLessThan(21);
    expect(fromVoiron.get('Économie Solidaire Grenoble')).toBeGreaterThan(20);

    const page = await list('commune=38563&radiusKm=20');
    expect(page.total).toBe(expected.length);
    expect(page.items.map((item) => ({ name: item.name, distanceKm: item.distanceKm }))).toEqual(
      expected.map((o) => ({ name: o.name, distanceKm: Math.round(o.km * 10) / 10 })),
    );
    expect(page.items[0]!.distanceKm).toBe(0);
  });

  it('combines the radius with other filters', async () => {
    expect(names(await list('commune=38563&radiusKm=20&kind=ess'))).toEqual([
      'Recyclerie de Voiron',
      'Coopérative de Sassenage',
    ]);
    expect(names(await list('commune=38563&radiusKm=25&q=economie'))).toEqual([
      'Économie Solidaire Grenoble',
    ]);
    expect(names(await list('commune=38563&radiusKm=20&q=economie'))).toEqual([]);
  });

  it('without a radius, sorts everything by distance and paginates', async () => {
    const expected = byDistance();
    const all = await list('commune=38563&perPage=100');
    expect(all.total).toBe(SEED.length);
    expect(all.items.map((item) => [item.name, item.distanceKm])).toEqual(
      expected.map((o) => [o.name, Math.round(o.km * 10) / 10]),
    );
    const page2 = await list('commune=38563&perPage=2&page=2');
    expect(page2.total).toBe(SEED.length);
    expect(names(page2)).toEqual(expected.slice(2, 4).map((o) => o.name));
    const last = await list('commune=38563&perPage=3&page=3');
    expect(names(last)).toEqual(expected.slice(6, 9).map((o) => o.name));
  });

  it('accepts a large radius', async () => {
    const page = await list('commune=38563&radiusKm=1000&perPage=100');
    expect(page.total).toBe(SEED.length);
    expect(page.items.at(-1)!.name).toBe('La Coursive Boutaric');
  });
});

describe('GET /organisations (directory page)', () => {
  it('renders the full page with the search form and the results', async () => {
    const res = await t.app.request('/organisations?q=economie');
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toContain('HX-Request');
    const body = await res.text();
    expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(body).toContain('<h1>Annuaire des organisations</h1>');
    expect(body).toContain('hx-get="/organisations"');
    expect(body).toContain('hx-target="#resultats"');
    expect(body).toContain('hx-push-url="true"');
    expect(body).toContain('id="resultats"');
    expect(body).toContain('value="economie"');
    expect(body).toContain('1 organisation trouvée');
    expect(body).toContain(`href="/organisations/${ids.get('Économie Solidaire Grenoble')}"`);
    expect(body).toContain('Économie Solidaire Grenoble');
    expect(body).not.toContain('Recyclerie de Voiron');
    expect(body).toContain('<p class="fr-tag fr-tag--sm">Insertion</p>');
    expect(body).toContain('Grenoble — Isère (38)');
  });

  it('answers an htmx request with the results fragment only', async () => {
    const res = await t.app.request('/organisations?q=economie', {
      headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toContain('HX-Request');
    const body = await res.text();
    expect(body).not.toContain('<html');
    expect(body).not.toContain('<form');
    expect(body).not.toContain('id="resultats"');
    expect(body).toContain('1 organisation trouvée');
    expect(body).toContain('Économie Solidaire Grenoble');
  });

  it('answers the home page search (commune typed, radius) with distances', async () => {
    const res = await t.app.request('/organisations?commune=&communeQuery=Voiron&radiusKm=20');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('3 organisations trouvées à moins de 20 km de Voiron');
    expect(body).toContain('Recyclerie de Voiron');
    expect(body).toContain('à 0 km');
    const coublevie = Math.round(fromVoiron.get('Atelier numérique de Coublevie')! * 10) / 10;
    expect(body).toContain(`à ${coublevie.toLocaleString('fr-FR')} km`);
    expect(body).toContain('Coopérative de Sassenage');
    expect(body).not.toContain('Tiers-lieu lyonnais');
    expect(body).not.toContain('Économie Solidaire Grenoble');
    // The chosen commune is shown back, checked, in the picker.
    expect(body).toContain('value="38563" checked=""');
  });

  it('accepts the commune code with blank filters, as the form sends them', async () => {
    const res = await t.app.request(
      '/organisations?q=&kind=&theme=&departement=&region=&commune=38563&communeQuery=Voiron&radiusKm=',
    );
    const body = await res.text();
    expect(body).toContain('8 organisations trouvées, classées par distance de Voiron');
  });

  it('ignores a radius without a commune and invalid values instead of failing', async () => {
    const res = await t.app.request('/organisations?radiusKm=20&kind=banque&page=abc');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('8 organisations trouvées');
  });

  it('offers the candidates when the typed commune is ambiguous, and no results until one is chosen', async () => {
    const body = await (await t.app.request('/organisations?communeQuery=Saint-Martin&radiusKm=20')).text();
    expect(body).toContain('Plusieurs communes correspondent');
    expect(body).toContain('type="radio"');
    expect(body).not.toContain('organisations trouvées');
  });

  it('filters by kind, theme, département and région', async () => {
    const body = await (await t.app.request('/organisations?kind=ess&theme=culture&region=27')).text();
    expect(body).toContain('1 organisation trouvée');
    expect(body).toContain('La Coursive Boutaric');
    expect(body).toContain('<option value="27" selected="">Bourgogne-Franche-Comté</option>');
    const byDepartement = await (await t.app.request('/organisations?departement=69')).text();
    expect(byDepartement).toContain('Tiers-lieu lyonnais');
    expect(byDepartement).not.toContain('La Coursive Boutaric');
  });

  it('paginates with links that keep the filters', async () => {
    const many = await createSignedInUser(t);
    for (let i = 0; i < 21; i++) {
      const res = await t.app.request(
        '/api/v1/organisations',
        jsonRequest(
          'POST',
          {
            siret: nextSiret(),
            name: `Réseau numérique ${String(i).padStart(2, '0')}`,
            kind: 'network',
            legalForm: 'association',
            communeCode: '69123',
            themes: ['digital'],
          },
          { authorization: many.bearer },
        ),
      );
      expect(res.status).toBe(201);
    }
    const body = await (await t.app.request('/organisations?kind=network&departement=69')).text();
    expect(body).toContain('21 organisations trouvées');
    expect(body).toContain('href="/organisations?kind=network&amp;departement=69&amp;page=2"');
    const second = await (await t.app.request('/organisations?kind=network&departement=69&page=2')).text();
    expect(second).toContain('Réseau numérique 20');
    expect(second).not.toContain('Réseau numérique 00');
  });
});
