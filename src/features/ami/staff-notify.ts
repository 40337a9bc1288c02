import { and, desc, eq, gt, inArray, like, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  amiApplications,
  amiEvents,
  amiMessages,
  jobMarks,
  organisations,
  type STAFF_EMAIL_FREQUENCIES,
  staffNotificationSettings,
  users,
} from '../../db/schema.ts';
import type { ScheduledJob } from '../jobs/scheduled.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { sendEmail } from '../notifications/mailer.ts';
import type { AmiApplicationRow } from './dossier.ts';
import { parisDay } from './dossier.ts';

/**
 * Staff notifications without overload (issue 9 §13): each staff member chooses, for new dossiers
 * and for new applicant messages in their scope, `instant` emails, one `daily` digest (the default,
 * no row), or `none`. Scope: admins and national instructors see every région, a regional
 * instructor theirs; a staff member who declared a conflict of interest on a dossier hears nothing
 * of it. Emails carry no dossier content beyond the project and porteur names (a link to the staff page).
 */

export type StaffEmailFrequency = (typeof STAFF_EMAIL_FREQUENCIES)[number];
export type StaffTopic = 'newDossiers' | 'newMessages';

export const FREQUENCY_LABELS: Record<StaffEmailFrequency, string> = {
  instant: 'Un courriel à chaque fois',
  daily: 'Un récapitulatif quotidien',
  none: 'Aucun courriel',
};

const SIGNATURE = '—\nAMI PTCE — ptce-hub. Régler ces courriels : ';
const settingsLink = (origin: string) => `${origin}/instruction/notifications`;
const staffLink = (origin: string, id: number) => `${origin}/instruction/dossiers/${id}`;

/** A staff member's choices (defaults: daily digests). */
export async function getStaffSettings(
  db: Db,
  userId: number,
): Promise<Record<StaffTopic, StaffEmailFrequency>> {
  const [row] = await db
    .select()
    .from(staffNotificationSettings)
    .where(eq(staffNotificationSettings.userId, userId));
  return { newDossiers: row?.newDossiers ?? 'daily', newMessages: row?.newMessages ?? 'daily' };
}

export async function saveStaffSettings(
  db: Db,
  userId: number,
  settings: Record<StaffTopic, StaffEmailFrequency>,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db
    .insert(staffNotificationSettings)
    .values({ userId, ...settings, updatedAt: at })
    .onConflictDoUpdate({ target: staffNotificationSettings.userId, set: { ...settings, updatedAt: at } });
}

/**
 * SQL true when the user row (`users`) is staff whose scope covers `region` and who has no
 * conflict on `applicationId` (declared, or a member of its lead organisation). Written with qualified names: it runs per user row.
 */
const inScope = (region: unknown, applicationId: unknown) => sql`(
  (users.role = 'admin' OR (users.role = 'instructor' AND (
    NOT EXISTS (SELECT 1 FROM staff_regions sr WHERE sr.user_id = users.id)
    OR EXISTS (SELECT 1 FROM staff_regions sr WHERE sr.user_id = users.id AND sr.region = ${region}))))
  AND NOT EXISTS (SELECT 1 FROM ami_conflicts ac WHERE ac.application_id = ${applicationId} AND ac.user_id = users.id)
  AND NOT EXISTS (SELECT 1 FROM organisation_members om JOIN ami_applications ap ON ap.lead_organisation_id = om.organisation_id
    WHERE ap.id = ${applicationId} AND om.user_id = users.id))`;

const frequencyOf = (topic: StaffTopic) =>
  topic === 'newDossiers'
    ? sql`COALESCE(${staffNotificationSettings.newDossiers}, 'daily')`
    : sql`COALESCE(${staffNotificationSettings.newMessages}, 'daily')`;

/** Staff in scope of a dossier who chose `frequency` for `topic` (verified addresses only). */
export async function staffRecipients(
  db: Db,
  application: Pick<AmiApplicationRow, 'id' | 'region'>,
  topic: StaffTopic,
  frequency: StaffEmailFrequency,
): Promise<Array<{ id: number; email: string }>> {
  return db
    .select({ id: users.id, email: users.email })
    .from(users)
    .leftJoin(staffNotificationSettings, eq(staffNotificationSettings.userId, users.id))
    .where(
      and(
        inArray(users.role, ['instructor', 'admin']),
        sql`${users.emailVerifiedAt} IS NOT NULL`,
        sql`${frequencyOf(topic)} = ${frequency}`,
        inScope(application.region, application.id),
      ),
    )
    .orderBy(users.id);
}

async function porteurName(db: Db, application: Pick<AmiApplicationRow, 'leadOrganisationId'>) {
  const [row] = await db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, application.leadOrganisationId));
  return row?.name ?? 'porteur inconnu';
}

/**
 * A dossier was submitted (or resubmitted after changes): emails the in-scope staff who chose
 * `instant` for new dossiers. Called by `notifyTransition`.
 */
export async function notifyStaffOfSubmission(
  deps: ServiceDeps,
  application: AmiApplicationRow,
  resubmitted: boolean,
): Promise<number> {
  const recipients = await staffRecipients(deps.db, application, 'newDossiers', 'instant');
  if (recipients.length === 0) return 0;
  const porteur = await porteurName(deps.db, application);
  const what = resubmitted ? 'complété et renvoyé' : 'déposé';
  const name = application.projectName || 'Projet sans nom';
  for (const r of recipients)
    await sendEmail(deps.db, deps, {
      to: r.email,
      subject: `AMI PTCE — dossier ${what} : ${application.reference ?? name}`,
      text: [
        `Le dossier ${application.reference ?? ''} « ${name} » (${porteur}) a été ${what}.`,
        '',
        `Instruire : ${staffLink(deps.origin, application.id)}`,
        '',
        `${SIGNATURE}${settingsLink(deps.origin)}`,
      ].join('\n'),
    });
  return recipients.length;
}

/**
 * An applicant wrote to staff about a dossier: emails the in-scope staff who chose `instant` for
 * new messages (staff messages notify no staff). For the messages feature to call after storing
 * the message. The body is quoted as plain text.
 */
export async function notifyStaffOfMessage(
  deps: ServiceDeps,
  application: AmiApplicationRow,
  message: { fromStaff: boolean; authorName: string; body: string },
): Promise<number> {
  if (message.fromStaff) return 0;
  const recipients = await staffRecipients(deps.db, application, 'newMessages', 'instant');
  if (recipients.length === 0) return 0;
  const name = application.projectName || 'Projet sans nom';
  const excerpt = message.body.length > 1000 ? `${message.body.slice(0, 1000)}…` : message.body;
  for (const r of recipients)
    await sendEmail(deps.db, deps, {
      to: r.email,
      subject: `AMI PTCE — nouveau message du porteur : ${application.reference ?? name}`,
      text: [
        `${message.authorName} a écrit à propos du dossier ${application.reference ?? ''} « ${name} » :`,
        '',
        excerpt,
        '',
        `Répondre : ${staffLink(deps.origin, application.id)}`,
        '',
        `${SIGNATURE}${settingsLink(deps.origin)}`,
      ].join('\n'),
    });
  return recipients.length;
}

export const STAFF_DIGEST_JOB = 'ami-staff-digest';

/**
 * The daily digest for staff whose choice is `daily` (the default): the dossiers submitted or
 * resubmitted and the applicants' messages in their scope since their last digest (24 hours for a
 * first one), at most 200 of each. One mark per (user, Paris day) in `job_marks`, taken before the
 * email: a second run that day sends nothing, and the mark's time is the next digest's start.
 */
export async function sendStaffDigests(deps: ServiceDeps): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  const day = parisDay(now);
  const staff = await db
    .select({
      id: users.id,
      email: users.email,
      dossiers: frequencyOf('newDossiers').mapWith(String),
      messages: frequencyOf('newMessages').mapWith(String),
    })
    .from(users)
    .leftJoin(staffNotificationSettings, eq(staffNotificationSettings.userId, users.id))
    .where(and(inArray(users.role, ['instructor', 'admin']), sql`${users.emailVerifiedAt} IS NOT NULL`))
    .orderBy(users.id);
  let sent = 0;
  for (const user of staff) {
    if (user.dossiers !== 'daily' && user.messages !== 'daily') continue;
    const [last] = await db
      .select({ at: jobMarks.createdAt })
      .from(jobMarks)
      .where(and(eq(jobMarks.job, STAFF_DIGEST_JOB), like(jobMarks.key, `${user.id}:%`)))
      .orderBy(desc(jobMarks.createdAt))
      .limit(1);
    const since = last?.at ?? new Date(now.getTime() - 24 * 3600_000).toISOString();
    const scope = inScopeFor(user.id);
    const dossiers =
      user.dossiers === 'daily'
        ? await db
            .select({
              id: amiApplications.id,
              reference: amiApplications.reference,
              projectName: amiApplications.projectName,
              porteur: organisations.name,
              resubmitted: sql<number>`${amiEvents.fromStatus} = 'changes_requested'`.mapWith(Boolean),
            })
            .from(amiEvents)
            .innerJoin(amiApplications, eq(amiApplications.id, amiEvents.applicationId))
            .innerJoin(organisations, eq(organisations.id, amiApplications.leadOrganisationId))
            .where(
              and(
                gt(amiEvents.at, since),
                sql`((${amiEvents.fromStatus} = 'draft' AND ${amiEvents.toStatus} = 'submitted')
                  OR (${amiEvents.fromStatus} = 'changes_requested' AND ${amiEvents.toStatus} = 'under_review'))`,
                scope,
              ),
            )
            .orderBy(amiEvents.id)
            .limit(200)
        : [];
    const messages =
      user.messages === 'daily'
        ? await db
            .select({
              id: amiApplications.id,
              reference: amiApplications.reference,
              projectName: amiApplications.projectName,
              author: amiMessages.authorName,
            })
            .from(amiMessages)
            .innerJoin(amiApplications, eq(amiApplications.id, amiMessages.applicationId))
            .where(and(gt(amiMessages.createdAt, since), eq(amiMessages.fromStaff, false), scope))
            .orderBy(amiMessages.id)
            .limit(200)
        : [];
    if (dossiers.length === 0 && messages.length === 0) continue;
    const marked = await db
      .insert(jobMarks)
      .values({ job: STAFF_DIGEST_JOB, key: `${user.id}:${day}`, createdAt: now.toISOString() })
      .onConflictDoNothing()
      .returning();
    if (marked.length === 0) continue;
    const lines: string[] = [];
    if (dossiers.length > 0) {
      lines.push(`Dossiers déposés ou complétés (${dossiers.length}) :`);
      for (const d of dossiers)
        lines.push(
          `• ${d.reference ?? ''} « ${d.projectName || 'Projet sans nom'} » (${d.porteur})${d.resubmitted ? ' — complété et renvoyé' : ''}\n  ${staffLink(deps.origin, d.id)}`,
        );
      lines.push('');
    }
    if (messages.length > 0) {
      lines.push(`Messages des porteurs (${messages.length}) :`);
      for (const m of messages)
        lines.push(
          `• ${m.author}, dossier ${m.reference ?? ''} « ${m.projectName || 'Projet sans nom'} »\n  ${staffLink(deps.origin, m.id)}`,
        );
      lines.push('');
    }
    await sendEmail(db, deps, {
      to: user.email,
      subject: `AMI PTCE — récapitulatif : ${dossiers.length} dossier${dossiers.length > 1 ? 's' : ''}, ${messages.length} message${messages.length > 1 ? 's' : ''}`,
      text: [
        'Bonjour,',
        '',
        'Dans votre périmètre depuis le dernier récapitulatif :',
        '',
        ...lines,
        `${SIGNATURE}${settingsLink(deps.origin)}`,
      ].join('\n'),
    });
    sent += 1;
  }
  return sent;
}

/** `inScope` for a known user id (the digest's per-user queries), on `ami_applications`. */
function inScopeFor(userId: number) {
  return sql`(
    EXISTS (SELECT 1 FROM users u WHERE u.id = ${userId} AND (u.role = 'admin' OR (u.role = 'instructor' AND (
      NOT EXISTS (SELECT 1 FROM staff_regions sr WHERE sr.user_id = u.id)
      OR EXISTS (SELECT 1 FROM staff_regions sr WHERE sr.user_id = u.id AND sr.region = ami_applications.region)))))
    AND NOT EXISTS (SELECT 1 FROM ami_conflicts ac WHERE ac.application_id = ami_applications.id AND ac.user_id = ${userId})
    AND NOT EXISTS (SELECT 1 FROM organisation_members om WHERE om.organisation_id = ami_applications.lead_organisation_id AND om.user_id = ${userId}))`;
}

export const staffDigestJob: ScheduledJob = { name: STAFF_DIGEST_JOB, run: sendStaffDigests };
