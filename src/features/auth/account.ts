import { and, asc, eq, gt, inArray, isNull, like, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  apiTokens,
  authTokens,
  emails,
  organisationInvitations,
  organisationMembers,
  organisations,
  organisationThemes,
  poleMembers,
  poles,
  sessions,
  staffNotificationSettings,
  staffRegions,
  users,
} from '../../db/schema.ts';
import { Conflict } from '../../lib/errors.ts';
import { amiLeadConflict, organisationsLeadingDossiers } from '../organisations/queries.ts';
import { lastCoordinatorConflict, polesLeftWithoutCoordinator } from '../poles/coordination.ts';

/** What deleting an account does: the organisations deleted with it, those kept (with their new owner). */
export interface DeletionPlan {
  deleted: Array<{ id: number; name: string }>;
  kept: Array<{ id: number; name: string; newOwner: string | null }>;
  /** Pôles the account's organisations alone coordinate: deletion is refused while there are any. */
  orphanedPoles?: Array<{ name: string; slug: string }>;
  /** Organisations deleted with the account that lead an AMI dossier: deletion is refused while there are any. */
  amiLeads?: Array<{ id: number; name: string }>;
}

/** The organisations a user acts for, with their role. */
export function listUserOrganisations(db: Db, userId: number) {
  return db
    .select({ id: organisations.id, name: organisations.name, role: organisationMembers.role })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId))
    .orderBy(asc(organisations.name));
}

/**
 * What waits for the user: pôle invitations addressed to an organisation the user acts for (the
 * organisation accepts them on the pôle page) and unexpired organisation invitations sent to the
 * user's address (accepted from the emailed link or from « Mon compte »).
 */
export async function listPendingInvitations(db: Db, user: { id: number; email: string }, now: Date) {
  const [pole, organisation] = await Promise.all([
    db
      .select({
        poleSlug: poles.slug,
        poleName: poles.name,
        organisationId: organisations.id,
        organisationName: organisations.name,
      })
      .from(poleMembers)
      .innerJoin(poles, eq(poles.id, poleMembers.poleId))
      .innerJoin(organisations, eq(organisations.id, poleMembers.organisationId))
      .innerJoin(
        organisationMembers,
        and(
          eq(organisationMembers.organisationId, poleMembers.organisationId),
          eq(organisationMembers.userId, user.id),
        ),
      )
      .where(eq(poleMembers.status, 'invited'))
      .orderBy(asc(poles.name)),
    db
      .select({
        id: organisationInvitations.id,
        organisationId: organisations.id,
        organisationName: organisations.name,
        role: organisationInvitations.role,
        invitedByName: users.name,
        expiresAt: organisationInvitations.expiresAt,
      })
      .from(organisationInvitations)
      .innerJoin(organisations, eq(organisations.id, organisationInvitations.organisationId))
      .leftJoin(users, eq(users.id, organisationInvitations.invitedBy))
      .where(
        and(
          eq(organisationInvitations.email, user.email.toLowerCase()),
          isNull(organisationInvitations.acceptedAt),
          gt(organisationInvitations.expiresAt, now.toISOString()),
        ),
      )
      .orderBy(asc(organisationInvitations.expiresAt)),
  ]);
  return { pole, organisation };
}

/**
 * What deleting the account does to its organisations: those where the user is the only member
 * are deleted; where the user is the only owner, the longest-standing other member becomes owner.
 */
export async function planAccountDeletion(db: Db, userId: number): Promise<DeletionPlan> {
  const mine = await db
    .select({ id: organisationMembers.organisationId, role: organisationMembers.role })
    .from(organisationMembers)
    .where(eq(organisationMembers.userId, userId));
  if (mine.length === 0) return { deleted: [], kept: [] };
  const ids = mine.map((m) => m.id);
  const others = await db
    .select({
      organisationId: organisationMembers.organisationId,
      userId: organisationMembers.userId,
      role: organisationMembers.role,
      name: users.name,
      createdAt: organisationMembers.createdAt,
    })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(and(inArray(organisationMembers.organisationId, ids), ne(organisationMembers.userId, userId)))
    .orderBy(asc(organisationMembers.createdAt));
  const names = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.id, ids));
  const plan: DeletionPlan = { deleted: [], kept: [] };
  for (const { id, name } of names) {
    const rest = others.filter((o) => o.organisationId === id);
    if (rest.length === 0) plan.deleted.push({ id, name });
    else if (rest.some((o) => o.role === 'owner')) plan.kept.push({ id, name, newOwner: null });
    else plan.kept.push({ id, name, newOwner: rest[0]!.name });
  }
  // Defect 8: a pôle keeps a coordinator, deletions included.
  plan.orphanedPoles = await polesLeftWithoutCoordinator(
    db,
    plan.deleted.map((o) => o.id),
  );
  plan.amiLeads = await organisationsLeadingDossiers(
    db,
    plan.deleted.map((o) => o.id),
  );
  return plan;
}

/** Deletes the account as planned by `planAccountDeletion`, in one atomic batch. */
export async function deleteAccount(db: Db, userId: number): Promise<DeletionPlan> {
  const plan = await planAccountDeletion(db, userId);
  if (plan.orphanedPoles?.length) throw lastCoordinatorConflict(plan.orphanedPoles.map((p) => p.name));
  if (plan.amiLeads?.length) throw amiLeadConflict(plan.amiLeads.map((o) => o.name));
  const promotions = plan.kept.filter((o) => o.newOwner !== null);
  const promoted =
    promotions.length === 0
      ? []
      : await db
          .select({
            organisationId: organisationMembers.organisationId,
            userId: organisationMembers.userId,
            createdAt: organisationMembers.createdAt,
          })
          .from(organisationMembers)
          .where(
            and(
              inArray(
                organisationMembers.organisationId,
                promotions.map((o) => o.id),
              ),
              ne(organisationMembers.userId, userId),
            ),
          )
          .orderBy(asc(organisationMembers.createdAt));
  const firstPerOrg = new Map<number, number>();
  for (const row of promoted)
    if (!firstPerOrg.has(row.organisationId)) firstPerOrg.set(row.organisationId, row.userId);
  // Dependent rows are deleted explicitly: foreign-key cascades are not guaranteed on every libSQL host.
  await db.batch([
    db.delete(sessions).where(eq(sessions.userId, userId)),
    db.delete(apiTokens).where(eq(apiTokens.userId, userId)),
    db.delete(authTokens).where(eq(authTokens.userId, userId)),
    db.delete(staffRegions).where(eq(staffRegions.userId, userId)),
    db.delete(staffNotificationSettings).where(eq(staffNotificationSettings.userId, userId)),
    db.delete(organisationMembers).where(eq(organisationMembers.userId, userId)),
    ...[...firstPerOrg].map(([organisationId, newOwner]) =>
      db
        .update(organisationMembers)
        .set({ role: 'owner' })
        .where(
          and(
            eq(organisationMembers.organisationId, organisationId),
            eq(organisationMembers.userId, newOwner),
          ),
        ),
    ),
    ...(plan.deleted.length > 0
      ? [
          db.delete(poleMembers).where(
            inArray(
              poleMembers.organisationId,
              plan.deleted.map((o) => o.id),
            ),
          ),
          db.delete(organisationThemes).where(
            inArray(
              organisationThemes.organisationId,
              plan.deleted.map((o) => o.id),
            ),
          ),
          db.delete(organisationInvitations).where(
            inArray(
              organisationInvitations.organisationId,
              plan.deleted.map((o) => o.id),
            ),
          ),
          db.delete(organisations).where(
            inArray(
              organisations.id,
              plan.deleted.map((o) => o.id),
            ),
          ),
        ]
      : []),
    db.delete(users).where(eq(users.id, userId)),
  ]);
  return plan;
}

/** Everything the platform holds about a user (RGPD right of access and portability). */
export async function exportUserData(db: Db, userId: number) {
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      emailVerifiedAt: users.emailVerifiedAt,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  const memberships = await db
    .select({
      organisation: organisations,
      role: organisationMembers.role,
      since: organisationMembers.createdAt,
    })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId));
  const orgIds = memberships.map((m) => m.organisation.id);
  const poleMemberships =
    orgIds.length === 0
      ? []
      : await db
          .select({
            organisationId: poleMembers.organisationId,
            pole: poles.name,
            slug: poles.slug,
            role: poleMembers.role,
            status: poleMembers.status,
          })
          .from(poleMembers)
          .innerJoin(poles, eq(poles.id, poleMembers.poleId))
          .where(inArray(poleMembers.organisationId, orgIds));
  return {
    exportedAt: new Date().toISOString(),
    account: user,
    organisations: memberships.map((m) => ({ ...m.organisation, myRole: m.role, memberSince: m.since })),
    poleMemberships,
    sessions: await db
      .select({
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        expiresAt: sessions.expiresAt,
        userAgent: sessions.userAgent,
      })
      .from(sessions)
      .where(eq(sessions.userId, userId)),
    apiTokens: await db
      .select({
        name: apiTokens.name,
        prefix: apiTokens.prefix,
        createdAt: apiTokens.createdAt,
        lastUsedAt: apiTokens.lastUsedAt,
      })
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId)),
    emailsSent: user
      ? await db
          .select({ subject: emails.subject, createdAt: emails.createdAt, sentAt: emails.sentAt })
          .from(emails)
          .where(eq(emails.to, user.email))
      : [],
  };
}

/** Accounts for the admin page, filtered by name or email. */
export function listUsers(db: Db, q: string) {
  const pattern = `%${q.replace(/[%_]/g, '')}%`;
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(q ? or(like(users.email, pattern), like(users.name, pattern)) : undefined)
    .orderBy(asc(users.email))
    .limit(200);
}

/** Changes a platform role; the last admin cannot lose the role (409). Returns false if no such user. */
export async function setUserRole(
  db: Db,
  userId: number,
  role: 'member' | 'instructor' | 'admin',
  now: Date,
): Promise<boolean> {
  const [target] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  if (!target) return false;
  if (target.role === 'admin' && role !== 'admin') {
    const [{ admins }] = (await db
      .select({ admins: sql<number>`count(*)` })
      .from(users)
      .where(eq(users.role, 'admin'))) as [{ admins: number }];
    if (admins <= 1) throw new Conflict('Il doit rester au moins un compte administrateur.');
  }
  // Régions only scope instructors: another role drops them (a later instructor starts national).
  await db.batch([
    db.update(users).set({ role, updatedAt: now.toISOString() }).where(eq(users.id, userId)),
    ...(role === 'instructor' ? [] : [db.delete(staffRegions).where(eq(staffRegions.userId, userId))]),
  ]);
  return true;
}
