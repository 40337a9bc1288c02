import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';

/**
 * The directory kit's behaviour, the same on both directories: one leniency policy for unknown
 * filter values (pages) against the strict API, the commune question instead of unfiltered results,
 * links that keep the filters, the mobile layout and the live-search markup.
 */
type TestApp = Awaited<ReturnType<typeof createTestApp>>;

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const owner = await createSignedInUser(t);
  const coordinating = await createOrganisation(t, {
    name: 'Recyclerie de Voiron',
    communeCode: '38563',
    owner,
  });
  await createOrganisation(t, { name: 'Atelier de Grenoble', communeCode: '38185', kind: 'sme' });
  await createOrganisation(t, { name: 'Tiers-lieu lyonnais', communeCode: '69123', kind: 'local_authority' });
  for (const [name, communeCode] of [
    ['Pôle réemploi du Voironnais', '38563'],
    ['Pôle énergies grenoblois', '38185'],
    ['Pôle culture lyonnais', '69123'],
  ] as const) {
    const res = await t.app.request(
      '/api/v1/poles',
      jsonRequest(
        'POST',
        { name, communeCode, organisationId: coordinating.id, themes: ['recycling_reuse'] },
        { authorization: owner.bearer },
      ),
    );
    expect(res.status).toBe(201);
  }
});
afterAll(() => t.client.close());

async function html(path: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers });
  return { status: res.status, vary: res.headers.get('vary'), body: await res.text() };
}

const partial = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

describe.each([
  {
    path: '/organisations',
    api: '/api/v1/organisations',
    all: '3 organisations trouvées',
    item: 'Recyclerie de Voiron',
  },
  { path: '/poles', api: '/api/v1/poles', all: '3 pôles trouvés', item: 'Pôle réemploi du Voironnais' },
])('$path built on the directory kit', ({ path, api, all, item }) => {
  describe('unknown filter values (one leniency policy for pages)', () => {
    it('ignores an unknown theme on the page and says so, with the other filters applied', async () => {
      const page = await html(`${path}?theme=astrologie`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Ce filtre n’est pas reconnu et est ignoré : Thème « astrologie ».');
      expect(page.body).toContain(all);
      expect(page.body).toContain('<option value="" selected="">Tous les thèmes</option>');
    });

    it('lists every ignored value, page included, and keeps the valid ones', async () => {
      const page = await html(`${path}?theme=astrologie&region=99&page=abc&departement=38`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(
        'Ces filtres ne sont pas reconnus et sont ignorés : Thème « astrologie », Région « 99 », Page « abc ».',
      );
      expect(page.body).toContain('<option value="38" selected="">Isère (38)</option>');
      expect(page.body).toContain(item);
      expect(page.body).not.toContain('lyonnais');
    });

    it('says nothing of blank values (a GET form sends every field) nor of foreign parameters', async () => {
      const page = await html(
        `${path}?q=&theme=&region=&departement=&commune=&communeQuery=&radiusKm=&utm_source=x`,
      );
      expect(page.status).toBe(200);
      expect(page.body).not.toContain('pas reconnu');
      expect(page.body).toContain(all);
    });

    it('tells htmx the same in the results fragment', async () => {
      const fragment = await html(`${path}?theme=astrologie`, partial);
      expect(fragment.body).not.toContain('<html');
      expect(fragment.body).toContain('Thème « astrologie »');
    });

    it('keeps the JSON API strict: 400 with a French message for the field', async () => {
      const res = await t.app.request(`${api}?theme=astrologie`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(body.error.fields.theme).toBe('Thème inconnu.');
    });
  });

  describe('the commune question (never the unfiltered directory)', () => {
    it('asks « Quelle commune ? » for an ambiguous name, each candidate a link keeping the filters', async () => {
      const page = await html(`${path}?q=pole&communeQuery=Saint-Martin&radiusKm=20`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Quelle commune ?');
      expect(page.body).toContain(
        'Plusieurs communes correspondent à « Saint-Martin » : choisissez la vôtre.',
      );
      // Saint-Martin (Gers), INSEE 32389: the link keeps the words and the radius asked for.
      expect(page.body).toContain(`href="${path}?q=pole&amp;commune=32389&amp;radiusKm=20"`);
      expect(page.body).toContain(`href="${path}?q=pole">Chercher sans commune</a>`);
      expect(page.body).not.toMatch(/trouvée?s?\b/);
      expect(page.body).not.toContain(item);
    });

    it('says an unknown commune is unknown, with no results', async () => {
      const page = await html(`${path}?communeQuery=Voirn`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Quelle commune ?');
      expect(page.body).toContain(
        'Aucune commune ne correspond à « Voirn » : vérifiez le nom ou indiquez le code postal.',
      );
      expect(page.body).not.toContain(item);
      expect(page.body).not.toContain('Tiers-lieu lyonnais');
    });

    it('treats an unknown INSEE code in the URL the same way', async () => {
      const page = await html(`${path}?commune=99999&radiusKm=10`);
      expect(page.body).toContain('Aucune commune ne correspond à « 99999 »');
      expect(page.body).not.toContain(item);
    });

    it('asks the question in the htmx fragment too', async () => {
      const fragment = await html(`${path}?communeQuery=Saint-Martin`, partial);
      expect(fragment.vary).toContain('HX-Request');
      expect(fragment.body).toContain('Quelle commune ?');
      expect(fragment.body).not.toContain(item);
    });

    it('answers once the commune is chosen: sorted by distance, « à N km »', async () => {
      const page = await html(`${path}?communeQuery=Voiron&radiusKm=50`);
      expect(page.body).not.toContain('Quelle commune ?');
      expect(page.body).toMatch(/à moins de 50 km de Voiron/);
      expect(page.body).toContain('à 0 km');
      expect(page.body).toContain(item);
      expect(page.body).not.toContain('lyonnais');
    });
  });

  describe('page layout and live search', () => {
    it('folds the filters in a panel before the results, which carry a loading state', async () => {
      const page = await html(`${path}?departement=38`);
      const details = page.body.indexOf('<details class="app-filters" id="filtres">');
      const results = page.body.indexOf('id="resultats"');
      expect(details).toBeGreaterThan(0);
      expect(results).toBeGreaterThan(details);
      expect(page.body).toContain('Filtres (1 actif)</summary>');
      expect(page.body).toContain('hx-indicator="#resultats, #resultats-chargement"');
      expect(page.body).toContain('class="htmx-indicator app-loading"');
      expect(page.body).toContain(`hx-get="${path}"`);
      expect(page.body).toContain('hx-push-url="true"');
      expect(page.body).toContain('href="#resultats">Voir les résultats</a>');
      expect(page.vary).toContain('HX-Request');
    });
  });
});
