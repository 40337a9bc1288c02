import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { amiApplications, amiMembers, emails, poleMembers } from '../../src/db/schema.ts';
import { applyTransition } from '../../src/features/ami/transitions.ts';
import { transportFromConfig } from '../../src/features/notifications/mailer.ts';
import type { SessionUser } from '../../src/lib/context.ts';
import {
  type ApplicantWorld,
  applicantWorld,
  completeDraft,
  completeFields,
  createStaff,
  insertOpenWave,
  submitViaApi,
} from '../support/ami-applicant.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import type { TestUser } from '../support/auth.ts';
import { createOrganisation, testSiret } from '../support/fixtures.ts';
import { createPoleViaApi } from '../support/poles.ts';

interface World extends ApplicantWorld {
  instructor: TestUser;
  otherRegion: TestUser;
  admin: TestUser;
}

let seeded: { template: string; world: World; remove: () => void };
beforeAll(async () => {
  seeded = await seedTemplate(async (t) => ({
    ...(await applicantWorld(t)),
    instructor: await createStaff(t, 'instructor', ['84']),
    otherRegion: await createStaff(t, 'instructor', ['11']),
    admin: await createStaff(t, 'admin'),
  }));
});
afterAll(() => seeded.remove());

let t: TestApp;
let w: World;
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
  w = seeded.world;
});
afterEach(() => t.close());

const api = (user: TestUser | null, method: string, path: string, body?: unknown) =>
  t.app.request(path, jsonRequest(method, body, user ? { authorization: user.bearer } : {}));
const page = (user: TestUser | null, path: string) =>
  t.app.request(path, { headers: user ? { cookie: user.cookie } : {} });
const post = (user: TestUser | null, path: string, body: Record<string, string | string[]>) =>
  t.app.request(path, formPost(body, user ? { cookie: user.cookie } : {}));

async function draft(user = w.owner, fields: Record<string, unknown> = {}) {
  const res = await api(user, 'POST', '/api/v1/ami/applications', {
    leadOrganisationId: w.lead.id,
    ...fields,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; version: number; status: string };
}

const sessionUser = (u: TestUser, role: SessionUser['role'], name = 'Staff'): SessionUser => ({
  id: u.id,
  email: u.email,
  name,
  role,
  emailVerified: true,
  via: 'token',
});
const deps = () => ({
  db: t.db,
  clock: t.clock,
  mailer: transportFromConfig(t.config, () => {}),
  log: () => {},
  config: t.config,
  origin: 'http://localhost',
});
const versionOf = async (id: number) =>
  (
    await t.db.select({ v: amiApplications.version }).from(amiApplications).where(eq(amiApplications.id, id))
  )[0]!.v;

/** Submitted, taken by the regional instructor, changes requested on `budget`. */
async function changesRequested() {
  await insertOpenWave(t);
  const d = await completeDraft(t, w.owner, w.lead.id);
  expect((await submitViaApi(t, w.owner, d.id, d.version)).status).toBe(200);
  const staff = sessionUser(w.instructor, 'instructor');
  await applyTransition(deps(), staff, d.id, { to: 'under_review', version: await versionOf(d.id) });
  await applyTransition(deps(), staff, d.id, {
    to: 'changes_requested',
    reason: 'Précisez le plan de financement.',
    sections: ['budget'],
    version: await versionOf(d.id),
  });
  return d.id;
}

describe('GET /ami (public page)', () => {
  it('says clearly when no wave is open', async () => {
    const res = await page(null, '/ami');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Aucune vague n’est ouverte');
    expect(html).toContain('href="/ami/laureats"');
    expect(html).toContain('/connexion?retour=%2Fami%2Fdossiers%2Fnouveau');
  });

  it('shows the open wave’s calendar, envelope and ceiling, and « Déposer un dossier »', async () => {
    await insertOpenWave(t, { name: 'Vague 4', envelope: 1_600_000, ceiling: 100_000 });
    const html = (await (await page(w.owner, '/ami')).text()).replace(/[\u202f\u00a0]/g, ' ');
    expect(html).toContain('Vague ouverte : Vague 4');
    expect(html).toContain('1 600 000 €');
    expect(html).toContain('100 000 €');
    expect(html).toContain('Déposer un dossier');
    expect(html).toContain('href="/ami/dossiers/nouveau"');
  });
});

describe('rights table', () => {
  it('anonymous: pages redirect to sign-in, the API answers 401', async () => {
    const d = await draft();
    for (const path of [
      '/ami/dossiers',
      `/ami/dossiers/${d.id}`,
      `/ami/dossiers/${d.id}/projet`,
      '/ami/dossiers/nouveau',
    ]) {
      const res = await page(null, path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toContain('/connexion?retour=');
    }
    expect((await api(null, 'GET', `/api/v1/ami/applications/${d.id}`)).status).toBe(401);
    expect((await api(null, 'GET', `/api/v1/ami/applications/${d.id}/events`)).status).toBe(401);
    expect(
      (await api(null, 'POST', '/api/v1/ami/applications', { leadOrganisationId: w.lead.id })).status,
    ).toBe(401);
    expect((await api(null, 'PATCH', `/api/v1/ami/applications/${d.id}`, { version: 1 })).status).toBe(401);
  });

  it('dossier pages and the API are never cached', async () => {
    const d = await draft();
    for (const res of [
      await page(w.owner, `/ami/dossiers/${d.id}`),
      await page(null, `/ami/dossiers/${d.id}`),
      await api(null, 'GET', `/api/v1/ami/applications/${d.id}`),
      await api(w.owner, 'GET', `/api/v1/ami/applications/${d.id}`),
    ])
      expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('a non-member gets 404 everywhere, pages and API', async () => {
    const d = await draft();
    for (const path of [
      `/ami/dossiers/${d.id}`,
      `/ami/dossiers/${d.id}/budget`,
      `/ami/dossiers/${d.id}/deposer`,
      `/ami/dossiers/${d.id}/retirer`,
      `/ami/dossiers/${d.id}/supprimer`,
      `/ami/dossiers/${d.id}/recepisse`,
    ])
      expect((await page(w.outsider, path)).status, path).toBe(404);
    for (const path of ['deposer', 'retirer', 'supprimer'])
      expect((await post(w.outsider, `/ami/dossiers/${d.id}/${path}`, { version: '1' })).status, path).toBe(
        404,
      );
    expect(
      (await post(w.outsider, `/ami/dossiers/${d.id}/projet`, { version: '1', projectName: 'x' })).status,
    ).toBe(404);
    expect((await api(w.outsider, 'GET', `/api/v1/ami/applications/${d.id}`)).status).toBe(404);
    expect(
      (await api(w.outsider, 'PATCH', `/api/v1/ami/applications/${d.id}`, { version: 1, projectName: 'x' }))
        .status,
    ).toBe(404);
    expect(
      (await api(w.outsider, 'POST', `/api/v1/ami/applications/${d.id}/submit`, { version: 1 })).status,
    ).toBe(404);
    expect((await api(w.outsider, 'GET', `/api/v1/ami/applications/${d.id}/events`)).status).toBe(404);
    expect((await page(w.outsider, '/ami/dossiers')).status).toBe(200);
    expect(await (await page(w.outsider, '/ami/dossiers')).text()).not.toContain(`/ami/dossiers/${d.id}"`);
  });

  it('owner and editor read and edit; both list the dossier', async () => {
    const d = await draft(w.owner, { projectName: 'Projet partagé' });
    for (const user of [w.owner, w.editor]) {
      expect((await page(user, `/ami/dossiers/${d.id}`)).status).toBe(200);
      expect(await (await page(user, '/ami/dossiers')).text()).toContain('Projet partagé');
      for (const s of ['porteur', 'membres', 'territoire', 'projet', 'emplois', 'budget'])
        expect((await page(user, `/ami/dossiers/${d.id}/${s}`)).status, s).toBe(200);
    }
    const res = await api(w.editor, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: d.version,
      jobsCurrent: 4,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { version: number }).version).toBe(d.version + 1);
  });

  it('staff: drafts are invisible (404); once submitted, read-only in scope, 404 out of scope', async () => {
    await insertOpenWave(t);
    const d = await completeDraft(t, w.owner, w.lead.id);
    expect((await api(w.instructor, 'GET', `/api/v1/ami/applications/${d.id}`)).status).toBe(404);
    expect((await submitViaApi(t, w.owner, d.id, d.version)).status).toBe(200);
    const read = await api(w.instructor, 'GET', `/api/v1/ami/applications/${d.id}`);
    expect(read.status).toBe(200);
    const body = await read.json();
    expect(body).not.toHaveProperty('notes');
    expect(body).not.toHaveProperty('scores');
    expect((await api(w.admin, 'GET', `/api/v1/ami/applications/${d.id}`)).status).toBe(200);
    expect((await api(w.otherRegion, 'GET', `/api/v1/ami/applications/${d.id}`)).status).toBe(404);
    expect(
      (await api(w.instructor, 'PATCH', `/api/v1/ami/applications/${d.id}`, { version: 2, jobsCurrent: 1 }))
        .status,
    ).toBe(403);
    expect(
      (await api(w.instructor, 'POST', `/api/v1/ami/applications/${d.id}/submit`, { version: 2 })).status,
    ).toBe(403);
    expect((await page(w.instructor, `/ami/dossiers/${d.id}/projet`)).status).toBe(403);
    const staffPage = await page(w.instructor, `/ami/dossiers/${d.id}`);
    expect(staffPage.status).toBe(200);
    const html = await staffPage.text();
    expect(html).toContain('Historique');
    expect(html).not.toContain(`/ami/dossiers/${d.id}/retirer`);
    expect(html).not.toContain(`/ami/dossiers/${d.id}/deposer`);
    expect((await post(w.instructor, `/ami/dossiers/${d.id}/retirer`, { version: '2' })).status).toBe(403);
    expect((await post(w.instructor, `/ami/dossiers/${d.id}/supprimer`, {})).status).toBe(403);
    expect((await page(w.otherRegion, `/ami/dossiers/${d.id}`)).status).toBe(404);
  });

  it('a submitted dossier is read-only for the applicant; under changes_requested only the reopened sections open (403 else)', async () => {
    const id = await changesRequested();
    const v = await versionOf(id);
    const blocked = await api(w.owner, 'PATCH', `/api/v1/ami/applications/${id}`, {
      version: v,
      projectName: 'Autre',
    });
    expect(blocked.status).toBe(403);
    expect(
      (await post(w.owner, `/ami/dossiers/${id}/projet`, { version: String(v), projectName: 'Autre' }))
        .status,
    ).toBe(403);
    expect((await page(w.owner, `/ami/dossiers/${id}/projet`)).status).toBe(403);
    const ok = await api(w.owner, 'PATCH', `/api/v1/ami/applications/${id}`, {
      version: v,
      amountRequested: 80_000,
    });
    expect(ok.status).toBe(200);
  });
});

describe('drafts', () => {
  it('POST /ami/dossiers creates a draft for one of my organisations, copying région/département; searchText follows saves', async () => {
    const res = await post(w.owner, '/ami/dossiers', { leadOrganisationId: String(w.lead.id) });
    expect(res.status).toBe(303);
    const id = Number(/\/ami\/dossiers\/(\d+)/.exec(res.headers.get('location')!)![1]);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, id));
    expect(row).toMatchObject({ status: 'draft', region: '84', departement: '38', version: 1 });
    expect(row!.searchText).toBe('cooperative porteuse');
    const saved = await post(w.owner, `/ami/dossiers/${id}/projet`, {
      version: '1',
      projectName: 'Énergie Partagée',
      stage: 'emerging',
    });
    expect(saved.status).toBe(303);
    const [after] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, id));
    expect(after!.searchText).toBe('energie partagee cooperative porteuse');
    expect(after!.stage).toBe('emerging');
  });

  it('refuses a foreign or unknown lead organisation (422), and anything but my organisations in the list', async () => {
    const res = await post(w.owner, '/ami/dossiers', { leadOrganisationId: String(w.foreign.id) });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Choisissez une organisation dont vous êtes propriétaire');
    expect(
      (await api(w.owner, 'POST', '/api/v1/ami/applications', { leadOrganisationId: 999_999 })).status,
    ).toBe(422);
    expect((await post(w.owner, '/ami/dossiers', { leadOrganisationId: 'abc' })).status).toBe(422);
    const d = await draft();
    const moved = await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: 1,
      leadOrganisationId: w.foreign.id,
    });
    expect(moved.status).toBe(422);
  });

  it('deletes a draft after confirmation; a submitted dossier cannot be deleted (409)', async () => {
    const d = await draft();
    expect((await page(w.owner, `/ami/dossiers/${d.id}/supprimer`)).status).toBe(200);
    const res = await post(w.owner, `/ami/dossiers/${d.id}/supprimer`, { version: '1' });
    expect(res.status).toBe(303);
    expect(await t.db.select().from(amiApplications).where(eq(amiApplications.id, d.id))).toHaveLength(0);
    await insertOpenWave(t);
    const s = await completeDraft(t, w.owner, w.lead.id);
    await submitViaApi(t, w.owner, s.id, s.version);
    expect((await post(w.owner, `/ami/dossiers/${s.id}/supprimer`, {})).status).toBe(403);
    expect((await post(w.outsider, `/ami/dossiers/${s.id}/supprimer`, {})).status).toBe(404);
  });

  it('an organisation leading a dossier cannot be deleted (409, a clear message, not a 500)', async () => {
    const d = await draft();
    const res = await post(w.owner, `/organisations/${w.lead.id}/supprimer`, {});
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('porte un dossier à l’AMI PTCE');
    expect((await api(w.owner, 'DELETE', `/api/v1/organisations/${w.lead.id}`)).status).toBe(409);
    expect((await page(w.owner, `/organisations/${w.lead.id}/supprimer`)).status).toBe(409);
    await post(w.owner, `/ami/dossiers/${d.id}/supprimer`, {});
    expect((await post(w.owner, `/organisations/${w.lead.id}/supprimer`, {})).status).toBe(303);
  });

  it('account deletion that would delete a lead organisation is refused with the same message', async () => {
    const solo = await (await import('../support/auth.ts')).createSignedInUser(t);
    const org = await createOrganisation(t, { name: 'Solo Porteur', owner: solo });
    await api(solo, 'POST', '/api/v1/ami/applications', { leadOrganisationId: org.id });
    const res = await t.app.request('/compte/supprimer', { headers: { cookie: solo.cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('dossiers AMI en cours');
  });
});

describe('section forms', () => {
  it('a stale version is 409 with a clear message and the typed values kept', async () => {
    const d = await draft();
    await api(w.editor, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: 1,
      projectName: 'Saisi par l’éditeur',
    });
    const res = await post(w.owner, `/ami/dossiers/${d.id}/projet`, {
      version: '1',
      projectName: 'Mon nom à moi',
      strategy: 'Ma stratégie',
    });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('modifié par une autre personne');
    expect(html).toContain('value="Mon nom à moi"');
    expect(html).toContain('Ma stratégie');
    expect(html).toContain('name="version" value="2"');
    const apiStale = await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: 1,
      jobsCurrent: 3,
    });
    expect(apiStale.status).toBe(409);
  });

  it('autosave answers a fragment: « Enregistré à HH:MM » and the next version; errors and conflicts too', async () => {
    const d = await draft();
    const ok = await post(w.owner, `/ami/dossiers/${d.id}/emplois?autosave=1`, {
      version: '1',
      jobsCurrent: '12',
      jobsPlanned: '',
    });
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toMatch(/Enregistré à \d\d:\d\d/);
    expect(html).toContain('name="version" value="2"');
    expect(html).toContain('role="status"');
    expect(html).not.toContain('<html');
    const bad = await post(w.owner, `/ami/dossiers/${d.id}/emplois?autosave=1`, {
      version: '2',
      jobsCurrent: 'douze',
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Non enregistré');
    const stale = await post(w.owner, `/ami/dossiers/${d.id}/emplois?autosave=1`, {
      version: '1',
      jobsCurrent: '3',
    });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('modifié entre-temps');
  });

  it('budget: co-financing lines added and removed without JavaScript; amounts in French notation', async () => {
    const d = await draft();
    const add = await post(w.owner, `/ami/dossiers/${d.id}/budget`, {
      version: '1',
      action: 'add-line',
      budgetTotal: '300 000',
      amountRequested: '90000',
      funder: ['Région', ''],
      amount: ['50 000', ''],
      selfFinancingShare: '12,5',
      stateAidReceived: '0',
      previouslyFunded: 'non',
    });
    expect(add.status).toBe(303);
    expect(add.headers.get('location')).toContain('ajout=1');
    const form = await (await page(w.owner, add.headers.get('location')!)).text();
    expect(form).toContain('id="funder-1"');
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, d.id));
    expect(row).toMatchObject({ budgetTotal: 300_000, selfFinancingShare: 12.5, previouslyFunded: false });
    expect(row!.cofunding).toEqual([{ funder: 'Région', amount: 50_000 }]);
    const removed = await post(w.owner, `/ami/dossiers/${d.id}/budget`, {
      version: '2',
      action: 'remove-line-0',
      funder: ['Région'],
      amount: ['50000'],
    });
    expect(removed.status).toBe(303);
    const [after] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, d.id));
    expect(after!.cofunding).toEqual([]);
    const bad = await post(w.owner, `/ami/dossiers/${d.id}/budget`, {
      version: '3',
      funder: ['Sans montant'],
      amount: [''],
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Ligne 1');
  });

  it('territory: communes added with the picker and removed; départements and flags', async () => {
    const d = await draft();
    const add = await post(w.owner, `/ami/dossiers/${d.id}/territoire`, {
      version: '1',
      action: 'add-commune',
      addCommuneQuery: 'Voiron',
      departements: '38, 73',
      qpv: '1',
    });
    expect(add.status).toBe(303);
    let [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, d.id));
    expect(row!.territory).toEqual({
      communeCodes: ['38563'],
      departements: ['38', '73'],
      qpv: true,
      rural: false,
    });
    expect(await (await page(w.owner, `/ami/dossiers/${d.id}/territoire`)).text()).toContain('Voiron');
    const removed = await post(w.owner, `/ami/dossiers/${d.id}/territoire`, {
      version: '2',
      action: 'remove-commune-38563',
      communeCodes: ['38563'],
      departements: '38',
      rural: '1',
    });
    expect(removed.status).toBe(303);
    [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, d.id));
    expect(row!.territory).toEqual({ communeCodes: [], departements: ['38'], qpv: false, rural: true });
    const bad = await post(w.owner, `/ami/dossiers/${d.id}/territoire`, {
      version: '3',
      departements: '999',
    });
    expect(bad.status).toBe(422);
    const unknown = await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: 3,
      territory: { communeCodes: ['99999'], departements: [], qpv: false, rural: false },
    });
    expect(unknown.status).toBe(422);
  });

  it('members: typed in (SIRET + name + kind + commune + role), from the directory, removed; pôle import', async () => {
    const d = await draft();
    const siret = testSiret();
    const typed = await post(w.owner, `/ami/dossiers/${d.id}/membres`, {
      version: '1',
      action: 'add',
      siret,
      name: 'Menuiserie Dupont',
      kind: 'sme',
      communeCodeQuery: 'Voiron',
      role: 'partner',
    });
    expect(typed.status).toBe(303);
    const fromDirectory = await post(w.owner, `/ami/dossiers/${d.id}/membres`, {
      version: '2',
      action: 'add',
      organisationId: String(w.foreign.id),
      role: 'associate',
    });
    expect(fromDirectory.status).toBe(303);
    let members = await t.db
      .select()
      .from(amiMembers)
      .where(eq(amiMembers.applicationId, d.id))
      .orderBy(amiMembers.position);
    expect(members.map((m) => [m.name, m.kind, m.role])).toEqual([
      ['Menuiserie Dupont', 'sme', 'partner'],
      ['Organisation Étrangère', 'sme', 'associate'],
    ]);
    const search = await post(w.owner, `/ami/dossiers/${d.id}/membres`, {
      version: '3',
      action: 'search',
      directoryQuery: 'Étrangère',
    });
    expect(search.status).toBe(200);
    expect(await search.text()).toContain(`value="${w.foreign.id}"`);
    const live = await page(
      w.owner,
      `/ami/organisations-candidates?directoryQuery=${encodeURIComponent('Étrangère')}`,
    );
    expect(live.status).toBe(200);
    expect(await live.text()).toContain(`value="${w.foreign.id}"`);
    expect((await page(null, '/ami/organisations-candidates?directoryQuery=x')).status).toBe(303);
    const dup = await post(w.owner, `/ami/dossiers/${d.id}/membres`, {
      version: '3',
      action: 'add',
      siret,
      name: 'Doublon',
      kind: 'sme',
      communeCodeQuery: 'Voiron',
      role: 'partner',
    });
    expect(dup.status).toBe(422);
    const invalid = await post(w.owner, `/ami/dossiers/${d.id}/membres`, {
      version: '3',
      action: 'add',
      siret: '123',
      name: '',
      kind: 'x',
      communeCodeQuery: '',
      role: '',
    });
    expect(invalid.status).toBe(422);
    const text = await invalid.text();
    for (const message of [
      'SIRET invalide',
      'Indiquez la commune.',
      'Choisissez le type de structure',
      'Choisissez le rôle',
    ])
      expect(text).toContain(message);
    expect(
      (await post(w.owner, `/ami/dossiers/${d.id}/membres`, { version: '3', action: `remove-${siret}` }))
        .status,
    ).toBe(303);
    members = await t.db.select().from(amiMembers).where(eq(amiMembers.applicationId, d.id));
    expect(members).toHaveLength(1);

    const pole = await createPoleViaApi(t, w.owner, w.lead.id);
    expect(pole.id).toBeGreaterThan(0);
    const partner = await createOrganisation(t, {
      name: 'Partenaire du pôle',
      kind: 'research',
      owner: w.owner,
    });
    const added = await api(w.owner, 'POST', `/api/v1/poles/${pole.id}/members`, {
      organisationId: partner.id,
    });
    expect([200, 201]).toContain(added.status);
    // Consent is the pôles feature's business: the partner's membership is made active here.
    await t.db
      .update(poleMembers)
      .set({ status: 'active' })
      .where(eq(poleMembers.organisationId, partner.id));
    const pageHtml = await (await page(w.owner, `/ami/dossiers/${d.id}/membres`)).text();
    expect(pageHtml).toContain('Importer les membres du pôle');
    const imported = await post(w.owner, `/ami/dossiers/${d.id}/membres`, {
      version: '4',
      action: 'import-pole',
    });
    expect(imported.status).toBe(303);
    members = await t.db.select().from(amiMembers).where(eq(amiMembers.applicationId, d.id));
    expect(members.map((m) => m.name)).toContain('Partenaire du pôle');
  });
});

describe('hostile input', () => {
  it('control characters, oversized names, foreign ids: 422 naming the field; markup shown as text', async () => {
    const d = await draft();
    const control = await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: 1,
      projectName: 'Nom\u0000caché',
    });
    expect(control.status).toBe(422);
    expect(
      ((await control.json()) as { error: { fields: Record<string, string> } }).error.fields,
    ).toHaveProperty('projectName');
    const long = await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: 1,
      projectName: 'x'.repeat(2500),
    });
    expect(long.status).toBe(422);
    const longPage = await post(w.owner, `/ami/dossiers/${d.id}/projet`, {
      version: '1',
      projectName: 'x'.repeat(2500),
    });
    expect(longPage.status).toBe(422);
    expect(await longPage.text()).toContain('limité à 200 caractères');
    const member = await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: 1,
      members: [
        {
          organisationId: 987_654,
          siret: testSiret(),
          name: 'X',
          kind: 'ess',
          communeCode: '38563',
          role: 'partner',
        },
      ],
    });
    expect(member.status).toBe(422);
    const unknownField = await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: 1,
      status: 'selected',
    });
    expect(unknownField.status).toBe(422);
    expect((await page(w.owner, '/ami/dossiers/abc')).status).toBe(404);
    expect((await page(w.owner, '/ami/dossiers/99999999')).status).toBe(404);
    const xss = '<img src=x onerror=alert(1)>';
    expect(
      (await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, { version: 1, projectName: xss }))
        .status,
    ).toBe(200);
    for (const path of [`/ami/dossiers/${d.id}`, `/ami/dossiers/${d.id}/projet`, '/ami/dossiers']) {
      const html = await (await page(w.owner, path)).text();
      expect(html, path).not.toContain(xss);
      expect(html, path).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });

  it('two concurrent saves at the same version: exactly one applies', async () => {
    const d = await draft();
    const [a, b] = await Promise.all([
      api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
        version: 1,
        members: completeFields(w.lead.id).members,
      }),
      api(w.editor, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
        version: 1,
        members: completeFields(w.lead.id).members.slice(0, 1),
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const members = await t.db.select().from(amiMembers).where(eq(amiMembers.applicationId, d.id));
    expect(members).toHaveLength(a.status === 200 ? 3 : 1);
  });
});

describe('submit', () => {
  it('an incomplete draft: 422 naming every missing field (API), and the confirmation page lists them by section', async () => {
    const d = await draft();
    const res = await submitViaApi(t, w.owner, d.id, d.version);
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { fields: Record<string, string> } };
    for (const field of [
      'members',
      'territory',
      'projectName',
      'stage',
      'strategy',
      'activities',
      'governance',
      'innovation',
      'jobsCurrent',
      'jobsPlanned',
      'budgetTotal',
      'amountRequested',
      'selfFinancingShare',
      'stateAidReceived',
      'previouslyFunded',
      'attachments',
      'waveId',
    ])
      expect(error.fields, field).toHaveProperty(field);
    const confirm = await post(w.owner, `/ami/dossiers/${d.id}/deposer`, { version: String(d.version) });
    expect(confirm.status).toBe(422);
    const html = await confirm.text();
    expect(html).toContain('Erreur — ');
    expect(html).toContain(`href="/ami/dossiers/${d.id}/budget"`);
    expect(html).toContain('Joignez au moins une pièce');
  });

  it('eligibility: members’ kinds, the wave’s ceiling, a previous State funding', async () => {
    await insertOpenWave(t, { ceiling: 50_000 });
    const d = await completeDraft(t, w.owner, w.lead.id);
    const fields = completeFields(w.lead.id);
    await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
      version: d.version,
      members: fields.members.map((m) => ({ ...m, kind: 'ess' })),
      previouslyFunded: true,
    });
    const res = await submitViaApi(t, w.owner, d.id, d.version + 1);
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(error.fields.members).toContain('entreprise hors ESS');
    expect(error.fields.amountRequested).toContain('plafond');
    expect(error.fields.previouslyFunded).toBeDefined();
  });

  it('submits: reference, read-only, receipt page and email to the submitter and the lead organisation’s members', async () => {
    await insertOpenWave(t);
    const d = await completeDraft(t, w.editor, w.lead.id);
    expect((await page(w.editor, `/ami/dossiers/${d.id}/deposer`)).status).toBe(200);
    const res = await post(w.editor, `/ami/dossiers/${d.id}/deposer`, { version: String(d.version) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/ami/dossiers/${d.id}/recepisse?info=depose`);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, d.id));
    expect(row).toMatchObject({ status: 'submitted', reference: 'AMI-2026-0001' });
    const receipt = await (await page(w.editor, `/ami/dossiers/${d.id}/recepisse`)).text();
    expect(receipt).toContain('AMI-2026-0001');
    expect(receipt).toContain(`href="/ami/dossiers/${d.id}/recepisse.pdf"`);
    expect(receipt).toContain('22 novembre 2026 à 11:00');
    const sent = await t.db.select().from(emails);
    const receipts = sent.filter((e) => e.subject.includes('AMI-2026-0001'));
    expect(receipts.map((e) => e.to).sort()).toEqual([w.editor.email, w.owner.email].sort());
    expect(receipts[0]!.text).toContain(`http://localhost/ami/dossiers/${d.id}/recepisse`);
    const events = await (await api(w.owner, 'GET', `/api/v1/ami/applications/${d.id}/events`)).json();
    expect(events.items).toEqual([
      { from: 'draft', to: 'submitted', actorId: w.editor.id, reason: null, at: '2026-11-22T10:00:00.000Z' },
    ]);
    expect(
      (
        await api(w.owner, 'PATCH', `/api/v1/ami/applications/${d.id}`, {
          version: row!.version,
          jobsCurrent: 1,
        })
      ).status,
    ).toBe(403);
    const second = await completeDraft(t, w.owner, w.lead.id);
    const json = await (await submitViaApi(t, w.owner, second.id, second.version)).json();
    expect(json).toMatchObject({ reference: 'AMI-2026-0002', status: 'submitted' });
    expect((await page(w.owner, `/ami/dossiers/${second.id}/recepisse`)).status).toBe(200);
    const draftOnly = await draft();
    expect((await page(w.owner, `/ami/dossiers/${draftOnly.id}/recepisse`)).status).toBe(404);
  });

  it('20 concurrent submits get 20 distinct, consecutive references; a double submit applies once', async () => {
    await insertOpenWave(t);
    const drafts = [];
    for (let i = 0; i < 20; i++) drafts.push(await completeDraft(t, w.owner, w.lead.id));
    const answers = await Promise.all(drafts.map((d) => submitViaApi(t, w.owner, d.id, d.version)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const references = (await Promise.all(answers.map((r) => r.json()))).map((b) => b.reference).sort();
    expect(references).toEqual(
      Array.from({ length: 20 }, (_, i) => `AMI-2026-${String(i + 1).padStart(4, '0')}`),
    );
    const again = await completeDraft(t, w.owner, w.lead.id);
    const twice = await Promise.all([0, 1].map(() => submitViaApi(t, w.owner, again.id, again.version)));
    // The loser read the dossier either before the winner's write (409: stale version) or after it
    // (422: already submitted); either way one submit applies and the counter moves once.
    const statuses = twice.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([409, 422]).toContain(statuses[1]);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, again.id));
    expect(row!.reference).toBe('AMI-2026-0021');
  });

  it('withdraw: confirmation with an optional reason, then read-only', async () => {
    await insertOpenWave(t);
    const d = await completeDraft(t, w.owner, w.lead.id);
    await submitViaApi(t, w.owner, d.id, d.version);
    expect((await page(w.owner, `/ami/dossiers/${d.id}/retirer`)).status).toBe(200);
    const bad = await post(w.owner, `/ami/dossiers/${d.id}/retirer`, {
      version: String(d.version + 1),
      reason: 'a\u0000b',
    });
    expect(bad.status).toBe(422);
    const res = await post(w.owner, `/ami/dossiers/${d.id}/retirer`, {
      version: String(d.version + 1),
      reason: 'Projet suspendu.',
    });
    expect(res.status).toBe(303);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, d.id));
    expect(row!.status).toBe('withdrawn');
    const html = await (await page(w.owner, `/ami/dossiers/${d.id}`)).text();
    expect(html).toContain('Projet suspendu.');
    expect(html).not.toContain(`/ami/dossiers/${d.id}/retirer"`);
    expect((await page(w.owner, `/ami/dossiers/${d.id}/retirer`)).status).toBe(409);
  });

  it('resubmit after a request for changes: banner, reopened section only, back under review', async () => {
    const id = await changesRequested();
    const html = await (await page(w.owner, `/ami/dossiers/${id}`)).text();
    expect(html).toContain('L’équipe d’instruction demande des compléments');
    expect(html).toContain('Précisez le plan de financement.');
    expect(html).toContain(`href="/ami/dossiers/${id}/budget"`);
    expect(html).toContain('Renvoyer le dossier complété');
    const list = await (await page(w.owner, '/ami/dossiers')).text();
    expect(list).toContain('7 décembre 2026');
    const v = await versionOf(id);
    const save = await post(w.owner, `/ami/dossiers/${id}/budget`, {
      version: String(v),
      budgetTotal: '300000',
      amountRequested: '85000',
      funder: ['Région'],
      amount: ['60000'],
      selfFinancingShare: '40',
      stateAidReceived: '0',
      previouslyFunded: 'non',
    });
    expect(save.status).toBe(303);
    const res = await post(w.owner, `/ami/dossiers/${id}/deposer`, {
      version: String(v + 1),
      reason: 'Budget précisé.',
    });
    expect(res.status).toBe(303);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, id));
    expect(row).toMatchObject({ status: 'under_review', reopenedSections: [], amountRequested: 85_000 });
    const events = (await (await api(w.owner, 'GET', `/api/v1/ami/applications/${id}/events`)).json()).items;
    expect(events.map((e: { to: string }) => e.to)).toEqual([
      'submitted',
      'under_review',
      'changes_requested',
      'under_review',
    ]);
  });
});
