/**
 * The section « pièces jointes » in Chromium, with and without JavaScript, at 1280 and 390 px: a
 * PDF is joined with the page form, and a 50 MB file shows the page again with a French message
 * (413), not a reset connection. axe finds nothing on either page. Served by the Node entry's
 * server (src/entry/node-server.ts), which answers an oversized body before closing the socket.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { nodeAssets } from '../../src/entry/node-assets.ts';
import { serveNode } from '../../src/entry/node-server.ts';
import { nodeFileStorage } from '../../src/entry/node-storage.ts';
import { parseConfig } from '../../src/env.ts';
import { ATTACHMENT_REFUSALS } from '../../src/features/ami/attachment-files.ts';
import { createAmiDossier, createLead, minimalPdf } from '../support/ami-files.ts';
import { freshDatabase, removeDatabase, type TestApp, TestClock } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { axeViolations, launchChromium, openContext, watchPage } from '../support/browser.ts';

let browser: Browser;
let origin: string;
let stop: () => Promise<void>;
let owner: TestUser;
let dossiers: number[];
let submitted: number[];
let folder: string;
let bigFile: string;

beforeAll(async () => {
  const { client, db, path, filesFolder } = await freshDatabase();
  const clock = new TestClock();
  const config = parseConfig({ NODE_ENV: 'test', LOG_REQUESTS: '0' });
  const app = createApp({
    config,
    db: () => db,
    clock,
    log: () => {},
    assets: nodeAssets(),
    storage: nodeFileStorage(filesFolder),
  });
  const t = { db, clock, client: client as Client, filesFolder } as unknown as TestApp;
  owner = await createSignedInUser(t, { name: 'Camille Porteuse' });
  const lead = await createLead(t, owner, 'Coopérative des Ateliers');
  dossiers = [];
  for (let i = 0; i < 3; i++)
    dossiers.push(
      (await createAmiDossier(t, { leadOrganisationId: lead.id, projectName: `Projet ${i}` })).id,
    );
  submitted = [];
  for (let i = 0; i < 3; i++)
    submitted.push(
      (
        await createAmiDossier(t, {
          leadOrganisationId: lead.id,
          status: 'submitted',
          reference: `AMI-2026-010${i}`,
          projectName: `Projet déposé ${i}`,
        })
      ).id,
    );
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.PUBLIC_URL = origin;
  folder = mkdtempSync(join(tmpdir(), 'ami-pieces-'));
  writeFileSync(join(folder, 'statuts.pdf'), minimalPdf());
  bigFile = join(folder, 'dossier-complet.pdf');
  writeFileSync(bigFile, Buffer.alloc(50 * 1024 * 1024, 0x25));
  stop = () =>
    new Promise<void>((resolve) => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close(() => {
        client.close();
        removeDatabase(path);
        resolve();
      });
    });
  browser = await launchChromium();
});

/** A browser context signed in as the lead organisation's owner, at `width`, with or without JavaScript. */
function ownerContext(width: number, js: boolean) {
  return openContext(browser, origin, { width, js, cookie: owner.cookie });
}

afterAll(async () => {
  await browser?.close();
  await stop?.();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const CASES = [
  [0, 1280, true],
  [1, 390, false],
  [2, 390, true],
] as const;

describe.each(CASES)('pieces page (case %i, %i px, JavaScript %s)', (index, width, js) => {
  it('joins a PDF, then refuses a 50 MB file with the page and its message', async () => {
    const id = dossiers[index]!;
    const context = await ownerContext(width, js);
    try {
      const page = await context.newPage();
      const problems = await watchPage(page, (url, status) => status === 413 && url.endsWith('/pieces'));
      expect((await page.goto(`/ami/dossiers/${id}/pieces`))?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);

      await page.setInputFiles('#champ-file', join(folder, 'statuts.pdf'));
      await Promise.all([
        page.waitForURL(/avis=piece-ajoutee/),
        page.click('button:has-text("Joindre la pièce")'),
      ]);
      await expect
        .poll(() => page.locator('.fr-alert--success').textContent())
        .toContain('La pièce est jointe');
      await expect.poll(() => page.locator('#pieces a.fr-link').first().textContent()).toBe('statuts.pdf');
      expect(await axeViolations(page)).toEqual([]);

      await page.setInputFiles('#champ-file', bigFile);
      const [response] = await Promise.all([
        page.waitForResponse(
          (r) => r.url().endsWith(`/ami/dossiers/${id}/pieces`) && r.request().method() === 'POST',
        ),
        page.click('button:has-text("Joindre la pièce")'),
      ]);
      expect(response.status()).toBe(413);
      await expect
        .poll(() => page.locator('.fr-error-text').textContent())
        .toBe(ATTACHMENT_REFUSALS.tooLarge);
      expect(await page.locator('h1').textContent()).toContain('Pièces jointes du dossier');
      // Still one piece: the refused file was not stored.
      expect(await page.locator('#pieces a.fr-link').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      expect(problems.failedRequests).toEqual([]);
      expect(problems.failedResponses).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
      // The site keeps answering on the same browser.
      expect((await page.goto(`/ami/dossiers/${id}/pieces`))?.status()).toBe(200);
    } finally {
      await context.close();
    }
  });
});

describe.each(CASES)('messages page (case %i, %i px, JavaScript %s)', (index, width, js) => {
  it('writes a message with a file; the page and its error state have no axe violation', async () => {
    const id = submitted[index]!;
    const context = await ownerContext(width, js);
    try {
      const page = await context.newPage();
      // After posting, the applicant returns to the dossier page (another feature's: 404 on this branch).
      const problems = await watchPage(
        page,
        (url, status) => status === 404 || (status === 422 && url.endsWith('/messages')),
      );
      expect((await page.goto(`/ami/dossiers/${id}/messages`))?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);
      // An empty message comes back with its error (the browser's own check is bypassed).
      await page.locator('#champ-body').evaluate((el) => el.removeAttribute('required'));
      await page.click('button:has-text("Envoyer le message")');
      await expect
        .poll(() => page.locator('#champ-body-erreur').textContent())
        .toBe('Écrivez votre message.');
      expect(await axeViolations(page)).toEqual([]);

      await page.fill('#champ-body', 'Bonjour,\nvoici nos statuts signés.');
      await page.setInputFiles('#champ-message-file', join(folder, 'statuts.pdf'));
      const [posted] = await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'POST' && r.url().endsWith(`/ami/dossiers/${id}/messages`),
        ),
        page.click('button:has-text("Envoyer le message")'),
      ]);
      expect(posted.status()).toBe(303);
      expect(await posted.headerValue('location')).toBe(`/ami/dossiers/${id}#messages`);
      await page.goto(`/ami/dossiers/${id}/messages`);
      await expect.poll(() => page.locator('#messages article').count()).toBe(1);
      expect(await page.locator('#messages article').textContent()).toContain('voici nos statuts signés.');
      expect(await page.locator('#messages article a').textContent()).toBe('statuts.pdf');
      expect(await axeViolations(page)).toEqual([]);
      expect(problems.failedRequests).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
