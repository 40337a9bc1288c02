import type { Db } from '../../db/client.ts';
import type { SessionUser } from '../../lib/context.ts';
import { Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { poleMembershipEmail } from '../notifications/emails.ts';
import { countEmailAction } from '../notifications/limits.ts';
import { sendEmail } from '../notifications/mailer.ts';
import {
  acceptanceAction,
  activeCoordinatorIds,
  additionAction,
  type MemberRole,
  type MemberStatus,
  poleRights,
} from './membership.ts';
import {
  applyMembershipAction,
  getOrganisationSummary,
  listActingOrganisations,
  organisationContactEmails,
  type PoleDetail,
  removeMembership,
  setMemberRole,
} from './queries.ts';

/**
 * What the pôle membership services need, passed explicitly (no Hono context), so that the CLI and
 * scheduled jobs can call them: the database, the mail deps (clock, transport, log, config) and
 * the public origin for links in emails.
 */
export type PoleServiceDeps = ServiceDeps;

/** The requester: a signed-in user (id and platform role), or nobody. */
export type Viewer = Pick<SessionUser, 'id' | 'role'>;

/** What the viewer may do on this pôle, and the organisations they act for (owner or editor). */
export async function poleAccess(db: Db, viewer: Viewer | null, pole: PoleDetail) {
  const organisations = viewer ? await listActingOrganisations(db, viewer.id) : [];
  const actingIds = organisations.map((o) => o.id);
  return { organisations, actingIds, rights: poleRights(viewer, pole.members, actingIds) };
}

/** Emails the other side of a membership change (failures stay in the outbox). */
async function notifyMembership(
  deps: PoleServiceDeps,
  pole: PoleDetail,
  organisation: { id: number; name: string },
  previous: MemberStatus | null,
  status: MemberStatus,
) {
  if (status === previous) return;
  const event =
    status === 'invited'
      ? 'invited'
      : status === 'requested'
        ? 'requested'
        : previous === 'invited'
          ? 'accepted_invitation'
          : 'added';
  // Invitations and direct additions go to the organisation; requests and acceptances to the coordination.
  const to =
    event === 'invited' || event === 'added' ? [organisation.id] : activeCoordinatorIds(pole.members);
  const content = poleMembershipEmail(event, {
    poleName: pole.name,
    organisationName: organisation.name,
    link: `${deps.origin}/poles/${pole.slug}`,
  });
  for (const address of await organisationContactEmails(deps.db, to)) {
    await sendEmail(deps.db, deps, { to: address, ...content });
  }
}

/**
 * Adds an organisation to a pôle as the viewer may (see `additionAction`): the coordination invites
 * it (staff may add it directly with `direct`, recorded on the membership), the organisation's
 * owner or editor asks to join (or accepts a pending invitation). Rate-limited per viewer and per
 * organisation (defect 9). Throws `Forbidden`, `ValidationError` (unknown organisation),
 * `TooManyRequests`.
 */
export async function addToPole(
  deps: PoleServiceDeps,
  viewer: Viewer,
  pole: PoleDetail,
  organisationId: number,
  options: { direct?: boolean } = {},
) {
  const { db } = deps;
  const organisation = await getOrganisationSummary(db, organisationId);
  if (!organisation) throw new ValidationError({ organisationId: 'Organisation inconnue.' });
  const { rights, actingIds } = await poleAccess(db, viewer, pole);
  const action = additionAction(rights, actingIds.includes(organisationId), options.direct ?? false);
  if (!action) throw new Forbidden('Seule l’organisation coordinatrice peut ajouter des membres à ce pôle.');
  const now = deps.clock.now();
  const current = pole.members.find((m) => m.organisationId === organisationId);
  if (!current)
    await countEmailAction(db, now, [
      ['membershipPerUser', viewer.id],
      ['membershipPerOrganisation', organisationId],
    ]);
  const result = await applyMembershipAction(db, pole.id, organisationId, action, now, viewer.id);
  await notifyMembership(deps, pole, organisation, result.previous, result.status);
  return { organisation, ...result };
}

function memberOf(pole: PoleDetail, organisationId: number) {
  const member = pole.members.find((m) => m.organisationId === organisationId);
  if (!member) throw new NotFound('Cette organisation n’est pas membre du pôle.');
  return member;
}

/** Accepts a pending membership: the coordination a request, the organisation an invitation. */
export async function acceptMembership(
  deps: PoleServiceDeps,
  viewer: Viewer,
  pole: PoleDetail,
  organisationId: number,
) {
  const member = memberOf(pole, organisationId);
  const { rights, actingIds } = await poleAccess(deps.db, viewer, pole);
  const action = acceptanceAction(member, rights, actingIds.includes(organisationId), pole.members);
  if (!action) throw new Forbidden('Vous ne pouvez pas accepter cette adhésion.');
  const result = await applyMembershipAction(
    deps.db,
    pole.id,
    organisationId,
    action,
    deps.clock.now(),
    viewer.id,
  );
  await notifyMembership(
    deps,
    pole,
    { id: organisationId, name: member.name },
    result.previous,
    result.status,
  );
  return result;
}

/**
 * Removes a member: the organisation itself (leave, decline, withdraw) or the coordination/staff.
 * The last active coordinator cannot go (`Conflict`, checked in the statement itself).
 */
export async function removeFromPole(db: Db, viewer: Viewer, pole: PoleDetail, organisationId: number) {
  const { rights, actingIds } = await poleAccess(db, viewer, pole);
  const ours = actingIds.includes(organisationId);
  if (!rights.canManageMembers && !ours) {
    throw new Forbidden(
      'Seules l’organisation concernée et la coordination du pôle peuvent retirer ce membre.',
    );
  }
  await removeMembership(db, pole.id, organisationId);
}

/** The coordination makes an active member a coordinator, or a coordinator a plain member. */
export async function changePoleRole(
  db: Db,
  viewer: Viewer,
  pole: PoleDetail,
  organisationId: number,
  role: MemberRole,
  now: Date,
) {
  const { rights } = await poleAccess(db, viewer, pole);
  if (!rights.canManageMembers)
    throw new Forbidden('Seule la coordination du pôle peut désigner ses coordinatrices.');
  await setMemberRole(db, pole.id, organisationId, role, now);
}
