/**
 * The partners page in Chromium, with and without JavaScript, at 1280 px and 390 px: an SME in
 * Voiron sees the nearby premises offer with its reasons, filters, dismisses a suggestion (it does
 * not come back) and follows « Contacter » to the offer's answer form; axe reports no violation.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import {
  type BrowserServer,
  expectNoAxeViolations,
  launchChromium,
  openContext,
  startServer,
} from '../support/browser.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

let server: BrowserServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const as = (user: TestUser, width: number, js: boolean) =>
  openContext(browser, server.origin, { width, js, cookie: user.cookie });
const audit = expectNoAxeViolations;

describe.each([
  [1280, true],
  [390, true],
  [1280, false],
  [390, false],
])('at %i px (JavaScript %s)', (width, js) => {
  it('suggests, explains, filters, dismisses and leads to contact', async () => {
    const t = server as unknown as Parameters<typeof createListing>[0];
    const sme = await createSignedInUser(t, { name: `PME ${width}${js}` });
    const smeOrg = (
      await createOrganisation(t, { owner: sme, name: `Menuiserie ${width}${js}`, kind: 'sme' })
    ).id;
    await createListing(t, smeOrg, { type: 'need', title: 'Local de stockage pour nos bois' });
    const essOwner = await createSignedInUser(t, { name: `ESS ${width}${js}` });
    const moirans = (
      await createOrganisation(t, {
        owner: essOwner,
        name: `Ressourcerie ${width}${js}`,
        communeCode: '38239',
      })
    ).id;
    const offer = await createListing(t, moirans, {
      title: 'Local de stockage partagé',
      communeCode: '38239',
    });
    const grenobleOwner = await createSignedInUser(t, { name: `Grenoble ${width}${js}` });
    const grenoble = (
      await createOrganisation(t, {
        owner: grenobleOwner,
        name: `Entrepôt ${width}${js}`,
        communeCode: '38185',
      })
    ).id;
    await createListing(t, grenoble, { title: 'Entrepôt de stockage', communeCode: '38185' });

    const context = await as(sme, width, js);
    try {
      const page = await context.newPage();
      await page.goto(`/organisations/${smeOrg}/partenaires`);
      await audit(page);
      // Earlier runs share the server's database: count this run's organisations only.
      const cards = page.locator('main article', {
        hasText: new RegExp(`(Ressourcerie|Entrepôt) ${width}${js}$`, 'm'),
      });
      const entrepot = page.locator('main article', { hasText: `Entrepôt ${width}${js}` });
      await expect.poll(() => cards.count()).toBe(2);
      await expect.poll(() => cards.first().textContent()).toContain(`Ressourcerie ${width}${js}`);
      await expect.poll(() => cards.first().textContent()).toContain('Propose : local de stockage partagé');

      await page.fill('#champ-radiusKm', '10');
      await page.click('button:has-text("Filtrer")');
      await page.waitForURL(/radiusKm=10/);
      await expect.poll(() => entrepot.count()).toBe(0);
      await expect.poll(() => cards.count()).toBe(1);
      await audit(page);

      await page.goto(`/organisations/${smeOrg}/partenaires`);
      await page.click(`main article:has-text("Entrepôt ${width}${js}") button:has-text("Ne plus suggérer")`);
      await page.waitForURL(/avis=ecartee/);
      await expect.poll(() => page.textContent('main')).toContain('ne vous sera plus suggérée');
      await expect.poll(() => entrepot.count()).toBe(0);
      await audit(page);

      await page.click(`main article:has-text("Ressourcerie ${width}${js}") a:has-text("Contacter")`);
      await page.waitForURL(new RegExp(`/annonces/${offer.id}`));
      await expect.poll(() => page.textContent('#reponse-titre')).toContain('Répondre à cette annonce');
    } finally {
      await context.close();
    }
  });
});
