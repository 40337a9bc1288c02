import * as z from 'zod';
import {
  AMI_MEMBER_ROLES,
  AMI_SECTIONS,
  AMI_STAGES,
  AMI_STATUSES,
  ORGANISATION_KINDS,
} from '../../db/schema.ts';
import { missingBySection } from './dossier.ts';
import type { AmiEventRow, LoadedDossier } from './queries.ts';

/**
 * The dossier as the JSON API shows it, to its applicant and to staff alike: its fields (camelCase,
 * as in the call's terms), its lead organisation, state and completeness. Never staff notes,
 * scores or conflicts: those are the instruction's own endpoints.
 */
export function applicationJson(d: LoadedDossier) {
  const a = d.application;
  return {
    id: a.id,
    reference: a.reference,
    status: a.status,
    version: a.version,
    leadOrganisationId: a.leadOrganisationId,
    leadOrganisation: {
      id: d.lead.id,
      name: d.lead.name,
      siret: d.lead.siret,
      kind: d.lead.kind,
      legalForm: d.lead.legalForm,
      communeCode: d.lead.communeCode,
    },
    region: a.region,
    departement: a.departement,
    waveId: a.waveId,
    projectName: a.projectName,
    stage: a.stage,
    members: d.members.map((m) => ({
      organisationId: m.organisationId,
      siret: m.siret,
      name: m.name,
      kind: m.kind,
      communeCode: m.communeCode,
      role: m.role,
    })),
    territory: a.territory,
    strategy: a.strategy,
    activities: a.activities,
    governance: a.governance,
    innovation: a.innovation,
    jobsCurrent: a.jobsCurrent,
    jobsPlanned: a.jobsPlanned,
    budgetTotal: a.budgetTotal,
    amountRequested: a.amountRequested,
    cofunding: a.cofunding,
    selfFinancingShare: a.selfFinancingShare,
    stateAidReceived: a.stateAidReceived,
    previouslyFunded: a.previouslyFunded,
    amountGranted: a.amountGranted,
    attachments: d.attachments.map((f) => ({ id: f.id, name: f.name, type: f.contentType, size: f.size })),
    reopenedSections: a.reopenedSections,
    changesDueAt: a.changesDueAt,
    missing: missingBySection({ ...a, members: d.members, attachmentCount: d.attachments.length }),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    submittedAt: a.submittedAt,
    decidedAt: a.decidedAt,
  };
}

/** An audit event in the API: who changed what, when, with the reason (public ones only for applicants). */
export function eventJson(e: AmiEventRow) {
  return { from: e.fromStatus, to: e.toStatus, actorId: e.actorId, reason: e.reason, at: e.at };
}

const fieldMessages = z.record(z.string(), z.string());

export const amiApplicationOutput = z
  .object({
    id: z.number(),
    reference: z.string().nullable(),
    status: z.enum(AMI_STATUSES),
    version: z.number(),
    leadOrganisationId: z.number(),
    leadOrganisation: z.looseObject({ id: z.number(), name: z.string(), siret: z.string() }),
    region: z.string(),
    departement: z.string(),
    waveId: z.number().nullable(),
    projectName: z.string(),
    stage: z.enum(AMI_STAGES).nullable(),
    members: z.array(
      z.object({
        organisationId: z.number().nullable(),
        siret: z.string(),
        name: z.string(),
        kind: z.enum(ORGANISATION_KINDS),
        communeCode: z.string(),
        role: z.enum(AMI_MEMBER_ROLES),
      }),
    ),
    territory: z.object({
      communeCodes: z.array(z.string()),
      departements: z.array(z.string()),
      qpv: z.boolean(),
      rural: z.boolean(),
    }),
    strategy: z.string(),
    activities: z.string(),
    governance: z.string(),
    innovation: z.string(),
    jobsCurrent: z.number().nullable(),
    jobsPlanned: z.number().nullable(),
    budgetTotal: z.number().nullable(),
    amountRequested: z.number().nullable(),
    cofunding: z.array(z.object({ funder: z.string(), amount: z.number() })),
    selfFinancingShare: z.number().nullable(),
    stateAidReceived: z.number().nullable(),
    previouslyFunded: z.boolean().nullable(),
    amountGranted: z.number().nullable(),
    attachments: z.array(z.object({ id: z.number(), name: z.string(), type: z.string(), size: z.number() })),
    reopenedSections: z.array(z.enum(AMI_SECTIONS)),
    changesDueAt: z.string().nullable(),
    missing: z.record(z.enum(AMI_SECTIONS), fieldMessages),
    createdAt: z.string(),
    updatedAt: z.string(),
    submittedAt: z.string().nullable(),
    decidedAt: z.string().nullable(),
  })
  .meta({ id: 'AmiApplication' });

export const amiEventsOutput = z.object({
  items: z.array(
    z.object({
      from: z.enum(AMI_STATUSES),
      to: z.enum(AMI_STATUSES),
      actorId: z.number().nullable(),
      reason: z.string().nullable(),
      at: z.string(),
    }),
  ),
});

export const amiSubmitOutput = z.object({
  id: z.number(),
  reference: z.string().nullable(),
  status: z.enum(AMI_STATUSES),
  version: z.number(),
});
