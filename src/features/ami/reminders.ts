import { and, eq, gt, lte } from 'drizzle-orm';
import { amiApplications, jobMarks, organisationMembers, users } from '../../db/schema.ts';
import type { ScheduledJob } from '../jobs/scheduled.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { sendEmail } from '../notifications/mailer.ts';
import type { AmiApplicationRow } from './dossier.ts';
import { SECTION_LABELS } from './workflow.ts';

/** Days before `changes_due_at` the applicant is reminded (issue 9 §4). */
export const REMINDER_DAYS = 3;
export const CHANGES_REMINDER_JOB = 'ami-changes-reminder';

/**
 * A dossier whose requested changes are past their due date (flagged to staff). Pure: the
 * dossier waits for its applicant (`changes_requested`) and `now` is after `changesDueAt`.
 */
export function isOverdue(
  application: Pick<AmiApplicationRow, 'status' | 'changesDueAt'>,
  now: Date,
): boolean {
  return (
    application.status === 'changes_requested' &&
    application.changesDueAt !== null &&
    new Date(application.changesDueAt).getTime() < now.getTime()
  );
}

const parisDate = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(new Date(iso));

/**
 * Reminds the lead organisation's members of requested changes due within 3 days, once per
 * request: the mark's key is the dossier and its due date (a new request, with a new date, gets its
 * own reminder), taken before the emails so a second run sends nothing.
 */
export async function sendChangesReminders(deps: ServiceDeps): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  const horizon = new Date(now.getTime() + REMINDER_DAYS * 86_400_000).toISOString();
  const due = await db
    .select()
    .from(amiApplications)
    .where(
      and(
        eq(amiApplications.status, 'changes_requested'),
        gt(amiApplications.changesDueAt, now.toISOString()),
        lte(amiApplications.changesDueAt, horizon),
      ),
    )
    .orderBy(amiApplications.id);
  let sent = 0;
  for (const a of due) {
    const marked = await db
      .insert(jobMarks)
      .values({ job: CHANGES_REMINDER_JOB, key: `${a.id}:${a.changesDueAt}`, createdAt: now.toISOString() })
      .onConflictDoNothing()
      .returning();
    if (marked.length === 0) continue;
    const recipients = await db
      .select({ email: users.email })
      .from(organisationMembers)
      .innerJoin(users, eq(users.id, organisationMembers.userId))
      .where(eq(organisationMembers.organisationId, a.leadOrganisationId));
    const sections = a.reopenedSections.map((s) => SECTION_LABELS[s]).join(', ');
    for (const { email } of recipients) {
      await sendEmail(db, deps, {
        to: email,
        subject: `AMI PTCE — ${a.reference ?? 'votre dossier'} : compléments attendus avant le ${parisDate(a.changesDueAt!)}`,
        text: [
          'Bonjour,',
          '',
          `L’équipe d’instruction attend vos compléments sur le dossier ${a.reference ?? ''} « ${a.projectName || 'votre projet'} » avant le ${parisDate(a.changesDueAt!)}.`,
          sections ? `Sections à compléter : ${sections}.` : '',
          '',
          'Complétez puis renvoyez le dossier :',
          `${deps.origin}/ami/dossiers/${a.id}`,
          '',
          'L’équipe AMI PTCE — ptce-hub (DG Trésor)',
        ].join('\n'),
      });
      sent += 1;
    }
  }
  return sent;
}

export const changesReminderJob: ScheduledJob = { name: CHANGES_REMINDER_JOB, run: sendChangesReminders };
