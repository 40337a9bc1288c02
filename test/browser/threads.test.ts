/**
 * A thread in Chromium, with and without JavaScript, at 390 px and 1280 px: the answer opens the
 * thread from the listing page, the responder replies, the
 * listing's side accepts, then concludes with an outcome; axe reports no violation on each page.
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
let owner: TestUser;
let responder: TestUser;
let ownerOrg: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  const t = server as unknown as Parameters<typeof createSignedInUser>[0];
  owner = await createSignedInUser(t, { name: 'Olivia Owner' });
  responder = await createSignedInUser(t, { name: 'Rémi Responder' });
  ownerOrg = (await createOrganisation(t, { owner, name: 'Cuisine partagée' })).id;
  await createOrganisation(t, { owner: responder, name: 'Traiteur solidaire' });
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
  it('answer, reply, accept, conclude with an outcome', async () => {
    const t = server as unknown as Parameters<typeof createListing>[0];
    const listing = await createListing(t, ownerOrg, { title: `<img src=x onerror=alert(1)> ${width}${js}` });
    const rc = await as(responder, width, js);
    const oc = await as(owner, width, js);
    try {
      const r = await rc.newPage();
      await r.goto(`/annonces/${listing.id}`);
      await audit(r);
      await r.fill('#champ-message', 'Bonjour, la cuisine nous intéresse le mardi.');
      await r.click('button:has-text("Je suis intéressé·e")');
      await r.waitForURL(/\/echanges\/\d+$/);
      await expect.poll(() => r.textContent('h1')).toContain('<img src=x onerror=alert(1)>');
      await audit(r);
      await r.fill('#champ-message', 'Nous pouvons commencer en janvier.');
      await r.click('button:has-text("Envoyer")');
      await expect.poll(() => r.textContent('#messages')).toContain('Nous pouvons commencer en janvier.');
      const threadUrl = new URL(r.url()).pathname;

      const o = await oc.newPage();
      await o.goto('/echanges');
      await audit(o);
      await o.goto(threadUrl);
      await audit(o);
      await o.click('button:has-text("Accepter")');
      await expect.poll(() => o.textContent('body')).toContain('Marquer la coopération comme réalisée');
      await audit(o);
      await o.fill('#champ-m2', '-3');
      await o.click('button:has-text("Marquer comme réalisée")');
      await expect.poll(() => o.textContent('body')).toContain('m² partagés : un nombre positif ou nul.');
      await audit(o);
      await o.fill('#champ-m2', '40');
      await o.fill('#champ-euros', '1200');
      await o.click('button:has-text("Marquer comme réalisée")');
      await expect.poll(() => o.textContent('body')).toContain('40 m² partagés');
      await audit(o);
    } finally {
      await rc.close();
      await oc.close();
    }
  });
});
