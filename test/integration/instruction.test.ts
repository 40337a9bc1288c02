import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { amiApplications, amiEvents, amiMessages, amiNotes, amiScores, emails } from '../../src/db/schema.ts';
import { euros } from '../../src/features/ami/transitions.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import {
  type InstructionWorld,
  insertDossier,
  insertEvent,
  insertScore,
  seedInstructionWorld,
} from '../support/instruction.ts';

interface World extends InstructionWorld {
  /** Voiron (84): submitted, under review (assigned to ara), changes requested overdue, eligible. */
  submitted: number;
  review: number;
  overdue: number;
  eligible: number;
  /** Toulouse (76): submitted. */
  toulouseDossier: number;
  draft: number;
  withdrawnDraft: number;
}

let seeded: Awaited<ReturnType<typeof seedTemplate<World>>>;
let t: TestApp;
let w: World;

beforeAll(async () => {
  seeded = await seedTemplate(async (t) => {
    const base = await seedInstructionWorld(t);
    const day = (d: number) => new Date(Date.parse('2026-11-22T10:00:00Z') - d * 86_400_000).toISOString();
    const submitted = await insertDossier(t, {
      leadOrganisationId: base.voiron.id,
      projectName: 'Recyclerie coopérative du Voironnais',
      waveId: base.waveId,
      amountRequested: 90_000,
      submittedAt: day(3),
    });
    const review = await insertDossier(t, {
      leadOrganisationId: base.voiron.id,
      status: 'under_review',
      projectName: 'Cuisine partagée',
      waveId: base.waveId,
      amountRequested: 50_000,
      assigneeId: base.ara.id,
      stage: 'consolidating',
      submittedAt: day(10),
    });
    const overdue = await insertDossier(t, {
      leadOrganisationId: base.voiron.id,
      status: 'changes_requested',
      projectName: 'Mobilité solidaire',
      waveId: base.waveId,
      amountRequested: 70_000,
      changesDueAt: day(1),
      reopenedSections: ['budget'],
      submittedAt: day(30),
    });
    const eligible = await insertDossier(t, {
      leadOrganisationId: base.voiron.id,
      status: 'eligible',
      projectName: 'Énergie citoyenne',
      waveId: base.waveId,
      amountRequested: 100_000,
      submittedAt: day(20),
    });
    const toulouseDossier = await insertDossier(t, {
      leadOrganisationId: base.toulouse.id,
      projectName: 'Serre maraîchère',
      waveId: base.waveId,
      amountRequested: 30_000,
      submittedAt: day(5),
    });
    // Withdrawn before any submit: never staff's.
    const withdrawnDraft = await insertDossier(t, {
      leadOrganisationId: base.voiron.id,
      status: 'withdrawn',
      projectName: 'Retiré avant dépôt',
    });
    await t.db
      .update(amiApplications)
      .set({ submittedAt: null, reference: null })
      .where(eq(amiApplications.id, withdrawnDraft));
    const draft = await insertDossier(t, {
      leadOrganisationId: base.voiron.id,
      status: 'draft',
      projectName: 'Brouillon',
    });
    await insertScore(t, eligible, base.ara.id, [5, 5, 5, 5, 5, 5]);
    await insertScore(t, eligible, base.national.id, [3, 3, 3, 3, 3, 3]);
    await insertScore(t, review, base.ara.id, [1, 1, 1, 1, 1, 1]);
    return { ...base, submitted, review, overdue, eligible, toulouseDossier, draft, withdrawnDraft };
  });
  w = seeded.world;
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
  t.app.request(path, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
const api = (method: string, path: string, who: { bearer: string }, body?: unknown) =>
  t.app.request(path, jsonRequest(method, body, { authorization: who.bearer }));
const post = (path: string, who: { cookie: string }, body: Record<string, string | string[]>) =>
  t.app.request(path, formPost(body, { cookie: who.cookie }));
const refs = (html: string) => [...html.matchAll(/>(AMI-2026-\d{4})</g)].map((m) => m[1]);
const versionOf = async (id: number) =>
  (await t.db.select().from(amiApplications).where(eq(amiApplications.id, id)))[0]!.version;

describe('rights', () => {
  it('the queue: anonymous → sign-in, members 403, staff 200', async () => {
    const anon = await get('/instruction');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/connexion?retour=%2Finstruction');
    expect((await get('/instruction', w.applicant.cookie)).status).toBe(403);
    expect((await get('/instruction/tableau-de-bord', w.applicant.cookie)).status).toBe(403);
    expect((await get('/instruction/export.csv', w.applicant.cookie)).status).toBe(403);
    for (const staff of [w.admin, w.national, w.ara]) {
      const res = await get('/instruction', staff.cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/private|no-store/);
    }
  });

  it('staff land on /instruction after sign-in (unless a return path says otherwise); members on /compte', async () => {
    const signIn = (who: { email: string; password: string }, retour?: string) =>
      t.app.request(
        `/connexion${retour ? `?retour=${encodeURIComponent(retour)}` : ''}`,
        formPost({ email: who.email, password: who.password }),
      );
    expect((await signIn(w.ara)).headers.get('location')).toBe('/instruction');
    expect((await signIn(w.admin, '/poles')).headers.get('location')).toBe('/poles');
    expect((await signIn(w.applicant)).headers.get('location')).toBe('/compte');
    const home = await (await get('/', w.national.cookie)).text();
    expect(home).toContain('href="/instruction"');
    expect(await (await get('/', w.applicant.cookie)).text()).not.toContain('href="/instruction"');
  });

  const rows: Array<[string, keyof World, keyof World, number]> = [
    ['regional instructor, own région', 'ara', 'submitted', 200],
    ['regional instructor, other région', 'ara', 'toulouseDossier', 404],
    ['other regional instructor', 'occitanie', 'submitted', 404],
    ['other regional instructor, own région', 'occitanie', 'toulouseDossier', 200],
    ['national instructor', 'national', 'toulouseDossier', 200],
    ['admin', 'admin', 'submitted', 200],
    ['staff, a draft', 'admin', 'draft', 404],
    ['staff, a draft withdrawn before any submit', 'admin', 'withdrawnDraft', 404],
    ['applicant, own dossier', 'applicant', 'submitted', 403],
    ['stranger', 'stranger', 'submitted', 403],
  ];
  it.each(rows)('staff dossier page: %s (%s, %s) → %i', async (_, who, dossier, status) => {
    const user = w[who] as { cookie: string };
    const res = await get(`/instruction/dossiers/${w[dossier]}`, user.cookie);
    expect(res.status).toBe(status);
  });

  const postRoutes: Array<[string, Record<string, string | string[]>]> = [
    ['transition', { to: 'under_review', version: '1' }],
    ['attribution', { assigneeId: '' }],
    ['notes', { body: 'Une note.' }],
    [
      'evaluation',
      { cooperation: '1', pooling: '1', anchoring: '1', innovation: '1', jobs: '1', economicModel: '1' },
    ],
    ['conflit', { confirm: '1' }],
  ];
  it.each(postRoutes)(
    'page form %s: anonymous 401, member 403, other région 404, in scope 303',
    async (route, body) => {
      const path = (id: number) => `/instruction/dossiers/${id}/${route}`;
      expect((await t.app.request(path(w.submitted), formPost(body))).status).toBe(401);
      expect((await post(path(w.submitted), w.applicant, body)).status).toBe(403);
      expect((await post(path(w.toulouseDossier), w.ara, body)).status).toBe(404);
      expect((await post(path(w.draft), w.admin, body)).status).toBe(404);
      expect((await post(path(w.submitted), w.ara, body)).status).toBe(303);
    },
  );

  it('API: applicants never read notes nor scores, nor score, note, assign or decide (403)', async () => {
    const id = w.submitted;
    expect((await api('GET', `/api/v1/ami/applications/${id}/notes`, w.applicant)).status).toBe(403);
    expect((await api('GET', `/api/v1/ami/applications/${id}/scores`, w.applicant)).status).toBe(403);
    expect(
      (await api('POST', `/api/v1/ami/applications/${id}/notes`, w.applicant, { body: 'x' })).status,
    ).toBe(403);
    const grid = { cooperation: 1, pooling: 1, anchoring: 1, innovation: 1, jobs: 1, economicModel: 1 };
    expect((await api('PUT', `/api/v1/ami/applications/${id}/score`, w.applicant, grid)).status).toBe(403);
    expect(
      (await api('POST', `/api/v1/ami/applications/${id}/assign`, w.applicant, { assigneeId: w.ara.id }))
        .status,
    ).toBe(403);
    expect((await api('POST', `/api/v1/ami/applications/${id}/conflict`, w.applicant, {})).status).toBe(403);
    const take = await api('POST', `/api/v1/ami/applications/${id}/transitions`, w.applicant, {
      to: 'under_review',
      version: await versionOf(id),
    });
    expect(take.status).toBe(403);
    expect((await api('GET', '/api/v1/ami/applications.csv', w.applicant)).status).toBe(403);
  });

  it('API: a regional instructor gets 404 on another région’s dossier, everywhere', async () => {
    const id = w.toulouseDossier;
    const grid = { cooperation: 1, pooling: 1, anchoring: 1, innovation: 1, jobs: 1, economicModel: 1 };
    expect((await api('GET', `/api/v1/ami/applications/${id}/notes`, w.ara)).status).toBe(404);
    expect((await api('POST', `/api/v1/ami/applications/${id}/notes`, w.ara, { body: 'x' })).status).toBe(
      404,
    );
    expect((await api('PUT', `/api/v1/ami/applications/${id}/score`, w.ara, grid)).status).toBe(404);
    expect(
      (await api('POST', `/api/v1/ami/applications/${id}/assign`, w.ara, { assigneeId: w.ara.id })).status,
    ).toBe(404);
    expect((await api('POST', `/api/v1/ami/applications/${id}/conflict`, w.ara, {})).status).toBe(404);
    const take = await api('POST', `/api/v1/ami/applications/${id}/transitions`, w.ara, {
      to: 'under_review',
      version: 1,
    });
    expect(take.status).toBe(404);
    const list = await (await api('GET', '/api/v1/ami/applications?perPage=100', w.ara)).json();
    expect(list.items.map((i: { id: number }) => i.id)).not.toContain(id);
    expect(list.items.map((i: { id: number }) => i.id)).not.toContain(w.draft);
    expect(list.total).toBe(4);
  });

  it('conflict of interest: after declaring, no score, assign nor decision (403); notes still allowed', async () => {
    const id = w.submitted;
    const declared = await api('POST', `/api/v1/ami/applications/${id}/conflict`, w.ara, {
      note: 'Mon conjoint y travaille.',
    });
    expect(declared.status).toBe(201);
    const grid = { cooperation: 1, pooling: 1, anchoring: 1, innovation: 1, jobs: 1, economicModel: 1 };
    expect((await api('PUT', `/api/v1/ami/applications/${id}/score`, w.ara, grid)).status).toBe(403);
    expect(
      (await api('POST', `/api/v1/ami/applications/${id}/assign`, w.ara, { assigneeId: w.national.id }))
        .status,
    ).toBe(403);
    const take = await api('POST', `/api/v1/ami/applications/${id}/transitions`, w.ara, {
      to: 'under_review',
      version: await versionOf(id),
    });
    expect(take.status).toBe(403);
    // Nobody can give it to them either, and the page shows neither the grid nor the decisions.
    const assign = await api('POST', `/api/v1/ami/applications/${id}/assign`, w.admin, {
      assigneeId: w.ara.id,
    });
    expect(assign.status).toBe(422);
    const page = await (await get(`/instruction/dossiers/${id}`, w.ara.cookie)).text();
    expect(page).toContain('Conflit d’intérêts déclaré');
    expect(page).not.toContain('Enregistrer ma grille');
    expect(page).not.toContain('Prendre en instruction</button>');
    // The page forms are refused too.
    const form = await post(`/instruction/dossiers/${id}/evaluation`, w.ara, {
      cooperation: '1',
      pooling: '1',
      anchoring: '1',
      innovation: '1',
      jobs: '1',
      economicModel: '1',
    });
    expect(form.status).toBe(403);
  });
});

describe('queue', () => {
  it('lists the scope without drafts, newest first, with score average and spread', async () => {
    const html = await (await get('/instruction', w.national.cookie)).text();
    expect(refs(html)).toHaveLength(5);
    expect(html).toContain('5 dossiers trouvés');
    expect(html).not.toContain('Brouillon</');
    expect(html).not.toContain('Retiré avant dépôt');
    expect(html).toContain('(2 grilles, écart 2)');
    const ara = await (await get('/instruction', w.ara.cookie)).text();
    expect(ara).toContain('4 dossiers trouvés');
    // Their filters offer their région and its départements only.
    expect(ara).toContain('<option value="38">Isère (38)</option>');
    expect(ara).not.toContain('<option value="31">');
    expect(ara).not.toContain('<option value="76">');
    expect(html).toContain('<option value="31">');
    expect(ara).not.toContain('Serre maraîchère');
  });

  const filterCases: Array<[string, string, (w: World) => number[]]> = [
    ['status', 'status=eligible', (w) => [w.eligible]],
    ['région', 'region=76', (w) => [w.toulouseDossier]],
    ['département', 'departement=38', (w) => [w.submitted, w.review, w.overdue, w.eligible]],
    ['assignee', `assignee=ASSIGNEE`, (w) => [w.review]],
    ['unassigned', 'assignee=none&region=84', (w) => [w.submitted, w.overdue, w.eligible]],
    ['stage', 'stage=consolidating', (w) => [w.review]],
    ['amount range', 'amountMin=60000&amountMax=95000', (w) => [w.submitted, w.overdue]],
    ['overdue', 'overdue=1', (w) => [w.overdue]],
    ['words, accents and case ignored', 'q=ENERGIE', (w) => [w.eligible]],
    ['words in the porteur name', 'q=serre toulous', (w) => [w.toulouseDossier]],
    ['words matching nothing', 'q=zzzz', () => []],
    ['wave', 'waveId=WAVE', (w) => [w.submitted, w.review, w.overdue, w.eligible, w.toulouseDossier]],
  ];
  it.each(filterCases)('filter: %s (page and API agree)', async (_, query, expected) => {
    const q = query.replace('ASSIGNEE', String(w.ara.id)).replace('WAVE', String(w.waveId));
    const res = await api('GET', `/api/v1/ami/applications?${q}&perPage=100`, w.admin);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.items.map((i: { id: number }) => i.id).sort()).toEqual(expected(w).sort());
    const html = await (await get(`/instruction?${q}`, w.admin.cookie)).text();
    expect(refs(html)).toHaveLength(expected(w).length);
  });

  it('marks only the dossier past its changes due date « En retard » in the queue', async () => {
    const html = await (await get('/instruction?region=84', w.admin.cookie)).text();
    expect(html.match(/En retard depuis le/g)).toHaveLength(1);
    const row = html.split('<tr').find((r) => r.includes('En retard depuis le'))!;
    expect(refs(row)).toHaveLength(1);
    expect(refs(row)).toEqual(refs(await (await get('/instruction?overdue=1', w.admin.cookie)).text()));
  });

  it('« assignés à moi »', async () => {
    const body = await (await api('GET', '/api/v1/ami/applications?mine=1', w.ara)).json();
    expect(body.items.map((i: { id: number }) => i.id)).toEqual([w.review]);
  });

  it('sorts by each column, both ways, NULL scores last', async () => {
    const ids = async (q: string) =>
      (
        (await (await api('GET', `/api/v1/ami/applications?${q}`, w.admin)).json()).items as Array<{
          id: number;
        }>
      ).map((i) => i.id);
    expect(await ids('sort=amount&order=desc')).toEqual([
      w.eligible,
      w.submitted,
      w.overdue,
      w.review,
      w.toulouseDossier,
    ]);
    expect(await ids('sort=amount&order=asc')).toEqual([
      w.toulouseDossier,
      w.review,
      w.overdue,
      w.submitted,
      w.eligible,
    ]);
    expect((await ids('sort=score&order=desc')).slice(0, 2)).toEqual([w.eligible, w.review]);
    expect((await ids('sort=score&order=asc')).slice(0, 2)).toEqual([w.review, w.eligible]);
    expect(await ids('sort=submitted&order=desc')).toEqual([
      w.submitted,
      w.toulouseDossier,
      w.review,
      w.eligible,
      w.overdue,
    ]);
    expect(await ids('sort=reference')).toEqual([
      w.submitted,
      w.review,
      w.overdue,
      w.eligible,
      w.toulouseDossier,
    ]);
    expect((await ids('sort=status'))[0]).toBeOneOf([w.submitted, w.toulouseDossier]);
  });

  it('paginates, with the filters in every link', async () => {
    const body = await (
      await api('GET', '/api/v1/ami/applications?perPage=2&page=2&sort=amount', w.admin)
    ).json();
    expect(body).toMatchObject({ total: 5, page: 2, perPage: 2 });
    expect(body.items.map((i: { id: number }) => i.id)).toEqual([w.overdue, w.submitted]);
  });

  it('keeps the filters in the sort links and the export link; drops invalid ones and says so', async () => {
    const html = await (
      await get('/instruction?region=84&status=bogus&amountMin=abc', w.admin.cookie)
    ).text();
    expect(html).toContain('href="/instruction?region=84&amp;sort=amount&amp;order=asc"');
    expect(html).toContain('href="/instruction/export.csv?region=84"');
    expect(html).toMatch(/Ces filtres ne sont pas reconnus et sont ignorés/);
    expect(refs(html)).toHaveLength(4);
  });

  it('answers htmx with the results fragment only (Vary: HX-Request)', async () => {
    const res = await get('/instruction?status=submitted', w.admin.cookie, {
      'HX-Request': 'true',
      'HX-Request-Type': 'partial',
    });
    const html = await res.text();
    expect(res.headers.get('vary')).toContain('HX-Request');
    expect(html).not.toContain('<html');
    expect(html).toContain('2 dossiers trouvés');
  });

  it('the API is strict: 400 with a message per field', async () => {
    const res = await api('GET', '/api/v1/ami/applications?status=bogus&region=99&perPage=1000', w.admin);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(['status', 'region', 'perPage']));
  });

  it('applicants list their organisations’ dossiers (drafts included), without scores or assignee', async () => {
    const body = await (await api('GET', '/api/v1/ami/applications?perPage=100', w.applicant)).json();
    expect(body.total).toBe(6);
    expect(body.items.map((i: { id: number }) => i.id)).toContain(w.draft);
    for (const item of body.items) {
      expect(item).not.toHaveProperty('score');
      expect(item).not.toHaveProperty('assigneeId');
    }
    const none = await (await api('GET', '/api/v1/ami/applications', w.stranger)).json();
    expect(none.total).toBe(0);
  });
});

describe('staff dossier page', () => {
  it('shows the summary, every event (private ones too), the notes, the grids and the actions', async () => {
    await insertEvent(t, w.review, 'submitted', 'under_review', '2026-11-12T10:00:00Z', {
      id: w.ara.id,
      name: 'Rémi Rhônalpin',
    });
    await t.db.insert(amiNotes).values({
      applicationId: w.review,
      authorId: w.national.id,
      authorName: 'Nadia Nationale',
      body: 'Budget <script>fragile</script>',
      createdAt: '2026-11-20T10:00:00Z',
    });
    const html = await (await get(`/instruction/dossiers/${w.review}`, w.national.cookie)).text();
    expect(html).toContain('Cuisine partagée');
    expect(html).toContain('Historique');
    expect(html).toContain('Budget &lt;script&gt;fragile&lt;/script&gt;');
    expect(html).toContain('Demander des compléments');
    expect(html).toContain('Déclarer irrecevable');
    expect(html).toContain('Déclarer éligible');
    expect(html).toContain('Note moyenne : <strong>1 / 5</strong>');
    expect(html).toContain('Rémi Rhônalpin (moi)'.replace(' (moi)', ''));
  });

  it('requests changes on sections with a due date (default +15 days) and a reason, audited', async () => {
    const html = await (await get(`/instruction/dossiers/${w.review}`, w.ara.cookie)).text();
    expect(html).toContain('value="2026-12-07"');
    const version = await versionOf(w.review);
    const res = await post(`/instruction/dossiers/${w.review}/transition`, w.ara, {
      to: 'changes_requested',
      version: String(version),
      sections: ['budget', 'membres'],
      dueOn: '2026-12-10',
      reason: 'Précisez le cofinancement.',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/instruction/dossiers/${w.review}?fait=transition`);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, w.review));
    expect(row).toMatchObject({
      status: 'changes_requested',
      reopenedSections: ['budget', 'membres'],
      version: version + 1,
    });
    expect(row!.changesDueAt).toBe('2026-12-10T22:59:59.000Z');
    const events = await t.db.select().from(amiEvents).where(eq(amiEvents.applicationId, w.review));
    expect(events.at(-1)).toMatchObject({
      fromStatus: 'under_review',
      toStatus: 'changes_requested',
      reason: 'Précisez le cofinancement.',
    });
  });

  it('re-renders the form with French messages (422), values kept; a stale version is 409', async () => {
    const version = await versionOf(w.review);
    const bad = await post(`/instruction/dossiers/${w.review}/transition`, w.ara, {
      to: 'changes_requested',
      version: String(version),
      reason: '',
      dueOn: '2020-01-01',
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('<title>Erreur');
    expect(html).toContain('Choisissez la ou les sections à compléter.');
    expect(html).toContain('Indiquez le motif de cette décision.');
    const stale = await post(`/instruction/dossiers/${w.review}/transition`, w.ara, {
      to: 'eligible',
      version: String(version - 1 || 99),
    });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('Version périmée');
    const api409 = await api('POST', `/api/v1/ami/applications/${w.review}/transitions`, w.ara, {
      to: 'eligible',
      version: 99,
    });
    expect(api409.status).toBe(409);
  });

  it('select and reject are national: an instructor gets 403, an admin selects', async () => {
    const version = await versionOf(w.eligible);
    const refused = await api('POST', `/api/v1/ami/applications/${w.eligible}/transitions`, w.national, {
      to: 'selected',
      waveId: w.waveId,
      amountGranted: 90_000,
      version,
    });
    expect(refused.status).toBe(403);
    const html = await (await get(`/instruction/dossiers/${w.eligible}`, w.admin.cookie)).text();
    expect(html).toContain('Retenir dans une vague');
    const ok = await post(`/instruction/dossiers/${w.eligible}/transition`, w.admin, {
      to: 'selected',
      version: String(version),
      waveId: String(w.waveId),
      amountGranted: '90000',
    });
    expect(ok.status).toBe(303);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, w.eligible));
    expect(row).toMatchObject({ status: 'selected', amountGranted: 90_000 });
  });

  it('assigns among staff in scope (private event), refuses out-of-scope staff (422)', async () => {
    const wrong = await post(`/instruction/dossiers/${w.submitted}/attribution`, w.admin, {
      assigneeId: String(w.occitanie.id),
    });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('compétent pour cette région');
    const ok = await post(`/instruction/dossiers/${w.submitted}/attribution`, w.admin, {
      assigneeId: String(w.ara.id),
    });
    expect(ok.status).toBe(303);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, w.submitted));
    expect(row!.assigneeId).toBe(w.ara.id);
    const [event] = await t.db.select().from(amiEvents).where(eq(amiEvents.applicationId, w.submitted));
    const page = await (await get(`/instruction/dossiers/${w.submitted}`, w.admin.cookie)).text();
    expect(page).toMatch(/<strong>Attribué à Rémi Rhônalpin<\/strong> \(Alice Admin\)/);
    expect(event).toMatchObject({
      visibility: 'private',
      fromStatus: 'submitted',
      toStatus: 'submitted',
      reason: 'Attribué à Rémi Rhônalpin',
    });
  });

  it('notes: staff only, control characters refused, escaped', async () => {
    const bad = await post(`/instruction/dossiers/${w.submitted}/notes`, w.ara, { body: 'a\u0000b' });
    expect(bad.status).toBe(422);
    const empty = await api('POST', `/api/v1/ami/applications/${w.submitted}/notes`, w.ara, { body: '   ' });
    expect(empty.status).toBe(422);
    const long = await api('POST', `/api/v1/ami/applications/${w.submitted}/notes`, w.ara, {
      body: 'x'.repeat(10_001),
    });
    expect(long.status).toBe(422);
    const ok = await api('POST', `/api/v1/ami/applications/${w.submitted}/notes`, w.ara, {
      body: 'Rappeler le porteur.',
    });
    expect(ok.status).toBe(201);
    const list = await (await api('GET', `/api/v1/ami/applications/${w.submitted}/notes`, w.national)).json();
    expect(list.items.map((n: { body: string }) => n.body)).toEqual(['Rappeler le porteur.']);
  });

  it('scores: one grid per reviewer, 0–5 each, average and spread; parallel PUTs leave one grid', async () => {
    const grid = (n: number) => ({
      cooperation: n,
      pooling: n,
      anchoring: n,
      innovation: n,
      jobs: n,
      economicModel: n,
    });
    const bad = await api('PUT', `/api/v1/ami/applications/${w.submitted}/score`, w.ara, {
      ...grid(3),
      jobs: 6,
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fields).toHaveProperty('jobs');
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => api('PUT', `/api/v1/ami/applications/${w.submitted}/score`, w.ara, grid(n))),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const rows = await t.db
      .select()
      .from(amiScores)
      .where(and(eq(amiScores.applicationId, w.submitted), eq(amiScores.reviewerId, w.ara.id)));
    expect(rows).toHaveLength(1);
    await api('PUT', `/api/v1/ami/applications/${w.submitted}/score`, w.national, grid(1));
    const put = await api('PUT', `/api/v1/ami/applications/${w.submitted}/score`, w.ara, grid(4));
    expect(await put.json()).toMatchObject({ grid: { total: 4 }, average: 2.5, spread: 3, count: 2 });
    const form = await post(`/instruction/dossiers/${w.submitted}/evaluation`, w.national, {
      ...Object.fromEntries(Object.entries(grid(5)).map(([k, v]) => [k, String(v)])),
      pooling: 'abc',
    });
    expect(form.status).toBe(422);
  });

  it('bad ids are 404, never 500', async () => {
    for (const path of [
      '/instruction/dossiers/abc',
      '/instruction/dossiers/0',
      '/instruction/dossiers/999999',
    ])
      expect((await get(path, w.admin.cookie)).status).toBe(404);
    expect((await api('POST', '/api/v1/ami/applications/999999/notes', w.admin, { body: 'x' })).status).toBe(
      404,
    );
  });
});

describe('API transitions and bad input', () => {
  it('two concurrent decisions at the same version: one applies, the other is 409', async () => {
    const version = await versionOf(w.review);
    const [a, b] = await Promise.all([
      api('POST', `/api/v1/ami/applications/${w.review}/transitions`, w.ara, { to: 'eligible', version }),
      api('POST', `/api/v1/ami/applications/${w.review}/transitions`, w.national, {
        to: 'ineligible',
        reason: 'Hors champ.',
        version,
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const events = await t.db.select().from(amiEvents).where(eq(amiEvents.applicationId, w.review));
    expect(events).toHaveLength(1);
  });

  it('the applicant withdraws through the same endpoint; illegal transitions are 422', async () => {
    const version = await versionOf(w.submitted);
    const illegal = await api('POST', `/api/v1/ami/applications/${w.submitted}/transitions`, w.admin, {
      to: 'selected',
      waveId: w.waveId,
      amountGranted: 1,
      version,
    });
    expect(illegal.status).toBe(422);
    const withdraw = await api('POST', `/api/v1/ami/applications/${w.submitted}/transitions`, w.applicant, {
      to: 'withdrawn',
      version,
    });
    expect(withdraw.status).toBe(200);
    expect(await withdraw.json()).toMatchObject({ status: 'withdrawn', version: version + 1 });
  });

  it.each([
    ['unknown state', { to: 'flying', version: 1 }, 'to'],
    ['no version', { to: 'eligible' }, 'version'],
    ['a control character in the reason', { to: 'ineligible', reason: 'a\u0007b', version: 1 }, 'reason'],
    ['an oversized reason', { to: 'ineligible', reason: 'x'.repeat(5_001), version: 1 }, 'reason'],
    ['a bad due date', { to: 'changes_requested', dueAt: 'demain', version: 1 }, 'dueAt'],
  ])('422 on %s', async (_, body, field) => {
    const res = await api('POST', `/api/v1/ami/applications/${w.review}/transitions`, w.ara, body);
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields).toHaveProperty(field);
  });

  it('415 without a JSON content type; 400 on a control character in the API query, ignored on the page', async () => {
    const res = await t.app.request(`/api/v1/ami/applications/${w.review}/notes`, {
      method: 'POST',
      body: JSON.stringify({ body: 'x' }),
      headers: { authorization: w.ara.bearer, 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect((await api('GET', '/api/v1/ami/applications?q=a%00b', w.ara)).status).toBe(400);
    expect((await api('GET', `/api/v1/ami/applications?q=${'x'.repeat(201)}`, w.ara)).status).toBe(400);
    const page = await get('/instruction?q=a%00b', w.ara.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Ce filtre n’est pas reconnu et est ignoré');
  });
});

describe('bulk actions', () => {
  it('takes the ticked dossiers into review through applyTransition, one event each, reporting each outcome', async () => {
    const res = await post('/instruction/actions-groupees', w.ara, {
      action: 'take',
      ids: [String(w.submitted), String(w.review), String(w.toulouseDossier)],
      filters: 'region=84',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('1 dossier traité sur 3');
    expect(html).toContain('Dossier introuvable.');
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, w.submitted));
    expect(row).toMatchObject({ status: 'under_review', assigneeId: w.ara.id });
    const events = await t.db.select().from(amiEvents).where(eq(amiEvents.applicationId, w.submitted));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fromStatus: 'submitted', toStatus: 'under_review', actorId: w.ara.id });
    // The Toulouse dossier is out of this instructor's scope: untouched.
    const [other] = await t.db
      .select()
      .from(amiApplications)
      .where(eq(amiApplications.id, w.toulouseDossier));
    expect(other!.status).toBe('submitted');
  });

  it('assigns the whole filter', async () => {
    const res = await post('/instruction/actions-groupees', w.admin, {
      action: 'assign',
      all: '1',
      assigneeId: String(w.national.id),
      filters: 'region=84&status=submitted',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('1 dossier traité sur 1');
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, w.submitted));
    expect(row!.assigneeId).toBe(w.national.id);
  });

  it('sends one message to each dossier, emailed once per dossier to the lead’s members', async () => {
    const res = await post('/instruction/actions-groupees', w.national, {
      action: 'message',
      ids: [String(w.submitted), String(w.eligible)],
      body: 'Le comité se réunit le 15 janvier.',
    });
    expect(res.status).toBe(200);
    const messages = await t.db.select().from(amiMessages);
    expect(messages.map((m) => [m.applicationId, m.fromStaff, m.authorId])).toEqual([
      [w.submitted, true, w.national.id],
      [w.eligible, true, w.national.id],
    ]);
    const sent = await t.db.select().from(emails).where(eq(emails.to, w.applicant.email));
    expect(sent).toHaveLength(2);
    expect(sent[0]!.text).toContain('Le comité se réunit le 15 janvier.');
  });

  it('offers a message field no longer than the server accepts (5,000 characters), and refuses one over it', async () => {
    const queue = await (await get('/instruction', w.admin.cookie)).text();
    expect(queue).toMatch(
      /<textarea[^>]*name="body"[^>]*maxlength="5000"|<textarea[^>]*maxlength="5000"[^>]*name="body"/,
    );
    const long = await post('/instruction/actions-groupees', w.admin, {
      action: 'message',
      ids: [String(w.submitted)],
      body: 'x'.repeat(5_001),
    });
    expect(long.status).toBe(422);
    expect(await long.text()).toContain('5 000 caractères au plus.');
  });

  it('refuses an empty selection or an empty message (422), and members (403)', async () => {
    const none = await post('/instruction/actions-groupees', w.admin, { action: 'take' });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('Cochez au moins un dossier');
    const empty = await post('/instruction/actions-groupees', w.admin, {
      action: 'message',
      ids: [String(w.submitted)],
      body: '',
    });
    expect(empty.status).toBe(422);
    const member = await post('/instruction/actions-groupees', w.applicant, {
      action: 'take',
      ids: [String(w.submitted)],
    });
    expect(member.status).toBe(403);
  });
});

describe('dashboard', () => {
  it('counts per status, région and wave, the median time to decision, budgets and overdue corrections', async () => {
    const decided = await insertDossier(t, {
      leadOrganisationId: w.voiron.id,
      status: 'rejected',
      waveId: w.waveId,
    });
    await t.db
      .update(amiApplications)
      .set({ decidedAt: '2026-11-20T10:00:00Z' })
      .where(eq(amiApplications.id, decided));
    await insertEvent(t, decided, 'draft', 'submitted', '2026-11-10T10:00:00Z', {
      id: w.applicant.id,
      name: 'Paul',
    });
    const html = await (await get('/instruction/tableau-de-bord', w.admin.cookie)).text();
    expect(html).toContain('Dossiers par statut');
    expect(html).toContain('Auvergne-Rhône-Alpes');
    expect(html).toContain('10 jours');
    expect(html).toContain('Mobilité solidaire');
    expect(html).toContain(euros(1_500_000));
    const ara = await (await get('/instruction/tableau-de-bord', w.ara.cookie)).text();
    expect(ara).not.toContain('Occitanie</th>');
  });
});
