/**
 * Acceptance walk-through of "accounts, organisations and pôles", as a new user does it in
 * Chromium: sign up, confirm the address from the outbox, register an organisation, declare a pôle,
 * invite a second organisation that accepts; with JavaScript (htmx) and without; bad input on the
 * organisation form; live search in the directories. Every page of the flow goes through axe-core,
 * and every page is watched for failed responses, console errors and CSP violations.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withLuhnKey } from '../../src/features/organisations/siret.ts';
import {
  axeViolations,
  type BrowserServer,
  launchChromium,
  loadCopy,
  noScriptAuditPage,
  type PageProblems,
  startServer,
  watchPage,
} from '../support/browser.ts';

let server: BrowserServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

// One Chromium per file; a fresh server (app, database copy, clock) per test.
beforeAll(async () => {
  browser = await launchChromium();
});

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await server?.close();
});

afterAll(async () => {
  await browser?.close();
});

/**
 * A long walk-through: many pages, each checked by axe-core (≈2 s each). About a minute on an idle
 * machine; the margin is for busy ones.
 */
const FLOW_TIMEOUT = 420_000;

const PASSWORD = 'une phrase de passe bien longue';

interface Person {
  name: string;
  email: string;
}

interface Walk {
  page: Page;
  problems: PageProblems;
  /** Dialogs opened by the page (`alert(…)` of injected script…): must stay empty. */
  dialogs: string[];
  /** Error statuses the next steps expect (e.g. a 422 form answer), as `[status, pathname]`. */
  expected: Array<[number, string]>;
  /** Every form post: `POST <path> <status>`, and ` htmx` when htmx sent it. */
  posts: string[];
  js: boolean;
}

/** One browser context for a scenario, watched for problems; with or without JavaScript. */
async function openWalk(js: boolean): Promise<Walk> {
  const context = await browser.newContext({
    baseURL: server.origin,
    locale: 'fr-FR',
    javaScriptEnabled: js,
    viewport: { width: 1280, height: 800 },
  });
  contexts.push(context);
  const page = await context.newPage();
  const expected: Array<[number, string]> = [];
  const problems = await watchPage(page, (url, status) =>
    expected.some(([s, path]) => s === status && new URL(url).pathname === path),
  );
  const posts: string[] = [];
  page.on('response', async (response) => {
    const request = response.request();
    if (request.method() !== 'POST') return;
    const htmx = (await request.headerValue('hx-request')) === 'true';
    posts.push(`POST ${new URL(request.url()).pathname} ${response.status()}${htmx ? ' htmx' : ''}`);
  });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { page, problems, dialogs, expected, posts, js };
}

function expectNoProblems(walk: Walk) {
  const { problems } = walk;
  expect(problems.failedResponses, 'responses with an error status').toEqual([]);
  expect(problems.failedRequests, 'requests without a response').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
  expect(problems.cspViolations, 'CSP violations').toEqual([]);
  expect(walk.dialogs, 'dialogs opened by the page').toEqual([]);
}

/**
 * axe-core on the page as the user sees it. axe needs JavaScript, so a page of a context without it
 * is audited as a copy: its DOM, served at the same address in a page of a JavaScript-enabled
 * context where the site's scripts are replaced by empty files and the `(scripting: none)` styles
 * apply (as they do without JavaScript).
 */
async function expectAccessible(walk: Walk) {
  let page = walk.page;
  if (!walk.js) {
    const auditor = await auditPage();
    await loadCopy(auditor, page);
    page = auditor;
    expect(
      await page.evaluate(
        () =>
          !document.documentElement.hasAttribute('data-fr-js') &&
          !('htmx' in window) &&
          getComputedStyle(document.querySelector('.fr-breadcrumb__button')!).display === 'none',
      ),
      'the copy is seen as without JavaScript',
    ).toBe(true);
  }
  const violations = await axeViolations(page);
  expect(violations, `axe violations on ${walk.page.url()}:\n${violations.join('\n')}`).toEqual([]);
}

let auditor: Page | undefined;

/** The page that audits copies of pages seen without JavaScript (one per test). */
async function auditPage(): Promise<Page> {
  if (auditor && !auditor.isClosed()) return auditor;
  auditor = await noScriptAuditPage(browser, server.origin, contexts);
  return auditor;
}

/** Waits until DSFR's JS and htmx have both started on the page. */
async function scriptsReady(page: Page) {
  await page.waitForFunction(
    () =>
      document.documentElement.getAttribute('data-fr-js') === 'true' &&
      typeof (window as unknown as { htmx?: unknown }).htmx === 'object',
  );
}

/** A marker on `window` that survives htmx swaps but not a full page load. */
async function markWindow(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __samePage: boolean }).__samePage = true;
  });
}
function isSameWindow(page: Page) {
  return page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage === true);
}

/** A marker on an element, to tell whether an htmx update kept it or replaced it. */
async function mark(element: Locator) {
  await element.evaluate((node) => {
    (node as Element & { __kept?: boolean }).__kept = true;
  });
}
function isMarked(element: Locator) {
  return element.evaluate((node) => (node as Element & { __kept?: boolean }).__kept === true);
}

/** Opens a page by its address (as a user typing it, or following a bookmark). */
async function visit(walk: Walk, path: string) {
  const response = await walk.page.goto(path);
  expect(response?.status(), path).toBe(200);
  if (walk.js) await scriptsReady(walk.page);
}

/**
 * Waits for the page reached by a click (a boosted swap with JavaScript, a page load without):
 * its path (and query parameters) and its level-1 heading.
 */
async function arrive(
  page: Page,
  path: string | RegExp,
  heading: string | RegExp,
  params: Record<string, string> = {},
) {
  await page.waitForURL(
    (url) =>
      (typeof path === 'string' ? url.pathname === path : path.test(url.pathname)) &&
      Object.entries(params).every(([key, value]) => url.searchParams.get(key) === value),
  );
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** A field by the start of its label (labels also hold "(obligatoire)" and hints). */
const field = (scope: Page | Locator, label: string) =>
  scope.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

/** Ticks a DSFR checkbox or radio button by clicking its label, as a user does. */
async function tick(page: Page, input: Locator) {
  const id = await input.getAttribute('id');
  await page.locator(`label[for="${id}"]`).click();
  expect(await input.isChecked()).toBe(true);
}

const header = (page: Page) => page.getByRole('banner');

async function signUp(walk: Walk, person: Person, options: { audit?: boolean } = {}) {
  const { page } = walk;
  await header(page).getByRole('link', { name: 'Créer un compte' }).first().click();
  await arrive(page, '/inscription', 'Créer un compte');
  if (options.audit) await expectAccessible(walk);
  await field(page, 'Nom et prénom').fill(person.name);
  await field(page, 'Adresse électronique').fill(person.email);
  await field(page, 'Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await arrive(page, '/compte', 'Mon compte', { message: 'bienvenue' });
  const main = page.getByRole('main');
  expect(await main.getByText(person.email, { exact: false }).first().isVisible()).toBe(true);
  expect(await main.getByText('À confirmer', { exact: true }).isVisible()).toBe(true);
  expect(await main.getByText(/Un lien de confirmation a été envoyé/).isVisible()).toBe(true);
  if (options.audit) await expectAccessible(walk);
}

/** Opens the development outbox and follows the link of the latest email of this subject to `to`. */
async function followEmailLink(
  walk: Walk,
  to: string,
  subject: RegExp,
  link: RegExp,
  options: { audit?: boolean } = {},
) {
  const { page } = walk;
  await visit(walk, '/dev/emails');
  expect(await page.getByRole('heading', { level: 1, name: 'Courriels envoyés' }).isVisible()).toBe(true);
  if (options.audit) await expectAccessible(walk);
  const email = page
    .locator('article')
    .filter({ hasText: `À ${to} —` })
    .filter({ has: page.getByRole('heading', { name: subject }) })
    .first();
  await email.getByRole('link', { name: link }).click();
}

async function confirmAddress(walk: Walk, person: Person, options: { audit?: boolean } = {}) {
  const { page } = walk;
  await followEmailLink(walk, person.email, /^Confirmez votre adresse/, /\/verification-email\//, options);
  await arrive(page, /^\/verification-email\//, 'Confirmation de l’adresse électronique');
  expect(await page.getByRole('heading', { name: 'Adresse confirmée' }).isVisible()).toBe(true);
  if (options.audit) await expectAccessible(walk);
  await page.getByRole('link', { name: 'Aller à mon compte' }).click();
  await arrive(page, '/compte', 'Mon compte');
  expect(await page.getByRole('main').getByText('Confirmée', { exact: true }).isVisible()).toBe(true);
}

async function signOut(walk: Walk) {
  const { page } = walk;
  await header(page).getByRole('button', { name: 'Se déconnecter' }).first().click();
  await page.waitForURL((url) => url.pathname === '/');
  await header(page).getByRole('link', { name: 'Se connecter' }).first().waitFor();
}

async function signIn(walk: Walk, person: Person, options: { audit?: boolean } = {}) {
  const { page } = walk;
  await header(page).getByRole('link', { name: 'Se connecter' }).first().click();
  await arrive(page, '/connexion', 'Se connecter');
  if (options.audit) await expectAccessible(walk);
  await field(page, 'Adresse électronique').fill(person.email);
  await field(page, 'Mot de passe').fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await arrive(page, '/compte', 'Mon compte');
}

interface OrganisationInput {
  name: string;
  siret: string;
  kind: string;
  legalForm: string;
  themes: string[];
  description: string;
  /** Typed in the commune field: with JavaScript, then picked among the suggestions; without, sent. */
  communeTyped: string;
  commune: { code: string; name: string };
}

/** Fills the organisation form; with JavaScript the commune is picked among the suggestions. */
async function fillOrganisation(walk: Walk, org: OrganisationInput) {
  const { page } = walk;
  await field(page, 'Nom de l’organisation').fill(org.name);
  await field(page, 'Numéro SIRET').fill(org.siret);
  await field(page, 'Type d’organisation').selectOption({ label: org.kind });
  await field(page, 'Forme juridique').selectOption({ label: org.legalForm });
  const themes = page.getByRole('group', { name: 'Thèmes d’activité' });
  for (const theme of org.themes) await tick(page, themes.getByRole('checkbox', { name: theme }));
  await field(page, 'Présentation').fill(org.description);
  const commune = page.getByRole('searchbox', { name: /^Commune du siège/ });
  if (walk.js) {
    await commune.pressSequentially(org.communeTyped, { delay: 30 });
    const option = page.getByRole('radio', { name: new RegExp(`^${org.commune.name}\\b`) });
    await option.waitFor();
    expect(await option.getAttribute('value')).toBe(org.commune.code);
    await tick(page, option);
  } else {
    await commune.fill(org.communeTyped);
  }
}

/** The organisation page just created: its notice and its record. */
async function expectOrganisationPage(page: Page, org: OrganisationInput) {
  await arrive(page, /^\/organisations\/\d+$/, org.name, { info: 'creee' });
  const main = page.getByRole('main');
  expect(await main.getByText('L’organisation est inscrite.').isVisible()).toBe(true);
  expect(await main.getByText(org.kind, { exact: true }).isVisible()).toBe(true);
  const record = main.locator('dl');
  expect(await record.textContent()).toContain(
    org.siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4'),
  );
  expect(await record.textContent()).toContain(`${org.commune.name} — `);
  expect(await record.textContent()).toContain(org.legalForm);
  for (const theme of org.themes) expect(await main.getByText(theme, { exact: true }).isVisible()).toBe(true);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

/** The PTCE-definition indicator on the pôle page: each criterion met or missing. */
async function compositionOf(page: Page) {
  const criteria = page.locator('[data-critere]');
  const out: Record<string, string> = {};
  for (const item of await criteria.all()) {
    out[(await item.getAttribute('data-critere'))!] = (await item.locator('.fr-badge').textContent())!.trim();
  }
  return out;
}

/** The names of the pôle's active members, as its table lists them. */
async function memberNames(page: Page) {
  const table = page.getByRole('table', { name: /^Organisations membres du pôle/ });
  return (await table.locator('tbody tr td:first-child a').allTextContents()).map((name) => name.trim());
}

async function countOrganisations(siret?: string) {
  const result = siret
    ? await server.client.execute({
        sql: 'SELECT count(*) AS n FROM organisations WHERE siret = ?',
        args: [siret],
      })
    : await server.client.execute('SELECT count(*) AS n FROM organisations');
  return Number(result.rows[0]!.n);
}

// -------------------------------------------------------------------------------------------------

describe('accounts, organisations and pôles, in the browser', () => {
  it('with JavaScript: sign up, confirm, organisation, pôle, a second organisation invited and accepting', {
    timeout: FLOW_TIMEOUT,
  }, async () => {
    const walk = await openWalk(true);
    const { page } = walk;
    const alice: Person = { name: 'Alice Martin', email: 'alice.martin@recyclerie.example.fr' };
    const bruno: Person = { name: 'Bruno Petit', email: 'bruno.petit@menuiserie.example.fr' };
    const recyclerie: OrganisationInput = {
      name: 'Recyclerie du Pays voironnais',
      siret: '73282932000074',
      kind: 'Structure de l’ESS',
      legalForm: 'Association',
      themes: ['Recyclage / réemploi', 'Insertion'],
      description: 'Collecte, tri et revente d’objets de seconde main.\n\nChantier d’insertion.',
      communeTyped: 'voir',
      commune: { code: '38563', name: 'Voiron' },
    };
    const menuiserie: OrganisationInput = {
      name: 'Menuiserie Chartreuse Bois',
      siret: withLuhnKey('8921432780001'),
      kind: 'Entreprise (TPE/PME)',
      legalForm: 'Société commerciale (SAS, SARL…)',
      themes: ['Bâtiment / éco-construction'],
      description: 'Menuiserie et agencement en bois local.',
      communeTyped: 'coubl',
      commune: { code: '38133', name: 'Coublevie' },
    };

    // Alice signs up and confirms her address from the (development) outbox.
    await visit(walk, '/');
    await signUp(walk, alice, { audit: true });
    await confirmAddress(walk, alice, { audit: true });

    // She registers her organisation; the commune comes from the autocomplete.
    await page.getByRole('link', { name: 'Créer une organisation' }).click();
    await arrive(page, '/organisations/nouvelle', 'Inscrire une organisation');
    await expectAccessible(walk);
    await fillOrganisation(walk, recyclerie);
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /commune/ })
        .textContent(),
    ).toMatch(/communes? proposées?$/);
    await expectAccessible(walk);
    await page.getByRole('button', { name: 'Inscrire l’organisation' }).click();
    const recyclerieId = await expectOrganisationPage(page, recyclerie);
    await expectAccessible(walk);

    // She declares a pôle coordinated by it.
    await page
      .getByRole('navigation', { name: 'Menu principal' })
      .getByRole('link', { name: 'Pôles' })
      .click();
    await arrive(page, '/poles', /^Annuaire des pôles/);
    await expectAccessible(walk);
    await page.getByRole('link', { name: 'Déclarer un pôle' }).click();
    await arrive(page, '/poles/nouveau', 'Déclarer un pôle');
    const coordinator = field(page, 'Organisation coordinatrice');
    expect(await coordinator.inputValue()).toBe(String(recyclerieId));
    await field(page, 'Nom du pôle').fill('Pôle réemploi du Voironnais');
    await field(page, 'Description').fill('Coopération autour du réemploi et de l’insertion.');
    await page.getByRole('searchbox', { name: /^Commune du siège/ }).pressSequentially('voir', { delay: 30 });
    const voiron = page.getByRole('radio', { name: /^Voiron\b/ });
    await voiron.waitFor();
    await tick(page, voiron);
    await field(page, 'Départements couverts').fill('38, 73');
    await tick(
      page,
      page
        .getByRole('group', { name: 'Thématiques' })
        .getByRole('checkbox', { name: 'Recyclage / réemploi' }),
    );
    await expectAccessible(walk);
    await page.getByRole('button', { name: 'Créer le pôle' }).click();
    const slug = 'pole-reemploi-du-voironnais';
    await arrive(page, `/poles/${slug}`, 'Pôle réemploi du Voironnais', { message: 'cree' });
    expect(await page.getByText('Le pôle est créé.', { exact: false }).isVisible()).toBe(true);
    expect(await memberNames(page)).toEqual([recyclerie.name]);
    expect(await compositionOf(page)).toEqual({
      threeMembers: 'Manquant',
      essEnterprise: 'Rempli',
      nonEssEnterprise: 'Manquant',
      otherActor: 'Manquant',
    });
    await expectAccessible(walk);

    // Bruno, of a joinery in Coublevie, registers his company.
    await signOut(walk);
    await signUp(walk, bruno);
    await confirmAddress(walk, bruno);
    await page.getByRole('link', { name: 'Créer une organisation' }).click();
    await arrive(page, '/organisations/nouvelle', 'Inscrire une organisation');
    await fillOrganisation(walk, menuiserie);
    await page.getByRole('button', { name: 'Inscrire l’organisation' }).click();
    const menuiserieId = await expectOrganisationPage(page, menuiserie);
    await signOut(walk);

    // Alice, as coordinator, invites the joinery from the pôle page.
    await signIn(walk, alice, { audit: true });
    await page.getByRole('main').getByRole('link', { name: recyclerie.name }).click();
    await arrive(page, `/organisations/${recyclerieId}`, recyclerie.name);
    await page.getByRole('main').getByRole('link', { name: 'Pôle réemploi du Voironnais' }).click();
    await arrive(page, `/poles/${slug}`, 'Pôle réemploi du Voironnais');
    await markWindow(page);
    // The organisation picker: a short status message (kept in place, so it is announced), the
    // candidates as radio buttons.
    const picker = page.getByRole('searchbox', { name: /^Organisation/ });
    const pickerStatus = page.locator('#organisation-status');
    expect(await pickerStatus.getAttribute('role')).toBe('status');
    await mark(pickerStatus);
    const candidates = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/poles/${slug}/organisations-candidates`,
    );
    await picker.pressSequentially('menuiserie', { delay: 30 });
    expect((await candidates).status()).toBe(200);
    const option = page.getByRole('radio', { name: new RegExp(`^${menuiserie.name}`) });
    await option.waitFor();
    expect(await option.isChecked(), 'a single candidate is chosen').toBe(true);
    expect(await pickerStatus.textContent()).toBe('1 organisation proposée');
    await picker.pressSequentially('zz', { delay: 30 });
    await expect
      .poll(() => pickerStatus.textContent())
      .toBe('Aucune organisation ne correspond à « menuiseriezz ».');
    expect(await page.getByRole('radio').count()).toBe(0);
    expect(await isMarked(pickerStatus), 'the status message stays in place').toBe(true);
    await picker.press('Backspace');
    await picker.press('Backspace');
    await option.waitFor();
    expect(await option.isChecked()).toBe(true);
    expect(await isMarked(pickerStatus)).toBe(true);
    expect(await isSameWindow(page)).toBe(true);
    await expectAccessible(walk);
    await page.getByRole('button', { name: 'Inviter', exact: true }).click();
    await arrive(page, `/poles/${slug}`, 'Pôle réemploi du Voironnais', { message: 'invite' });
    expect(await page.getByText(/^L’invitation est envoyée/).isVisible()).toBe(true);
    const pending = page.locator(`[data-organisation="${menuiserieId}"]`);
    expect(await pending.textContent()).toContain('invitée par la coordination');
    expect(await memberNames(page), 'an invitation is not a membership yet').toEqual([recyclerie.name]);
    await signOut(walk);

    // Bruno follows the emailed link and accepts the invitation for his company.
    await signIn(walk, bruno);
    await followEmailLink(
      walk,
      bruno.email,
      /^Invitation à rejoindre le pôle/,
      new RegExp(`/poles/${slug}$`),
    );
    await arrive(page, `/poles/${slug}`, 'Pôle réemploi du Voironnais');
    expect(await pending.textContent()).toContain('la coordination vous invite à rejoindre le pôle');
    await expectAccessible(walk);
    await pending.getByRole('button', { name: 'Accepter l’invitation' }).click();
    await arrive(page, `/poles/${slug}`, 'Pôle réemploi du Voironnais', { message: 'accepte' });
    expect(await memberNames(page)).toEqual([recyclerie.name, menuiserie.name]);
    expect(await page.getByRole('heading', { level: 2, name: 'Membres (2)' }).isVisible()).toBe(true);
    expect(await compositionOf(page)).toEqual({
      threeMembers: 'Manquant',
      essEnterprise: 'Rempli',
      nonEssEnterprise: 'Rempli',
      otherActor: 'Manquant',
    });
    expect(
      await page
        .getByRole('heading', { name: 'Composition à compléter au regard de la définition des PTCE' })
        .isVisible(),
    ).toBe(true);
    await expectAccessible(walk);

    // The organisations directory: results follow the typing, the URL follows the search.
    await page
      .getByRole('navigation', { name: 'Menu principal' })
      .getByRole('link', { name: 'Organisations' })
      .click();
    await arrive(page, '/organisations', 'Annuaire des organisations');
    await markWindow(page);
    // Screen readers hear the count of results, from a status message that stays in place (so
    // its new text is announced); the list itself is not a live region read out in full.
    const results = page.locator('#resultats');
    expect(await results.getAttribute('aria-live')).toBeNull();
    const count = results.getByRole('status');
    await mark(count);
    const search = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/organisations' && r.request().headers()['hx-request'] === 'true',
    );
    await page.getByRole('searchbox', { name: /^Mots-clés/ }).pressSequentially('menuiserie', { delay: 30 });
    expect((await search).status()).toBe(200);
    await expect.poll(() => count.textContent()).toBe('1 organisation trouvée.');
    expect(await results.getByRole('link').allTextContents()).toEqual([menuiserie.name]);
    expect(await isMarked(count), 'the status message stays in place').toBe(true);
    await page.waitForURL(
      (url) => url.pathname === '/organisations' && url.searchParams.get('q') === 'menuiserie',
    );
    expect(await isSameWindow(page), 'live results come without a page load').toBe(true);
    await expectAccessible(walk);
    // The URL in the address bar gives the same results.
    await page.reload();
    await scriptsReady(page);
    expect(await count.textContent()).toBe('1 organisation trouvée.');
    expect(await page.getByRole('searchbox', { name: /^Mots-clés/ }).inputValue()).toBe('menuiserie');

    // The pôles directory too.
    await page
      .getByRole('navigation', { name: 'Menu principal' })
      .getByRole('link', { name: 'Pôles' })
      .click();
    await arrive(page, '/poles', /^Annuaire des pôles/);
    await markWindow(page);
    expect(await results.getAttribute('aria-live')).toBeNull();
    await mark(count);
    await page.getByRole('searchbox', { name: /^Mots-clés/ }).pressSequentially('réemploi', { delay: 30 });
    await page.waitForURL((url) => url.pathname === '/poles' && url.searchParams.get('q') === 'réemploi');
    await expect.poll(() => count.textContent()).toBe('1 pôle trouvé.');
    expect(await results.getByRole('link', { name: 'Pôle réemploi du Voironnais' }).isVisible()).toBe(true);
    expect(await isMarked(count), 'the status message stays in place').toBe(true);
    expect(await isSameWindow(page)).toBe(true);
    await expectAccessible(walk);

    // Every form went through htmx (boosted), and each post was answered by a redirect.
    expect(walk.posts).toEqual([
      'POST /inscription 303 htmx',
      'POST /organisations 303 htmx',
      'POST /poles 303 htmx',
      'POST /deconnexion 303 htmx',
      'POST /inscription 303 htmx',
      'POST /organisations 303 htmx',
      'POST /deconnexion 303 htmx',
      'POST /connexion 303 htmx',
      `POST /poles/${slug}/membres 303 htmx`,
      'POST /deconnexion 303 htmx',
      'POST /connexion 303 htmx',
      `POST /poles/${slug}/membres/${menuiserieId}/accepter 303 htmx`,
    ]);
    expectNoProblems(walk);
  });

  it('without JavaScript: the same flow with plain form posts and redirects', {
    timeout: FLOW_TIMEOUT,
  }, async () => {
    const walk = await openWalk(false);
    const { page } = walk;
    const denise: Person = { name: 'Denise Roux', email: 'denise.roux@brouette.example.fr' };
    const epicerie: OrganisationInput = {
      name: 'Épicerie solidaire La Brouette',
      siret: withLuhnKey('5012345670001'),
      kind: 'Structure de l’ESS',
      legalForm: 'SCIC',
      themes: ['Agriculture / alimentation'],
      description: 'Épicerie solidaire et circuits courts.',
      communeTyped: 'Voiron',
      commune: { code: '38563', name: 'Voiron' },
    };
    const fromagerie: OrganisationInput = {
      name: 'Fromagerie des Coteaux',
      siret: withLuhnKey('4431234560002'),
      kind: 'Entreprise (TPE/PME)',
      legalForm: 'Société commerciale (SAS, SARL…)',
      themes: ['Agriculture / alimentation'],
      description: 'Affinage de fromages fermiers.',
      // A postal code shared by several communes: the server offers them, the user picks one.
      communeTyped: '38500',
      commune: { code: '38133', name: 'Coublevie' },
    };

    await visit(walk, '/');
    expect(await page.locator('html').getAttribute('data-fr-js')).toBeNull();
    await signUp(walk, denise, { audit: true });
    await confirmAddress(walk, denise, { audit: true });

    // The commune typed in full is resolved by the server.
    await page.getByRole('link', { name: 'Créer une organisation' }).click();
    await arrive(page, '/organisations/nouvelle', 'Inscrire une organisation');
    await expectAccessible(walk);
    await fillOrganisation(walk, epicerie);
    await page.getByRole('button', { name: 'Inscrire l’organisation' }).click();
    const epicerieId = await expectOrganisationPage(page, epicerie);
    await expectAccessible(walk);

    // An ambiguous commune comes back as a choice to make, the rest of the input kept.
    await visit(walk, '/compte');
    await page.getByRole('link', { name: 'Créer une organisation' }).click();
    await arrive(page, '/organisations/nouvelle', 'Inscrire une organisation');
    await fillOrganisation(walk, fromagerie);
    walk.expected.push([422, '/organisations']);
    await page.getByRole('button', { name: 'Inscrire l’organisation' }).click();
    await arrive(page, '/organisations', 'Inscrire une organisation');
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' });
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'Plusieurs communes correspondent : choisissez la vôtre dans la liste.',
    ]);
    expect(await field(page, 'Nom de l’organisation').inputValue()).toBe(fromagerie.name);
    expect(await field(page, 'Numéro SIRET').inputValue()).toBe(fromagerie.siret);
    const coublevie = page.getByRole('radio', { name: /^Coublevie\b/ });
    expect(await page.getByRole('radio', { name: /^Voiron\b/ }).isVisible()).toBe(true);
    await expectAccessible(walk);
    await tick(page, coublevie);
    await page.getByRole('button', { name: 'Inscrire l’organisation' }).click();
    const fromagerieId = await expectOrganisationPage(page, fromagerie);
    walk.expected.pop();

    // A pôle coordinated by the first organisation.
    await page
      .getByRole('navigation', { name: 'Menu principal' })
      .getByRole('link', { name: 'Pôles' })
      .click();
    await arrive(page, '/poles', /^Annuaire des pôles/);
    await expectAccessible(walk);
    await page.getByRole('link', { name: 'Déclarer un pôle' }).click();
    await arrive(page, '/poles/nouveau', 'Déclarer un pôle');
    await expectAccessible(walk);
    const coordinator = field(page, 'Organisation coordinatrice');
    await coordinator.selectOption({ label: `${epicerie.name} (Voiron)` });
    expect(await coordinator.inputValue()).toBe(String(epicerieId));
    await field(page, 'Nom du pôle').fill('Pôle alimentation durable de Voiron');
    await field(page, 'Description').fill('Circuits courts et aide alimentaire.');
    await page.getByRole('searchbox', { name: /^Commune du siège/ }).fill('Voiron');
    await tick(
      page,
      page
        .getByRole('group', { name: 'Thématiques' })
        .getByRole('checkbox', { name: 'Agriculture / alimentation' }),
    );
    await page.getByRole('button', { name: 'Créer le pôle' }).click();
    const slug = 'pole-alimentation-durable-de-voiron';
    await arrive(page, `/poles/${slug}`, 'Pôle alimentation durable de Voiron', { message: 'cree' });
    expect(await memberNames(page)).toEqual([epicerie.name]);
    await expectAccessible(walk);

    // Inviting the second organisation by its name; its owner (the same person here) accepts.
    await page.getByRole('searchbox', { name: /^Organisation/ }).fill('fromagerie coteaux');
    await page.getByRole('button', { name: 'Inviter', exact: true }).click();
    await arrive(page, `/poles/${slug}`, 'Pôle alimentation durable de Voiron', { message: 'invite' });
    const pending = page.locator(`[data-organisation="${fromagerieId}"]`);
    expect(await pending.textContent()).toContain('la coordination vous invite à rejoindre le pôle');
    expect(await memberNames(page)).toEqual([epicerie.name]);
    await expectAccessible(walk);
    await pending.getByRole('button', { name: 'Accepter l’invitation' }).click();
    await arrive(page, `/poles/${slug}`, 'Pôle alimentation durable de Voiron', { message: 'accepte' });
    expect(await memberNames(page)).toEqual([epicerie.name, fromagerie.name]);
    expect(await compositionOf(page)).toEqual({
      threeMembers: 'Manquant',
      essEnterprise: 'Rempli',
      nonEssEnterprise: 'Rempli',
      otherActor: 'Manquant',
    });

    // The directories answer the submitted search form.
    await page
      .getByRole('navigation', { name: 'Menu principal' })
      .getByRole('link', { name: 'Organisations' })
      .click();
    await arrive(page, '/organisations', 'Annuaire des organisations');
    await page.getByRole('searchbox', { name: /^Mots-clés/ }).fill('fromagerie');
    await page.getByRole('search').getByRole('button', { name: 'Rechercher' }).click();
    await arrive(page, '/organisations', 'Annuaire des organisations', { q: 'fromagerie' });
    expect(await page.locator('#resultats').getByRole('status').textContent()).toBe(
      '1 organisation trouvée.',
    );
    expect(await page.locator('#resultats').getByRole('link').allTextContents()).toEqual([fromagerie.name]);
    await expectAccessible(walk);
    await page
      .getByRole('navigation', { name: 'Menu principal' })
      .getByRole('link', { name: 'Pôles' })
      .click();
    await arrive(page, '/poles', /^Annuaire des pôles/);
    await page.getByRole('searchbox', { name: /^Mots-clés/ }).fill('alimentation');
    await page.getByRole('search').getByRole('button', { name: 'Rechercher' }).click();
    await arrive(page, '/poles', /^Annuaire des pôles/, { q: 'alimentation' });
    expect(await page.locator('#resultats').getByRole('status').textContent()).toBe('1 pôle trouvé.');
    await expectAccessible(walk);

    // Plain form posts, each answered by a redirect (or the form again, to choose the commune).
    expect(walk.posts).toEqual([
      'POST /inscription 303',
      'POST /organisations 303',
      'POST /organisations 422',
      'POST /organisations 303',
      'POST /poles 303',
      `POST /poles/${slug}/membres 303`,
      `POST /poles/${slug}/membres/${fromagerieId}/accepter 303`,
    ]);
    expectNoProblems(walk);
  });

  it('refuses bad input on the organisation form: summary, a French message per field, input kept, script shown as text', {
    timeout: FLOW_TIMEOUT,
  }, async () => {
    const walk = await openWalk(true);
    const { page } = walk;
    const emile: Person = { name: 'Émile Garnier', email: 'emile.garnier@example.fr' };
    await visit(walk, '/');
    await signUp(walk, emile);
    await confirmAddress(walk, emile);
    await page.getByRole('link', { name: 'Créer une organisation' }).click();
    await arrive(page, '/organisations/nouvelle', 'Inscrire une organisation');

    const script = '<script>alert(1)</script>';
    const invalidSiret = '73282932000075';
    const before = await countOrganisations();
    await fillOrganisation(walk, {
      name: '',
      siret: invalidSiret,
      kind: 'Structure de l’ESS',
      legalForm: 'Association',
      themes: ['Culture / création'],
      description: script,
      communeTyped: 'voir',
      commune: { code: '38563', name: 'Voiron' },
    });
    walk.expected.push([422, '/organisations']);
    await page.getByRole('button', { name: 'Inscrire l’organisation' }).click();
    await page.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' }).waitFor();
    expect(await page.title()).toBe('Erreur — Inscrire une organisation — ptce-hub');
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' });
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'Indiquez le nom de l’organisation.',
      'Ce numéro SIRET n’existe pas : vérifiez les chiffres (clé de contrôle incorrecte).',
    ]);
    const name = field(page, 'Nom de l’organisation');
    const siret = field(page, 'Numéro SIRET');
    for (const [input, message] of [
      [name, 'Indiquez le nom de l’organisation.'],
      [siret, 'Ce numéro SIRET n’existe pas : vérifiez les chiffres (clé de contrôle incorrecte).'],
    ] as const) {
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await input.getAttribute('aria-describedby'))!.split(' ');
      const error = page.locator(`[id="${describedBy.at(-1)}"]`);
      expect(await error.textContent()).toBe(message);
      expect(await error.isVisible()).toBe(true);
    }
    // Every input is kept, the description as plain text in its field.
    expect(await siret.inputValue()).toBe(invalidSiret);
    expect(await field(page, 'Type d’organisation').inputValue()).toBe('ess');
    expect(await field(page, 'Forme juridique').inputValue()).toBe('association');
    expect(await page.getByRole('checkbox', { name: 'Culture / création' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: /^Voiron\b/ }).isChecked()).toBe(true);
    expect(await field(page, 'Présentation').inputValue()).toBe(script);
    expect(await page.locator('main script').count(), 'no script element in the content').toBe(0);
    expect(await countOrganisations(), 'nothing is created').toBe(before);
    await expectAccessible(walk);

    // Each link of the summary leads to its field, on the same page.
    for (const href of await summary
      .getByRole('link')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')!))) {
      expect(await page.locator(href).count(), href).toBe(1);
    }
    await markWindow(page);
    await summary.getByRole('link', { name: 'Indiquez le nom de l’organisation.' }).click();
    await page.waitForURL((url) => url.hash === '#champ-name');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Inscrire une organisation');
    expect(await isSameWindow(page)).toBe(true);
    expect(await name.isVisible()).toBe(true);

    // Once corrected, the organisation is created; its description shows the text, inert.
    const validSiret = withLuhnKey('3021234560003');
    await name.fill('Compagnie du Théâtre ambulant');
    await siret.fill(validSiret);
    await page.getByRole('button', { name: 'Inscrire l’organisation' }).click();
    await arrive(page, /^\/organisations\/\d+$/, 'Compagnie du Théâtre ambulant', { info: 'creee' });
    walk.expected.pop();
    expect(await page.getByRole('main').getByText(script, { exact: true }).isVisible()).toBe(true);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await countOrganisations(validSiret)).toBe(1);
    expect(await countOrganisations(invalidSiret)).toBe(0);

    expect(walk.posts).toEqual([
      'POST /inscription 303 htmx',
      'POST /organisations 422 htmx',
      'POST /organisations 303 htmx',
    ]);
    expectNoProblems(walk);
  });
});
