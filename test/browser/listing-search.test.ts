import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/features/auth/queries.ts';
import { insertListing, publishListingRow } from '../../src/features/listings/queries.ts';
import { listingCreateInput } from '../../src/features/listings/schemas.ts';
import { createOrganisation } from '../../src/features/organisations/queries.ts';
import { withLuhnKey } from '../../src/features/organisations/siret.ts';
import {
  type BrowserServer,
  DESKTOP,
  expectNoProblems,
  launchChromium,
  PHONE,
  pageKit,
  scriptsReady,
  startServer,
} from '../support/browser.ts';

/**
 * The listing search (/annonces) as a visitor meets it, at 1280 and 390 px, with and without
 * JavaScript: an accent-less word, a plural, a commune and radius, the same results both ways.
 */
let server: BrowserServer;
let browser: Browser;
const kit = pageKit(() => ({ browser, origin: server.origin }));

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  const now = server.clock.now();
  const ownerId = (await createUser(
    server.db,
    { email: 'annonces@example.fr', name: 'Anne Once', password: 'un mot de passe solide', verified: true },
    now,
  ))!;
  const organisation = await createOrganisation(
    server.db,
    {
      siret: withLuhnKey(`${withLuhnKey('62000001')}0001`),
      name: 'Recyclerie de Voiron',
      kind: 'ess',
      legalForm: 'association',
      communeCode: '38563',
      themes: ['recycling_reuse'],
      description: 'Réemploi.',
    },
    ownerId,
    now,
  );
  const listings = [
    { title: 'Cuisine partagée à Voiron', category: 'premises', communeCode: '38563' },
    { title: 'Véhicules utilitaires à partager', category: 'equipment', communeCode: '38185' },
    { title: 'Énergie solaire à mutualiser', category: 'energy_resources', communeCode: '69123' },
    { title: '<img src=x onerror=alert(1)>', category: 'other', communeCode: '38563' },
  ];
  for (const fields of listings) {
    const input = listingCreateInput.parse({
      organisationId: organisation.id,
      type: 'offer',
      terms: 'free',
      ...fields,
    });
    const row = await insertListing(
      server.db,
      { ...input, communeCode: fields.communeCode },
      { userId: ownerId },
      now,
    );
    await publishListingRow(server.db, row.id, now);
  }
});

afterEach(() => kit.closeAll());

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const { openPage } = kit;

const { expectAccessible } = kit;

const results = (page: Page) => page.locator('#resultats');
const status = (page: Page) => results(page).getByRole('status').last();
const keywords = (page: Page) => page.getByRole('searchbox', { name: /^Mots-clés/ });
const titles = (page: Page) => results(page).locator('.fr-card__title').allTextContents();

for (const [width, viewport] of [
  ['1280', DESKTOP],
  ['390', PHONE],
] as const) {
  describe(`/annonces at ${width} px`, () => {
    it('with JavaScript: live results and the URL follows', async () => {
      const { page, problems } = await openPage({ javaScriptEnabled: true, viewport });
      await page.goto('/annonces');
      await scriptsReady(page);
      expect(
        await page.getByRole('heading', { level: 1, name: 'Annonces de mutualisation' }).isVisible(),
      ).toBe(true);
      expect(await status(page).textContent()).toBe('4 annonces trouvées.');
      await expectAccessible(page);
      if (viewport === PHONE) await page.getByText(/^Filtres/).click();
      await keywords(page).fill('vehicule');
      await expect.poll(() => status(page).textContent()).toBe('1 annonce trouvée.');
      await page.waitForURL((url) => url.searchParams.get('q') === 'vehicule');
      expect(await titles(page)).toEqual(['Véhicules utilitaires à partager']);
      await keywords(page).fill('onerror');
      await expect.poll(() => titles(page)).toEqual(['<img src=x onerror=alert(1)>']);
      await expectAccessible(page);
      expectNoProblems(problems);
    });

    it('the home page shows the counts and the recent listings, accessible', async () => {
      const { page, problems } = await openPage({ javaScriptEnabled: true, viewport });
      await page.goto('/');
      await scriptsReady(page);
      expect(await page.locator('#compteurs').textContent()).toContain('4 offres publiées');
      expect(await page.locator('#dernieres-annonces .fr-card').count()).toBe(4);
      await expectAccessible(page);
      expectNoProblems(problems);
    });

    it('without JavaScript: the same results from the form, by word and by commune + radius', async () => {
      const { page, problems } = await openPage({ javaScriptEnabled: false, viewport });
      await page.goto('/annonces?q=energie');
      expect(await titles(page)).toEqual(['Énergie solaire à mutualiser']);
      await expectAccessible(page);
      if (viewport === PHONE) await page.getByText(/^Filtres/).click();
      await keywords(page).fill('vehicules');
      await page.getByRole('search').getByRole('button', { name: 'Rechercher' }).click();
      await page.waitForURL((url) => url.searchParams.get('q') === 'vehicules');
      expect(await titles(page)).toEqual(['Véhicules utilitaires à partager']);
      await page.goto('/annonces?commune=38563&radiusKm=50');
      expect(await status(page).textContent()).toMatch(/^3 annonces trouvées à moins de 50 km/);
      expect(await titles(page)).not.toContain('Énergie solaire à mutualiser');
      await expectAccessible(page);
      expectNoProblems(problems);
    });
  });
}
