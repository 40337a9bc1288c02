/**
 * The applicant's AMI flow in Chromium, with and without JavaScript, at 1280 px and 390 px: from
 * the public page, create a draft for one's organisation, fill every section (members typed in with
 * the commune picker, a commune added to the territory, a co-financing line), see the autosave
 * status with JavaScript, attach a piece (a row inserted in the database until the files feature
 * lands), submit after the confirmation page, and land on the receipt. axe: no violation on any page.
 */
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amiApplications } from '../../src/db/schema.ts';
import { applyTransition } from '../../src/features/ami/transitions.ts';
import { transportFromConfig } from '../../src/features/notifications/mailer.ts';
import { completeFields, insertAttachment, insertOpenWave } from '../support/ami-applicant.ts';
import type { TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import {
  type BrowserServer,
  expectNoAxeViolations,
  expectNoProblems,
  launchChromium,
  openContext,
  scriptsReady,
  startServer,
  watchPage,
} from '../support/browser.ts';
import { createOrganisation, testSiret } from '../support/fixtures.ts';

let server: BrowserServer;
let browser: Browser;
const asTestApp = () => server as unknown as TestApp;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  await insertOpenWave(asTestApp(), { name: 'Vague navigateur' });
  await createOrganisation(asTestApp(), { name: 'Laboratoire Annuairique', kind: 'research' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const as = (user: TestUser, width: number, js: boolean) =>
  openContext(browser, server.origin, { width, height: 900, js, cookie: user.cookie });
const audit = expectNoAxeViolations;

/** Clicks a submit button and waits for the page it leads to (a full load without JS, a boosted swap with). */
async function submitAndWait(page: Page, button: string, url: RegExp) {
  await Promise.all([page.waitForURL(url), page.click(button)]);
  await page.waitForLoadState();
}

describe.each([
  [1280, true],
  [390, true],
  [1280, false],
  [390, false],
])('at %i px (JavaScript %s)', (width, js) => {
  it('fills every section, submits, gets the receipt', async () => {
    const t = asTestApp();
    const tag = `${width}${js ? 'js' : 'nojs'}`;
    const owner = await createSignedInUser(t, { name: `Porteuse ${tag}` });
    const lead = await createOrganisation(t, { name: `Coopérative ${tag}`, kind: 'ess', owner });
    const context = await as(owner, width, js);
    try {
      const p = await context.newPage();
      const problems = await watchPage(p);

      await p.goto('/ami');
      await audit(p);
      await submitAndWait(p, 'a:has-text("Déposer un dossier")', /\/ami\/dossiers\/nouveau$/);
      await audit(p);
      await p.selectOption('#champ-leadOrganisationId', String(lead.id));
      await submitAndWait(p, 'button:has-text("Créer le brouillon")', /\/ami\/dossiers\/\d+\?info=cree$/);
      const id = Number(/\/ami\/dossiers\/(\d+)/.exec(p.url())![1]);
      await audit(p);

      await p.goto(`/ami/dossiers/${id}/porteur`);
      if (js) await scriptsReady(p);
      await audit(p);
      await submitAndWait(p, 'button[value="next"]', /\/membres$/);

      // Members: three typed in (SIRET, name, kind, commune by its name, role).
      const members: Array<[string, string]> = [
        ['Régie de quartier', 'ess'],
        ['Menuiserie Dupont', 'sme'],
        ['Commune partenaire', 'local_authority'],
      ];
      for (const [index, [name, kind]] of members.entries()) {
        await p.fill('#champ-siret', testSiret());
        await p.fill('#champ-name', `${name} ${tag}`);
        await p.selectOption('#champ-kind', kind);
        await p.fill('#champ-communeCode', 'Voiron');
        await p.selectOption('#champ-role', 'partner');
        await submitAndWait(p, 'button[value="add"]', /\/membres\?enregistre=/);
        await expect.poll(() => p.locator('#champ-members tbody tr').count()).toBe(index + 1);
      }
      // A fourth from the directory: found as you type with JavaScript, by the search button without.
      await p.fill('#champ-directoryQuery', 'Annuairique');
      if (!js) {
        await p.click('button[value="search"]');
        await p.waitForLoadState();
      }
      await expect.poll(() => p.locator('#organisation-options input[type="radio"]').count()).toBe(1);
      await audit(p);
      await p.selectOption('#champ-role', 'associate');
      await submitAndWait(p, 'button[value="add"]', /\/membres\?enregistre=/);
      await expect.poll(() => p.locator('#champ-members tbody tr').count()).toBe(4);
      expect(await p.textContent('#champ-members')).toContain('Laboratoire Annuairique');
      await audit(p);

      // Territory: a commune through the picker, départements, QPV.
      await p.goto(`/ami/dossiers/${id}/territoire`);
      if (js) await scriptsReady(p);
      await p.fill('#champ-addCommune', 'Voiron');
      await submitAndWait(p, 'button[value="add-commune"]', /\/territoire\?enregistre=/);
      await expect.poll(() => p.textContent('main')).toContain('Voiron (38563)');
      await p.fill('#champ-departements', '38');
      await p.locator('label[for="champ-qpv"]').click();
      if (js) await expect.poll(() => p.textContent('#autosave-message')).toMatch(/Enregistré à \d\d:\d\d/);
      await audit(p);
      await submitAndWait(p, 'button[value="next"]', /\/projet$/);

      if (js) await scriptsReady(p);
      await p.fill('#champ-projectName', `Pôle coopératif ${tag}`);
      await p.selectOption('#champ-stage', 'emerging');
      await p.fill('#champ-strategy', 'Mutualiser un atelier.\nAcheter ensemble.');
      await p.fill('#champ-activities', 'Atelier partagé.');
      await p.fill('#champ-governance', 'Comité trimestriel.');
      await p.fill('#champ-innovation', 'Monnaie temps.');
      await audit(p);
      await submitAndWait(p, 'button[value="next"]', /\/emplois$/);

      await p.fill('#champ-jobsCurrent', '12');
      await p.fill('#champ-jobsPlanned', '20');
      await submitAndWait(p, 'button[value="next"]', /\/budget$/);

      if (js) await scriptsReady(p);
      await p.fill('#champ-budgetTotal', '300 000');
      await p.fill('#champ-amountRequested', '90000');
      await p.fill('#funder-0', 'Région');
      await p.fill('#amount-0', '50000');
      await p.fill('#champ-selfFinancingShare', '35');
      await p.fill('#champ-stateAidReceived', '0');
      await p.locator('label[for="champ-previouslyFunded-non"]').click();
      if (js) await expect.poll(() => p.textContent('#autosave-message')).toMatch(/Enregistré à/);
      await audit(p);
      await submitAndWait(p, 'button[value="save"]', /\/budget\?enregistre=/);

      await insertAttachment(t, id, owner.id);
      await p.goto(`/ami/dossiers/${id}`);
      expect(await p.textContent('main')).not.toContain('à compléter');
      await audit(p);
      await submitAndWait(p, 'a:has-text("Déposer le dossier")', /\/deposer$/);
      await audit(p);
      await submitAndWait(p, 'button:has-text("Déposer le dossier")', /\/recepisse\?info=depose$/);
      await expect.poll(() => p.textContent('main')).toMatch(/AMI-2026-\d{4}/);
      await audit(p);
      const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, id));
      expect(row).toMatchObject({ status: 'submitted', budgetTotal: 300_000, jobsPlanned: 20 });
      expect(row!.territory).toEqual({
        communeCodes: ['38563'],
        departements: ['38'],
        qpv: true,
        rural: false,
      });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

describe('autosave with JavaScript', () => {
  it('says when a save fails to reach the server, and retries', async () => {
    const t = asTestApp();
    const owner = await createSignedInUser(t, { name: 'Porteuse réseau' });
    const lead = await createOrganisation(t, { name: 'Coopérative réseau', kind: 'ess', owner });
    const context = await as(owner, 1280, true);
    try {
      const p = await context.newPage();
      await p.goto('/ami/dossiers/nouveau');
      await p.selectOption('#champ-leadOrganisationId', String(lead.id));
      await submitAndWait(p, 'button:has-text("Créer le brouillon")', /\/ami\/dossiers\/\d+\?info=cree$/);
      const id = Number(/\/ami\/dossiers\/(\d+)/.exec(p.url())![1]);
      await p.goto(`/ami/dossiers/${id}/emplois`);
      await scriptsReady(p);
      const autosave = /\/emplois\?autosave=1$/;
      await context.route(autosave, (route) => route.abort('internetdisconnected'));
      await p.fill('#champ-jobsCurrent', '7');
      await p.locator('#champ-jobsPlanned').focus();
      await expect
        .poll(() => p.textContent('#autosave-message'))
        .toContain('Échec de l’enregistrement automatique');
      await context.unroute(autosave);
      await p.click('#autosave-message button:has-text("Réessayer")');
      await expect.poll(() => p.textContent('#autosave-message')).toMatch(/Enregistré à \d\d:\d\d/);
      const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, id));
      expect(row!.jobsCurrent).toBe(7);
      await audit(p);
    } finally {
      await context.close();
    }
  });
});

describe.each([
  [1280, true],
  [390, false],
])('other applicant pages at %i px (JavaScript %s)', (width, js) => {
  it('list, incomplete dossier, refused submit, confirmations, changes requested: axe 0', async () => {
    const t = asTestApp();
    const owner = await createSignedInUser(t, { name: `Porteuse pages ${width}` });
    const lead = await createOrganisation(t, { name: `Coopérative pages ${width}`, kind: 'ess', owner });
    const api = (path: string, body: unknown) =>
      fetch(`${server.origin}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: owner.bearer },
      });
    const draft = (await (await api('/api/v1/ami/applications', { leadOrganisationId: lead.id })).json()) as {
      id: number;
    };
    const full = (await (await api('/api/v1/ami/applications', completeFields(lead.id))).json()) as {
      id: number;
      version: number;
    };
    await insertAttachment(t, full.id, owner.id);
    expect((await api(`/api/v1/ami/applications/${full.id}/submit`, { version: full.version })).status).toBe(
      200,
    );
    const instructor = await createSignedInUser(t, { role: 'instructor', name: `Instructrice ${width}` });
    const staff = {
      id: instructor.id,
      email: instructor.email,
      name: 'Instructrice',
      role: 'instructor' as const,
      emailVerified: true,
      via: 'token' as const,
    };
    const deps = {
      db: t.db,
      clock: t.clock,
      mailer: transportFromConfig(t.config, () => {}),
      log: () => {},
      config: t.config,
      origin: server.origin,
    };
    const version = async () =>
      (await t.db.select().from(amiApplications).where(eq(amiApplications.id, full.id)))[0]!.version;
    await applyTransition(deps, staff, full.id, { to: 'under_review', version: await version() });
    await applyTransition(deps, staff, full.id, {
      to: 'changes_requested',
      reason: 'Précisez le budget.',
      sections: ['budget'],
      version: await version(),
    });

    const context = await as(owner, width, js);
    try {
      const p = await context.newPage();
      for (const path of [
        '/ami/dossiers',
        `/ami/dossiers/${draft.id}`,
        `/ami/dossiers/${draft.id}/membres`,
        `/ami/dossiers/${draft.id}/territoire`,
        `/ami/dossiers/${draft.id}/supprimer`,
        `/ami/dossiers/${draft.id}/retirer`,
        `/ami/dossiers/${draft.id}/deposer`,
        `/ami/dossiers/${full.id}`,
        `/ami/dossiers/${full.id}/budget`,
        `/ami/dossiers/${full.id}/deposer`,
      ]) {
        await p.goto(path);
        await audit(p);
      }
      expect(await p.textContent('main')).toContain('Renvoyer le dossier complété');
      // A refused submit: the page lists every missing field by section (422).
      await p.goto(`/ami/dossiers/${draft.id}/deposer`);
      await Promise.all([p.waitForLoadState(), p.click('button:has-text("Déposer le dossier")')]);
      await expect.poll(() => p.textContent('main')).toContain('points bloquent');
      await audit(p);
      // A section form in error (422), values kept.
      await p.goto(`/ami/dossiers/${draft.id}/emplois`);
      await p.fill('#champ-jobsCurrent', 'beaucoup');
      await Promise.all([p.waitForLoadState(), p.click('button[value="save"]')]);
      await expect.poll(() => p.textContent('main')).toContain('Le formulaire contient');
      expect(await p.inputValue('#champ-jobsCurrent')).toBe('beaucoup');
      await audit(p);
    } finally {
      await context.close();
    }
  });
});
