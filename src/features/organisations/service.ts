import { NotFound } from '../../lib/errors.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { organisationInvitationEmail } from '../notifications/emails.ts';
import { countEmailAction } from '../notifications/limits.ts';
import { sendEmail } from '../notifications/mailer.ts';
import { createInvitation, getOrganisation } from './queries.ts';
import type { InvitationInput } from './schemas.ts';

/** The inviting user. */
export interface Inviter {
  id: number;
  name: string;
}

/**
 * Invites someone to manage an organisation and emails the link (the clear token exists only in
 * that email). Rate-limited per inviter and per organisation (defect 9); the caller has checked the
 * inviter may manage members. Explicit dependencies: usable from the CLI as from a handler.
 */
export async function inviteMember(
  deps: ServiceDeps,
  inviter: Inviter,
  organisationId: number,
  input: InvitationInput,
) {
  const { db } = deps;
  const now = deps.clock.now();
  const organisation = await getOrganisation(db, organisationId);
  if (!organisation) throw new NotFound('Organisation introuvable.');
  await countEmailAction(db, now, [
    ['invitationsPerUser', inviter.id],
    ['invitationsPerOrganisation', organisationId],
  ]);
  const invitation = await createInvitation(db, organisationId, input, inviter.id, now);
  await sendEmail(db, deps, {
    to: invitation.email,
    ...organisationInvitationEmail({
      to: invitation.email,
      organisationName: organisation.name,
      inviterName: inviter.name,
      role: invitation.role,
      link: `${deps.origin}/invitations/organisation/${invitation.token}`,
      expiresAt: invitation.expiresAt,
    }),
  });
  return invitation;
}
