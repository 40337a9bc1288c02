import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileStorage } from '../../src/entry/node-storage.ts';
import { DEMO_ACCOUNTS, loadDemoDataOnce } from '../../src/features/demo/demo.ts';
import {
  axeViolations,
  type BrowserServer,
  expectNoProblems,
  launchChromium,
  startServer,
  watchPage,
} from '../support/browser.ts';

let server: BrowserServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
beforeEach(async () => {
  server = await startServer();
  await loadDemoDataOnce(server.db, server.clock.now(), { storage: nodeFileStorage(server.filesFolder) });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await server?.close();
});
afterAll(async () => {
  await browser?.close();
});

/** The demo member's session cookie, from the sign-in API. */
async function demoSession(): Promise<string> {
  const res = await fetch(`${server.origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin },
    body: JSON.stringify({ email: DEMO_ACCOUNTS.member.email, password: DEMO_ACCOUNTS.member.password }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe.each([
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
])('demo listings at $width px', (viewport) => {
  it('the pôle page shows its members’ listings with their photos; Mon espace « Mes annonces »; axe 0 violations', async () => {
    const context = await browser.newContext({ baseURL: server.origin, locale: 'fr-FR', viewport });
    contexts.push(context);
    const [name, value] = (await demoSession()).split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.origin }]);
    const page = await context.newPage();
    const problems = await watchPage(page);

    await page.goto('/poles/ptce-centre-isere');
    const cards = page.locator('#annonces-membres .fr-card');
    expect(await cards.count()).toBeGreaterThanOrEqual(5);
    const photo = page.locator('#annonces-membres img').first();
    await photo.scrollIntoViewIfNeeded();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto('/mon-espace');
    const table = page.locator('#annonces table');
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#annonces a[href="/annonces/nouvelle"]').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expectNoProblems(problems);
  });
});
