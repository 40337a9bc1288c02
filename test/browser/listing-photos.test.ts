/**
 * Adding a photo through the page form in Chromium (with and without JavaScript): the photos page
 * has no axe violation before and after, and the stored JPEG (its GPS removed) decodes at its size.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import {
  axeViolations,
  type BrowserServer,
  launchChromium,
  openContext,
  startServer,
  watchPage,
} from '../support/browser.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

let server: BrowserServer;
let browser: Browser;
let member: TestUser;
let listingIds: number[];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  const t = server as unknown as Parameters<typeof createSignedInUser>[0];
  member = await createSignedInUser(t, { name: 'Camille Martin' });
  const org = await createOrganisation(t, { owner: member });
  listingIds = [];
  for (let i = 0; i < 3; i++)
    listingIds.push((await createListing(t, org.id, { userId: member.id, title: `Camionnette ${i}` })).id);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each([
  [0, 1280, true],
  [1, 390, false],
  [2, 390, true],
])('photos page (case %i, %i px, JavaScript %s)', (index, width, js) => {
  it('adds a photo with the page form; axe finds nothing', async () => {
    const id = listingIds[index]!;
    const context = await openContext(browser, server.origin, { width, js, cookie: member.cookie });
    try {
      const page = await context.newPage();
      const problems = await watchPage(page);
      expect((await page.goto(`/annonces/${id}/photos`))?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);
      await page.setInputFiles(
        '#champ-file',
        join(import.meta.dirname, '..', 'fixtures', 'photos', 'gps.jpg'),
      );
      await page.fill('#champ-alt', 'La camionnette, vue de côté');
      await Promise.all([page.waitForURL(/\/modifier/), page.click('button:has-text("Ajouter la photo")')]);
      expect(page.url()).toContain(`/annonces/${id}/modifier?avis=photo-ajoutee`);
      await expect
        .poll(() => page.locator('.fr-alert--success').textContent())
        .toContain('La photo est ajoutée.');
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`/annonces/${id}/photos`);
      const img = page.locator('img[alt="La camionnette, vue de côté"]');
      await expect
        .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
        .toBe(96);
      expect(await img.evaluate((el: HTMLImageElement) => el.naturalHeight)).toBe(64);
      expect(await axeViolations(page)).toEqual([]);
      expect(problems.failedResponses).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
