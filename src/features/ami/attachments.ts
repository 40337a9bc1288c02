/**
 * AMI attachments: the dossier's pieces (section « pièces jointes ») and the files of messages.
 * Added (checked from the content, ≤ 10 Mo, ≤ 20 pieces a dossier even under parallel uploads),
 * deleted while the section is editable, read for download by the lead organisation's members and
 * staff in scope. Takes explicit dependencies, never a Hono context. See docs/decisions/021.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { amiAttachments } from '../../db/schema.ts';
import type { FileStorage, SessionUser } from '../../lib/context.ts';
import { Conflict, Forbidden, NotFound, ServiceUnavailable, ValidationError } from '../../lib/errors.ts';
import { newStorageKey } from '../../lib/storage-keys.ts';
import { AMI_REFUSALS, visibleDossier } from './access.ts';
import {
  ATTACHMENT_REFUSALS,
  AttachmentRefused,
  type CheckedAttachment,
  checkAttachment,
  MAX_MESSAGE_FILES_PER_DOSSIER,
  MAX_PIECES_PER_DOSSIER,
} from './attachment-files.ts';

export const ATTACHMENT_MESSAGES = {
  notFound: 'Pièce jointe introuvable.',
  full: `Un dossier compte ${MAX_PIECES_PER_DOSSIER} pièces au plus : retirez-en une avant d’en ajouter une autre.`,
  messagesFull: `Les messages de ce dossier portent déjà ${MAX_MESSAGE_FILES_PER_DOSSIER} fichiers : envoyez ce message sans fichier, ou regroupez vos documents.`,
  notEditable:
    'Le dossier a changé entre-temps (déposé, ou sa section « pièces jointes » refermée) : la pièce n’a pas été ajoutée. Rechargez le dossier.',
  noStorage: 'Le stockage des pièces jointes n’est pas disponible sur ce serveur : réessayez plus tard.',
} as const;

export type AttachmentRow = typeof amiAttachments.$inferSelect;
type Viewer = Pick<SessionUser, 'id' | 'role' | 'emailVerified'>;

export interface AttachmentDeps {
  db: Db;
  storage: FileStorage | undefined;
  clock: { now(): Date };
}

/** The upload as a handler read it: its bytes and the name the client sent (absent: no file). */
export interface Upload {
  bytes: Uint8Array;
  name: string;
}

/** The dossier if the viewer may change its pieces now: 404 when not visible, 403 when not editable. */
export async function piecesEditableDossier(db: Db, applicationId: number, viewer: Viewer) {
  const { access, rights } = await visibleDossier(db, applicationId, viewer);
  if (!rights.applicant) throw new Forbidden(AMI_REFUSALS.edit);
  if (!rights.editableSections.includes('pieces')) throw new Forbidden(AMI_REFUSALS.section);
  return access.application;
}

const requireStorage = (storage: FileStorage | undefined) => {
  if (!storage) throw new ServiceUnavailable(ATTACHMENT_MESSAGES.noStorage);
  return storage;
};

/** The checked file of an upload, or a field error on `file` (422). */
export async function checkUpload(upload: Upload | undefined): Promise<CheckedAttachment> {
  if (!upload) throw new ValidationError({ file: ATTACHMENT_REFUSALS.missing });
  try {
    return await checkAttachment(upload.bytes, upload.name);
  } catch (error) {
    if (error instanceof AttachmentRefused) throw new ValidationError({ file: error.message });
    throw error;
  }
}

/** Adds a piece to a dossier (section « pièces jointes »). Nothing is stored when it is refused. */
export async function addPiece(
  deps: AttachmentDeps,
  applicationId: number,
  viewer: Viewer,
  upload: Upload | undefined,
): Promise<AttachmentRow> {
  await piecesEditableDossier(deps.db, applicationId, viewer);
  const file = await checkUpload(upload);
  const storage = requireStorage(deps.storage);
  return storeAttachment(
    { db: deps.db, storage },
    { applicationId, messageId: null, uploadedBy: viewer.id },
    file,
    deps.clock.now(),
  );
}

/**
 * Stores a checked file for a caller that has checked its rights: the file first, then its row by
 * one conditional INSERT (a dossier's file count and the insert in one statement, which SQLite
 * runs alone, so parallel uploads never make a 21st piece or a 51st message file); a refused or
 * failed row deletes the file.
 */
export async function storeAttachment(
  deps: { db: Db; storage: FileStorage },
  owner: { applicationId: number; messageId: number | null; uploadedBy: number | null },
  file: CheckedAttachment,
  now: Date,
): Promise<AttachmentRow> {
  const { db, storage } = deps;
  const { applicationId, messageId } = owner;
  const key = newStorageKey(`ami/${applicationId}`, file.extension);
  await storage.put(key, file.body, { contentType: file.contentType });
  let inserted: AttachmentRow | undefined;
  try {
    const cap =
      messageId === null
        ? sql`(SELECT COUNT(*) FROM ${amiAttachments} WHERE application_id = ${applicationId} AND message_id IS NULL) < ${MAX_PIECES_PER_DOSSIER}
          AND ${piecesEditable(applicationId)}`
        : sql`(SELECT COUNT(*) FROM ${amiAttachments} WHERE application_id = ${applicationId} AND message_id IS NOT NULL) < ${MAX_MESSAGE_FILES_PER_DOSSIER}`;
    [inserted] = await db.all<AttachmentRow>(sql`
      INSERT INTO ${amiAttachments} (application_id, message_id, name, content_type, size, storage_key, uploaded_by, created_at)
      SELECT ${applicationId}, ${messageId}, ${file.name}, ${file.contentType}, ${file.body.length}, ${key},
        ${owner.uploadedBy}, ${now.toISOString()}
      WHERE ${cap}
      RETURNING id, application_id AS applicationId, message_id AS messageId, name, content_type AS contentType,
        size, storage_key AS storageKey, uploaded_by AS uploadedBy, created_at AS createdAt`);
  } catch (error) {
    await storage.delete(key).catch(() => undefined);
    throw error;
  }
  if (!inserted) {
    await storage.delete(key);
    if (messageId === null) {
      const [still] = await db.all<{ ok: number }>(sql`SELECT ${piecesEditable(applicationId)} AS ok`);
      if (!still?.ok)
        throw new Conflict(ATTACHMENT_MESSAGES.notEditable, { file: ATTACHMENT_MESSAGES.notEditable });
    }
    const message = messageId === null ? ATTACHMENT_MESSAGES.full : ATTACHMENT_MESSAGES.messagesFull;
    throw new Conflict(message, { file: message });
  }
  return inserted;
}

/**
 * SQL true while the dossier's pieces may change: a draft, or « pièces » reopened by a request for
 * changes. Checked again in the writing statement: an upload that passed the rights check can
 * otherwise land after a concurrent submit.
 */
const piecesEditable = (applicationId: number) =>
  sql`EXISTS (SELECT 1 FROM ami_applications a WHERE a.id = ${applicationId} AND (a.status = 'draft'
    OR (a.status = 'changes_requested' AND EXISTS (SELECT 1 FROM json_each(a.reopened_sections) WHERE value = 'pieces'))))`;

/** Deletes a piece of a dossier (not a message's file) while the section is editable: its row, then its file. */
export async function deletePiece(
  deps: AttachmentDeps,
  applicationId: number,
  attachmentId: number,
  viewer: Viewer,
): Promise<void> {
  await piecesEditableDossier(deps.db, applicationId, viewer);
  const storage = requireStorage(deps.storage);
  const [row] = await deps.db
    .delete(amiAttachments)
    .where(
      and(
        eq(amiAttachments.id, attachmentId),
        eq(amiAttachments.applicationId, applicationId),
        isNull(amiAttachments.messageId),
        piecesEditable(applicationId),
      ),
    )
    .returning({ storageKey: amiAttachments.storageKey });
  if (!row) throw new NotFound(ATTACHMENT_MESSAGES.notFound);
  await storage.delete(row.storageKey);
}

/** The dossier's pieces (not the messages' files), oldest first. */
export function listPieces(db: Db, applicationId: number): Promise<AttachmentRow[]> {
  return db
    .select()
    .from(amiAttachments)
    .where(and(eq(amiAttachments.applicationId, applicationId), isNull(amiAttachments.messageId)))
    .orderBy(amiAttachments.id);
}

/**
 * A file of a dossier (a piece or a message's) and its bytes, for a viewer who may see the dossier:
 * the lead organisation's members and staff in scope (drafts: members only). 404 otherwise.
 */
export async function attachmentForDownload(
  deps: AttachmentDeps,
  applicationId: number,
  attachmentId: number,
  viewer: Viewer | null,
): Promise<{ row: AttachmentRow; body: Uint8Array }> {
  const [, [row]] = await Promise.all([
    visibleDossier(deps.db, applicationId, viewer),
    deps.db
      .select()
      .from(amiAttachments)
      .where(and(eq(amiAttachments.id, attachmentId), eq(amiAttachments.applicationId, applicationId))),
  ]);
  if (!row) throw new NotFound(ATTACHMENT_MESSAGES.notFound);
  const file = await requireStorage(deps.storage).get(row.storageKey);
  if (!file) throw new NotFound(ATTACHMENT_MESSAGES.notFound);
  return { row, body: file.body };
}
