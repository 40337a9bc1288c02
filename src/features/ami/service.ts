import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type * as z from 'zod';
import type { Db } from '../../db/client.ts';
import {
  amiApplications,
  amiAttachments,
  amiMembers,
  communes,
  organisationMembers,
  organisations,
  poleMembers,
  poles,
} from '../../db/schema.ts';
import type { FileStorage, SessionUser } from '../../lib/context.ts';
import { Conflict, Forbidden, ValidationError } from '../../lib/errors.ts';
import { normalizeName } from '../../lib/normalize.ts';
import { AMI_REFUSALS, visibleDossier } from './access.ts';
import {
  type AmiApplicationRow,
  type AmiMemberInput,
  type amiSectionFields,
  FIELD_SECTION,
} from './dossier.ts';
import type { AmiStatus } from './workflow.ts';

/**
 * The applicant's side of a dossier: creating a draft for one of the viewer's organisations,
 * saving any subset of its fields at a `version` (only the sections the applicant may edit now),
 * deleting a draft, listing the viewer's dossiers. State changes go through `applyTransition`.
 */

type SectionOutput<S extends keyof typeof amiSectionFields> = z.output<
  z.ZodObject<(typeof amiSectionFields)[S]>
>;
/** Any subset of a dossier's fields (the PATCH body without `version`; a section form's output). */
export type AmiPatch = Partial<
  SectionOutput<'porteur'> &
    SectionOutput<'membres'> &
    SectionOutput<'territoire'> &
    SectionOutput<'projet'> &
    SectionOutput<'emplois'> &
    SectionOutput<'budget'>
>;

const LEAD_FIXED =
  'L’organisation porteuse d’un dossier déposé ne change plus : retirez le dossier et déposez-en un autre pour une autre organisation.';
const ORGANISATION_REFUSED = 'Choisissez une organisation dont vous êtes propriétaire ou éditeur·rice.';

/** The organisations the user may file for (owner or editor), by name. */
export function myOrganisations(db: Db, userId: number) {
  return db
    .select({
      id: organisations.id,
      name: organisations.name,
      siret: organisations.siret,
      kind: organisations.kind,
      legalForm: organisations.legalForm,
      region: organisations.region,
      departement: organisations.departement,
    })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId))
    .orderBy(organisations.sortName);
}

/** One line of « Mes dossiers ». */
export interface MyDossier {
  id: number;
  reference: string | null;
  status: AmiStatus;
  projectName: string;
  leadName: string;
  updatedAt: string;
  changesDueAt: string | null;
}

/** The dossiers of the organisations the user is a member of, latest change first. */
export function listMyDossiers(db: Db, userId: number): Promise<MyDossier[]> {
  return db
    .select({
      id: amiApplications.id,
      reference: amiApplications.reference,
      status: amiApplications.status,
      projectName: amiApplications.projectName,
      leadName: organisations.name,
      updatedAt: amiApplications.updatedAt,
      changesDueAt: amiApplications.changesDueAt,
    })
    .from(amiApplications)
    .innerJoin(organisations, eq(organisations.id, amiApplications.leadOrganisationId))
    .innerJoin(
      organisationMembers,
      and(
        eq(organisationMembers.organisationId, amiApplications.leadOrganisationId),
        eq(organisationMembers.userId, userId),
      ),
    )
    .orderBy(desc(amiApplications.updatedAt), desc(amiApplications.id));
}

/** The queue's word filter: normalised project and lead organisation names. */
export const dossierSearchText = (projectName: string, leadName: string) =>
  normalizeName(`${projectName} ${leadName}`);

/** The lead organisation, if the viewer is its owner or editor (else 422 on `leadOrganisationId`). */
async function ownLead(db: Db, userId: number, organisationId: number) {
  const [lead] = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      region: organisations.region,
      departement: organisations.departement,
    })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(
      and(eq(organisationMembers.userId, userId), eq(organisationMembers.organisationId, organisationId)),
    );
  if (!lead) throw new ValidationError({ leadOrganisationId: ORGANISATION_REFUSED });
  return lead;
}

/** Checks the references a patch makes (communes, directory organisations): 422 naming each unknown one. */
async function checkReferences(db: Db, patch: AmiPatch): Promise<void> {
  const fields: Record<string, string> = {};
  const members = (patch.members ?? []) as AmiMemberInput[];
  const codes = [
    ...new Set([...members.map((m) => m.communeCode), ...(patch.territory?.communeCodes ?? [])]),
  ];
  const orgIds = [...new Set(members.flatMap((m) => (m.organisationId ? [m.organisationId] : [])))];
  const [known, orgs] = await Promise.all([
    codes.length
      ? db.select({ code: communes.code }).from(communes).where(inArray(communes.code, codes))
      : Promise.resolve([]),
    orgIds.length
      ? db.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, orgIds))
      : Promise.resolve([]),
  ]);
  const knownCodes = new Set(known.map((k) => k.code));
  const knownOrgs = new Set(orgs.map((o) => o.id));
  members.forEach((m, i) => {
    if (!knownCodes.has(m.communeCode))
      fields[`members.${i}.communeCode`] = `Membre ${i + 1} : commune inconnue.`;
    if (m.organisationId && !knownOrgs.has(m.organisationId))
      fields[`members.${i}.organisationId`] = `Membre ${i + 1} : organisation introuvable dans l’annuaire.`;
  });
  (patch.territory?.communeCodes ?? []).forEach((code, i) => {
    if (!knownCodes.has(code)) fields[`territory.communeCodes.${i}`] = `Commune inconnue : ${code}.`;
  });
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

/** The columns a patch sets (members are rows, handled apart). */
function columnsOf(patch: AmiPatch): Partial<typeof amiApplications.$inferInsert> {
  const { members: _members, leadOrganisationId: _lead, ...rest } = patch;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<
    typeof amiApplications.$inferInsert
  >;
}

function memberRows(applicationId: number, members: readonly AmiMemberInput[]) {
  return members.map((m, position) => ({
    applicationId,
    position,
    organisationId: m.organisationId,
    siret: m.siret,
    name: m.name,
    kind: m.kind,
    communeCode: m.communeCode,
    role: m.role,
  }));
}

/**
 * Creates a draft dossier for one of the viewer's organisations (422 otherwise), copying its région
 * and département, with any fields given; returns the new row.
 */
export async function createDraft(
  db: Db,
  viewer: SessionUser,
  input: AmiPatch & { leadOrganisationId: number },
  now: Date,
): Promise<AmiApplicationRow> {
  if (!viewer.emailVerified) throw new Forbidden(AMI_REFUSALS.edit);
  const lead = await ownLead(db, viewer.id, input.leadOrganisationId);
  await checkReferences(db, input);
  const at = now.toISOString();
  const columns = columnsOf(input);
  const [row] = await db
    .insert(amiApplications)
    .values({
      ...columns,
      leadOrganisationId: lead.id,
      region: lead.region,
      departement: lead.departement,
      searchText: dossierSearchText(columns.projectName ?? '', lead.name),
      createdBy: viewer.id,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  if (!row) throw new Error('draft not created');
  if (input.members?.length) await db.insert(amiMembers).values(memberRows(row.id, input.members));
  return row;
}

/**
 * Saves a subset of a dossier's fields at `version`: the viewer must be a member of its lead
 * organisation (staff read only: 403; anyone else: 404), every field must belong to a section
 * the applicant may edit now (403), the version must be current (409). `members` replaces the
 * list. The dossier's search text follows its project and lead names. Members, columns and version
 * move in one transaction guarded by the version read, so of two concurrent saves one applies.
 */
export async function updateDossier(
  db: Db,
  viewer: SessionUser,
  id: number,
  patch: AmiPatch,
  version: number,
  now: Date,
): Promise<AmiApplicationRow> {
  const {
    access: { application: a },
    rights,
  } = await visibleDossier(db, id, viewer);
  if (!rights.applicant) throw new Forbidden(AMI_REFUSALS.edit);
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const section = FIELD_SECTION[field];
    if (!section || !rights.editableSections.includes(section)) throw new Forbidden(AMI_REFUSALS.section);
  }
  if (a.version !== version) throw staleVersion(a.version, version);
  // Once submitted, the lead organisation is fixed: changing it would move the dossier to another
  // organisation's members and another région's instructors, with no audit event.
  if (
    a.status !== 'draft' &&
    patch.leadOrganisationId !== undefined &&
    patch.leadOrganisationId !== a.leadOrganisationId
  )
    throw new ValidationError({ leadOrganisationId: LEAD_FIXED });
  await checkReferences(db, patch);
  const lead =
    patch.leadOrganisationId !== undefined && patch.leadOrganisationId !== a.leadOrganisationId
      ? await ownLead(db, viewer.id, patch.leadOrganisationId)
      : undefined;
  const [currentLead] = lead
    ? [lead]
    : await db
        .select({ name: organisations.name })
        .from(organisations)
        .where(eq(organisations.id, a.leadOrganisationId));
  const columns = columnsOf(patch);
  const guard = and(eq(amiApplications.id, id), eq(amiApplications.version, version));
  const stillAt = sql`EXISTS (SELECT 1 FROM ${amiApplications} WHERE ${guard})`;
  const memberOps = patch.members
    ? [
        db.delete(amiMembers).where(and(eq(amiMembers.applicationId, id), stillAt)),
        ...memberRows(id, patch.members).map((m) =>
          db.run(sql`INSERT INTO ${amiMembers} (application_id, position, organisation_id, siret, name, kind, commune_code, role)
            SELECT ${m.applicationId}, ${m.position}, ${m.organisationId}, ${m.siret}, ${m.name}, ${m.kind}, ${m.communeCode}, ${m.role}
            WHERE ${stillAt}`),
        ),
      ]
    : [];
  // The version guard comes last: the member rows above saw the same version in this transaction.
  const update = db
    .update(amiApplications)
    .set({
      ...columns,
      ...(lead ? { leadOrganisationId: lead.id, region: lead.region, departement: lead.departement } : {}),
      searchText: dossierSearchText(columns.projectName ?? a.projectName, currentLead?.name ?? ''),
      version: sql`${amiApplications.version} + 1`,
      updatedAt: now.toISOString(),
    })
    .where(guard)
    .returning();
  const results = await db.batch([...memberOps, update] as unknown as [typeof update]);
  const [row] = results[memberOps.length] as unknown as AmiApplicationRow[];
  if (!row) {
    const [current] = await db
      .select({ version: amiApplications.version })
      .from(amiApplications)
      .where(eq(amiApplications.id, id));
    throw staleVersion(current?.version ?? version + 1, version);
  }
  return row;
}

function staleVersion(current: number, given: number) {
  return new Conflict(
    `Ce dossier a été modifié entre-temps (version ${current}, vous partiez de la version ${given}) : vos saisies n’ont pas été enregistrées. Rechargez le dossier puis recommencez.`,
    { version: 'Version périmée : le dossier a été modifié entre-temps.' },
  );
}

/**
 * Deletes a draft (never a dossier with a history): a member of the lead organisation, 409
 * otherwise. Its rows go in one batch (attachments and messages by cascade), then its stored
 * files: a file left by a failed removal is an orphan, never a row pointing at nothing.
 */
export async function deleteDraft(
  deps: { db: Db; storage?: FileStorage | undefined },
  viewer: SessionUser,
  id: number,
): Promise<void> {
  const { db } = deps;
  const {
    access: { application: a },
    rights,
  } = await visibleDossier(db, id, viewer);
  if (!rights.applicant || rights.editableSections.length === 0) throw new Forbidden(AMI_REFUSALS.edit);
  if (a.status !== 'draft') throw new Conflict('Seul un brouillon peut être supprimé : retirez le dossier.');
  const files = await db
    .select({ storageKey: amiAttachments.storageKey })
    .from(amiAttachments)
    .where(eq(amiAttachments.applicationId, id));
  await db.batch([
    db.delete(amiMembers).where(eq(amiMembers.applicationId, id)),
    db.delete(amiApplications).where(and(eq(amiApplications.id, id), eq(amiApplications.status, 'draft'))),
  ]);
  for (const { storageKey } of files) await deps.storage?.delete(storageKey);
}

/** The active members of the pôles the organisation coordinates (for « importer les membres du pôle »), lead excluded. */
export async function coordinatedPoleMembers(db: Db, organisationId: number) {
  const coordinated = db
    .select({ id: poleMembers.poleId })
    .from(poleMembers)
    .where(
      and(
        eq(poleMembers.organisationId, organisationId),
        eq(poleMembers.role, 'coordinator'),
        eq(poleMembers.status, 'active'),
      ),
    );
  return db
    .selectDistinct({
      organisationId: organisations.id,
      siret: organisations.siret,
      name: organisations.name,
      kind: organisations.kind,
      communeCode: organisations.communeCode,
      poleName: poles.name,
    })
    .from(poleMembers)
    .innerJoin(organisations, eq(organisations.id, poleMembers.organisationId))
    .innerJoin(poles, eq(poles.id, poleMembers.poleId))
    .where(
      and(
        inArray(poleMembers.poleId, coordinated),
        eq(poleMembers.status, 'active'),
        sql`${poleMembers.organisationId} <> ${organisationId}`,
      ),
    )
    .orderBy(organisations.sortName);
}

/** A directory organisation as a dossier member. */
export async function directoryMember(db: Db, organisationId: number) {
  const [o] = await db
    .select({
      organisationId: organisations.id,
      siret: organisations.siret,
      name: organisations.name,
      kind: organisations.kind,
      communeCode: organisations.communeCode,
    })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return o;
}
