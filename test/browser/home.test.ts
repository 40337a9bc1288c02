import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  axeViolations,
  type BrowserServer,
  launchChromium,
  type PageProblems,
  startServer,
  watchPage,
} from '../support/browser.ts';

let server: BrowserServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

// One Chromium per file; a fresh server (app, database copy, clock) per test.
beforeAll(async () => {
  browser = await launchChromium();
});

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await server?.close();
});

afterAll(async () => {
  await browser?.close();
});

/** A new page in its own context, watched for failed responses, console errors and CSP violations. */
async function openPage(
  options: {
    javaScriptEnabled?: boolean;
    viewport?: { width: number; height: number };
    allow?: (url: string, status: number) => boolean;
  } = {},
) {
  const context = await browser.newContext({
    baseURL: server.origin,
    locale: 'fr-FR',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  contexts.push(context);
  const page = await context.newPage();
  const responses: Response[] = [];
  page.on('response', (response) => responses.push(response));
  const problems = await watchPage(page, options.allow);
  return { page, problems, responses };
}

function expectNoProblems(problems: PageProblems) {
  expect(problems.failedResponses, 'responses with an error status').toEqual([]);
  expect(problems.failedRequests, 'requests without a response').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
  expect(problems.cspViolations, 'CSP violations').toEqual([]);
}

async function expectAccessible(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `axe violations on ${page.url()}:\n${violations.join('\n')}`).toEqual([]);
}

/** Waits until DSFR's JS and htmx have both started on the page. */
async function scriptsReady(page: Page) {
  await page.waitForFunction(
    () =>
      document.documentElement.getAttribute('data-fr-js') === 'true' &&
      typeof (window as unknown as { htmx?: unknown }).htmx === 'object',
  );
}

/** A marker on `window` that survives htmx swaps but not a full page load. */
async function markWindow(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __samePage: boolean }).__samePage = true;
  });
}
function isSameWindow(page: Page) {
  return page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage === true);
}

const PHONE = { width: 375, height: 740 };

const communeField = (page: Page) => page.getByRole('searchbox', { name: /^Commune/ });

describe('home page', () => {
  it('loads in French with the DSFR shell, every asset, htmx 4 and DSFR JS, without errors', async () => {
    const { page, problems, responses } = await openPage();
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await scriptsReady(page);
    await page.evaluate(() => document.fonts.ready);

    expect(await page.title()).toBe('Accueil — ptce-hub');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await expect.poll(() => page.getByRole('banner').locator('.fr-logo').isVisible()).toBe(true);
    expect(
      await page
        .getByRole('banner')
        .getByRole('link', { name: /ptce-hub/ })
        .isVisible(),
    ).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Menu principal' }).isVisible()).toBe(true);
    expect(await page.getByRole('contentinfo').isVisible()).toBe(true);
    for (const name of [/^Accessibilité/, 'Mentions légales', 'Données personnelles']) {
      expect(await page.getByRole('contentinfo').getByRole('link', { name }).isVisible()).toBe(true);
    }
    expect(
      await page
        .getByRole('heading', { level: 1, name: 'Coopérer sur son territoire, ensemble' })
        .isVisible(),
    ).toBe(true);

    // htmx 4 and DSFR actually ran.
    expect(
      await page.evaluate(() => (window as unknown as { htmx: { version: string } }).htmx.version),
    ).toMatch(/^4\./);
    expect(await page.evaluate(() => typeof (window as unknown as { dsfr?: unknown }).dsfr)).toBe('function');

    // Every asset the page uses was served: stylesheets, scripts, Marianne fonts, DSFR icons.
    const served = (part: string) =>
      responses.filter((r) => new URL(r.url()).pathname.includes(part)).map((r) => r.status());
    for (const asset of [
      '/assets/site.',
      '/assets/htmx.',
      '/assets/app.',
      '/assets/dsfr.module.',
      '/assets/Marianne-',
      '.svg',
    ]) {
      expect(served(asset), `requests for ${asset}`).not.toEqual([]);
      expect(
        served(asset).every((status) => status === 200),
        `statuses of ${asset}`,
      ).toBe(true);
    }
    // Favicons are fetched lazily (or not at all) by headless Chromium: request each declared one.
    const icons = await page
      .locator('link[rel~="icon"], link[rel="apple-touch-icon"]')
      .evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
    expect(icons).toHaveLength(3);
    for (const href of icons) {
      const icon = await page.request.get(href);
      expect(icon.status(), href).toBe(200);
      expect(icon.headers()['content-type'], href).toMatch(/^image\//);
    }

    expectNoProblems(problems);
    await expectAccessible(page);
  });

  it('offers communes as the user types and sends the chosen code', async () => {
    const { page, problems } = await openPage({ allow: (url) => new URL(url).pathname === '/organisations' });
    await page.goto('/');
    await scriptsReady(page);
    await markWindow(page);

    const suggestions = page.waitForResponse((r) => new URL(r.url()).pathname === '/communes/suggestions');
    await communeField(page).pressSequentially('voir', { delay: 30 });
    const suggestionResponse = await suggestions;
    expect(suggestionResponse.status()).toBe(200);
    expect(await suggestionResponse.request().headerValue('hx-request')).toBe('true');

    const voiron = page.getByRole('radio', { name: /^Voiron\b/ });
    await voiron.waitFor();
    const group = page.getByRole('group', { name: /communes proposées : choisissez la vôtre/ });
    expect(await group.isVisible()).toBe(true);
    expect(await group.getByRole('radio').count()).toBeGreaterThan(1);
    expect(await isSameWindow(page), 'suggestions arrive without a page load').toBe(true);
    // Screen readers hear a short status message, not the whole list.
    const status = page.getByRole('status').filter({ hasText: /commune/ });
    expect(await status.textContent()).toMatch(/^\d+ communes proposées$/);
    await expectAccessible(page);

    // The status element stays in place as the list changes (so its new text is announced).
    await status.evaluate((element) => {
      (element as HTMLElement & { __kept?: boolean }).__kept = true;
    });
    await communeField(page).pressSequentially('zz', { delay: 30 });
    await expect.poll(() => status.textContent()).toBe('Aucune commune ne correspond à « voirzz ».');
    expect(await status.isVisible()).toBe(true);
    expect(await page.getByRole('radio').count()).toBe(0);
    expect(await status.evaluate((element) => (element as HTMLElement & { __kept?: boolean }).__kept)).toBe(
      true,
    );
    await communeField(page).press('Backspace');
    await communeField(page).press('Backspace');
    await voiron.waitFor();

    await page.locator('label[for="commune-38563"]').click();
    expect(await voiron.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL((url) => url.pathname === '/organisations');
    const url = new URL(page.url());
    expect(url.searchParams.get('commune')).toBe('38563');
    expect(url.searchParams.get('communeQuery')).toBe('voir');
    expect(url.searchParams.get('radiusKm')).toBe('20');

    expectNoProblems(problems);
  });

  it('works without JavaScript: the typed text is sent as communeQuery', async () => {
    const { page, problems } = await openPage({
      javaScriptEnabled: false,
      allow: (url) => new URL(url).pathname === '/organisations',
    });
    await page.goto('/');
    expect(await page.locator('html').getAttribute('data-fr-js')).toBeNull();
    await communeField(page).fill('Voiron');
    await page.getByRole('combobox', { name: 'Dans un rayon de' }).selectOption('50');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL((url) => url.pathname === '/organisations');
    const url = new URL(page.url());
    expect(url.searchParams.get('communeQuery')).toBe('Voiron');
    expect(url.searchParams.get('radiusKm')).toBe('50');
    expect(url.searchParams.has('commune')).toBe(false);
    expectNoProblems(problems);
  });

  it('opens the main menu on a phone, with JavaScript', async () => {
    const { page, problems } = await openPage({ viewport: PHONE });
    await page.goto('/');
    await scriptsReady(page);
    const annonces = page
      .getByRole('navigation', { name: 'Menu principal' })
      .getByRole('link', { name: 'Annonces' });
    expect(await annonces.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await annonces.waitFor();
    expect(await page.getByRole('dialog').isVisible()).toBe(true);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Fermer' }).click();
    await annonces.waitFor({ state: 'hidden' });

    // DSFR picks up the header that a boosted navigation swapped in.
    await page.getByRole('contentinfo').getByRole('link', { name: 'Mentions légales' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mentions légales' }).waitFor();
    expect(await annonces.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await annonces.waitFor();
    await page.getByRole('button', { name: 'Fermer' }).click();
    await annonces.waitFor({ state: 'hidden' });
    expectNoProblems(problems);
  });

  it('keeps the menu and the breadcrumb reachable on a phone without JavaScript', async () => {
    const { page, problems } = await openPage({ viewport: PHONE, javaScriptEnabled: false });
    await page.goto('/accessibilite');
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    for (const name of ['Annonces', 'Organisations', 'Pôles', 'AMI']) {
      expect(await menu.getByRole('link', { name }).isVisible(), name).toBe(true);
    }
    expect(await page.getByRole('link', { name: 'Se connecter' }).first().isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false);
    const breadcrumb = page.getByRole('navigation', { name: 'vous êtes ici :' });
    expect(await breadcrumb.getByRole('link', { name: 'Accueil' }).isVisible()).toBe(true);
    expect(await breadcrumb.getByRole('button').isVisible()).toBe(false);
    expectNoProblems(problems);
  });

  it('starts keyboard navigation on the "Contenu" skip link, which moves focus to the main content', async () => {
    const { page, problems } = await openPage();
    await page.goto('/');
    await scriptsReady(page);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      text: document.activeElement?.textContent?.trim(),
      href: document.activeElement?.getAttribute('href'),
    }));
    expect(focused).toEqual({ text: 'Contenu', href: '#contenu' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    expect(new URL(page.url()).hash).toBe('#contenu');
    expectNoProblems(problems);
  });

  it('follows a boosted link without a page load: new title, top of the page, focus on the content', async () => {
    const { page, problems } = await openPage();
    await page.goto('/');
    await scriptsReady(page);
    await markWindow(page);
    const footerLink = page.getByRole('contentinfo').getByRole('link', { name: 'Mentions légales' });
    await footerLink.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await footerLink.click();
    await page.getByRole('heading', { level: 1, name: 'Mentions légales' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/mentions-legales');
    expect(await page.title()).toBe('Mentions légales — ptce-hub');
    expect(await isSameWindow(page), 'boosted navigation').toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    expect(await page.evaluate(() => window.scrollY), 'the new page is shown from its top').toBe(0);
    await expectAccessible(page);

    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Coopérer sur son territoire, ensemble' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.title()).toBe('Accueil — ptce-hub');
    expectNoProblems(problems);
  });
});

describe('accessibility (axe-core)', () => {
  it.each([
    ['/accessibilite', 'Déclaration d’accessibilité'],
    ['/mentions-legales', 'Mentions légales'],
    ['/donnees-personnelles', 'Données personnelles'],
    ['/ami', 'L’appel à manifestation d’intérêt permanent « PTCE »'],
    ['/annonces', 'Annonces de mutualisation'],
  ])('%s has no violations', async (path, heading) => {
    const { page, problems } = await openPage();
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await scriptsReady(page);
    expect(await page.getByRole('heading', { level: 1, name: heading }).isVisible()).toBe(true);
    await expectAccessible(page);
    expectNoProblems(problems);
  });

  it('the 404 page has no violations', async () => {
    const { page, problems } = await openPage({ allow: (url) => new URL(url).pathname === '/nulle-part' });
    const response = await page.goto('/nulle-part');
    expect(response?.status()).toBe(404);
    await scriptsReady(page);
    expect(await page.title()).toBe('Page non trouvée — ptce-hub');
    expect(await page.getByRole('heading', { level: 1, name: 'Page non trouvée' }).isVisible()).toBe(true);
    await expectAccessible(page);
    expectNoProblems(problems);
  });
});
