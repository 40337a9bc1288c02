/**
 * Report a listing (standalone report page, without and with JavaScript), then moderate it from
 * /moderation as an instructor: axe reports no violation on each page, at 390 px and 1280 px.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import {
  axeViolations,
  type BrowserServer,
  launchChromium,
  openContext,
  startServer,
} from '../support/browser.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

let server: BrowserServer;
let browser: Browser;
let member: TestUser;
let instructor: TestUser;
const listingIds: number[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  const t = server as unknown as Parameters<typeof createSignedInUser>[0];
  const owner = await createSignedInUser(t, { name: 'Olivia Propriétaire' });
  member = await createSignedInUser(t, { name: 'Marc Membre' });
  instructor = await createSignedInUser(t, { role: 'instructor', name: 'Inès Instructrice' });
  const org = await createOrganisation(t, { name: 'Ressourcerie du Voironnais', owner });
  for (const title of ['<img src=x onerror=alert(1)>', 'Camion frigorifique', 'Cuisine partagée'])
    listingIds.push((await createListing(t, org.id, { title })).id);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(user: TestUser, width: number, js: boolean) {
  const context = await openContext(browser, server.origin, { width, js, cookie: user.cookie });
  return { context, page: await context.newPage() };
}

describe.each([
  [390, false, 0],
  [1280, true, 1],
])('at %i px (JavaScript %s)', (width, js, index) => {
  it('reports a listing, then an instructor unpublishes it', async () => {
    const id = listingIds[index]!;
    let { context, page } = await open(member, width, js);
    try {
      expect((await page.goto(`/annonces/${id}/signaler`))?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Motif du signalement').selectOption('spam');
      await page.getByLabel('Précisions').fill('Publicité pour un magasin');
      await page.getByRole('button', { name: 'Signaler l’annonce' }).click();
      await page.getByText('votre signalement a été transmis').waitFor();
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
    ({ context, page } = await open(instructor, width, js));
    try {
      expect((await page.goto('/moderation'))?.status()).toBe(200);
      await page.getByText('Publicité pour un magasin').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      const section = page.locator('section', { has: page.getByText('Publicité pour un magasin') });
      await section.getByLabel('Motif de la dépublication').fill('Annonce commerciale');
      await section.getByRole('button', { name: 'Dépublier l’annonce' }).click();
      await page.getByText('Aucun signalement en attente.').waitFor();
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
