import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/features/auth/queries.ts';
import { getCommune } from '../../src/features/geo/queries.ts';
import { createOrganisation } from '../../src/features/organisations/queries.ts';
import { withLuhnKey } from '../../src/features/organisations/siret.ts';
import { createPole } from '../../src/features/poles/queries.ts';
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
 * The directories built on the directory kit, as a first-time user meets them: at 1280 and 390 px,
 * with and without JavaScript — the commune question instead of unfiltered results, results first
 * on a phone with the filters folded, the live search's loading state, the « Menu » skip link.
 */
let server: BrowserServer;
let browser: Browser;

const kit = pageKit(() => ({ browser, origin: server.origin }));

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  const now = server.clock.now();
  const ownerId = (await createUser(
    server.db,
    { email: 'annuaire@example.fr', name: 'Anne Nuaire', password: 'un mot de passe solide', verified: true },
    now,
  ))!;
  const places = [
    ['Recyclerie de Voiron', '38563'],
    ['Atelier bois de Saint-Martin-le-Vinoux', '38423'],
    ['Coopérative grenobloise', '38185'],
    ['Tiers-lieu lyonnais', '69123'],
  ] as const;
  const ids: number[] = [];
  for (const [index, [name, communeCode]] of places.entries()) {
    const siren = withLuhnKey(String(61_000_000 + index * 7919));
    const organisation = await createOrganisation(
      server.db,
      {
        siret: withLuhnKey(`${siren}0001`),
        name,
        kind: 'ess',
        legalForm: 'association',
        communeCode,
        themes: ['recycling_reuse'],
        description: `${name} : réemploi et insertion.`,
      },
      ownerId,
      now,
    );
    ids.push(organisation.id);
  }
  for (const [index, [name, code]] of [
    ['Pôle réemploi du Voironnais', '38563'],
    ['Pôle lyonnais de la culture', '69123'],
  ].entries()) {
    await createPole(
      server.db,
      {
        name: name!,
        description: 'Mutualisation de locaux.',
        commune: (await getCommune(server.db, code!))!,
        departements: [],
        themes: ['recycling_reuse'],
        organisationId: ids[index]!,
      },
      now,
    );
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
const communeField = (page: Page) => page.getByRole('searchbox', { name: /commune/ });
const keywords = (page: Page) => page.getByRole('searchbox', { name: /^Mots-clés/ });

/** The top of the results area, in CSS pixels from the top of the page. */
const resultsTop = (page: Page) =>
  results(page).evaluate((element) => element.getBoundingClientRect().top + window.scrollY);

/** On a phone, nothing but the folded « Filtres » panel stands between the title and the results. */
async function expectResultsFirst(page: Page) {
  const gap = await page.evaluate(
    () =>
      document.getElementById('resultats')!.getBoundingClientRect().top -
      document.getElementById('filtres')!.getBoundingClientRect().bottom,
  );
  expect(gap, 'the results follow the folded filters').toBeLessThan(60);
  expect(await keywords(page).isVisible(), 'the filters are folded').toBe(false);
}

describe('directories at 1280 px', () => {
  it('with JavaScript: filters beside the results, a loading state, and the commune question while typing', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled: true, viewport: DESKTOP });
    await page.goto('/organisations');
    await scriptsReady(page);
    expect(await keywords(page).isVisible()).toBe(true);
    expect(await page.getByText(/^Filtres/).isVisible(), 'no panel button on a wide screen').toBe(false);
    expect(await page.locator('#resultats-chargement').isVisible()).toBe(false);

    // Hold the live-search answers a moment, to see the loading state.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(
      (url) => url.pathname === '/organisations',
      async (route) => {
        if (route.request().headers()['hx-request']) await held;
        await route.continue();
      },
    );
    await communeField(page).fill('Saint-Martin');
    await expect.poll(() => page.locator('#resultats-chargement').isVisible()).toBe(true);
    expect(await results(page).getAttribute('class')).toContain('htmx-request');
    release();
    await expect
      .poll(() => status(page).textContent())
      .toBe('Plusieurs communes correspondent à « Saint-Martin » : choisissez la vôtre.');
    expect(await page.locator('#resultats-chargement').isVisible()).toBe(false);
    expect(await results(page).getByRole('heading', { name: 'Quelle commune ?' }).isVisible()).toBe(true);
    expect(
      await results(page).locator('.fr-card').count(),
      'no results while the commune is a question',
    ).toBe(0);
    await page.waitForURL((url) => url.searchParams.get('communeQuery') === 'Saint-Martin');
    await expectAccessible(page);

    await results(page).getByRole('link', { name: 'Saint-Martin-le-Vinoux' }).click();
    await page.waitForURL((url) => url.searchParams.get('commune') === '38423');
    await expect
      .poll(() => status(page).textContent())
      .toBe('4 organisations trouvées, classées par distance de Saint-Martin-le-Vinoux.');
    expect(await results(page).getByText('à 0 km').first().isVisible()).toBe(true);
    await expectAccessible(page);
    expectNoProblems(problems);
  });

  it('without JavaScript: an unknown theme is ignored and said, an ambiguous commune asked, then answered', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled: false, viewport: DESKTOP });
    const response = await page.goto('/poles?theme=astrologie');
    expect(response?.status()).toBe(200);
    expect(
      await page.getByText('Ce filtre n’est pas reconnu et est ignoré : Thème « astrologie ».').isVisible(),
    ).toBe(true);
    expect(await status(page).textContent()).toBe('2 pôles trouvés.');
    expect(await keywords(page).isVisible(), 'the filters show without a click').toBe(true);
    await expectAccessible(page);

    await communeField(page).fill('Saint-Martin');
    await page.getByRole('search').getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL((url) => url.searchParams.get('communeQuery') === 'Saint-Martin');
    expect(await results(page).getByRole('heading', { name: 'Quelle commune ?' }).isVisible()).toBe(true);
    expect(await results(page).locator('.fr-card').count()).toBe(0);
    await expectAccessible(page);
    await results(page).getByRole('link', { name: 'Saint-Martin-le-Vinoux' }).click();
    await page.waitForURL((url) => url.searchParams.get('commune') === '38423');
    expect(await status(page).textContent()).toBe(
      '2 pôles trouvés, classés par distance de Saint-Martin-le-Vinoux.',
    );
    expectNoProblems(problems);
  });
});

describe('directories at 390 px', () => {
  it('with JavaScript: results first, filters in a panel, and the « Menu » skip link opens the menu', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled: true, viewport: PHONE });
    await page.goto('/poles');
    await scriptsReady(page);
    expect(await resultsTop(page), 'the results start on the first screen').toBeLessThan(PHONE.height);
    await expectResultsFirst(page);
    await expectAccessible(page);
    await page.getByText(/^Filtres/).click();
    expect(await keywords(page).isVisible()).toBe(true);
    await keywords(page).fill('culture');
    await expect.poll(() => status(page).textContent()).toBe('1 pôle trouvé.');
    await expectAccessible(page);

    // Keyboard: the second skip link, « Menu », opens the main menu (a DSFR modal on a phone).
    await page.goto('/poles');
    await scriptsReady(page);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu');
    await page.keyboard.press('Enter');
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    await expect.poll(() => menu.isVisible()).toBe(true);
    await expect
      .poll(() => page.evaluate(() => !!document.activeElement?.closest('#menu-principal')))
      .toBe(true);
    expectNoProblems(problems);
  });

  it('without JavaScript: results first, the panel opens, an unknown commune is a question', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled: false, viewport: PHONE });
    await page.goto('/organisations');
    await expectResultsFirst(page);
    await page.getByText(/^Filtres/).click();
    await communeField(page).fill('Voirn');
    await page.getByRole('search').getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL((url) => url.searchParams.get('communeQuery') === 'Voirn');
    expect(await status(page).textContent()).toBe(
      'Aucune commune ne correspond à « Voirn » : vérifiez le nom ou indiquez le code postal.',
    );
    expect(await results(page).getByRole('heading', { name: 'Quelle commune ?' }).isVisible()).toBe(true);
    expect(await results(page).locator('.fr-card').count()).toBe(0);
    await expectResultsFirst(page);
    await expectAccessible(page);
    // The question's link leads to the commune field, opening the folded panel.
    await results(page).getByRole('link', { name: 'Corrigez la commune' }).click();
    await expect.poll(() => communeField(page).isVisible()).toBe(true);
    expect(await communeField(page).inputValue()).toBe('Voirn');

    // The « Menu » skip link leads to the menu, shown inline without JavaScript.
    await page.goto('/organisations');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.hash === '#navigation-principale');
    expect(await page.getByRole('navigation', { name: 'Menu principal' }).isVisible()).toBe(true);
    expectNoProblems(problems);
  });
});
