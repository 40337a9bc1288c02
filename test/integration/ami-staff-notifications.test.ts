import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  amiApplications,
  amiConflicts,
  amiMessages,
  emails,
  staffNotificationSettings,
} from '../../src/db/schema.ts';
import { isOverdue, sendChangesReminders } from '../../src/features/ami/reminders.ts';
import {
  notifyStaffOfMessage,
  saveStaffSettings,
  sendStaffDigests,
} from '../../src/features/ami/staff-notify.ts';
import { applyTransition } from '../../src/features/ami/transitions.ts';
import { runScheduledJobs } from '../../src/features/jobs/scheduled.ts';
import { amiDeps, asViewer, createDossier, createWave, setStaffRegions } from '../support/ami.ts';
import { createTestApp, formPost, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';

let t: TestApp;
let applicant: TestUser;
let national: TestUser;
let regionalHere: TestUser;
let regionalElsewhere: TestUser;
let admin: TestUser;
let leadId: number;
let seeded: Awaited<ReturnType<typeof seedTemplate>>;

beforeAll(async () => {
  seeded = await seedTemplate(async (seed) => {
    applicant = await createSignedInUser(seed, { name: 'Aline Porteuse' });
    national = await createSignedInUser(seed, { role: 'instructor', name: 'Nina Nationale' });
    regionalHere = await createSignedInUser(seed, { role: 'instructor', name: 'Rémi Rhône-Alpes' });
    regionalElsewhere = await createSignedInUser(seed, { role: 'instructor', name: 'Iris Île-de-France' });
    admin = await createSignedInUser(seed, { role: 'admin', name: 'Adèle Admin' });
    await setStaffRegions(seed, regionalHere.id, ['84']);
    await setStaffRegions(seed, regionalElsewhere.id, ['11']);
    leadId = (await createOrganisation(seed, { name: 'Ressourcerie du Voironnais', owner: applicant })).id;
  });
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

const page = (path: string, user?: TestUser) =>
  t.app.request(path, { headers: user ? { cookie: user.cookie } : {} });
const post = (path: string, body: Record<string, string>, user?: TestUser) =>
  t.app.request(path, formPost(body, user ? { cookie: user.cookie } : {}));
const inbox = async () =>
  (await t.db.select().from(emails)).map((e) => ({ to: e.to, subject: e.subject, text: e.text }));
const everyone = () => [national, regionalHere, regionalElsewhere, admin];
async function choose(
  users: TestUser[],
  settings: { newDossiers: 'instant' | 'daily' | 'none'; newMessages: 'instant' | 'daily' | 'none' },
) {
  for (const u of users) await saveStaffSettings(t.db, u.id, settings, t.clock.now());
}

describe('the settings page', () => {
  it.each([
    ['anonymous', undefined, 303, 401],
    ['member', () => applicant, 403, 403],
    ['instructor', () => national, 200, 303],
    ['admin', () => admin, 200, 303],
  ] as const)('as %s: GET %i, POST %i', async (_label, user, getStatus, postStatus) => {
    expect((await page('/instruction/notifications', user?.())).status).toBe(getStatus);
    const res = await post(
      '/instruction/notifications',
      { newDossiers: 'instant', newMessages: 'none' },
      user?.(),
    );
    expect(res.status).toBe(postStatus);
  });

  it('daily digests by default; saves the choices; shows the scope', async () => {
    let html = await (await page('/instruction/notifications', regionalHere)).text();
    expect(html).toMatch(/id="newDossiers-daily"[^>]*checked/);
    expect(html).toMatch(/id="newMessages-daily"[^>]*checked/);
    expect(html).toContain('Auvergne-Rhône-Alpes');
    const res = await post(
      '/instruction/notifications',
      { newDossiers: 'instant', newMessages: 'none' },
      regionalHere,
    );
    expect(res.headers.get('location')).toBe('/instruction/notifications?ok=1');
    html = await (await page('/instruction/notifications?ok=1', regionalHere)).text();
    expect(html).toMatch(/id="newDossiers-instant"[^>]*checked/);
    expect(html).toMatch(/id="newMessages-none"[^>]*checked/);
    expect(html).toContain('Vos choix sont enregistrés.');
  });

  it('bad input: 422 with a French message, nothing saved', async () => {
    const res = await post(
      '/instruction/notifications',
      { newDossiers: 'hourly', newMessages: '\u0000' },
      national,
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Choisissez la fréquence des courriels pour les nouveaux dossiers.');
    expect(html).toContain('Choisissez la fréquence des courriels pour les messages des porteurs.');
    expect(await t.db.select().from(staffNotificationSettings)).toHaveLength(0);
  });
});

describe('instant emails', () => {
  it('a submit emails in-scope staff who chose instant: not other régions, not a declared conflict, not daily', async () => {
    await createWave(t);
    await choose(everyone(), { newDossiers: 'instant', newMessages: 'instant' });
    await saveStaffSettings(t.db, admin.id, { newDossiers: 'daily', newMessages: 'instant' }, t.clock.now());
    const d = await createDossier(t, { leadOrganisationId: leadId, projectName: 'Recyclerie <partagée>' });
    await t.db
      .insert(amiConflicts)
      .values({ applicationId: d.id, userId: national.id, declaredAt: t.clock.now().toISOString() });
    await applyTransition(amiDeps(t), asViewer(applicant), d.id, { to: 'submitted', version: 1 });
    const sent = (await inbox()).filter((e) => e.subject.includes('dossier déposé'));
    expect(sent.map((e) => e.to)).toEqual([regionalHere.email]);
    expect(sent[0]!.text).toContain('« Recyclerie <partagée> » (Ressourcerie du Voironnais)');
    expect(sent[0]!.text).toContain(`/instruction/dossiers/${d.id}`);
  });

  it('notifyStaffOfMessage: an applicant’s message to instant staff in scope; a staff message to nobody', async () => {
    await choose([national, regionalElsewhere], { newDossiers: 'none', newMessages: 'instant' });
    const d = await createDossier(t, { leadOrganisationId: leadId, status: 'under_review' });
    const n = await notifyStaffOfMessage(amiDeps(t), d, {
      fromStaff: false,
      authorName: 'Aline Porteuse',
      body: 'Voici le budget révisé.',
    });
    expect(n).toBe(1);
    const sent = await inbox();
    expect(sent.map((e) => e.to)).toEqual([national.email]);
    expect(sent[0]!.text).toContain('Voici le budget révisé.');
    expect(
      await notifyStaffOfMessage(amiDeps(t), d, { fromStaff: true, authorName: 'Nina', body: 'x' }),
    ).toBe(0);
  });
});

describe('the daily digest', () => {
  async function activity() {
    await createWave(t);
    const d = await createDossier(t, { leadOrganisationId: leadId, projectName: 'Recyclerie partagée' });
    await applyTransition(amiDeps(t), asViewer(applicant), d.id, { to: 'submitted', version: 1 });
    await t.db.insert(amiMessages).values([
      {
        applicationId: d.id,
        authorId: applicant.id,
        authorName: 'Aline Porteuse',
        fromStaff: false,
        body: 'Question',
        createdAt: t.clock.now().toISOString(),
      },
      {
        applicationId: d.id,
        authorId: national.id,
        authorName: 'Nina',
        fromStaff: true,
        body: 'Réponse',
        createdAt: t.clock.now().toISOString(),
      },
    ]);
    return d;
  }

  it('lists new dossiers and applicant messages in scope to daily staff (the default), once a day', async () => {
    const d = await activity();
    await saveStaffSettings(t.db, admin.id, { newDossiers: 'none', newMessages: 'none' }, t.clock.now());
    await t.db
      .insert(amiConflicts)
      .values({ applicationId: d.id, userId: regionalHere.id, declaredAt: t.clock.now().toISOString() });
    t.clock.advance(3600_000);
    expect(await sendStaffDigests(amiDeps(t))).toBe(1);
    const digests = (await inbox()).filter((e) => e.subject.includes('récapitulatif'));
    expect(digests.map((e) => e.to)).toEqual([national.email]);
    expect(digests[0]!.subject).toBe('AMI PTCE — récapitulatif : 1 dossier, 1 message');
    expect(digests[0]!.text).toContain(`AMI-2026-0001 « Recyclerie partagée » (Ressourcerie du Voironnais)`);
    expect(digests[0]!.text).toContain('• Aline Porteuse, dossier');
    expect(digests[0]!.text).not.toContain('Nina,');
    // Idempotent: a second run the same day sends nothing.
    expect(await sendStaffDigests(amiDeps(t))).toBe(0);
    const report = await runScheduledJobs(amiDeps(t));
    expect(report['ami-staff-digest']).toBe(0);
  });

  it('the next digest covers only what came after the last one', async () => {
    const d = await activity();
    t.clock.advance(3600_000);
    await sendStaffDigests(amiDeps(t));
    const before = (await inbox()).length;
    t.clock.advance(24 * 3600_000);
    expect(await sendStaffDigests(amiDeps(t))).toBe(0);
    await t.db.insert(amiMessages).values({
      applicationId: d.id,
      authorId: applicant.id,
      authorName: 'Aline Porteuse',
      fromStaff: false,
      body: 'Relance',
      createdAt: t.clock.now().toISOString(),
    });
    t.clock.advance(24 * 3600_000);
    await sendStaffDigests(amiDeps(t));
    const next = (await inbox()).slice(before).filter((e) => e.to === national.email);
    expect(next).toHaveLength(1);
    expect(next[0]!.subject).toBe('AMI PTCE — récapitulatif : 0 dossier, 1 message');
  });
});

describe('changes reminder', () => {
  const DAY = 86_400_000;
  it('emails the lead organisation’s members once, 3 days before the due date', async () => {
    const now = t.clock.now().getTime();
    const soon = await createDossier(t, {
      leadOrganisationId: leadId,
      status: 'changes_requested',
      changesDueAt: new Date(now + 2 * DAY).toISOString(),
    });
    await t.db
      .update(amiApplications)
      .set({ reopenedSections: ['budget'] })
      .where(eq(amiApplications.id, soon.id));
    await createDossier(t, {
      leadOrganisationId: leadId,
      status: 'changes_requested',
      changesDueAt: new Date(now + 5 * DAY).toISOString(),
    });
    await createDossier(t, {
      leadOrganisationId: leadId,
      status: 'changes_requested',
      changesDueAt: new Date(now - DAY).toISOString(),
    });
    await createDossier(t, {
      leadOrganisationId: leadId,
      status: 'under_review',
      changesDueAt: new Date(now + DAY).toISOString(),
    });
    expect(await sendChangesReminders(amiDeps(t))).toBe(1);
    const [mail] = (await inbox()).filter((e) => e.subject.includes('compléments attendus'));
    expect(mail).toMatchObject({ to: applicant.email });
    expect(mail!.text).toContain('Sections à compléter : Budget.');
    expect(mail!.text).toContain(`/ami/dossiers/${soon.id}`);
    expect(await sendChangesReminders(amiDeps(t))).toBe(0);
    t.clock.advance(DAY);
    expect(await sendChangesReminders(amiDeps(t))).toBe(0);
    // A new request for changes (a new due date) gets its own reminder.
    await t.db
      .update(amiApplications)
      .set({ changesDueAt: new Date(now + 3.5 * DAY).toISOString() })
      .where(eq(amiApplications.id, soon.id));
    expect(await sendChangesReminders(amiDeps(t))).toBe(1);
  });

  it('isOverdue: changes requested and past the due date only', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    expect(isOverdue({ status: 'changes_requested', changesDueAt: '2026-11-22T09:59:59Z' }, now)).toBe(true);
    expect(isOverdue({ status: 'changes_requested', changesDueAt: '2026-11-22T10:00:01Z' }, now)).toBe(false);
    expect(isOverdue({ status: 'changes_requested', changesDueAt: null }, now)).toBe(false);
    expect(isOverdue({ status: 'under_review', changesDueAt: '2026-11-01T00:00:00Z' }, now)).toBe(false);
  });
});
