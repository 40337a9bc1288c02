/**
 * Waves and lauréats in Chromium: an admin creates a wave from the form, opens a wave's page,
 * selects a dossier from the waiting list, sees a refused selection (over the envelope) on its row;
 * the public lauréats page lists the lauréat; staff email settings. axe: no violation on each page,
 * at 390 px without JavaScript and at 1280 px with it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCommune } from '../../src/features/geo/queries.ts';
import { createPole } from '../../src/features/poles/queries.ts';
import { createDossier, createWave, scoreDossier } from '../support/ami.ts';
import type { TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import {
  axeViolations,
  type BrowserServer,
  launchChromium,
  openContext,
  startServer,
} from '../support/browser.ts';
import { createOrganisation } from '../support/fixtures.ts';

let server: BrowserServer;
let browser: Browser;
let admin: TestUser;
const waves: number[] = [];
const poleSlugs: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  const t = server as unknown as TestApp;
  admin = await createSignedInUser(t, { role: 'admin', name: 'Adèle Admin' });
  await createSignedInUser(t, { role: 'instructor', name: 'Inès Instructrice' });
  const owner = await createSignedInUser(t, { name: 'Aline Porteuse' });
  const lead = await createOrganisation(t, { name: 'Ressourcerie du Voironnais', owner });
  const commune = (await getCommune(t.db, '38563'))!;
  for (const name of ['Pôle 390', 'Pôle 1280'])
    poleSlugs.push(
      (
        await createPole(
          t.db,
          { name, description: '', commune, departements: [], themes: [], organisationId: lead.id },
          t.clock.now(),
        )
      ).slug,
    );
  const dates = [
    ['2026-09-01', '2026-12-31'],
    ['2026-03-01', '2026-06-30'],
  ] as const;
  for (const [i, [opensOn, closesOn]] of dates.entries()) {
    const wave = await createWave(t, {
      name: `Vague ${i + 1}`,
      opensOn,
      closesOn,
      envelope: 150_000,
      ceiling: 100_000,
    });
    waves.push(wave.id);
    for (const [name, score] of [
      ['Recyclerie partagée', 4],
      ['<img src=x onerror=alert(1)>', 3],
    ] as const) {
      const d = await createDossier(t, {
        leadOrganisationId: lead.id,
        status: 'eligible',
        waveId: wave.id,
        projectName: `${name} ${i + 1}`,
      });
      await scoreDossier(t, d.id, admin.id, score);
    }
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(user: TestUser | undefined, width: number, js: boolean) {
  const context = await openContext(browser, server.origin, { width, js, cookie: user?.cookie });
  return { context, page: await context.newPage() };
}

describe.each([
  [390, false, 0],
  [1280, true, 1],
])('at %i px (JavaScript %s)', (width, js, index) => {
  it('an admin creates a wave, selects a dossier, sees a refusal; the lauréats page lists it', async () => {
    const { context, page } = await open(admin, width, js);
    try {
      expect((await page.goto('/instruction/vagues'))?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Créer une vague' }).click();
      await page.getByLabel('Nom de la vague').fill(`Vague de test ${width}`);
      await page.getByLabel('Date d’ouverture').fill(`${2027 + index}-01-01`);
      await page.getByLabel('Date de clôture').fill(`${2027 + index}-03-31`);
      await page.getByLabel('Enveloppe de la vague, en euros').fill('1 500 000');
      await page.getByLabel('Plafond par dossier, en euros').fill('100 000');
      await page.getByRole('button', { name: 'Créer la vague' }).click();
      await page.getByText('Vague créée.').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      // An invalid wave: the form again, with its messages.
      await page.goto('/instruction/vagues/nouvelle');
      expect(await axeViolations(page)).toEqual([]);

      const waveId = waves[index]!;
      expect((await page.goto(`/instruction/vagues/${waveId}`))?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);
      const rows = page.locator('tbody tr');
      await expect(rows.first().textContent()).resolves.toContain('Recyclerie partagée');
      await rows
        .first()
        .getByRole('button', { name: /^Retenir/ })
        .click();
      await page.getByText('Dossier retenu').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      // 100 000 € granted out of 150 000 €: the next one at 100 000 € is refused on its row.
      const next = page.locator('tbody tr').first();
      await next.getByLabel(/Montant accordé/).fill('100 000');
      await next.getByRole('button', { name: /^Retenir/ }).click();
      await page.getByText('Il reste 50').first().waitFor();
      expect(await axeViolations(page)).toEqual([]);

      expect((await page.goto('/instruction/notifications'))?.status()).toBe(200);
      await page.locator('label[for="newDossiers-instant"]').click();
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByText('Vos choix sont enregistrés.').waitFor();
      expect(await axeViolations(page)).toEqual([]);

      // An instructor's régions on the users page.
      expect((await page.goto('/admin/utilisateurs'))?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel(/Régions de Inès Instructrice/).fill(index ? '84, 93' : '84');
      await page.getByRole('button', { name: 'Enregistrer les régions de Inès Instructrice' }).click();
      await page.getByText('Régions enregistrées.').waitFor();
      expect(await axeViolations(page)).toEqual([]);

      // A pôle's status: changed with a reason, shown in its history.
      expect((await page.goto(`/poles/${poleSlugs[index]}`))?.status()).toBe(200);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Nouveau statut').selectOption('established');
      await page.getByLabel('Motif').fill('Deux ans d’activité');
      await page.getByRole('button', { name: 'Changer le statut' }).click();
      await page.getByText('Motif : Deux ans d’activité').waitFor();
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
    const visitor = await open(undefined, width, js);
    try {
      expect((await visitor.page.goto('/ami/laureats'))?.status()).toBe(200);
      // The lead organisation coordinates pôles: the lauréat is shown under its (first) pôle's name.
      await visitor.page.getByRole('link', { name: 'Pôle 390' }).first().waitFor();
      expect(await axeViolations(visitor.page)).toEqual([]);
    } finally {
      await visitor.context.close();
    }
  });
});
