/**
 * The listings acceptance flow in Chromium, with and without JavaScript, at 1280 px and 390 px:
 * an organisation publishes an offer with the page form and adds a photo; another organisation finds
 * it by an accent-less word, by a singular for a plural, and around its own commune; answers it; the
 * publisher accepts and concludes with an outcome; the home page counts move. A pôle coordinator
 * publishes a need on behalf of a member. axe reports no violation on any page of the flow.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import {
  type BrowserServer,
  expectNoAxeViolations,
  expectNoProblems,
  launchChromium,
  openContext,
  startServer,
  watchPage,
} from '../support/browser.ts';
import { createOrganisation } from '../support/fixtures.ts';

let server: BrowserServer;
let browser: Browser;
let publisher: TestUser;
let responder: TestUser;
let coordinator: TestUser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  const t = server as unknown as Parameters<typeof createSignedInUser>[0];
  publisher = await createSignedInUser(t, { name: 'Paula Publie' });
  responder = await createSignedInUser(t, { name: 'Rémi Répond' });
  coordinator = await createSignedInUser(t, { name: 'Coralie Coordonne' });
  const staff = await createSignedInUser(t, { role: 'admin', name: 'Admin' });
  const publisherOrg = await createOrganisation(t, { owner: publisher, name: 'Garage Solidaire Voironnais' });
  await createOrganisation(t, { owner: responder, name: 'Traiteur Grenoblois', communeCode: '38185' });
  const coordinatorOrg = await createOrganisation(t, { owner: coordinator, name: 'Coordination Isère' });
  const api = (user: TestUser, path: string, body: unknown) =>
    fetch(`${server.origin}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: user.bearer },
    });
  const pole = (await (
    await api(coordinator, '/api/v1/poles', {
      name: 'Pôle Isère Solidaire',
      communeCode: '38563',
      organisationId: coordinatorOrg.id,
    })
  ).json()) as { id: number };
  const added = await api(staff, `/api/v1/poles/${pole.id}/members`, { organisationId: publisherOrg.id });
  expect(added.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const as = (user: TestUser, width: number, js: boolean) =>
  openContext(browser, server.origin, { width, height: 900, js, cookie: user.cookie });
const audit = expectNoAxeViolations;

/** The four home counts, in order: offers, needs, agreed, concluded. */
async function homeCounts(page: Page): Promise<number[]> {
  await page.goto('/');
  const texts = await page.locator('#compteurs .app-home-count').allTextContents();
  return texts.map((text) => Number(text.replace(/\s/g, '')));
}

describe.each([
  [1280, true],
  [390, true],
  [1280, false],
  [390, false],
])('at %i px (JavaScript %s)', (width, js) => {
  it('publish with a photo, find, answer, accept, conclude; the home counts move', async () => {
    const tag = `${width}${js ? 'js' : 'nojs'}`;
    const title = `Véhicules utilitaires électriques à partager ${tag}`;
    const pc = await as(publisher, width, js);
    const rc = await as(responder, width, js);
    try {
      const p = await pc.newPage();
      // The form sent with a bad quantity answers 422 on purpose.
      const problems = await watchPage(p, (url, status) => status === 422 && url.endsWith('/annonces'));
      const before = await homeCounts(p);
      await audit(p);

      await p.goto('/annonces/nouvelle');
      await audit(p);
      await p.selectOption('#champ-type', 'offer');
      await p.selectOption('#champ-category', 'equipment');
      await p.fill('#champ-title', title);
      await p.fill('#champ-description', 'Deux camionnettes électriques.\nRéservation à la journée.');
      await p.selectOption('#champ-terms', 'cost_sharing');
      await p.fill('#champ-measureValue', '2');
      // A unit without a number first: the form comes back with its message, nothing lost.
      await p.fill('#champ-measureUnit', 'véhicules');
      await p.fill('#champ-measureValue', 'deux');
      await p.click('button:has-text("Publier l’annonce")');
      await expect.poll(() => p.textContent('body')).toContain('Indiquez une quantité en chiffres.');
      expect(await p.inputValue('#champ-title')).toBe(title);
      await audit(p);
      await p.fill('#champ-measureValue', '2');
      await Promise.all([
        p.waitForURL(/\/annonces\/\d+\?avis=publiee$/),
        p.click('button:has-text("Publier l’annonce")'),
      ]);
      const listingPath = new URL(p.url()).pathname;
      await expect.poll(() => p.textContent('h1')).toBe(title);
      expect(await p.textContent('body')).toContain('2 véhicules');
      await audit(p);

      await p.click('a:has-text("Modifier")');
      await p.waitForURL(/\/modifier$/);
      await audit(p);
      await p.setInputFiles('#champ-file', join(import.meta.dirname, '..', 'fixtures', 'photos', 'gps.jpg'));
      await p.fill('#champ-alt', 'Une camionnette blanche');
      await Promise.all([p.waitForURL(/avis=photo-ajoutee/), p.click('button:has-text("Ajouter la photo")')]);
      await audit(p);
      await p.goto(listingPath);
      const photo = p.locator('img[alt="Une camionnette blanche"]');
      await expect
        .poll(() => photo.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
        .toBe(96);

      // Another organisation finds it: accent-less word, singular for a plural, around its commune.
      const r = await rc.newPage();
      const rProblems = await watchPage(r);
      for (const search of [
        `/annonces?q=vehicules+${tag}`,
        `/annonces?q=utilitaire+electrique+${tag}`,
        `/annonces?commune=38185&radiusKm=30&q=${tag}`,
      ]) {
        await r.goto(search);
        await expect.poll(() => r.textContent(`#resultats`)).toContain(title);
        await audit(r);
      }
      expect(await r.textContent('#resultats')).toMatch(/à \d+(,\d)? km/);
      await r.click(`a:has-text("${title}")`);
      await r.waitForURL(new RegExp(`${listingPath}$`));
      await audit(r);
      await r.fill('#champ-message', 'Bonjour, une camionnette le mardi nous aiderait beaucoup.');
      await Promise.all([
        r.waitForURL(/\/echanges\/\d+$/),
        r.click('button:has-text("Je suis intéressé·e")'),
      ]);
      const threadPath = new URL(r.url()).pathname;
      await audit(r);

      // The publisher accepts, then concludes with an outcome.
      await p.goto(threadPath);
      await audit(p);
      await p.click('button:has-text("Accepter")');
      await expect.poll(() => p.textContent('body')).toContain('Marquer la coopération comme réalisée');
      await audit(p);
      await p.fill('#champ-euros', '1200');
      await p.click('button:has-text("Marquer comme réalisée")');
      await expect.poll(() => p.textContent('body')).toContain('1200 € économisés ou partagés');
      await audit(p);

      const after = await homeCounts(p);
      expect(after[0]).toBe(before[0]! + 1);
      expect(after[3]).toBe(before[3]! + 1);
      expect(await p.textContent('#dernieres-annonces')).toContain(title);
      expectNoProblems(problems);
      expectNoProblems(rProblems);
    } finally {
      await pc.close();
      await rc.close();
    }
  });

  it('a coordinator publishes a need on behalf of a member', async () => {
    const cc = await as(coordinator, width, js);
    try {
      const c = await cc.newPage();
      await c.goto('/annonces/nouvelle');
      await audit(c);
      await c.selectOption('#champ-organisationId', {
        label: 'Garage Solidaire Voironnais (pour le compte, pôle Pôle Isère Solidaire)',
      });
      await c.selectOption('#champ-type', 'need');
      await c.selectOption('#champ-category', 'skills');
      await c.fill('#champ-title', `Comptable à temps partagé ${width}${js}`);
      await c.selectOption('#champ-terms', 'paid');
      await c.fill('#champ-measureValue', '8');
      await Promise.all([
        c.waitForURL(/\/annonces\/\d+\?avis=publiee$/),
        c.click('button:has-text("Publier l’annonce")'),
      ]);
      expect(await c.textContent('main')).toMatch(
        /Publié par le pôle\s*Pôle Isère Solidaire\s*pour\s*Garage Solidaire Voironnais/,
      );
      expect(await c.textContent('main')).toContain('8 heures');
      await audit(c);
    } finally {
      await cc.close();
    }
  });
});
