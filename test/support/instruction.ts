import { eq } from 'drizzle-orm';
import { amiApplications, amiEvents, amiScores, organisations, staffRegions } from '../../src/db/schema.ts';
import type { AmiStatus } from '../../src/features/ami/workflow.ts';
import { normalizeName } from '../../src/lib/normalize.ts';
import { createWave } from './ami.ts';
import type { TestApp } from './app.ts';
import { createSignedInUser, type TestUser } from './auth.ts';
import { addMember, createOrganisation } from './fixtures.ts';

/** A wave open during the tests' clock (2026), 1.5 M€, 100 k€ a dossier. */
export async function insertWave(t: TestApp, name = 'Vague 2026', envelope = 1_500_000): Promise<number> {
  return (await createWave(t, { name, envelope, opensOn: '2026-01-01' })).id;
}

let referenceCounter = 0;

export interface DossierOptions {
  leadOrganisationId: number;
  status?: AmiStatus;
  projectName?: string;
  waveId?: number | null;
  amountRequested?: number;
  stage?: 'emerging' | 'consolidating';
  assigneeId?: number | null;
  submittedAt?: string;
  changesDueAt?: string | null;
  reopenedSections?: Array<'porteur' | 'membres' | 'territoire' | 'projet' | 'emplois' | 'budget' | 'pieces'>;
}

/**
 * Inserts a dossier straight in the database (the queue's tests need dossiers in every state, not
 * the applicant's pages): région and département copied from the lead organisation, `search_text`
 * normalised from the project and porteur names, a reference unless it is a draft.
 */
export async function insertDossier(t: TestApp, options: DossierOptions): Promise<number> {
  const [lead] = await t.db
    .select({
      name: organisations.name,
      region: organisations.region,
      departement: organisations.departement,
    })
    .from(organisations)
    .where(eq(organisations.id, options.leadOrganisationId));
  if (!lead) throw new Error('no such organisation');
  const status = options.status ?? 'submitted';
  const now = t.clock.now().toISOString();
  const projectName = options.projectName ?? `Projet ${referenceCounter + 1}`;
  const [row] = await t.db
    .insert(amiApplications)
    .values({
      reference: status === 'draft' ? null : `AMI-2026-${String(++referenceCounter).padStart(4, '0')}`,
      leadOrganisationId: options.leadOrganisationId,
      region: lead.region,
      departement: lead.departement,
      status,
      waveId: options.waveId ?? null,
      assigneeId: options.assigneeId ?? null,
      projectName,
      stage: options.stage ?? 'emerging',
      amountRequested: options.amountRequested ?? 80_000,
      changesDueAt: options.changesDueAt ?? null,
      reopenedSections: options.reopenedSections ?? [],
      searchText: normalizeName(`${projectName} ${lead.name}`),
      createdAt: now,
      updatedAt: now,
      submittedAt: status === 'draft' ? null : (options.submittedAt ?? now),
    })
    .returning({ id: amiApplications.id });
  return row!.id;
}

/** A reviewer's grid straight in the database. */
export async function insertScore(t: TestApp, applicationId: number, reviewerId: number, values: number[]) {
  const [cooperation, pooling, anchoring, innovation, jobs, economicModel] = values as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  await t.db.insert(amiScores).values({
    applicationId,
    reviewerId,
    cooperation,
    pooling,
    anchoring,
    innovation,
    jobs,
    economicModel,
    total: values.reduce((a, b) => a + b, 0) / 6,
    updatedAt: t.clock.now().toISOString(),
  });
}

/** A past state change in the audit trail (for the dashboard's median). */
export async function insertEvent(
  t: TestApp,
  applicationId: number,
  from: AmiStatus,
  to: AmiStatus,
  at: string,
  actor: { id: number; name: string },
) {
  await t.db.insert(amiEvents).values({
    applicationId,
    actorId: actor.id,
    actorName: actor.name,
    fromStatus: from,
    toStatus: to,
    visibility: 'public',
    at,
  });
}

export interface InstructionWorld {
  admin: TestUser;
  national: TestUser;
  /** Instructor for Auvergne-Rhône-Alpes (84). */
  ara: TestUser;
  /** Instructor for Occitanie (76). */
  occitanie: TestUser;
  /** Owner of the lead organisation in Voiron (84). */
  applicant: TestUser;
  /** A signed-in member with no AMI dossier. */
  stranger: TestUser;
  voiron: { id: number; name: string };
  toulouse: { id: number; name: string };
  waveId: number;
}

/** Staff of every scope, an applicant with a lead organisation in Isère, another in Toulouse, a wave. */
export async function seedInstructionWorld(t: TestApp): Promise<InstructionWorld> {
  const admin = await createSignedInUser(t, { role: 'admin', name: 'Alice Admin' });
  const national = await createSignedInUser(t, { role: 'instructor', name: 'Nadia Nationale' });
  const ara = await createSignedInUser(t, { role: 'instructor', name: 'Rémi Rhônalpin' });
  const occitanie = await createSignedInUser(t, { role: 'instructor', name: 'Odile Occitane' });
  const applicant = await createSignedInUser(t, { name: 'Paul Porteur' });
  const stranger = await createSignedInUser(t, { name: 'Sam Inconnu' });
  await t.db.insert(staffRegions).values([
    { userId: ara.id, region: '84' },
    { userId: occitanie.id, region: '76' },
  ]);
  const voiron = await createOrganisation(t, {
    name: 'Coopérative Centre Isère',
    communeCode: '38563',
    owner: applicant,
  });
  const toulouse = await createOrganisation(t, { name: 'La Serre Toulousaine', communeCode: '31555' });
  const waveId = await insertWave(t);
  return { admin, national, ara, occitanie, applicant, stranger, voiron, toulouse, waveId };
}

export { addMember };

/**
 * `n` dossiers in one transaction by raw multi-row INSERTs (the export and query-plan tests need
 * 10,000): spread over statuses, régions of the two organisations, amounts, with accents and
 * spreadsheet formulas in their names.
 */
export async function bulkInsertDossiers(
  t: TestApp,
  n: number,
  leads: Array<{ id: number; region: string; departement: string; name: string }>,
  waveId: number,
) {
  const statuses: AmiStatus[] = [
    'submitted',
    'under_review',
    'changes_requested',
    'eligible',
    'selected',
    'rejected',
  ];
  const now = t.clock.now().toISOString();
  const batch = 500;
  const tx = await t.client.transaction('write');
  try {
    for (let start = 0; start < n; start += batch) {
      const rows: string[] = [];
      const args: Array<string | number | null> = [];
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const lead = leads[i % leads.length]!;
        const status = statuses[i % statuses.length]!;
        const name =
          i % 97 === 0 ? `=HYPERLINK("http://x";"clic ${i}")` : `Pôle coopératif n° ${i} — « Économie »`;
        rows.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
        args.push(
          `AMI-2025-${String(i + 1).padStart(5, '0')}`,
          lead.id,
          lead.region,
          lead.departement,
          status,
          waveId,
          name,
          'emerging',
          10_000 + (i % 90) * 1_000,
          status === 'selected' ? 1_000 : null,
          normalizeName(`${name} ${lead.name}`),
          now,
          now,
          new Date(Date.parse(now) - i * 60_000).toISOString(),
          status === 'selected' || status === 'rejected' ? now : null,
        );
      }
      await tx.execute({
        sql: `INSERT INTO ami_applications (reference, lead_organisation_id, region, departement, status, wave_id,
          project_name, stage, amount_requested, amount_granted, search_text, created_at, updated_at, submitted_at, decided_at)
          VALUES ${rows.join(', ')}`,
        args,
      });
    }
    await tx.commit();
  } finally {
    tx.close();
  }
}
