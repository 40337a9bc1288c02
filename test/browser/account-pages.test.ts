/**
 * The account pages, the email-not-confirmed page and the contact page in Chromium at 390 px and
 * 1280 px, with and without JavaScript (page scripts emptied, as the accounts walk audits it): axe-core reports no violation (`/compte` on mobile had
 * `scrollable-region-focusable` from its sessions table).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import {
  axeViolations,
  type BrowserServer,
  emulateNoScript,
  launchChromium,
  startServer,
  watchPage,
} from '../support/browser.ts';

let server: BrowserServer;
let browser: Browser;
let verified: TestUser;
let unverifiedCookie: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  const t = server as unknown as Parameters<typeof createSignedInUser>[0];
  verified = await createSignedInUser(t, { name: 'Camille Martin' });
  const unconfirmed = await createSignedInUser(t, { name: 'Pas Encore' });
  unverifiedCookie = unconfirmed.cookie;
  await server.db.run(`UPDATE users SET email_verified_at = NULL WHERE id = ${unconfirmed.id}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const cases: Array<[string, () => string, number]> = [
  ['/compte', () => verified.cookie, 200],
  ['/compte/parametres-techniques', () => verified.cookie, 200],
  ['/organisations/nouvelle', () => unverifiedCookie, 403],
  ['/contact', () => verified.cookie, 200],
];

describe.each([
  [390, true],
  [390, false],
  [1280, true],
])('at %i px (JavaScript %s)', (width, js) => {
  it.each(cases)('%s has no axe violation', async (path, cookie, status) => {
    const context = await browser.newContext({
      baseURL: server.origin,
      locale: 'fr-FR',
      viewport: { width, height: 800 },
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    });
    // axe needs JavaScript: the page's own scripts are emptied instead.
    if (!js) await emulateNoScript(context);
    try {
      const [name, value] = cookie().split('=') as [string, string];
      await context.addCookies([{ name, value, url: server.origin }]);
      const page = await context.newPage();
      const problems = await watchPage(page, (url, s) => s === status && new URL(url).pathname === path);
      const res = await page.goto(path);
      expect(res?.status()).toBe(status);
      expect(await axeViolations(page)).toEqual([]);
      expect(problems.failedResponses).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
