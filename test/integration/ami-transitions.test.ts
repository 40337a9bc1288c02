import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { amiApplications, amiConflicts, amiEvents, poleStatusEvents, poles } from '../../src/db/schema.ts';
import { staffScopeSql } from '../../src/features/ami/access.ts';
import { applyTransition, remainingBudget } from '../../src/features/ami/transitions.ts';
import type { AmiStatus } from '../../src/features/ami/workflow.ts';
import { deleteAccount } from '../../src/features/auth/account.ts';
import { AppError, statusOf } from '../../src/lib/errors.ts';
import { amiDeps, asViewer, createDossier, createWave, setStaffRegions } from '../support/ami.ts';
import { createTestApp, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createPoleViaApi } from '../support/poles.ts';

let t: TestApp;
let applicant: TestUser;
let instructor: TestUser;
let regional: TestUser;
let admin: TestUser;
let admin2: TestUser;
let leadId: number;
let seeded: Awaited<ReturnType<typeof seedTemplate>>;

beforeAll(async () => {
  seeded = await seedTemplate(async (seed) => {
    applicant = await createSignedInUser(seed, { name: 'Aline Porteuse' });
    instructor = await createSignedInUser(seed, { role: 'instructor', name: 'Inès National' });
    regional = await createSignedInUser(seed, { role: 'instructor', name: 'Rémi Régional' });
    admin = await createSignedInUser(seed, { role: 'admin', name: 'Adèle Admin' });
    admin2 = await createSignedInUser(seed, { role: 'admin', name: 'Albert Admin' });
    // Voiron (38563) is in Auvergne-Rhône-Alpes (84); the regional instructor covers Île-de-France (11).
    await setStaffRegions(seed, regional.id, ['11']);
    leadId = (await createOrganisation(seed, { name: 'Ressourcerie du Voironnais', owner: applicant })).id;
  });
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

const A = () => asViewer(applicant, 'member', 'Aline Porteuse');
const I = () => asViewer(instructor, 'instructor', 'Inès National');
const AD = () => asViewer(admin, 'admin', 'Adèle Admin');

async function statusCode(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof AppError) return statusOf(err);
    throw err;
  }
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('applyTransition: the table through the database', () => {
  const steps: Array<[AmiStatus, AmiStatus, 'A' | 'I' | 'AD', number]> = [
    ['draft', 'submitted', 'A', 200],
    ['draft', 'submitted', 'I', 404], // drafts are the applicant's alone
    ['submitted', 'under_review', 'A', 403],
    ['submitted', 'under_review', 'I', 200],
    ['submitted', 'eligible', 'I', 422],
    ['under_review', 'eligible', 'I', 200],
    ['under_review', 'eligible', 'A', 403],
    ['eligible', 'selected', 'I', 403],
    ['eligible', 'selected', 'AD', 200],
    ['eligible', 'rejected', 'AD', 200],
    ['selected', 'withdrawn', 'A', 422],
    ['under_review', 'withdrawn', 'A', 200],
  ];
  for (const [from, to, who, expected] of steps)
    it(`${from} → ${to} by ${who}: ${expected}`, async () => {
      const wave = await createWave(t);
      const d = await createDossier(t, { leadOrganisationId: leadId, status: from, waveId: wave.id });
      const viewer = { A, I, AD }[who]();
      const code = await statusCode(
        applyTransition(amiDeps(t), viewer, d.id, {
          to,
          version: d.version,
          reason: 'Motif',
          waveId: wave.id,
          amountGranted: 80_000,
        }),
      );
      expect(code).toBe(expected);
      const [row] = await t.db.select().from(amiApplications).where(eq(amiApplications.id, d.id));
      const events = await t.db.select().from(amiEvents).where(eq(amiEvents.applicationId, d.id));
      if (expected === 200) {
        expect(row!.status).toBe(to);
        expect(row!.version).toBe(d.version + 1);
        expect(events).toMatchObject([{ fromStatus: from, toStatus: to, actorId: viewer.id }]);
      } else {
        expect(row!.status).toBe(from);
        expect(events).toHaveLength(0);
      }
    });

  it('an incomplete draft: 422 naming every missing field, nothing written', async () => {
    await createWave(t);
    const d = await createDossier(t, { leadOrganisationId: leadId, attachment: false });
    const err = await failure(applyTransition(amiDeps(t), A(), d.id, { to: 'submitted', version: 1 }));
    expect(statusOf(err)).toBe(422);
    expect(err.fields).toHaveProperty('attachments');
    expect(await t.db.select().from(amiEvents)).toHaveLength(0);
  });
});

describe('references', () => {
  it('20 concurrent submits get 20 distinct, consecutive references AMI-YYYY-NNNN', async () => {
    await createWave(t);
    const drafts = [];
    for (let i = 0; i < 20; i++) drafts.push(await createDossier(t, { leadOrganisationId: leadId }));
    const results = await Promise.all(
      drafts.map((d) => applyTransition(amiDeps(t), A(), d.id, { to: 'submitted', version: 1 })),
    );
    const refs = results.map((r) => r.reference).sort();
    expect(new Set(refs).size).toBe(20);
    expect(refs).toEqual(Array.from({ length: 20 }, (_, i) => `AMI-2026-${String(i + 1).padStart(4, '0')}`));
    const events = await t.db.select().from(amiEvents);
    expect(events).toHaveLength(20);
  });

  it('a lost race (same version twice) writes one event and moves the counter once', async () => {
    await createWave(t);
    const d = await createDossier(t, { leadOrganisationId: leadId });
    const codes = await Promise.all(
      [1, 2].map(() => statusCode(applyTransition(amiDeps(t), A(), d.id, { to: 'submitted', version: 1 }))),
    );
    expect(codes.sort()).toEqual([200, 409]);
    expect(await t.db.select().from(amiEvents)).toHaveLength(1);
    const next = await createDossier(t, { leadOrganisationId: leadId });
    const r = await applyTransition(amiDeps(t), A(), next.id, { to: 'submitted', version: 1 });
    expect(r.reference).toBe('AMI-2026-0002');
  });
});

describe('envelope', () => {
  it('two concurrent selections exceeding the envelope: exactly one succeeds, the other 409 with the remaining budget', async () => {
    const wave = await createWave(t, { envelope: 150_000, ceiling: 100_000 });
    const d1 = await createDossier(t, { leadOrganisationId: leadId, status: 'eligible', waveId: wave.id });
    const d2 = await createDossier(t, { leadOrganisationId: leadId, status: 'eligible', waveId: wave.id });
    const select = (id: number, who: TestUser) =>
      applyTransition(amiDeps(t), asViewer(who, 'admin'), id, {
        to: 'selected',
        version: 1,
        waveId: wave.id,
        amountGranted: 100_000,
      });
    const settled = await Promise.allSettled([select(d1.id, admin), select(d2.id, admin2)]);
    const ok = settled.filter((s) => s.status === 'fulfilled');
    const ko = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(ko).toHaveLength(1);
    const err = ko[0]!.reason as AppError;
    expect(statusOf(err)).toBe(409);
    expect(err.message).toContain('il reste 50\u202f000 €');
    expect(await remainingBudget(t.db, wave.id)).toBe(50_000);
    const selected = await t.db.select().from(amiApplications).where(eq(amiApplications.status, 'selected'));
    expect(selected).toHaveLength(1);
    expect(await t.db.select().from(amiEvents)).toHaveLength(1);
  });

  it('above the per-dossier ceiling: 422; unknown wave: 422', async () => {
    const wave = await createWave(t, { ceiling: 100_000 });
    const d = await createDossier(t, { leadOrganisationId: leadId, status: 'eligible', waveId: wave.id });
    const input = { to: 'selected' as const, version: 1, waveId: wave.id, amountGranted: 100_001 };
    expect(await statusCode(applyTransition(amiDeps(t), AD(), d.id, input))).toBe(422);
    expect(await statusCode(applyTransition(amiDeps(t), AD(), d.id, { ...input, waveId: 9999 }))).toBe(422);
  });

  it('selection makes the pôle the lead organisation coordinates a lauréat, with its history', async () => {
    const wave = await createWave(t, { name: 'Vague test' });
    const pole = await createPoleViaApi(t, applicant, leadId);
    const d = await createDossier(t, { leadOrganisationId: leadId, status: 'eligible', waveId: wave.id });
    await applyTransition(amiDeps(t), AD(), d.id, {
      to: 'selected',
      version: 1,
      waveId: wave.id,
      amountGranted: 90_000,
    });
    const [p] = await t.db.select().from(poles).where(eq(poles.id, pole.id));
    expect(p!.status).toBe('laureate');
    const history = await t.db.select().from(poleStatusEvents).where(eq(poleStatusEvents.poleId, pole.id));
    expect(history).toMatchObject([{ toStatus: 'laureate', applicationId: d.id, actorId: admin.id }]);
  });
});

describe('refusals', () => {
  it('stale version: 409, nothing written', async () => {
    const d = await createDossier(t, { leadOrganisationId: leadId, status: 'submitted' });
    await t.db.update(amiApplications).set({ version: 3 }).where(eq(amiApplications.id, d.id));
    const err = await failure(applyTransition(amiDeps(t), I(), d.id, { to: 'under_review', version: 2 }));
    expect(statusOf(err)).toBe(409);
    expect(err.fields).toHaveProperty('version');
    expect(await t.db.select().from(amiEvents)).toHaveLength(0);
  });

  it('a declared conflict of interest: 403 for staff decisions', async () => {
    const d = await createDossier(t, { leadOrganisationId: leadId, status: 'under_review' });
    await t.db
      .insert(amiConflicts)
      .values({ applicationId: d.id, userId: instructor.id, declaredAt: t.clock.now().toISOString() });
    const err = await failure(applyTransition(amiDeps(t), I(), d.id, { to: 'eligible', version: d.version }));
    expect(statusOf(err)).toBe(403);
    expect(err.message).toContain('conflit d’intérêts');
    // Another staff member may still decide.
    expect(
      await statusCode(applyTransition(amiDeps(t), AD(), d.id, { to: 'eligible', version: d.version })),
    ).toBe(200);
  });

  it('a regional instructor of another région: 404; of its région: allowed', async () => {
    const d = await createDossier(t, { leadOrganisationId: leadId, status: 'submitted' });
    const R = asViewer(regional, 'instructor');
    expect(await statusCode(applyTransition(amiDeps(t), R, d.id, { to: 'under_review', version: 1 }))).toBe(
      404,
    );
    await setStaffRegions(t, regional.id, ['11', '84']);
    expect(await statusCode(applyTransition(amiDeps(t), R, d.id, { to: 'under_review', version: 1 }))).toBe(
      200,
    );
  });

  it('staffScopeSql scopes dossiers in a WHERE and as a selected field of a single-table select', async () => {
    await createDossier(t, { leadOrganisationId: leadId, status: 'submitted' }); // région 84
    const visible = async (role: 'instructor' | 'admin', id: number) => {
      const where = await t.db
        .select({ id: amiApplications.id })
        .from(amiApplications)
        .where(staffScopeSql(id, role, amiApplications.region));
      // As a field, drizzle writes a single table's columns unqualified: the scope must not care.
      const field = await t.db
        .select({ inScope: staffScopeSql(id, role, amiApplications.region).mapWith(Number) })
        .from(amiApplications);
      expect(field.map((r) => r.inScope)).toEqual([where.length]);
      return where.length;
    };
    expect(await visible('instructor', regional.id)).toBe(0);
    expect(await visible('instructor', instructor.id)).toBe(1);
    expect(await visible('admin', admin.id)).toBe(1);
    await setStaffRegions(t, regional.id, ['84']);
    expect(await visible('instructor', regional.id)).toBe(1);
  });

  it('another organisation’s member: 404; an unknown dossier: 404', async () => {
    const stranger = await createSignedInUser(t);
    const d = await createDossier(t, { leadOrganisationId: leadId, status: 'submitted' });
    expect(
      await statusCode(
        applyTransition(amiDeps(t), asViewer(stranger), d.id, { to: 'withdrawn', version: 1 }),
      ),
    ).toBe(404);
    expect(
      await statusCode(applyTransition(amiDeps(t), AD(), 99_999, { to: 'under_review', version: 1 })),
    ).toBe(404);
  });
});

describe('audit events', () => {
  async function withEvent() {
    const d = await createDossier(t, { leadOrganisationId: leadId, status: 'submitted' });
    await applyTransition(amiDeps(t), I(), d.id, { to: 'under_review', version: 1 });
    return d;
  }

  it('UPDATE and DELETE of an event fail in the database itself', async () => {
    const d = await withEvent();
    await expect(t.db.update(amiEvents).set({ reason: 'réécrit' })).rejects.toThrow();
    await expect(t.db.update(amiEvents).set({ toStatus: 'selected' })).rejects.toThrow();
    await expect(t.db.delete(amiEvents)).rejects.toThrow();
    await expect(t.db.delete(amiApplications).where(eq(amiApplications.id, d.id))).rejects.toThrow();
    await expect(t.client.execute("UPDATE ami_events SET actor_name = 'x'")).rejects.toThrow(/append-only/);
    const [event] = await t.db.select().from(amiEvents);
    expect(event).toMatchObject({ toStatus: 'under_review', reason: null, actorName: 'Inès National' });
  });

  it('deleting the actor’s account keeps the event, actor NULL, name kept', async () => {
    await withEvent();
    await deleteAccount(t.db, instructor.id);
    const [event] = await t.db.select().from(amiEvents);
    expect(event).toMatchObject({ actorId: null, actorName: 'Inès National', toStatus: 'under_review' });
    const [{ n }] = (await t.db.all(sql`SELECT count(*) AS n FROM ami_events`)) as [{ n: number }];
    expect(n).toBe(1);
  });
});
