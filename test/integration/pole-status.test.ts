import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { poleStatusEvents, poles } from '../../src/db/schema.ts';
import { applyTransition } from '../../src/features/ami/transitions.ts';
import { amiDeps, asViewer, createDossier, createWave } from '../support/ami.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createPoleViaApi } from '../support/poles.ts';

let t: TestApp;
let coordinator: TestUser;
let outsider: TestUser;
let instructor: TestUser;
let admin: TestUser;
let orgId: number;
let pole: { id: number; slug: string };
let seeded: Awaited<ReturnType<typeof seedTemplate>>;

beforeAll(async () => {
  seeded = await seedTemplate(async (seed) => {
    coordinator = await createSignedInUser(seed, { name: 'Claire Coordinatrice' });
    outsider = await createSignedInUser(seed, { name: 'Omar Extérieur' });
    instructor = await createSignedInUser(seed, { role: 'instructor', name: 'Inès Instructrice' });
    admin = await createSignedInUser(seed, { role: 'admin', name: 'Adèle Admin' });
    orgId = (await createOrganisation(seed, { name: 'Ressourcerie', owner: coordinator })).id;
    pole = await createPoleViaApi(seed, coordinator, orgId, 'Pôle du Voironnais');
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
const CHANGE = { status: 'established', reason: 'Deux ans d’activité, dix membres actifs.', version: 1 };

describe('rights', () => {
  const users = () => ({ anonymous: undefined, outsider, coordinator, instructor, admin });
  const cases: Array<[string, () => Response | Promise<Response>, Record<string, number>]> = [
    [
      'change (API)',
      () => api('POST', `/api/v1/poles/${pole.id}/status`, CHANGE, current),
      { anonymous: 401, outsider: 403, coordinator: 403, instructor: 200, admin: 200 },
    ],
    [
      'change (page)',
      () => post(`/poles/${pole.slug}/statut`, { ...CHANGE, version: '1' }, current),
      { anonymous: 401, outsider: 403, coordinator: 403, instructor: 303, admin: 303 },
    ],
    [
      'history (API)',
      () => api('GET', `/api/v1/poles/${pole.id}/status-events`, undefined, current),
      { anonymous: 200, outsider: 200, coordinator: 200, instructor: 200, admin: 200 },
    ],
  ];
  let current: TestUser | undefined;
  for (const [name, call, expected] of cases)
    for (const role of Object.keys(expected))
      it(`${name} as ${role}: ${expected[role]}`, async () => {
        current = users()[role as keyof ReturnType<typeof users>];
        const res = await call();
        expect([res.status, role]).toEqual([expected[role], role]);
        const [row] = await t.db.select().from(poles).where(eq(poles.id, pole.id));
        if (!name.startsWith('history'))
          expect(row!.status).toBe(expected[role]! < 400 ? 'established' : 'emerging');
      });
});

describe('changing the status', () => {
  it('records the change with its reason and actor, shown on the pôle page (actor to staff only)', async () => {
    const res = await api('POST', `/api/v1/poles/${pole.id}/status`, CHANGE, instructor);
    expect(await res.json()).toMatchObject({ status: 'established', version: 2 });
    const events = await t.db.select().from(poleStatusEvents).where(eq(poleStatusEvents.poleId, pole.id));
    expect(events).toMatchObject([
      { fromStatus: 'emerging', toStatus: 'established', reason: CHANGE.reason, actorId: instructor.id },
    ]);
    const publicHtml = await (await page(`/poles/${pole.slug}`)).text();
    expect(publicHtml).toContain('Statut et historique');
    expect(publicHtml).toContain('Deux ans d’activité');
    expect(publicHtml).not.toContain('par Inès Instructrice');
    expect(publicHtml).not.toContain('action="/poles/');
    const staffHtml = await (await page(`/poles/${pole.slug}`, admin)).text();
    expect(staffHtml).toContain('par Inès Instructrice');
    expect(staffHtml).toContain('Changer le statut');
    const history = (await (await api('GET', `/api/v1/poles/${pole.id}/status-events`)).json()) as {
      items: object[];
    };
    expect(history.items).toEqual([expect.not.objectContaining({ actorName: expect.anything() })]);
    const staffHistory = (await (
      await api('GET', `/api/v1/poles/${pole.id}/status-events`, undefined, admin)
    ).json()) as { items: object[] };
    expect(staffHistory.items).toMatchObject([{ actorName: 'Inès Instructrice' }]);
  });

  it('bad input: laureate by hand, same status, no reason, control characters, unknown status: 422; nothing written', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...CHANGE, status: 'laureate' }, 'status', /sélection d’un dossier/],
      [{ ...CHANGE, status: 'emerging' }, 'status', /déjà le statut/],
      [{ ...CHANGE, reason: '  ' }, 'reason', /motif/],
      [{ ...CHANGE, reason: 'a\u202eb' }, 'reason', /caractères invisibles/],
      [{ ...CHANGE, reason: 'x'.repeat(1001) }, 'reason', /1 000 caractères/],
      [{ ...CHANGE, status: 'king' }, 'status', /Choisissez le nouveau statut/],
      [{ status: 'established', reason: 'ok' }, 'version', /version/],
    ];
    for (const [body, field, message] of cases) {
      const res = await api('POST', `/api/v1/poles/${pole.id}/status`, body, admin);
      expect([res.status, field]).toEqual([422, field]);
      const json = (await res.json()) as { error: { fields: Record<string, string> } };
      expect(json.error.fields[field]).toMatch(message);
    }
    const form = await post(
      `/poles/${pole.slug}/statut`,
      { status: 'laureate', reason: '', version: '1' },
      admin,
    );
    expect(form.status).toBe(422);
    const html = await form.text();
    expect(html).toContain('sélection d’un dossier');
    expect(html).toContain('Indiquez le motif du changement.');
    expect(await t.db.select().from(poleStatusEvents)).toHaveLength(0);
  });

  it('stale version: 409 (API and page), unknown pôle: 404', async () => {
    await api('POST', `/api/v1/poles/${pole.id}/status`, CHANGE, admin);
    const res = await api(
      'POST',
      `/api/v1/poles/${pole.id}/status`,
      { ...CHANGE, status: 'emerging' },
      admin,
    );
    expect(res.status).toBe(409);
    const form = await post(
      `/poles/${pole.slug}/statut`,
      { status: 'emerging', reason: 'Retour', version: '1' },
      admin,
    );
    expect(form.status).toBe(409);
    expect(await form.text()).toContain('Version périmée');
    expect((await api('POST', '/api/v1/poles/99999/status', CHANGE, admin)).status).toBe(404);
    expect((await post('/poles/inconnu/statut', { ...CHANGE, version: '1' }, admin)).status).toBe(404);
    expect((await api('GET', '/api/v1/poles/99999/status-events')).status).toBe(404);
    expect(await t.db.select().from(poleStatusEvents)).toHaveLength(1);
  });

  it('two concurrent changes at the same version: one applies, one history row', async () => {
    const codes = await Promise.all([
      Promise.resolve(api('POST', `/api/v1/poles/${pole.id}/status`, CHANGE, admin)).then((r) => r.status),
      Promise.resolve(api('POST', `/api/v1/poles/${pole.id}/status`, CHANGE, instructor)).then(
        (r) => r.status,
      ),
    ]);
    expect(codes.sort()).toEqual([200, 409]);
    expect(await t.db.select().from(poleStatusEvents)).toHaveLength(1);
  });

  it('a selection makes the pôle lauréat, in its history; the form then offers only the other statuses', async () => {
    const wave = await createWave(t, { name: 'Vague automne 2026' });
    const d = await createDossier(t, { leadOrganisationId: orgId, status: 'eligible', waveId: wave.id });
    await applyTransition(amiDeps(t), asViewer(admin, 'admin', 'Adèle Admin'), d.id, {
      to: 'selected',
      version: 1,
      waveId: wave.id,
      amountGranted: 100_000,
    });
    const html = await (await page(`/poles/${pole.slug}`, admin)).text();
    expect(html).toContain('Dossier retenu : vague « Vague automne 2026 »');
    expect(html).not.toContain('<option value="laureate"');
  });
});
