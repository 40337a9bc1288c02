import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { amiApplications, amiEvents, amiWaves, emails } from '../../src/db/schema.ts';
import { createDossier, createWave, scoreDossier, setStaffRegions } from '../support/ami.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createPoleViaApi } from '../support/poles.ts';

let t: TestApp;
let member: TestUser;
let instructor: TestUser;
let regional: TestUser;
let admin: TestUser;
let waveId: number;
let firstId: number;
let secondId: number;
let leadId: number;
let seeded: Awaited<ReturnType<typeof seedTemplate>>;

const HOSTILE = '<img src=x onerror=alert(1)>';

beforeAll(async () => {
  seeded = await seedTemplate(async (seed) => {
    member = await createSignedInUser(seed, { name: 'Marc Membre' });
    instructor = await createSignedInUser(seed, { role: 'instructor', name: 'Inès Instructrice' });
    regional = await createSignedInUser(seed, { role: 'instructor', name: 'Rémi Régional' });
    admin = await createSignedInUser(seed, { role: 'admin', name: 'Adèle Admin' });
    await setStaffRegions(seed, regional.id, ['11']);
    leadId = (await createOrganisation(seed, { name: 'Ressourcerie du Voironnais', owner: member })).id;
    // An earlier wave first, so that wave ids and dossier ids differ (a query mixing them up shows).
    await createWave(seed, { name: 'Vague 2025', opensOn: '2025-01-01', closesOn: '2025-06-30' });
    waveId = (await createWave(seed, { name: 'Vague automne 2026', envelope: 250_000, ceiling: 100_000 })).id;
    const first = await createDossier(seed, {
      leadOrganisationId: leadId,
      status: 'eligible',
      waveId,
      projectName: 'Recyclerie partagée',
    });
    const second = await createDossier(seed, {
      status: 'eligible',
      waveId,
      projectName: HOSTILE,
      amountRequested: 80_000,
    });
    await createDossier(seed, { status: 'under_review', waveId });
    firstId = first.id;
    secondId = second.id;
    // The second is better scored: it leads the waiting list.
    await scoreDossier(seed, first.id, instructor.id, 3);
    await scoreDossier(seed, second.id, instructor.id, 4);
    await scoreDossier(seed, second.id, admin.id, 5);
  });
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

const api = (method: string, path: string, body?: unknown, user?: TestUser) =>
  t.app.request(path, jsonRequest(method, body, user ? { authorization: user.bearer } : {}));
const page = (path: string, user?: TestUser) =>
  t.app.request(path, { headers: user ? { cookie: user.cookie } : {} });
const post = (path: string, body: Record<string, string>, user?: TestUser) =>
  t.app.request(path, formPost(body, user ? { cookie: user.cookie } : {}));

const WAVE = {
  name: 'Vague printemps 2027',
  opensAt: '2027-03-01',
  closesAt: '2027-05-31',
  envelope: 1_500_000,
  ceiling: 100_000,
};
const WAVE_FORM = { ...WAVE, envelope: '1 500 000', ceiling: '100 000 €' };

describe('rights', () => {
  const who = () => ({ anonymous: undefined, member, instructor, admin });
  const cases: Array<[string, () => Response | Promise<Response>, Record<string, number>]> = [
    [
      'waves page',
      () => page('/instruction/vagues', current),
      { anonymous: 303, member: 403, instructor: 200, admin: 200 },
    ],
    [
      'new wave form',
      () => page('/instruction/vagues/nouvelle', current),
      { anonymous: 303, member: 403, instructor: 403, admin: 200 },
    ],
    [
      'create (page)',
      () => post('/instruction/vagues', WAVE_FORM, current),
      { anonymous: 401, member: 403, instructor: 403, admin: 303 },
    ],
    [
      'wave page',
      () => page(`/instruction/vagues/${waveId}`, current),
      { anonymous: 303, member: 403, instructor: 200, admin: 200 },
    ],
    [
      'edit form',
      () => page(`/instruction/vagues/${waveId}/modifier`, current),
      { anonymous: 303, member: 403, instructor: 403, admin: 200 },
    ],
    [
      'edit (page)',
      () =>
        post(
          `/instruction/vagues/${waveId}/modifier`,
          { ...WAVE_FORM, opensAt: '2026-09-01', closesAt: '2026-12-31' },
          current,
        ),
      { anonymous: 401, member: 403, instructor: 403, admin: 303 },
    ],
    [
      'select (page)',
      () =>
        post(
          `/instruction/vagues/${waveId}/dossiers/${firstId}/retenir`,
          { amountGranted: '90 000', version: '1' },
          current,
        ),
      { anonymous: 401, member: 403, instructor: 403, admin: 303 },
    ],
    [
      'reject (page)',
      () =>
        post(
          `/instruction/vagues/${waveId}/dossiers/${firstId}/rejeter`,
          { reason: 'Classé trop bas', version: '1' },
          current,
        ),
      { anonymous: 401, member: 403, instructor: 403, admin: 303 },
    ],
    [
      'list (API)',
      () => api('GET', '/api/v1/ami/waves', undefined, current),
      { anonymous: 200, member: 200, instructor: 200, admin: 200 },
    ],
    [
      'one (API)',
      () => api('GET', `/api/v1/ami/waves/${waveId}`, undefined, current),
      { anonymous: 200, member: 200, instructor: 200, admin: 200 },
    ],
    [
      'create (API)',
      () => api('POST', '/api/v1/ami/waves', WAVE, current),
      { anonymous: 401, member: 403, instructor: 403, admin: 201 },
    ],
    [
      'change (API)',
      () =>
        api(
          'PATCH',
          `/api/v1/ami/waves/${waveId}`,
          { ...WAVE, opensAt: '2026-09-01', closesAt: '2026-12-31' },
          current,
        ),
      { anonymous: 401, member: 403, instructor: 403, admin: 200 },
    ],
  ];
  let current: TestUser | undefined;
  for (const [name, call, expected] of cases)
    for (const role of Object.keys(expected))
      it(`${name} as ${role}: ${expected[role]}`, async () => {
        current = who()[role as keyof ReturnType<typeof who>];
        const res = await call();
        expect([res.status, role]).toEqual([expected[role], role]);
      });
});

describe('creating and changing waves', () => {
  it('the page form creates a wave (amounts typed with spaces and €) and shows it', async () => {
    const res = await post('/instruction/vagues', WAVE_FORM, admin);
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/instruction\/vagues\/\d+\?message=cree$/);
    const html = await (await page(location, admin)).text();
    expect(html).toContain('Vague « Vague printemps 2027 »');
    expect(html).toContain('1\u202f500\u202f000 €');
    expect(html).toContain('Vague créée.');
    const [row] = await t.db.select().from(amiWaves).where(eq(amiWaves.name, 'Vague printemps 2027'));
    expect(row).toMatchObject({
      opensOn: '2027-03-01',
      closesOn: '2027-05-31',
      envelope: 1_500_000,
      createdBy: admin.id,
    });
  });

  it('bad input: 422 with a French message per field, values kept', async () => {
    const res = await post(
      '/instruction/vagues',
      {
        name: 'a\u0000b',
        opensAt: '2027-02-30',
        closesAt: '2027-01-01',
        envelope: 'beaucoup',
        ceiling: '-3',
      },
      admin,
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<title>Erreur — Créer une vague');
    expect(html).toContain('caractères invisibles ou de contrôle');
    expect(html).toContain('Indiquez une date valide au format AAAA-MM-JJ.');
    expect(html).toContain('value="beaucoup"');
    let again = await post('/instruction/vagues', { ...WAVE_FORM, closesAt: '2027-02-01' }, admin);
    expect(again.status).toBe(422);
    expect(await again.text()).toContain('La date de clôture doit suivre la date d’ouverture.');
    again = await post('/instruction/vagues', { ...WAVE_FORM, ceiling: '2 000 000' }, admin);
    expect(await again.text()).toContain('Le plafond par dossier ne peut pas dépasser l’enveloppe');
    again = await post('/instruction/vagues', { ...WAVE_FORM, name: 'x'.repeat(121) }, admin);
    expect(await again.text()).toContain('120 caractères');
    expect(await t.db.select().from(amiWaves)).toHaveLength(2);
  });

  it('an overlapping wave is refused: 409 naming the other wave (page and API)', async () => {
    const res = await post(
      '/instruction/vagues',
      { ...WAVE_FORM, opensAt: '2026-12-15', closesAt: '2027-01-31' },
      admin,
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('chevauchent la vague « Vague automne 2026 »');
    const json = await api(
      'POST',
      '/api/v1/ami/waves',
      { ...WAVE, opensAt: '2026-01-01', closesAt: '2026-09-01' },
      admin,
    );
    expect(json.status).toBe(409);
    expect(
      ((await json.json()) as { error: { fields: Record<string, string> } }).error.fields,
    ).toHaveProperty('opensAt');
  });

  it('two admins creating overlapping waves at once: one 201, one 409', async () => {
    const codes = await Promise.all(
      ['Vague A', 'Vague B'].map(
        async (name) => (await api('POST', '/api/v1/ami/waves', { ...WAVE, name }, admin)).status,
      ),
    );
    expect(codes.sort()).toEqual([201, 409]);
    expect(await t.db.select().from(amiWaves)).toHaveLength(3);
  });

  it('API: 422 per field (strict body, types), 404 unknown wave, 415 without JSON', async () => {
    let res = await api('POST', '/api/v1/ami/waves', { ...WAVE, envelope: '1500000', extra: 1 }, admin);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe('validation_failed');
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(['envelope']));
    res = await api('POST', '/api/v1/ami/waves', { ...WAVE, envelope: 10.5 }, admin);
    expect(res.status).toBe(422);
    res = await api('GET', '/api/v1/ami/waves/9999');
    expect(res.status).toBe(404);
    res = await api('GET', '/api/v1/ami/waves/abc');
    expect(res.status).toBe(404);
    res = await api('PATCH', '/api/v1/ami/waves/9999', WAVE, admin);
    expect(res.status).toBe(404);
    res = await t.app.request('/api/v1/ami/waves', {
      method: 'POST',
      body: JSON.stringify(WAVE),
      headers: { authorization: admin.bearer, 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
  });

  it('API create returns the wave with granted and remaining; the list has it', async () => {
    const res = await api('POST', '/api/v1/ami/waves', WAVE, admin);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ...WAVE, granted: 0, remaining: 1_500_000, open: false });
    const list = (await (await api('GET', '/api/v1/ami/waves')).json()) as { items: Array<{ name: string }> };
    expect(list.items.map((w) => w.name)).toEqual([
      'Vague printemps 2027',
      'Vague automne 2026',
      'Vague 2025',
    ]);
  });

  it('the envelope cannot fall below what is granted (409)', async () => {
    await t.db
      .update(amiApplications)
      .set({ status: 'selected', amountGranted: 100_000 })
      .where(eq(amiApplications.id, firstId));
    const res = await api(
      'PATCH',
      `/api/v1/ami/waves/${waveId}`,
      { ...WAVE, opensAt: '2026-09-01', closesAt: '2026-12-31', envelope: 99_999, ceiling: 50_000 },
      admin,
    );
    expect(res.status).toBe(409);
    const form = await post(
      `/instruction/vagues/${waveId}/modifier`,
      { ...WAVE_FORM, opensAt: '2026-09-01', closesAt: '2026-12-31', envelope: '99 999', ceiling: '50 000' },
      admin,
    );
    expect(form.status).toBe(409);
    expect(await form.text()).toContain('déjà accordé dans cette vague (100\u202f000 €)');
    const one = (await (await api('GET', `/api/v1/ami/waves/${waveId}`)).json()) as Record<string, number>;
    expect(one).toMatchObject({ envelope: 250_000, granted: 100_000, remaining: 150_000, selectedCount: 1 });
  });
});

describe('the wave page', () => {
  it('shows envelope, granted, remaining, counts per status and the waiting list by average score', async () => {
    const html = await (await page(`/instruction/vagues/${waveId}`, admin)).text();
    expect(html).toContain('250\u202f000 €');
    expect(html).toContain('Éligible : 2');
    expect(html).toContain('En instruction : 1');
    expect(html.indexOf('&lt;img src=x')).toBeGreaterThan(-1);
    expect(html).not.toContain(HOSTILE);
    // 4.5 before 3.
    expect(html.indexOf('4,5 / 5')).toBeLessThan(html.indexOf('3 / 5'));
    expect(html).toContain('Retenir');
  });

  it('instructors see it without decision forms; a regional instructor only their région’s dossiers', async () => {
    const html = await (await page(`/instruction/vagues/${waveId}`, instructor)).text();
    expect(html).toContain('Recyclerie partagée');
    expect(html).not.toContain('name="amountGranted"');
    const regionalHtml = await (await page(`/instruction/vagues/${waveId}`, regional)).text();
    expect(regionalHtml).not.toContain('Recyclerie partagée');
    expect(regionalHtml).toContain('Aucun dossier éligible');
  });

  it('staff pages are never cached (private, no-store), even the refusals', async () => {
    expect((await page('/instruction/vagues', admin)).headers.get('cache-control')).toBe('private, no-store');
    expect((await page('/instruction/vagues')).headers.get('cache-control')).toBe('private, no-store');
  });

  it('unknown or malformed wave: 404', async () => {
    expect((await page('/instruction/vagues/9999', admin)).status).toBe(404);
    expect((await page('/instruction/vagues/0x10', admin)).status).toBe(404);
    expect(
      (await post('/instruction/vagues/9999/dossiers/1/retenir', { amountGranted: '1', version: '1' }, admin))
        .status,
    ).toBe(404);
  });

  it('selecting from the page: the dossier becomes lauréat, the event recorded, the applicant emailed', async () => {
    const pole = await createPoleViaApi(t, member, leadId, 'Pôle du Voironnais');
    const res = await post(
      `/instruction/vagues/${waveId}/dossiers/${firstId}/retenir`,
      { amountGranted: '90 000', version: '1' },
      admin,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/instruction/vagues/${waveId}?message=retenu`);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, firstId));
    expect(row).toMatchObject({ status: 'selected', amountGranted: 90_000, waveId });
    const events = await t.db.select().from(amiEvents).where(eq(amiEvents.applicationId, firstId));
    expect(events).toMatchObject([{ fromStatus: 'eligible', toStatus: 'selected', actorId: admin.id }]);
    const sent = await t.db.select().from(emails);
    expect(sent.some((e) => e.to === member.email && e.subject.includes('Lauréat'))).toBe(true);
    const html = await (await page(`/instruction/vagues/${waveId}?message=retenu`, admin)).text();
    expect(html).toContain('160\u202f000 €'); // remaining
    const laureates = (await (await api('GET', '/api/v1/ami/laureats')).json()) as { items: unknown[] };
    expect(laureates.items).toMatchObject([
      {
        name: 'Pôle du Voironnais',
        poleSlug: pole.slug,
        commune: 'Voiron',
        regionName: 'Auvergne-Rhône-Alpes',
        amountGranted: 90_000,
        waveName: 'Vague automne 2026',
      },
    ]);
  });

  it('over the remaining envelope: 409 on the page with the remaining budget, values kept; stale version 409', async () => {
    await t.db.update(amiWaves).set({ envelope: 120_000 }).where(eq(amiWaves.id, waveId));
    let res = await post(
      `/instruction/vagues/${waveId}/dossiers/${secondId}/retenir`,
      { amountGranted: '80 000', version: '1' },
      admin,
    );
    expect(res.status).toBe(303);
    res = await post(
      `/instruction/vagues/${waveId}/dossiers/${firstId}/retenir`,
      { amountGranted: '50 000', version: '1' },
      admin,
    );
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('Il reste 40\u202f000 €');
    expect(html).toContain('value="50 000"');
    res = await post(
      `/instruction/vagues/${waveId}/dossiers/${firstId}/retenir`,
      { amountGranted: '40 000', version: '7' },
      admin,
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('Version périmée');
  });

  it('bad input on decisions: 422 (amount, reason, ceiling), nothing written', async () => {
    let res = await post(
      `/instruction/vagues/${waveId}/dossiers/${firstId}/retenir`,
      { amountGranted: 'cent', version: '1' },
      admin,
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('montant accordé');
    res = await post(
      `/instruction/vagues/${waveId}/dossiers/${firstId}/retenir`,
      { amountGranted: '100 001', version: '1' },
      admin,
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('plafond par dossier');
    // Under the wave's ceiling but above what the applicant asked for (80,000 €).
    res = await post(
      `/instruction/vagues/${waveId}/dossiers/${secondId}/retenir`,
      { amountGranted: '80 001', version: '1' },
      admin,
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('dépasse le montant demandé par le porteur (80\u202f000');
    res = await post(
      `/instruction/vagues/${waveId}/dossiers/${firstId}/rejeter`,
      { reason: '   ', version: '1' },
      admin,
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Indiquez le motif de la décision.');
    res = await post(
      `/instruction/vagues/${waveId}/dossiers/${firstId}/rejeter`,
      { reason: 'x', version: 'abc' },
      admin,
    );
    expect(res.status).toBe(422);
    expect(await t.db.select().from(amiEvents)).toHaveLength(0);
  });

  it('rejecting from the page records the reason, public', async () => {
    const res = await post(
      `/instruction/vagues/${waveId}/dossiers/${firstId}/rejeter`,
      { reason: 'Classé après les lauréats.', version: '1' },
      admin,
    );
    expect(res.status).toBe(303);
    const [event] = await t.db.select().from(amiEvents);
    expect(event).toMatchObject({
      toStatus: 'rejected',
      reason: 'Classé après les lauréats.',
      visibility: 'public',
    });
  });
});

describe('lauréats', () => {
  async function selectAll() {
    await t.db
      .update(amiApplications)
      .set({ status: 'selected', amountGranted: 50_000 })
      .where(eq(amiApplications.status, 'eligible'));
  }

  it('the public page lists the selected dossiers, escaped, with the wave and amount', async () => {
    await selectAll();
    const res = await page('/ami/laureats');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Lauréats (2)');
    expect(html).toContain('Recyclerie partagée');
    expect(html).toContain('&lt;img src=x');
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('Vague automne 2026');
    expect(html).toContain('50\u202f000 €');
  });

  it('paginated (page and API), filtered by wave; bad query 400', async () => {
    await selectAll();
    const one = (await (await api('GET', '/api/v1/ami/laureats?perPage=1&page=2')).json()) as {
      items: unknown[];
      total: number;
    };
    expect(one.total).toBe(2);
    expect(one.items).toHaveLength(1);
    const html = await (await page('/ami/laureats?perPage=1')).text();
    expect(html).toContain('href="/ami/laureats?page=2&amp;perPage=1"');
    const none = (await (await api('GET', `/api/v1/ami/laureats?waveId=${waveId + 1}`)).json()) as {
      total: number;
    };
    expect(none.total).toBe(0);
    expect((await api('GET', '/api/v1/ami/laureats?page=0')).status).toBe(400);
    expect((await page('/ami/laureats?perPage=1000')).status).toBe(400);
  });

  it('an empty list says so; drafts and eligible dossiers are never listed', async () => {
    const html = await (await page('/ami/laureats')).text();
    expect(html).toContain('Aucun lauréat pour le moment.');
  });
});
