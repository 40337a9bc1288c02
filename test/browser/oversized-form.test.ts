/**
 * Defect 5 in a browser: a form post of a field over 1 MB shows the 413 page (« Contenu trop
 * volumineux »), not a reset connection, and the next navigation on the same site works. (Chromium
 * silently retries a request that fails on a reused socket, so this passed before the fix too: the
 * regression test of the lost request is test/integration/keep-alive-after-413.test.ts; this one
 * guards what the user sees, e.g. against closing the socket before the 413 is sent.)
 */
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, MAX_BODY_BYTES } from '../../src/app.ts';
import { nodeAssets } from '../../src/entry/node-assets.ts';
import { serveNode } from '../../src/entry/node-server.ts';
import { parseConfig } from '../../src/env.ts';
import { freshDatabase, TestClock } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';

let browser: Browser;
let origin: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const { client, db } = await freshDatabase();
  const app = createApp({
    config: parseConfig({ NODE_ENV: 'test', LOG_REQUESTS: '0' }),
    db: () => db,
    clock: new TestClock(),
    log: () => {},
    assets: nodeAssets(),
  });
  // The Node entry's server (src/entry/node-server.ts), not a bare @hono/node-server.
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = () =>
    new Promise<void>((resolve) => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close(() => {
        client.close();
        resolve();
      });
    });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

it.each([true, false])(
  'javaScript %s: a form field over 1 MB shows the 413 page',
  async (javaScriptEnabled) => {
    const context = await browser.newContext({ baseURL: origin, javaScriptEnabled });
    try {
      const page = await context.newPage();
      const failed: string[] = [];
      page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
      await page.goto('/inscription');
      await page.locator('input[name="name"]').evaluate(
        (input, size) => {
          (input as HTMLInputElement).removeAttribute('maxlength');
          (input as HTMLInputElement).value = 'a'.repeat(size);
        },
        MAX_BODY_BYTES + 64 * 1024,
      );
      await page.locator('input[name="email"]').fill('camille@example.org');
      await page.locator('input[name="password"]').fill('un mot de passe solide');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/inscription') && r.request().method() === 'POST'),
        page.locator('form[action="/inscription"] button[type="submit"]').click(),
      ]);
      expect(response.status()).toBe(413);
      await expect.poll(() => page.locator('h1').textContent()).toBe('Contenu trop volumineux');
      expect(await page.locator('main').textContent()).toContain('dépasse la taille maximale (1 Mo)');
      expect(failed).toEqual([]);
      // The site keeps answering on the same browser.
      expect((await page.goto('/organisations'))?.status()).toBe(200);
    } finally {
      await context.close();
    }
  },
);
