import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import {
  type BrowserServer,
  DESKTOP,
  expectNoProblems,
  launchChromium,
  PHONE,
  pageKit,
  scriptsReady,
  startServer,
} from '../support/browser.ts';
import {
  type InstructionWorld,
  insertDossier,
  insertScore,
  seedInstructionWorld,
} from '../support/instruction.ts';

/**
 * The staff side as an instructor meets it, at 1280 and 390 px, with and without JavaScript: the
 * queue's filters (live results and the URL following them; a plain GET form without JavaScript),
 * the staff dossier page (request changes on a section with a due date, score the dossier), axe 0.
 */
let server: BrowserServer;
let browser: Browser;
let w: InstructionWorld;
const reviews: number[] = [];
const kit = pageKit(() => ({ browser, origin: server.origin }));

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  const t = server as unknown as TestApp;
  w = await seedInstructionWorld(t);
  for (const [name, amount] of [
    ['Recyclerie coopérative du Voironnais', 90_000],
    ['Énergie citoyenne du Grésivaudan', 60_000],
    ['Cuisine partagée de Voiron', 40_000],
  ] as const)
    await insertDossier(t, {
      leadOrganisationId: w.voiron.id,
      projectName: name,
      amountRequested: amount,
      waveId: w.waveId,
    });
  for (let i = 0; i < 4; i++)
    reviews.push(
      await insertDossier(t, {
        leadOrganisationId: w.voiron.id,
        status: 'under_review',
        projectName: `Tiers-lieu n° ${i}`,
        waveId: w.waveId,
        assigneeId: w.ara.id,
      }),
    );
  await insertDossier(t, {
    leadOrganisationId: w.toulouse.id,
    projectName: 'Serre toulousaine',
    waveId: w.waveId,
  });
  await insertScore(t, reviews[0]!, w.national.id, [4, 4, 3, 3, 5, 4]);
});

afterEach(() => kit.closeAll());

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const openPage = (options: { javaScriptEnabled: boolean; viewport: { width: number; height: number } }) =>
  kit.openPage({ ...options, cookie: w.ara.cookie, allow: (_url, s) => s === 422 });

const { expectAccessible } = kit;

const status = (page: Page) => page.locator('#resultats-statut');

describe.each([
  ['1280 px', DESKTOP],
  ['390 px', PHONE],
])('the queue at %s', (_, viewport) => {
  it('with JavaScript: results follow the filters, the URL too', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled: true, viewport });
    await page.goto('/instruction');
    await scriptsReady(page);
    await expect.poll(() => status(page).textContent()).toBe('7 dossiers trouvés');
    expect(await page.getByText('Serre toulousaine').count()).toBe(0);
    await expectAccessible(page);
    if (viewport === PHONE) await page.locator('#filtres > summary').click();
    await page.getByRole('searchbox', { name: /^Mots-clés/ }).fill('energie');
    await expect.poll(() => status(page).textContent()).toBe('1 dossier trouvé');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('energie');
    await page.getByRole('searchbox', { name: /^Mots-clés/ }).fill('');
    // (The dossier page tests move « en instruction » dossiers: the submitted ones stay three.)
    await page.getByLabel('Statut').selectOption('submitted');
    await expect.poll(() => status(page).textContent()).toBe('3 dossiers trouvés');
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('submitted');
    await page.getByRole('link', { name: /^Montant demandé/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('amount');
    expect(await status(page).textContent()).toBe('3 dossiers trouvés');
    expect(await page.locator('tbody tr td:nth-child(7)').allTextContents()).toEqual(
      ['40 000 €', '60 000 €', '90 000 €'].map((s) => s.replace(' ', '\u202f')),
    );
    await expectAccessible(page);
    expectNoProblems(problems);
  });

  it('without JavaScript: the same filters by a plain GET form', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled: false, viewport });
    await page.goto('/instruction');
    expect(await status(page).textContent()).toBe('7 dossiers trouvés');
    await expectAccessible(page);
    if (viewport === PHONE) await page.locator('#filtres > summary').click();
    await page.getByRole('searchbox', { name: /^Mots-clés/ }).fill('cuisine');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/q=cuisine/);
    expect(await status(page).textContent()).toBe('1 dossier trouvé');
    await expectAccessible(page);
    expectNoProblems(problems);
  });
});

describe.each([
  ['1280 px with JavaScript', DESKTOP, true, 0],
  ['390 px without JavaScript', PHONE, false, 1],
] as const)('the staff dossier page at %s', (_, viewport, javaScriptEnabled, index) => {
  it('requests changes on the budget with a due date, then scores the dossier', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled, viewport });
    const id = reviews[index]!;
    await page.goto(`/instruction/dossiers/${id}`);
    if (javaScriptEnabled) await scriptsReady(page);
    await expectAccessible(page);
    // A first try without a reason (the browser's own check is lifted, to see the server's): the
    // form comes back with its message, the box still ticked.
    const form = page.locator('#transition-request_changes');
    await form.evaluate((element) => element.setAttribute('novalidate', ''));
    await form.locator('label[for$="section-budget"]').click();
    await form.getByRole('button', { name: 'Demander des compléments' }).click();
    await expect.poll(() => page.title()).toMatch(/^Erreur — /);
    await expect
      .poll(() => page.getByText('Indiquez le motif de cette décision.').count())
      .toBeGreaterThan(0);
    expect(await page.locator('#transition-request_changes').getByLabel('Budget').isChecked()).toBe(true);
    await expectAccessible(page);
    const again = page.locator('#transition-request_changes');
    await again.getByLabel(/^Motif/).fill('Détaillez les cofinancements de l’année 2.');
    await again.getByRole('button', { name: 'Demander des compléments' }).click();
    await expect.poll(() => page.getByText('Décision enregistrée.').count()).toBe(1);
    expect(await page.locator('h1 + p .fr-badge').textContent()).toBe('Compléments demandés');
    // The score grid: six criteria, 0–5.
    const grid = page.locator('#evaluation-form');
    for (const [label, value] of [
      ['Coopération', '4'],
      ['Mutualisation', '3'],
      ['Ancrage territorial', '5'],
      ['Innovation', '2'],
      ['Emplois', '3'],
      ['Modèle économique', '1'],
    ])
      await grid.getByLabel(new RegExp(`^${label}`)).fill(value!);
    await grid.getByRole('button', { name: /ma grille/ }).click();
    await expect.poll(() => page.getByText('Grille enregistrée.').count()).toBe(1);
    expect(
      await page
        .getByText(/Note moyenne : /)
        .first()
        .textContent(),
    ).toMatch(/sur \d grille/);
    await expectAccessible(page);
    expectNoProblems(problems);
  });
});

describe.each([
  ['1280 px with JavaScript', DESKTOP, true],
  ['390 px without JavaScript', PHONE, false],
] as const)('bulk actions and the dashboard at %s', (_, viewport, javaScriptEnabled) => {
  it('assigns the ticked dossiers, shows the outcome of each; the dashboard', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled, viewport });
    await page.goto('/instruction?status=submitted');
    if (javaScriptEnabled) await scriptsReady(page);
    const boxes = page.locator('#actions-groupees tbody input[type=checkbox]');
    expect(await boxes.count()).toBe(3);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.locator('#champ-action').selectOption('assign');
    await page.locator('#champ-assigneeId').selectOption({ label: 'Rémi Rhônalpin' });
    await page.getByRole('button', { name: 'Appliquer l’action' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Actions groupées');
    expect(await page.getByText('2 dossiers traités sur 2 (attribution).').count()).toBe(1);
    await expectAccessible(page);
    await page.goto('/instruction/tableau-de-bord');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tableau de bord de l’AMI');
    await expectAccessible(page);
    expectNoProblems(problems);
  });
});
