import { eq, inArray, or } from 'drizzle-orm';
import { organisationMembers, users } from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import type { EmailContent } from '../notifications/emails.ts';
import { sendEmail } from '../notifications/mailer.ts';
import type { AmiApplicationRow } from './dossier.ts';
import { notifyStaffOfSubmission } from './staff-notify.ts';
import { type AmiTransition, STATUS_LABELS } from './workflow.ts';

const SIGNATURE = 'L’équipe AMI PTCE — ptce-hub (DG Trésor)';
const body = (...lines: string[]) => ['Bonjour,', '', ...lines, '', SIGNATURE].join('\n');
const parisDate = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));

/** What happened to a dossier, for its notifications. */
export interface TransitionNotice {
  application: AmiApplicationRow;
  transition: AmiTransition;
  reason: string | null;
  actor: Pick<SessionUser, 'id' | 'name'>;
  dueAt: string | null;
}

/** Actions emailed to the applicant: requests for changes and decisions (not the staff's own steps). */
const APPLICANT_EMAILED = new Set([
  'request_changes',
  'declare_ineligible',
  'declare_eligible',
  'select',
  'reject',
]);

/** To the lead organisation's members: a request for changes or a decision, with its public reason. */
export function applicantDecisionEmail(n: TransitionNotice, link: string): EmailContent {
  const { application: a, transition: t } = n;
  const name = a.projectName || 'votre dossier';
  const lines = [
    `Le dossier ${a.reference ?? ''} « ${name} » déposé à l’AMI PTCE est désormais : ${STATUS_LABELS[t.to]}.`,
  ];
  if (t.action === 'request_changes' && n.dueAt)
    lines.push('', `L’équipe d’instruction vous demande des compléments avant le ${parisDate(n.dueAt)}.`);
  if (n.reason) lines.push('', 'Motif :', n.reason);
  lines.push('', 'Suivez votre dossier :', link);
  return { subject: `AMI PTCE — ${a.reference ?? 'dossier'} : ${STATUS_LABELS[t.to]}`, text: body(...lines) };
}

const parisDateTime = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(new Date(iso));

/** The receipt of a submit, to the submitting user and the lead organisation's members. */
export function submitReceiptEmail(a: AmiApplicationRow, at: Date, link: string): EmailContent {
  const name = a.projectName || 'votre dossier';
  return {
    subject: `AMI PTCE — accusé de réception du dossier ${a.reference ?? ''}`,
    text: body(
      `Le dossier « ${name} » a bien été déposé à l’AMI PTCE le ${parisDateTime(at.toISOString())} (heure de Paris).`,
      '',
      `Référence : ${a.reference ?? '—'}`,
      '',
      'Il n’est plus modifiable : l’équipe d’instruction vous écrira si des compléments sont nécessaires.',
      'Votre récépissé (page et PDF) :',
      link,
    ),
  };
}

/**
 * Sends the emails a transition calls for. The applicant side (lead organisation's members) is
 * told of requests for changes and decisions, with the public reason; staff notifications for
 * their scope follow each staff member's choice (instant, daily digest, none) — see staff-notify.
 */
export async function notifyTransition(deps: ServiceDeps, notice: TransitionNotice): Promise<void> {
  const { action } = notice.transition;
  if (action === 'submit' || action === 'resubmit')
    await notifyStaffOfSubmission(deps, notice.application, action === 'resubmit');
  if (action === 'submit') return notifySubmit(deps, notice);
  if (!APPLICANT_EMAILED.has(notice.transition.action) || notice.transition.visibility !== 'public') return;
  const recipients = await deps.db
    .select({ email: users.email })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(eq(organisationMembers.organisationId, notice.application.leadOrganisationId));
  const email = applicantDecisionEmail(notice, `${deps.origin}/ami/dossiers/${notice.application.id}`);
  for (const { email: to } of recipients) await sendEmail(deps.db, deps, { to, ...email });
}

/** The submit's receipt: one email per address (the submitting user and the lead organisation's members). */
async function notifySubmit(deps: ServiceDeps, notice: TransitionNotice): Promise<void> {
  const a = notice.application;
  const rows = await deps.db
    .select({ email: users.email })
    .from(users)
    .where(
      or(
        eq(users.id, notice.actor.id),
        inArray(
          users.id,
          deps.db
            .select({ id: organisationMembers.userId })
            .from(organisationMembers)
            .where(eq(organisationMembers.organisationId, a.leadOrganisationId)),
        ),
      ),
    );
  const email = submitReceiptEmail(a, deps.clock.now(), `${deps.origin}/ami/dossiers/${a.id}/recepisse`);
  for (const to of new Set(rows.map((r) => r.email))) await sendEmail(deps.db, deps, { to, ...email });
}
