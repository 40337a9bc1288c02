import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { amiAttachments, amiEvents, amiMembers, amiWaves, communes, organisations } from '../../db/schema.ts';
import type { AmiApplicationRow, AmiWaveRow } from './dossier.ts';

/** A dossier as its pages, its JSON and its PDF show it: the row plus what it refers to. */
export interface LoadedDossier {
  application: AmiApplicationRow;
  lead: {
    id: number;
    name: string;
    siret: string;
    kind: string;
    legalForm: string;
    communeCode: string;
    communeName: string;
    departement: string;
    region: string;
  };
  members: Array<typeof amiMembers.$inferSelect & { communeName: string | null }>;
  /** The dossier's own pieces (section « pièces jointes »), not the messages' attachments. */
  attachments: Array<{ id: number; name: string; contentType: string; size: number; createdAt: string }>;
  wave: AmiWaveRow | null;
  /** Names of the territory's communes, by code (for display). */
  territoryCommunes: Array<{ code: string; name: string }>;
}

/**
 * Loads a dossier with its lead organisation, members, pieces, wave and territory names in one
 * round trip (a batch); undefined when there is no such dossier. Access is the caller's
 * business (`getAmiAccess` + `amiRights`).
 */
export async function loadDossier(db: Db, application: AmiApplicationRow): Promise<LoadedDossier> {
  const codes = application.territory.communeCodes;
  const [[lead], members, attachments, waves, territoryCommunes] = await db.batch([
    db
      .select({
        id: organisations.id,
        name: organisations.name,
        siret: organisations.siret,
        kind: organisations.kind,
        legalForm: organisations.legalForm,
        communeCode: organisations.communeCode,
        communeName: communes.name,
        departement: organisations.departement,
        region: organisations.region,
      })
      .from(organisations)
      .innerJoin(communes, eq(communes.code, organisations.communeCode))
      .where(eq(organisations.id, application.leadOrganisationId)),
    db
      .select({ member: amiMembers, communeName: communes.name })
      .from(amiMembers)
      .leftJoin(communes, eq(communes.code, amiMembers.communeCode))
      .where(eq(amiMembers.applicationId, application.id))
      .orderBy(asc(amiMembers.position), asc(amiMembers.id)),
    db
      .select({
        id: amiAttachments.id,
        name: amiAttachments.name,
        contentType: amiAttachments.contentType,
        size: amiAttachments.size,
        createdAt: amiAttachments.createdAt,
      })
      .from(amiAttachments)
      .where(and(eq(amiAttachments.applicationId, application.id), isNull(amiAttachments.messageId)))
      .orderBy(asc(amiAttachments.id)),
    db
      .select()
      .from(amiWaves)
      .where(eq(amiWaves.id, application.waveId ?? 0)),
    db
      .select({ code: communes.code, name: communes.name })
      .from(communes)
      .where(inArray(communes.code, codes.length ? codes : [''])),
  ]);
  if (!lead)
    throw new Error(`dossier ${application.id}: lead organisation ${application.leadOrganisationId} missing`);
  return {
    application,
    lead,
    members: members.map((m) => ({ ...m.member, communeName: m.communeName })),
    attachments,
    wave: waves[0] ?? null,
    territoryCommunes,
  };
}

/** One event of the audit trail as shown (applicant side: public events only). */
export type AmiEventRow = typeof amiEvents.$inferSelect;

/** The dossier's events in order; `publicOnly` for the applicant side. */
export function listEvents(db: Db, applicationId: number, publicOnly: boolean) {
  return db
    .select()
    .from(amiEvents)
    .where(
      publicOnly
        ? and(eq(amiEvents.applicationId, applicationId), eq(amiEvents.visibility, 'public'))
        : eq(amiEvents.applicationId, applicationId),
    )
    .orderBy(asc(amiEvents.id));
}
