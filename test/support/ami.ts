import { eq } from 'drizzle-orm';
import {
  amiApplications,
  amiAttachments,
  amiMembers,
  amiScores,
  amiWaves,
  organisations,
  staffRegions,
} from '../../src/db/schema.ts';
import type { AmiStatus } from '../../src/features/ami/workflow.ts';
import type { ServiceDeps } from '../../src/features/notifications/deps.ts';
import type { EmailMessage, SessionUser } from '../../src/lib/context.ts';
import type { TestApp } from './app.ts';
import type { TestUser } from './auth.ts';
import { createOrganisation, testSiret } from './fixtures.ts';

/**
 * AMI fixtures: waves and complete dossiers inserted straight through drizzle (not through the
 * applicant's pages), so that tests of the staff side, the transitions and the waves start from a
 * known state. Generic on purpose: any helper's test may use them.
 */

let counter = 0;

/** The service dependencies of a test app, with the emails sent collected in `sent`. */
export function amiDeps(t: TestApp): ServiceDeps & { sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return {
    db: t.db,
    clock: t.clock,
    log: (entry) => t.logs.push(entry),
    config: t.config,
    origin: 'http://localhost',
    mailer: async (message) => {
      sent.push(message);
    },
    sent,
  };
}

/** The `SessionUser` of a test user (what handlers pass to `applyTransition`). */
export function asViewer(
  user: Pick<TestUser, 'id' | 'email'>,
  role: SessionUser['role'] = 'member',
  name = `Utilisateur ${user.id}`,
): SessionUser {
  return { id: user.id, email: user.email, name, role, emailVerified: true, via: 'session' };
}

export interface WaveOptions {
  name?: string;
  /** `YYYY-MM-DD` (Paris days, inclusive). Default: open around the test clock's 2026-11-22. */
  opensOn?: string;
  closesOn?: string;
  envelope?: number;
  ceiling?: number;
  createdBy?: number | null;
}

/** A wave, open by default on the test clock's day (2026-11-22), 1.5 M€ envelope, 100 k€ ceiling. */
export async function createWave(t: TestApp, options: WaveOptions = {}) {
  const now = t.clock.now().toISOString();
  const [row] = await t.db
    .insert(amiWaves)
    .values({
      name: options.name ?? `Vague ${++counter}`,
      opensOn: options.opensOn ?? '2026-09-01',
      closesOn: options.closesOn ?? '2026-12-31',
      envelope: options.envelope ?? 1_500_000,
      ceiling: options.ceiling ?? 100_000,
      createdBy: options.createdBy ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

export interface DossierOptions {
  /** The lead organisation (default: a new ESS association at Voiron, région 84, owned by `owner`). */
  leadOrganisationId?: number;
  /** Owner of the lead organisation created when none is given. */
  owner?: { id: number };
  /** Commune of the lead organisation created when none is given (default Voiron, 38563). */
  communeCode?: string;
  status?: AmiStatus;
  waveId?: number | null;
  projectName?: string;
  amountRequested?: number;
  amountGranted?: number | null;
  stage?: 'emerging' | 'consolidating';
  reference?: string | null;
  submittedAt?: string | null;
  changesDueAt?: string | null;
  assigneeId?: number | null;
  /** Attach a dossier file row (default true). */
  attachment?: boolean;
}

/**
 * A complete, eligible dossier (every section filled; members: an ESS enterprise, an SME and a
 * collectivité; one attachment row — no bytes stored), in `status` (default `draft`). Submitted
 * states get `submittedAt` and, unless given, a reference `AMI-TEST-NNNN` outside the real counter.
 */
export async function createDossier(t: TestApp, options: DossierOptions = {}) {
  const now = t.clock.now().toISOString();
  const leadId =
    options.leadOrganisationId ??
    (
      await createOrganisation(t, {
        name: `Porteur ${++counter}`,
        kind: 'ess',
        ...(options.communeCode ? { communeCode: options.communeCode } : {}),
        ...(options.owner ? { owner: options.owner } : {}),
      })
    ).id;
  const [lead] = await t.db
    .select({
      region: organisations.region,
      departement: organisations.departement,
      name: organisations.name,
    })
    .from(organisations)
    .where(eq(organisations.id, leadId));
  if (!lead) throw new Error(`organisation ${leadId} not found`);
  const status = options.status ?? 'draft';
  const projectName = options.projectName ?? `Projet coopératif ${++counter}`;
  const submitted = status !== 'draft';
  const [row] = await t.db
    .insert(amiApplications)
    .values({
      leadOrganisationId: leadId,
      region: lead.region,
      departement: lead.departement,
      status,
      waveId: options.waveId ?? null,
      assigneeId: options.assigneeId ?? null,
      reference:
        options.reference !== undefined ? options.reference : submitted ? `AMI-TEST-${++counter}` : null,
      projectName,
      stage: options.stage ?? 'emerging',
      strategy: 'Mutualiser une recyclerie et un atelier de réparation.',
      activities: 'Collecte, réparation, revente solidaire.',
      governance: 'Comité de pilotage trimestriel des membres fondateurs.',
      innovation: 'Une filière locale du réemploi.',
      territory: { communeCodes: ['38563'], departements: ['38'], qpv: false, rural: true },
      jobsCurrent: 4,
      jobsPlanned: 12,
      budgetTotal: 300_000,
      amountRequested: options.amountRequested ?? 100_000,
      cofunding: [{ funder: 'Région', amount: 50_000 }],
      selfFinancingShare: 30,
      stateAidReceived: 0,
      previouslyFunded: false,
      amountGranted: options.amountGranted ?? null,
      changesDueAt: options.changesDueAt ?? null,
      searchText: `${projectName} ${lead.name}`.toLowerCase(),
      createdAt: now,
      updatedAt: now,
      submittedAt: options.submittedAt !== undefined ? options.submittedAt : submitted ? now : null,
    })
    .returning();
  const application = row!;
  const kinds = [
    ['ess', 'Recyclerie solidaire'],
    ['sme', 'Menuiserie Durand SARL'],
    ['local_authority', 'Commune de Voiron'],
  ] as const;
  await t.db.insert(amiMembers).values(
    kinds.map(([kind, name], position) => ({
      applicationId: application.id,
      position,
      siret: testSiret(),
      name,
      kind,
      communeCode: '38563',
      role: position === 0 ? ('founding' as const) : ('partner' as const),
    })),
  );
  if (options.attachment !== false)
    await t.db.insert(amiAttachments).values({
      applicationId: application.id,
      name: 'statuts.pdf',
      contentType: 'application/pdf',
      size: 1234,
      storageKey: `test/ami-${application.id}-${++counter}.pdf`,
      createdAt: now,
    });
  return application;
}

/** Limits an instructor to these régions (INSEE codes); none: national. */
export async function setStaffRegions(t: TestApp, userId: number, regions: readonly string[]) {
  await t.db.delete(staffRegions).where(eq(staffRegions.userId, userId));
  if (regions.length) await t.db.insert(staffRegions).values(regions.map((region) => ({ userId, region })));
}

/** A reviewer's grid on a dossier: every criterion at `score` (0–5). */
export async function scoreDossier(t: TestApp, applicationId: number, reviewerId: number, score: number) {
  await t.db.insert(amiScores).values({
    applicationId,
    reviewerId,
    cooperation: score,
    pooling: score,
    anchoring: score,
    innovation: score,
    jobs: score,
    economicModel: score,
    total: score,
    updatedAt: t.clock.now().toISOString(),
  });
}
