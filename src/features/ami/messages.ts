/**
 * Messages between a dossier's applicant (the lead organisation's members) and staff in scope, each
 * with at most one attached file. A staff message is emailed once to each member of the lead
 * organisation; an applicant message goes to the staff in scope (`notifyStaffOfMessage`).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../../db/client.ts';
import { amiAttachments, amiMessages, organisationMembers, users } from '../../db/schema.ts';
import type { FileStorage, SessionUser } from '../../lib/context.ts';
import { Conflict, Forbidden, ServiceUnavailable, TooManyRequests } from '../../lib/errors.ts';
import { safeText } from '../../lib/text.ts';
import { countEvent, type RateLimitRule } from '../auth/rate-limit.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { sendEmail } from '../notifications/mailer.ts';
import { AMI_REFUSALS, type AmiRights, visibleDossier } from './access.ts';
import { ATTACHMENT_MESSAGES, checkUpload, storeAttachment, type Upload } from './attachments.ts';
import type { AmiApplicationRow } from './dossier.ts';
import { notifyStaffOfMessage } from './staff-notify.ts';

export const MESSAGE_MAX_LENGTH = 5000;

/**
 * Messages one applicant may post in an hour, all dossiers together: each may carry a 10 Mo file
 * and reach staff, so a script stops here. Staff are not limited (they answer many dossiers).
 */
export const APPLICANT_MESSAGE_RATE: RateLimitRule = { limit: 20, windowMs: 3600_000 };

export const MESSAGE_REFUSALS = {
  rate: 'Vous avez envoyé beaucoup de messages en peu de temps : réessayez dans une heure.',
  draft:
    'Déposez d’abord le dossier : les messages s’échangent avec l’équipe d’instruction une fois le dossier déposé.',
  notAllowed: 'Seuls les membres de l’organisation porteuse et l’équipe d’instruction peuvent écrire ici.',
} as const;

/** A message's text: required, multi-line, free of control characters, 5 000 characters at most. */
export const messageBody = safeText({ multiline: true, error: 'Écrivez votre message.' })
  .min(1, 'Écrivez votre message.')
  .max(
    MESSAGE_MAX_LENGTH,
    `Un message est limité à ${MESSAGE_MAX_LENGTH.toLocaleString('fr-FR')} caractères.`,
  );

/** The page form and the JSON body (`{ body }`); the optional file comes in the multipart body. */
export const messageInput = z.object({ body: messageBody }).meta({ id: 'AmiMessageInput' });

/** One message as the panel and the API show it. */
export interface DossierMessage {
  id: number;
  authorName: string;
  fromStaff: boolean;
  body: string;
  createdAt: string;
  attachments: Array<{ id: number; name: string; contentType: string; size: number }>;
}

/** A dossier's messages, oldest first, with their files (two queries in one batch). Access is the caller's. */
export async function listDossierMessages(db: Db, applicationId: number): Promise<DossierMessage[]> {
  const [messages, files] = await db.batch([
    db
      .select({
        id: amiMessages.id,
        authorName: amiMessages.authorName,
        fromStaff: amiMessages.fromStaff,
        body: amiMessages.body,
        createdAt: amiMessages.createdAt,
      })
      .from(amiMessages)
      .where(eq(amiMessages.applicationId, applicationId))
      .orderBy(asc(amiMessages.id)),
    db
      .select({
        id: amiAttachments.id,
        messageId: amiAttachments.messageId,
        name: amiAttachments.name,
        contentType: amiAttachments.contentType,
        size: amiAttachments.size,
      })
      .from(amiAttachments)
      .where(
        inArray(
          amiAttachments.messageId,
          db
            .select({ id: amiMessages.id })
            .from(amiMessages)
            .where(eq(amiMessages.applicationId, applicationId)),
        ),
      )
      .orderBy(asc(amiAttachments.id)),
  ]);
  return messages.map((m) => ({
    ...m,
    attachments: files
      .filter((f) => f.messageId === m.id)
      .map(({ id, name, contentType, size }) => ({ id, name, contentType, size })),
  }));
}

/**
 * Who may write on a dossier: its applicant once it has been submitted, staff in scope without a
 * conflict of interest (writing to the applicant is taking part in the instruction) (pure).
 */
export function messageSide(
  rights: AmiRights,
  application: Pick<AmiApplicationRow, 'submittedAt'>,
): 'applicant' | 'staff' | null {
  if (rights.staff && rights.canInstruct) return 'staff';
  if (rights.applicant && application.submittedAt !== null) return 'applicant';
  return null;
}

type Viewer = Pick<SessionUser, 'id' | 'role' | 'emailVerified' | 'name'>;

export interface MessageDeps extends ServiceDeps {
  storage: FileStorage | undefined;
}

/**
 * Posts a message on a dossier (404 when the viewer cannot see it; 403 when they may not write;
 * 409 on a draft), with an optional file checked like a piece. The file is stored before the
 * message; if the message row fails, the file is removed. Staff messages are emailed to the lead
 * organisation's members (one email each); applicant messages go to the staff in scope (`notifyStaffOfMessage`).
 */
export async function postMessage(
  deps: MessageDeps,
  applicationId: number,
  viewer: Viewer,
  input: { body: string; file?: Upload | undefined },
): Promise<DossierMessage> {
  const { access, rights } = await visibleDossier(deps.db, applicationId, viewer);
  const side = messageSide(rights, access.application);
  if (!side) {
    if (rights.staff && !rights.applicant) throw new Forbidden(AMI_REFUSALS.conflict);
    if (rights.applicant && access.application.submittedAt === null)
      throw new Conflict(MESSAGE_REFUSALS.draft);
    throw new Forbidden(MESSAGE_REFUSALS.notAllowed);
  }
  const file = input.file ? await checkUpload(input.file) : undefined;
  if (file && !deps.storage) throw new ServiceUnavailable(ATTACHMENT_MESSAGES.noStorage);
  const now = deps.clock.now();
  if (
    side === 'applicant' &&
    (await countEvent(deps.db, `ami:messages:${viewer.id}`, APPLICANT_MESSAGE_RATE, now)) >
      APPLICANT_MESSAGE_RATE.limit
  )
    throw new TooManyRequests(MESSAGE_REFUSALS.rate);
  const [message] = await deps.db
    .insert(amiMessages)
    .values({
      applicationId,
      authorId: viewer.id,
      authorName: viewer.name,
      fromStaff: side === 'staff',
      body: input.body,
      createdAt: now.toISOString(),
    })
    .returning();
  const row = message!;
  const attachments: DossierMessage['attachments'] = [];
  if (file && deps.storage) {
    try {
      const stored = await storeAttachment(
        { db: deps.db, storage: deps.storage },
        { applicationId, messageId: row.id, uploadedBy: viewer.id },
        file,
        now,
      );
      attachments.push({
        id: stored.id,
        name: stored.name,
        contentType: stored.contentType,
        size: stored.size,
      });
    } catch (error) {
      // A message announcing a file it does not carry would mislead: it goes with its file.
      await deps.db.delete(amiMessages).where(eq(amiMessages.id, row.id));
      throw error;
    }
  }
  const posted: DossierMessage = {
    id: row.id,
    authorName: row.authorName,
    fromStaff: row.fromStaff,
    body: row.body,
    createdAt: row.createdAt,
    attachments,
  };
  if (side === 'staff') await emailApplicantOfMessage(deps, access.application, posted);
  else await afterApplicantMessage(deps, access.application, posted);
  return posted;
}

/** The email a staff message sends to each member of the lead organisation. */
export function staffMessageEmail(application: AmiApplicationRow, message: DossierMessage, link: string) {
  const name = application.projectName || 'votre dossier';
  const files = message.attachments.map((f) => `Pièce jointe : ${f.name}`);
  return {
    subject: `AMI PTCE — ${application.reference ?? 'dossier'} : nouveau message de l’équipe d’instruction`,
    text: [
      'Bonjour,',
      '',
      `L’équipe d’instruction de l’AMI PTCE vous a écrit au sujet du dossier ${application.reference ?? ''} « ${name} » :`,
      '',
      message.body,
      ...(files.length ? ['', ...files] : []),
      '',
      'Lisez le message et répondez depuis votre dossier :',
      link,
      '',
      'L’équipe AMI PTCE — ptce-hub (DG Trésor)',
    ].join('\n'),
  };
}

async function emailApplicantOfMessage(
  deps: ServiceDeps,
  application: AmiApplicationRow,
  message: DossierMessage,
) {
  const recipients = await deps.db
    .select({ email: users.email })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(eq(organisationMembers.organisationId, application.leadOrganisationId));
  const email = staffMessageEmail(
    application,
    message,
    `${deps.origin}/ami/dossiers/${application.id}#messages`,
  );
  for (const { email: to } of recipients) await sendEmail(deps.db, deps, { to, ...email });
}

/** An applicant's message goes to the staff in scope who chose instant emails (the others read it in their digest). */
async function afterApplicantMessage(
  deps: ServiceDeps,
  application: AmiApplicationRow,
  message: DossierMessage,
): Promise<void> {
  await notifyStaffOfMessage(deps, application, {
    fromStaff: false,
    authorName: message.authorName,
    body: message.body,
  });
}
