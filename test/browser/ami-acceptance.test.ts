/**
 * The AMI acceptance flow across both sides, as a new user meets it, in real Chromium against the
 * real app server, once at 1280 px with JavaScript and once at 390 px without it:
 *
 * 1. an applicant creates a dossier from /ami, fills every section through the forms, joins a PDF
 *    on the pieces page, submits, gets the receipt page (AMI-YYYY-NNNN) and the PDF récépissé;
 * 2. a regional instructor of that région signs in (lands on /instruction), finds the dossier by
 *    words in the queue, takes it, writes a private note, requests changes on the budget;
 * 3. the applicant sees the request (banner, only the budget reopened), fixes it and resubmits;
 * 4. the instructor scores it and declares it eligible;
 * 5. an admin selects it in the open wave with an amount and a public reason;
 * 6. the applicant sees the decision; /ami/laureats lists it.
 *
 * An instructor of another région gets 404 on the dossier; the applicant never sees the private
 * note. axe: no violation on any page visited (without JavaScript, on a copy of the page loaded
 * where axe can run, as test/browser/instruction.test.ts does).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { amiApplications } from '../../src/db/schema.ts';
import { createStaff, insertOpenWave } from '../support/ami-applicant.ts';
import { minimalPdf } from '../support/ami-files.ts';
import type { TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import {
  axeViolations,
  type BrowserServer,
  expectNoProblems,
  launchChromium,
  loadCopy,
  noScriptAuditPage,
  type PageProblems,
  scriptsReady,
  startServer,
  watchPage,
} from '../support/browser.ts';
import { createOrganisation, testSiret } from '../support/fixtures.ts';

let server: BrowserServer;
let browser: Browser;
let folder: string;
let waveName: string;
const contexts: BrowserContext[] = [];
const jsOf = new WeakMap<Page, boolean>();
const asTestApp = () => server as unknown as TestApp;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  waveName = (await insertOpenWave(asTestApp(), { name: 'Vague de recette 2026' })).name;
  folder = mkdtempSync(join(tmpdir(), 'ami-acceptance-'));
  writeFileSync(join(folder, 'statuts-signes.pdf'), minimalPdf());
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** A page of a new context (signed in as `user` when given), with or without JavaScript. */
async function openAs(user: TestUser | null, width: number, js: boolean, allow?: (s: number) => boolean) {
  const context = await browser.newContext({
    baseURL: server.origin,
    locale: 'fr-FR',
    viewport: { width, height: 900 },
    javaScriptEnabled: js,
    acceptDownloads: true,
  });
  contexts.push(context);
  if (user) {
    const [name, value] = user.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.origin }]);
  }
  const page = await context.newPage();
  jsOf.set(page, js);
  const problems = await watchPage(page, (_url, status) => allow?.(status) ?? false);
  return { page, problems };
}

/** axe on the page as it is (without JavaScript: on a copy loaded where axe can run). */
async function audit(page: Page) {
  let audited = page;
  if (!jsOf.get(page)) {
    audited = await noScriptAuditPage(
      browser,
      server.origin,
      contexts,
      page.viewportSize() ?? { width: 1280, height: 900 },
    );
    await loadCopy(audited, page);
  }
  const violations = await axeViolations(audited);
  expect(violations, `axe violations on ${page.url()}:\n${violations.join('\n')}`).toEqual([]);
  if (audited !== page) await audited.context().close();
}

/** Goes to `path`, checks its status, audits it. */
async function visit(page: Page, path: string, status = 200) {
  const response = await page.goto(path);
  expect(response?.status(), `status of ${path}`).toBe(status);
  if (jsOf.get(page)) await scriptsReady(page);
  await audit(page);
}

/** Clicks and waits for the page it leads to (a full load without JS, a boosted swap with), then audits it. */
async function clickTo(page: Page, target: string | ReturnType<Page['locator']>, url: RegExp) {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  await Promise.all([page.waitForURL(url), locator.click()]);
  await page.waitForLoadState();
  if (jsOf.get(page)) await scriptsReady(page);
  await audit(page);
}

const main = (page: Page) => page.locator('main').innerText();

describe.each([
  ['1280 px with JavaScript', 1280, true],
  ['390 px without JavaScript', 390, false],
] as const)('the AMI from application to lauréat at %s', (_, width, js) => {
  it('applicant, regional instructor, admin, public: every step, axe 0 on every page', async () => {
    const t = asTestApp();
    const tag = js ? 'Tournesol' : 'Coquelicot';
    const applicant = await createSignedInUser(t, { name: `Claire Porteuse ${tag}` });
    const lead = await createOrganisation(t, {
      name: `Coopérative du Voironnais ${tag}`,
      kind: 'ess',
      owner: applicant,
    });
    const instructor = await createStaff(t, 'instructor', ['84']);
    const elsewhere = await createStaff(t, 'instructor', ['76']);
    const admin = await createStaff(t, 'admin');
    const projectName = `Recyclerie partagée ${tag}`;
    const privateNote = `Note interne : vérifier le plan de trésorerie ${tag}`;

    // ——— 1. The applicant builds and submits the dossier.
    const a = await openAs(applicant, width, js, (status) => status === 403);
    const p = a.page;
    await visit(p, '/ami');
    await clickTo(p, 'main a:has-text("Déposer un dossier")', /\/ami\/dossiers\/nouveau$/);
    await p.selectOption('#champ-leadOrganisationId', String(lead.id));
    await clickTo(p, 'button:has-text("Créer le brouillon")', /\/ami\/dossiers\/\d+\?info=cree$/);
    const id = Number(/\/ami\/dossiers\/(\d+)/.exec(p.url())![1]);

    await visit(p, `/ami/dossiers/${id}/porteur`);
    await clickTo(p, 'button[value="next"]', /\/membres$/);
    const members: Array<[string, string, string]> = [
      ['Régie de quartier', 'ess', 'founding'],
      ['Menuiserie Dupont', 'sme', 'partner'],
      ['Commune de Voiron', 'local_authority', 'associate'],
    ];
    for (const [index, [name, kind, role]] of members.entries()) {
      await p.fill('#champ-siret', testSiret());
      await p.fill('#champ-name', `${name} ${tag}`);
      await p.selectOption('#champ-kind', kind);
      await p.fill('#champ-communeCode', 'Voiron');
      await p.selectOption('#champ-role', role);
      await clickTo(p, 'button[value="add"]', /\/membres\?enregistre=/);
      await expect.poll(() => p.locator('#champ-members tbody tr').count()).toBe(index + 1);
    }

    await visit(p, `/ami/dossiers/${id}/territoire`);
    await p.fill('#champ-addCommune', 'Voiron');
    await clickTo(p, 'button[value="add-commune"]', /\/territoire\?enregistre=/);
    await expect.poll(() => main(p)).toContain('Voiron (38563)');
    await p.fill('#champ-departements', '38');
    await p.locator('label[for="champ-qpv"]').click();
    await clickTo(p, 'button[value="next"]', /\/projet$/);

    await p.fill('#champ-projectName', projectName);
    await p.selectOption('#champ-stage', 'emerging');
    await p.fill('#champ-strategy', 'Mutualiser un atelier de réparation.\nAcheter ensemble.');
    await p.fill('#champ-activities', 'Collecte, réparation, revente solidaire.');
    await p.fill('#champ-governance', 'Un comité de pilotage trimestriel.');
    await p.fill('#champ-innovation', 'Une filière locale du réemploi.');
    await clickTo(p, 'button[value="next"]', /\/emplois$/);

    await p.fill('#champ-jobsCurrent', '6');
    await p.fill('#champ-jobsPlanned', '14');
    await clickTo(p, 'button[value="next"]', /\/budget$/);

    await p.fill('#champ-budgetTotal', '320 000');
    await p.fill('#champ-amountRequested', '95000');
    await p.fill('#funder-0', 'Région Auvergne-Rhône-Alpes');
    await p.fill('#amount-0', '60000');
    await p.fill('#champ-selfFinancingShare', '25');
    await p.fill('#champ-stateAidReceived', '0');
    await p.locator('label[for="champ-previouslyFunded-non"]').click();
    await clickTo(p, 'button[value="save"]', /\/budget\?enregistre=/);
    // The form keeps what was typed once saved.
    expect(await p.inputValue('#champ-amountRequested')).toMatch(/^95\s?000$|^95000$/);

    await visit(p, `/ami/dossiers/${id}/pieces`);
    await p.setInputFiles('#champ-file', join(folder, 'statuts-signes.pdf'));
    await clickTo(p, 'button:has-text("Joindre la pièce")', /avis=piece-ajoutee/);
    await expect.poll(() => p.locator('#pieces a.fr-link').first().textContent()).toBe('statuts-signes.pdf');

    await visit(p, `/ami/dossiers/${id}`);
    expect(await main(p)).not.toContain('à compléter');
    await clickTo(p, 'main a:has-text("Déposer le dossier")', /\/deposer$/);
    await clickTo(p, 'main button:has-text("Déposer le dossier")', /\/recepisse\?info=depose$/);
    const year = t.clock.now().getUTCFullYear();
    const reference = new RegExp(`AMI-${year}-\\d{4}`).exec(await main(p))?.[0];
    expect(reference, 'the reference on the receipt page').toBeDefined();
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      p.locator('a:has-text("Télécharger le récépissé")').click(),
    ]);
    const receiptResponse = await p.context().request.get(`/ami/dossiers/${id}/recepisse.pdf`);
    expect(receiptResponse.status()).toBe(200);
    expect(receiptResponse.headers()['content-type']).toBe('application/pdf');
    const { readFile } = await import('node:fs/promises');
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);

    // ——— 2. A regional instructor of Auvergne-Rhône-Alpes signs in and asks for changes.
    const i = await openAs(null, width, js);
    const s = i.page;
    await visit(s, '/connexion');
    await s.fill('#champ-email', instructor.email);
    await s.fill('#champ-password', instructor.password);
    await clickTo(s, 'main button:has-text("Se connecter")', /\/instruction$/);
    if (width < 1000) await s.locator('#filtres > summary').click();
    const words = s.getByRole('searchbox', { name: /^Mots-clés/ });
    await words.fill(`recyclerie ${tag.toLowerCase()}`);
    if (js) {
      await expect.poll(() => new URL(s.url()).searchParams.get('q')).toBe(`recyclerie ${tag.toLowerCase()}`);
      await expect.poll(() => s.locator('#resultats-statut').textContent()).toBe('1 dossier trouvé');
      await audit(s);
    } else await clickTo(s, s.getByRole('button', { name: 'Rechercher' }), /q=recyclerie/);
    expect(await s.locator('#resultats-statut').textContent()).toBe('1 dossier trouvé');
    await clickTo(
      s,
      s.locator('tbody').getByRole('link', { name: new RegExp(reference!) }),
      /\/dossiers\/\d+$/,
    );
    expect(s.url()).toContain(`/instruction/dossiers/${id}`);
    await clickTo(
      s,
      s.locator('#transition-take').getByRole('button', { name: 'Prendre en instruction' }),
      /fait=transition/,
    );
    expect(await s.locator('h1 + p .fr-badge').textContent()).toBe('En instruction');
    await s.fill('#champ-note-body', privateNote);
    await clickTo(s, s.getByRole('button', { name: 'Ajouter la note' }), /fait=note/);
    expect(await main(s)).toContain(privateNote);
    const changes = s.locator('#transition-request_changes');
    await changes.locator('label[for="t-request_changes-section-budget"]').click();
    await changes.locator('#t-request_changes-dueOn').fill('2026-12-10');
    await changes.getByLabel(/^Motif/).fill('Détaillez le cofinancement régional de l’année 2.');
    await clickTo(s, changes.getByRole('button', { name: 'Demander des compléments' }), /fait=transition/);
    expect(await s.locator('h1 + p .fr-badge').textContent()).toBe('Compléments demandés');

    // An instructor of another région does not even learn that the dossier exists.
    const o = await openAs(elsewhere, width, js, (status) => status === 404);
    await visit(o.page, `/instruction/dossiers/${id}`, 404);
    expect(await main(o.page)).not.toContain(projectName);
    await visit(o.page, '/instruction');
    expect(await main(o.page)).not.toContain(projectName);

    // ——— 3. The applicant sees the request, fixes the budget, resubmits.
    await visit(p, `/ami/dossiers/${id}/projet`, 403);
    await visit(p, `/ami/dossiers/${id}`);
    const banner = p.locator('.fr-alert--warning');
    expect(await banner.innerText()).toContain('L’équipe d’instruction demande des compléments');
    expect(await banner.innerText()).toContain('Sections rouvertes : Budget.');
    expect(await banner.innerText()).toContain('Détaillez le cofinancement régional de l’année 2.');
    expect(await banner.innerText()).toContain('À renvoyer avant le 10 décembre 2026 à 23:59.');
    // Only the budget is open again: its line says so (another section's form was refused, 403).
    const sections = p.locator('section[aria-labelledby="completude"]');
    expect(await sections.locator('.fr-hint-text').allInnerTexts()).toEqual(['modifiable']);
    expect(await sections.locator('li:has(.fr-hint-text) a').first().textContent()).toBe('Budget');
    await clickTo(p, banner.getByRole('link', { name: 'Budget' }), /\/budget$/);
    await p.fill('#champ-amountRequested', '90000');
    await p.fill('#amount-0', '80000');
    await clickTo(p, 'button[value="save"]', /\/budget\?enregistre=/);
    await visit(p, `/ami/dossiers/${id}`);
    await clickTo(p, 'main a:has-text("Renvoyer le dossier complété")', /\/deposer$/);
    await p.fill('#champ-reason', 'Le cofinancement régional est confirmé pour 80 000 €.');
    await clickTo(p, 'main button:has-text("Renvoyer le dossier")', /\/ami\/dossiers\/\d+(?!\/deposer)/);
    expect(await main(p)).not.toContain(privateNote);
    const [afterResubmit] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, id));
    expect(afterResubmit).toMatchObject({ status: 'under_review', amountRequested: 90_000 });

    // ——— 4. The instructor scores the dossier and declares it eligible.
    await visit(s, `/instruction/dossiers/${id}`);
    expect(await s.locator('h1 + p .fr-badge').textContent()).toBe('En instruction');
    const grid = s.locator('#evaluation-form');
    for (const [label, value] of [
      ['Coopération', '4'],
      ['Mutualisation', '4'],
      ['Ancrage territorial', '5'],
      ['Innovation', '3'],
      ['Emplois', '4'],
      ['Modèle économique', '3'],
    ] as const)
      await grid.getByLabel(new RegExp(`^${label}`)).fill(value);
    await clickTo(s, grid.getByRole('button', { name: /ma grille/ }), /fait=evaluation/);
    expect(await main(s)).toContain('Grille enregistrée.');
    const eligible = s.locator('#transition-declare_eligible');
    await eligible.getByLabel(/^Motif/).fill('Dossier complet et recevable.');
    await clickTo(s, eligible.getByRole('button', { name: 'Déclarer éligible' }), /fait=transition/);
    expect(await s.locator('h1 + p .fr-badge').textContent()).toBe('Éligible');

    // ——— 5. An admin selects it in the open wave with an amount.
    const d = await openAs(admin, width, js);
    await visit(d.page, '/instruction/vagues');
    await clickTo(
      d.page,
      d.page.getByRole('link', { name: waveName }).first(),
      /\/instruction\/vagues\/\d+$/,
    );
    expect(await main(d.page)).toContain(projectName);
    await visit(d.page, `/instruction/dossiers/${id}`);
    const select = d.page.locator('#transition-select');
    await select.locator('#t-select-waveId').selectOption({ label: waveName });
    await select.locator('#t-select-amountGranted').fill('85000');
    await select.getByLabel(/^Motif/).fill('Un projet structurant pour le Voironnais.');
    await clickTo(d.page, select.getByRole('button', { name: 'Retenir dans une vague' }), /fait=transition/);
    expect(await d.page.locator('h1 + p .fr-badge').textContent()).toBe('Lauréat');

    // ——— 6. The applicant sees the decision; the lauréats page lists it.
    await visit(p, `/ami/dossiers/${id}`);
    const page = await main(p);
    expect(await p.locator('h1 + .fr-badges-group .fr-badge').textContent()).toBe('Lauréat');
    expect(page).toContain('Un projet structurant pour le Voironnais.');
    expect(page).not.toContain(privateNote);
    expect(page).not.toContain('Interne');
    await visit(p, `/ami/dossiers/${id}/messages`);
    expect(await main(p)).not.toContain(privateNote);
    // Nor through the API the applicant's session reaches.
    for (const path of ['', '/events', '/messages']) {
      const response = await p.context().request.get(`/api/v1/ami/applications/${id}${path}`);
      expect(response.status(), path).toBe(200);
      expect(await response.text()).not.toContain(privateNote);
    }
    const [decided] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, id));
    expect(decided).toMatchObject({ status: 'selected', amountGranted: 85_000 });
    const v = await openAs(null, width, js);
    await visit(v.page, '/ami/laureats');
    expect(await main(v.page)).toContain(lead.name);

    for (const problems of [a.problems, i.problems, o.problems, d.problems, v.problems] as PageProblems[])
      expectNoProblems(problems);
  }, 240_000);
});
