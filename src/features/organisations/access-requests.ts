import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  organisationAccessRequests,
  organisationInvitations,
  organisationMembers,
  organisations,
  users,
} from '../../db/schema.ts';
import { Conflict, NotFound } from '../../lib/errors.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { accessDecisionEmail, accessRequestEmail } from '../notifications/emails.ts';
import { countEmailAction } from '../notifications/limits.ts';
import { sendEmail } from '../notifications/mailer.ts';
import { normalizeSiret } from './siret.ts';

/** The organisation already registered with this SIRET (any spacing), if any. */
export async function findOrganisationBySiret(db: Db, siret: string) {
  const [row] = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.siret, normalizeSiret(siret)));
  return row;
}

export interface PendingAccessRequest {
  id: number;
  userId: number;
  name: string;
  email: string;
  createdAt: string;
}

/** Pending access requests of an organisation, oldest first (shown to its owners). */
export function listAccessRequests(db: Db, organisationId: number): Promise<PendingAccessRequest[]> {
  return db
    .select({
      id: organisationAccessRequests.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      createdAt: organisationAccessRequests.createdAt,
    })
    .from(organisationAccessRequests)
    .innerJoin(users, eq(users.id, organisationAccessRequests.userId))
    .where(
      and(
        eq(organisationAccessRequests.organisationId, organisationId),
        eq(organisationAccessRequests.status, 'pending'),
      ),
    )
    .orderBy(asc(organisationAccessRequests.createdAt));
}

/** The addresses of an organisation's owners (emails about its record and listings). */
export const ownerEmails = (db: Db, organisationId: number) =>
  db
    .select({ email: users.email })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(
      and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.role, 'owner')),
    );

/**
 * A signed-in user asks the owners of an organisation (whose SIRET they tried to register) to let
 * them manage it: one pending request per user and organisation; the owners get an email.
 * Rate-limited per requester and per organisation (defect 9). `Conflict` if already a member or
 * already asked.
 */
export async function requestAccess(
  deps: ServiceDeps,
  requester: { id: number; name: string; email: string },
  organisationId: number,
) {
  const { db } = deps;
  const now = deps.clock.now();
  const [organisation] = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!organisation) throw new NotFound('Organisation introuvable.');
  const [member] = await db
    .select({ userId: organisationMembers.userId })
    .from(organisationMembers)
    .where(
      and(
        eq(organisationMembers.organisationId, organisationId),
        eq(organisationMembers.userId, requester.id),
      ),
    );
  if (member) throw new Conflict('Vous gérez déjà cette organisation.');
  const [pending] = await db
    .select({ id: organisationAccessRequests.id })
    .from(organisationAccessRequests)
    .where(
      and(
        eq(organisationAccessRequests.organisationId, organisationId),
        eq(organisationAccessRequests.userId, requester.id),
        eq(organisationAccessRequests.status, 'pending'),
      ),
    );
  if (pending) throw new Conflict('Votre demande est déjà envoyée : les propriétaires y répondront.');
  await countEmailAction(db, now, [
    ['accessRequestsPerUser', requester.id],
    ['accessRequestsPerOrganisation', organisationId],
  ]);
  await db.insert(organisationAccessRequests).values({
    organisationId,
    userId: requester.id,
    status: 'pending',
    createdAt: now.toISOString(),
  });
  const content = accessRequestEmail({
    organisationName: organisation.name,
    requesterName: requester.name,
    requesterEmail: requester.email,
    link: `${deps.origin}/organisations/${organisationId}#acces`,
  });
  for (const { email } of await ownerEmails(db, organisationId))
    await sendEmail(db, deps, { to: email, ...content });
  return organisation;
}

/**
 * An owner accepts (the requester becomes an editor) or declines a pending request; the requester
 * is told by email. `NotFound` when the request is not pending for this organisation.
 */
export async function decideAccessRequest(
  deps: ServiceDeps,
  decidedBy: number,
  organisationId: number,
  requestId: number,
  accept: boolean,
) {
  const { db } = deps;
  const at = deps.clock.now().toISOString();
  const decided = await db
    .update(organisationAccessRequests)
    .set({ status: accept ? 'accepted' : 'declined', decidedAt: at, decidedBy })
    .where(
      and(
        eq(organisationAccessRequests.id, requestId),
        eq(organisationAccessRequests.organisationId, organisationId),
        eq(organisationAccessRequests.status, 'pending'),
      ),
    )
    .returning({ userId: organisationAccessRequests.userId });
  const row = decided[0];
  if (!row) throw new NotFound('Cette demande d’accès n’existe pas ou a déjà reçu une réponse.');
  if (accept) {
    await db
      .insert(organisationMembers)
      .values({ organisationId, userId: row.userId, role: 'editor', createdAt: at })
      .onConflictDoNothing();
  }
  const [requester] = await db.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
  const [organisation] = await db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (requester && organisation) {
    await sendEmail(db, deps, {
      to: requester.email,
      ...accessDecisionEmail({
        organisationName: organisation.name,
        accepted: accept,
        link: `${deps.origin}/organisations/${organisationId}`,
      }),
    });
  }
}

/** Withdraws a pending invitation of the organisation; `NotFound` if there is none by that id. */
export async function cancelInvitation(db: Db, organisationId: number, invitationId: number): Promise<void> {
  const rows = await db
    .delete(organisationInvitations)
    .where(
      and(
        eq(organisationInvitations.id, invitationId),
        eq(organisationInvitations.organisationId, organisationId),
        isNull(organisationInvitations.acceptedAt),
      ),
    )
    .returning({ id: organisationInvitations.id });
  if (rows.length === 0) throw new NotFound('Cette invitation n’existe pas ou a déjà été utilisée.');
}
