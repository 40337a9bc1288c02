import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  amiApplications,
  amiAttachments,
  amiConflicts,
  amiEvents,
  amiMessages,
  amiReferenceCounters,
  amiScores,
  emails,
} from '../../src/db/schema.ts';
import { checkAttachment } from '../../src/features/ami/attachment-files.ts';
import { storeAttachment } from '../../src/features/ami/attachments.ts';
import { saveStaffSettings } from '../../src/features/ami/staff-notify.ts';
import { applyTransition } from '../../src/features/ami/transitions.ts';
import { Conflict } from '../../src/lib/errors.ts';
import { amiDeps, asViewer, createDossier } from '../support/ami.ts';
import { minimalPdf, storedFilesIn } from '../support/ami-files.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import type { TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import {
  addMember,
  type InstructionWorld,
  insertDossier,
  insertScore,
  seedInstructionWorld,
} from '../support/instruction.ts';

/**
 * Regression tests of the hostile review of the AMI (issue 9) and partner matching (issue 10):
 * each block names the defect it proves fixed.
 */

interface World extends InstructionWorld {
  /** Voiron (84): submitted, eligible (scored 5), selected-wave eligible scored 1. */
  submitted: number;
  eligibleHigh: number;
  eligibleLow: number;
  /** Toulouse (76): eligible. */
  toulouseEligible: number;
}

let seeded: Awaited<ReturnType<typeof seedTemplate<World>>>;
let t: TestApp;
let w: World;

beforeAll(async () => {
  seeded = await seedTemplate(async (t) => {
    const base = await seedInstructionWorld(t);
    const day = (d: number) => new Date(Date.parse('2026-11-22T10:00:00Z') - d * 86_400_000).toISOString();
    // The national instructor is also an editor of the Voiron lead organisation.
    await addMember(t, base.voiron.id, base.applicant, base.national, 'editor');
    const submitted = await insertDossier(t, {
      leadOrganisationId: base.voiron.id,
      projectName: 'Recyclerie',
      waveId: base.waveId,
      submittedAt: day(3),
    });
    const eligibleHigh = await insertDossier(t, {
      leadOrganisationId: base.voiron.id,
      status: 'eligible',
      projectName: 'Énergie citoyenne',
      waveId: base.waveId,
      submittedAt: day(20),
    });
    const eligibleLow = await insertDossier(t, {
      leadOrganisationId: base.voiron.id,
      status: 'eligible',
      projectName: 'Cuisine partagée',
      waveId: base.waveId,
      submittedAt: day(10),
    });
    const toulouseEligible = await insertDossier(t, {
      leadOrganisationId: base.toulouse.id,
      status: 'eligible',
      projectName: 'Serre maraîchère',
      waveId: base.waveId,
      submittedAt: day(5),
    });
    await insertScore(t, eligibleHigh, base.ara.id, [5, 5, 5, 5, 5, 5]);
    await insertScore(t, eligibleLow, base.ara.id, [1, 1, 1, 1, 1, 1]);
    return { ...base, submitted, eligibleHigh, eligibleLow, toulouseEligible };
  });
  w = seeded.world;
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

const api = (method: string, path: string, user: TestUser, body?: unknown) =>
  t.app.request(path, jsonRequest(method, body, { authorization: user.bearer }));
const page = (path: string, user: TestUser) => t.app.request(path, { headers: { cookie: user.cookie } });
const post = (path: string, body: Record<string, string | string[]>, user: TestUser) =>
  t.app.request(path, formPost(body, { cookie: user.cookie }));
const version = async (id: number) =>
  (await t.db.select().from(amiApplications).where(eq(amiApplications.id, id)))[0]!.version;
const grid = (n: number) => ({
  cooperation: n,
  pooling: n,
  anchoring: n,
  innovation: n,
  jobs: n,
  economicModel: n,
});

describe('staff who are members of the lead organisation (an undeclared conflict of interest)', () => {
  it('may read the dossier but neither score, take, decide nor assign it', async () => {
    expect((await page(`/instruction/dossiers/${w.submitted}`, w.national)).status).toBe(200);
    const score = await api('PUT', `/api/v1/ami/applications/${w.submitted}/score`, w.national, grid(5));
    expect(score.status).toBe(403);
    expect(((await score.json()) as { error: { message: string } }).error.message).toContain('conflit');
    const take = await api('POST', `/api/v1/ami/applications/${w.submitted}/transitions`, w.national, {
      to: 'under_review',
      version: await version(w.submitted),
    });
    expect(take.status).toBe(403);
    const assign = await api('POST', `/api/v1/ami/applications/${w.submitted}/assign`, w.national, {
      assigneeId: w.national.id,
    });
    expect(assign.status).toBe(403);
    const form = await post(
      `/instruction/dossiers/${w.submitted}/evaluation`,
      Object.fromEntries(Object.entries(grid(5)).map(([k, v]) => [k, String(v)])),
      w.national,
    );
    expect(form.status).toBe(403);
    expect(await t.db.select().from(amiScores).where(eq(amiScores.applicationId, w.submitted))).toEqual([]);
    expect(await t.db.select().from(amiEvents).where(eq(amiEvents.applicationId, w.submitted))).toEqual([]);
  });

  it('is never offered nor accepted as the assignee (by another staff member, one at a time or in bulk)', async () => {
    const html = await (await page(`/instruction/dossiers/${w.submitted}`, w.admin)).text();
    expect(html).not.toContain(`value="${w.national.id}"`);
    const assign = await api('POST', `/api/v1/ami/applications/${w.submitted}/assign`, w.admin, {
      assigneeId: w.national.id,
    });
    expect(assign.status).toBe(422);
    const bulk = await post(
      '/instruction/actions-groupees',
      { action: 'assign', ids: [String(w.submitted)], assigneeId: String(w.national.id) },
      w.admin,
    );
    expect(bulk.status).toBe(200);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, w.submitted));
    expect(row!.assigneeId).toBeNull();
  });

  it('still acts as the applicant (withdraw)', async () => {
    const res = await api('POST', `/api/v1/ami/applications/${w.submitted}/transitions`, w.national, {
      to: 'withdrawn',
      version: await version(w.submitted),
    });
    expect(res.status).toBe(200);
  });
});

describe('the wave page of a regional instructor', () => {
  it('counts only the dossiers of their régions (like the dashboard), admins every one', async () => {
    const national = await (await page(`/instruction/vagues/${w.waveId}`, w.admin)).text();
    expect(national).toContain('Éligible : 3');
    expect(national).toContain('Déposé : 1');
    const occitanie = await (await page(`/instruction/vagues/${w.waveId}`, w.occitanie)).text();
    expect(occitanie).toContain('Éligible : 1');
    expect(occitanie).toContain('Déposé : 0');
    const ara = await (await page(`/instruction/vagues/${w.waveId}`, w.ara)).text();
    expect(ara).toContain('Éligible : 2');
  });
});

describe('an applicant’s list of dossiers in the API', () => {
  it('cannot be sorted or filtered by the hidden scores (the order would reveal them)', async () => {
    const ids = async (query: string) => {
      const res = await api('GET', `/api/v1/ami/applications?status=eligible${query}`, w.applicant);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: Array<{ id: number; score?: unknown }> };
      expect(body.items.every((i) => i.score === undefined)).toBe(true);
      return body.items.map((i) => i.id);
    };
    // Submitted: high 20 days ago, low 10 days ago; scores: high 5, low 1.
    const plain = await ids('');
    expect(plain).toEqual([w.eligibleLow, w.eligibleHigh]);
    expect(await ids('&sort=score&order=desc')).toEqual(plain);
    expect(await ids('&sort=score&order=asc')).toEqual(plain);
    // Staff do sort by score.
    const staff = await api('GET', '/api/v1/ami/applications?status=eligible&sort=score&order=desc', w.ara);
    const staffIds = ((await staff.json()) as { items: Array<{ id: number }> }).items.map((i) => i.id);
    expect(staffIds.indexOf(w.eligibleHigh)).toBeLessThan(staffIds.indexOf(w.eligibleLow));
  });
});

describe('hostile input on the AMI API: a 4xx with French messages, never a 500', () => {
  const cases: Array<[string, string, string, unknown]> = [
    ['array body on transitions', 'POST', 'transitions', []],
    ['null body on transitions', 'POST', 'transitions', null],
    ['string body on score', 'PUT', 'score', 'abc'],
    ['huge score', 'PUT', 'score', { ...grid(1), cooperation: 1e308 }],
    ['prototype key', 'POST', 'transitions', { to: '__proto__', version: 1 }],
    ['huge version', 'POST', 'transitions', { to: 'under_review', version: 1e300 }],
    ['negative version', 'POST', 'transitions', { to: 'under_review', version: -1 }],
    ['control characters in a note', 'POST', 'notes', { body: 'a\u0000b\u001b[31m' }],
    ['assignee as object', 'POST', 'assign', { assigneeId: { id: 1 } }],
    ['huge assignee', 'POST', 'assign', { assigneeId: 1e300 }],
    ['conflict note as number', 'POST', 'conflict', { note: 42 }],
    [
      'sections as string',
      'POST',
      'transitions',
      { to: 'changes_requested', version: 1, sections: 'budget' },
    ],
    ['waveId huge', 'POST', 'transitions', { to: 'selected', version: 1, waveId: 1e300, amountGranted: 1 }],
  ];
  it.each(cases)('%s', async (_label, method, action, body) => {
    const res = await api(method, `/api/v1/ami/applications/${w.submitted}/${action}`, w.admin, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const json = (await res.json()) as { error: { message: string } };
    expect(json.error.message).toMatch(/[a-zà-ÿ]/i);
  });

  it.each([
    '/api/v1/ami/applications/0',
    '/api/v1/ami/applications/99999999999999999999',
    '/api/v1/ami/applications/1e3',
    '/api/v1/ami/applications/-1/notes',
    '/api/v1/ami/applications/abc/scores',
    '/api/v1/ami/applications/1/attachments/abc',
    '/api/v1/ami/applications?page=1e9',
    '/api/v1/ami/applications?perPage=-5',
    '/api/v1/ami/applications?amountMin=1e400',
    '/api/v1/ami/applications.csv?waveId=99999999999999999999',
  ])('GET %s', async (path) => {
    const res = await api('GET', path, w.admin);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('a scoring grid with a blank or non-numeric criterion', () => {
  it.each([
    ['null', null],
    ['empty string', ''],
    ['true', true],
    ['array', [3]],
  ])('API: %s is refused (422 on the field), not saved as a number', async (_label, value) => {
    const res = await api('PUT', `/api/v1/ami/applications/${w.eligibleHigh}/score`, w.admin, {
      ...grid(4),
      jobs: value,
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields.jobs).toBe('Une note de 0 à 5.');
  });

  it('page form: a blank criterion comes back with its error, nothing saved as 0', async () => {
    const values = {
      ...Object.fromEntries(Object.entries(grid(4)).map(([k, v]) => [k, String(v)])),
      jobs: ' ',
    };
    const res = await post(`/instruction/dossiers/${w.eligibleHigh}/evaluation`, values, w.admin);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Une note de 0 à 5.');
    const grids = await t.db.select().from(amiScores).where(eq(amiScores.applicationId, w.eligibleHigh));
    expect(grids.map((g) => g.reviewerId)).toEqual([w.ara.id]);
    const ok = await post(
      `/instruction/dossiers/${w.eligibleHigh}/evaluation`,
      { ...values, jobs: ' 3 ' },
      w.admin,
    );
    expect(ok.status).toBe(303);
  });
});

describe('the lead organisation of a submitted dossier', () => {
  it('no longer changes, even with « porteur » reopened (it moved the dossier to another région, unaudited)', async () => {
    const other = await createOrganisation(t, {
      name: 'Autre structure',
      communeCode: '31555',
      owner: w.applicant,
    });
    const id = await insertDossier(t, {
      leadOrganisationId: w.voiron.id,
      status: 'changes_requested',
      reopenedSections: ['porteur'],
      changesDueAt: '2027-01-31T22:59:59.000Z',
    });
    const res = await api('PATCH', `/api/v1/ami/applications/${id}`, w.applicant, {
      version: await version(id),
      leadOrganisationId: other.id,
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields.leadOrganisationId).toMatch(/déposé/);
    const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, id));
    expect(row).toMatchObject({ leadOrganisationId: w.voiron.id, region: '84' });
    // The same organisation again is no change: accepted.
    const same = await api('PATCH', `/api/v1/ami/applications/${id}`, w.applicant, {
      version: await version(id),
      leadOrganisationId: w.voiron.id,
    });
    expect(same.status).toBe(200);
  });
});

describe('a piece stored after the dossier stopped being editable (an upload racing the submit)', () => {
  it('is refused in the INSERT itself (409), its file removed; a reopened « pièces » still takes it', async () => {
    const file = await checkAttachment(minimalPdf(), 'budget.pdf');
    const store = (applicationId: number) =>
      storeAttachment(
        { db: t.db, storage: t.storage },
        { applicationId, messageId: null, uploadedBy: w.applicant.id },
        file,
        t.clock.now(),
      );
    // The upload checked the draft's rights, then the submit committed before its INSERT.
    await expect(store(w.submitted)).rejects.toBeInstanceOf(Conflict);
    expect(
      await t.db.select().from(amiAttachments).where(eq(amiAttachments.applicationId, w.submitted)),
    ).toEqual([]);
    expect(storedFilesIn(t.filesFolder)).toEqual([]);
    const reopened = await insertDossier(t, {
      leadOrganisationId: w.voiron.id,
      status: 'changes_requested',
      reopenedSections: ['pieces'],
    });
    expect((await store(reopened)).applicationId).toBe(reopened);
    const budgetOnly = await insertDossier(t, {
      leadOrganisationId: w.voiron.id,
      status: 'changes_requested',
      reopenedSections: ['budget'],
    });
    await expect(store(budgetOnly)).rejects.toBeInstanceOf(Conflict);
  });
});

describe('multipart oddities on the AMI upload and message API', () => {
  const draft = async () =>
    insertDossier(t, { leadOrganisationId: w.voiron.id, status: 'draft', projectName: 'Brouillon' });
  it.each([
    ['no boundary', 'multipart/form-data', 'x'],
    [
      'wrong boundary',
      'multipart/form-data; boundary=zz',
      '--yy\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--yy--\r\n',
    ],
    [
      'file as a plain field',
      'multipart/form-data; boundary=zz',
      '--zz\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--zz--\r\n',
    ],
    [
      'truncated',
      'multipart/form-data; boundary=zz',
      '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF',
    ],
    ['JSON sent as multipart', 'multipart/form-data; boundary=zz', '{"file":1}'],
  ])('attachment upload with %s: 4xx', async (_label, type, body) => {
    const id = await draft();
    for (const path of [
      `/api/v1/ami/applications/${id}/attachments`,
      `/api/v1/ami/applications/${w.submitted}/messages`,
    ]) {
      const res = await t.app.request(path, {
        method: 'POST',
        body,
        headers: { 'content-type': type, authorization: w.applicant.bearer },
      });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});

describe('hostile page forms: 4xx, never a 500', () => {
  const many = Array.from({ length: 600 }, (_, i) => String(i + 1));
  it.each([
    ['transition to an unknown state', 'transition', { to: 'hacked', version: '1' }],
    ['transition with a text version', 'transition', { to: 'under_review', version: 'abc' }],
    [
      'selection with a huge amount',
      'transition',
      { to: 'selected', version: '1', waveId: '1', amountGranted: '1e400' },
    ],
    [
      'selection with a negative wave',
      'transition',
      { to: 'selected', version: '1', waveId: '-1', amountGranted: '10' },
    ],
    [
      'changes with a bad date',
      'transition',
      { to: 'changes_requested', version: '1', reason: 'x', sections: 'budget', dueOn: '2026-02-31' },
    ],
    ['assignment to text', 'attribution', { assigneeId: 'abc' }],
    ['note with control characters', 'notes', { body: '\u0000\u0007' }],
    ['conflict without confirmation', 'conflit', { note: 'x' }],
  ] as const)('%s', async (_label, action, body) => {
    const res = await post(
      `/instruction/dossiers/${w.submitted}/${action}`,
      body as Record<string, string>,
      w.admin,
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it.each([
    ['unknown action', { action: 'delete', ids: ['1'] }],
    ['text ids', { action: 'take', ids: ['abc'] }],
    ['601 ids', { action: 'take', ids: many }],
    ['huge id', { action: 'take', ids: ['99999999999999999999'] }],
    ['message without body', { action: 'message', ids: ['1'] }],
    ['nothing selected', { action: 'take' }],
  ] as const)('bulk: %s', async (_label, body) => {
    const res = await post(
      '/instruction/actions-groupees',
      body as Record<string, string | string[]>,
      w.admin,
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('bulk on another région’s dossiers by id: refused one by one, nothing revealed, nothing changed', async () => {
    const res = await post(
      '/instruction/actions-groupees',
      { action: 'take', ids: [String(w.submitted), '999999'] },
      w.occitanie,
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('Recyclerie');
    expect(await t.db.select().from(amiEvents).where(eq(amiEvents.applicationId, w.submitted))).toEqual([]);
  });
});

describe('the wave page of an admin who is a member of a lead organisation', () => {
  it('offers no decision on that organisation’s dossiers (the decision would be refused)', async () => {
    await addMember(t, w.toulouse.id, w.admin, w.admin, 'owner');
    const html = await (await page(`/instruction/vagues/${w.waveId}`, w.admin)).text();
    expect(html).not.toContain(`/dossiers/${w.toulouseEligible}/retenir`);
    expect(html).toContain(`/dossiers/${w.eligibleHigh}/retenir`);
    expect(html).toContain('Conflit d’intérêts : vous ne pouvez pas décider.');
  });
});

describe('staff with a declared conflict of interest and the applicant’s messages', () => {
  it('may read them but not write to the applicant, one at a time or in bulk', async () => {
    await t.db.insert(amiConflicts).values({
      applicationId: w.submitted,
      userId: w.ara.id,
      note: null,
      declaredAt: t.clock.now().toISOString(),
    });
    const one = await api('POST', `/api/v1/ami/applications/${w.submitted}/messages`, w.ara, {
      body: 'Bonjour',
    });
    expect(one.status).toBe(403);
    expect(((await one.json()) as { error: { message: string } }).error.message).toContain('conflit');
    const form = await post(`/instruction/dossiers/${w.submitted}/messages`, { body: 'Bonjour' }, w.ara);
    expect(form.status).toBe(403);
    const bulk = await post(
      '/instruction/actions-groupees',
      { action: 'message', ids: [String(w.submitted), String(w.eligibleHigh)], body: 'Bonjour à tous' },
      w.ara,
    );
    expect(bulk.status).toBe(200);
    const rows = await t.db.select().from(amiMessages);
    expect(rows.map((m) => m.applicationId)).toEqual([w.eligibleHigh]);
    const html = await (await page(`/instruction/dossiers/${w.submitted}`, w.ara)).text();
    expect(html).not.toContain(`action="/instruction/dossiers/${w.submitted}/messages"`);
    expect((await api('GET', `/api/v1/ami/applications/${w.submitted}/messages`, w.ara)).status).toBe(200);
  });
});

describe('hostile dossier PATCH bodies: 4xx, never a 500, nothing saved', () => {
  it.each([
    ['huge amount', { amountRequested: 1e308 }],
    ['negative jobs', { jobsCurrent: -1 }],
    ['fractional jobs', { jobsPlanned: 1.5 }],
    ['unknown stage', { stage: 'mature' }],
    ['territory as array', { territory: [] }],
    ['members as object', { members: { 0: { name: 'x' } } }],
    ['cofunding with a huge amount', { cofunding: [{ funder: 'Région', amount: 1e300 }] }],
    ['control characters', { projectName: 'Projet\u0000\u001b[2J' }],
    ['unknown field', { status: 'selected' }],
    ['reference forged', { reference: 'AMI-2026-0001' }],
    ['amount granted forged', { amountGranted: 100000 }],
    ['a thousand members', { members: Array.from({ length: 1000 }, () => ({ name: 'x' })) }],
  ])('%s', async (_label, patch) => {
    const id = await insertDossier(t, {
      leadOrganisationId: w.voiron.id,
      status: 'draft',
      projectName: 'Avant',
    });
    const before = (await t.db.select().from(amiApplications).where(eq(amiApplications.id, id)))[0]!;
    const res = await api('PATCH', `/api/v1/ami/applications/${id}`, w.applicant, {
      version: before.version,
      ...patch,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/[a-zà-ÿ]/i);
    const after = (await t.db.select().from(amiApplications).where(eq(amiApplications.id, id)))[0]!;
    expect(after).toEqual(before);
  });
});

it('a line break in a one-line field (later an email subject) is saved as a space', async () => {
  const id = await insertDossier(t, { leadOrganisationId: w.voiron.id, status: 'draft' });
  const res = await api('PATCH', `/api/v1/ami/applications/${id}`, w.applicant, {
    version: await version(id),
    projectName: 'Projet\r\nBcc: x@example.org',
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { projectName: string }).projectName).toBe('Projet Bcc: x@example.org');
});

describe('a reviewer who declares a conflict of interest after scoring', () => {
  it('no longer weighs on the average (their grid is withdrawn with the declaration)', async () => {
    const before = (await (
      await api('GET', `/api/v1/ami/applications/${w.eligibleHigh}/scores`, w.admin)
    ).json()) as {
      count: number;
      average: number | null;
    };
    expect(before).toMatchObject({ count: 1, average: 5 });
    const res = await api('POST', `/api/v1/ami/applications/${w.eligibleHigh}/conflict`, w.ara, {
      note: 'Ancien salarié',
    });
    expect(res.status).toBe(201);
    const after = (await (
      await api('GET', `/api/v1/ami/applications/${w.eligibleHigh}/scores`, w.admin)
    ).json()) as {
      count: number;
      average: number | null;
    };
    expect(after).toMatchObject({ count: 0, average: null });
    const queue = (await (
      await api('GET', '/api/v1/ami/applications?status=eligible&sort=score&order=desc', w.admin)
    ).json()) as { items: Array<{ id: number; score: { average: number | null } }> };
    expect(queue.items.find((i) => i.id === w.eligibleHigh)?.score.average).toBeNull();
  });
});

describe('a bulk message by staff who are members of a selected dossier’s lead organisation', () => {
  it('skips that dossier (it was posted as the applicant’s own message to the staff)', async () => {
    const res = await post(
      '/instruction/actions-groupees',
      { action: 'message', ids: [String(w.submitted), String(w.toulouseEligible)], body: 'Rappel' },
      w.national,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('conflit d’intérêts');
    const rows = await t.db.select().from(amiMessages);
    expect(rows.map((m) => [m.applicationId, m.fromStaff])).toEqual([[w.toulouseEligible, true]]);
  });
});

describe('staff emails about a dossier of their own organisation', () => {
  it('are not sent to staff who are members of its lead organisation (in conflict)', async () => {
    for (const u of [w.national, w.ara])
      await saveStaffSettings(t.db, u.id, { newDossiers: 'instant', newMessages: 'instant' }, t.clock.now());
    // The fixtures' references are written by hand: the counter starts past them.
    await t.db.insert(amiReferenceCounters).values({ year: 2026, last: 100 });
    const d = await createDossier(t, { leadOrganisationId: w.voiron.id, projectName: 'Atelier vélo' });
    await applyTransition(amiDeps(t), asViewer(w.applicant), d.id, { to: 'submitted', version: d.version });
    const sent = (await t.db.select().from(emails)).filter((e) => e.subject.includes('dossier déposé'));
    expect(sent.map((e) => e.to)).toEqual([w.ara.email]);
  });
});
