/**
 * Pôle membership rules (pure): who may manage a pôle, and how a membership moves between
 * `invited` (the coordinator asked, the organisation accepts), `requested` (the organisation asked,
 * the coordinator accepts) and `active`.
 */

export type MemberRole = 'coordinator' | 'member';
export type MemberStatus = 'active' | 'invited' | 'requested';

/**
 * - `add`: the coordinator adds an organisation directly (API);
 * - `invite`: the coordinator invites it (pages), the organisation then accepts;
 * - `request`: the organisation asks to join (or accepts an invitation).
 */
export type MembershipAction = 'add' | 'invite' | 'request';

/**
 * The status a membership takes after an action. An invitation meeting a pending request (or the
 * reverse) means both sides agree: the organisation becomes active.
 */
export function nextMemberStatus(current: MemberStatus | null, action: MembershipAction): MemberStatus {
  if (current === 'active' || action === 'add') return 'active';
  if (action === 'invite') return current === 'requested' ? 'active' : 'invited';
  return current === 'invited' ? 'active' : 'requested';
}

export interface MemberRef {
  organisationId: number;
  role: MemberRole;
  status: MemberStatus;
}

export interface PoleRights {
  /** Instructor or admin: moderates every pôle, alone can set its status. */
  isStaff: boolean;
  /** The viewer's organisations that coordinate this pôle. */
  coordinatorOrgIds: number[];
  /** Edit the pôle's description, territory, themes. */
  canEdit: boolean;
  /** Invite, add, accept, remove members. */
  canManageMembers: boolean;
  canSetStatus: boolean;
}

/** Only active coordinators count: an invited "coordinator" has no rights yet. */
export function activeCoordinatorIds(members: readonly MemberRef[]): number[] {
  return members
    .filter((m) => m.role === 'coordinator' && m.status === 'active')
    .map((m) => m.organisationId);
}

/**
 * What a viewer may do on a pôle, from its members and the organisations the viewer acts for
 * (as owner or editor).
 */
export function poleRights(
  viewer: { role: 'member' | 'instructor' | 'admin' } | null,
  members: readonly MemberRef[],
  actingOrgIds: readonly number[],
): PoleRights {
  const isStaff = viewer?.role === 'instructor' || viewer?.role === 'admin';
  const coordinatorOrgIds = viewer
    ? activeCoordinatorIds(members).filter((id) => actingOrgIds.includes(id))
    : [];
  const isCoordinator = coordinatorOrgIds.length > 0;
  return {
    isStaff,
    coordinatorOrgIds,
    canEdit: isStaff || isCoordinator,
    canManageMembers: isStaff || isCoordinator,
    canSetStatus: isStaff,
  };
}

/** The membership actions a viewer may take on one member of a pôle (pure; views and handlers). */
export interface MemberActions {
  /** Accept a pending request (coordination) or invitation (the organisation). */
  accept: boolean;
  /** Decline / refuse / withdraw a pending membership, leave, or remove an active member. */
  remove: boolean;
  /** How the removal reads for this viewer. */
  removeKind: 'decline' | 'refuse' | 'cancel_invitation' | 'withdraw_request' | 'leave' | 'remove' | null;
  /** Make an active member a coordinator. */
  promote: boolean;
  /** Make a coordinator a plain member again (never the last active coordinator). */
  demote: boolean;
}

/**
 * Who may do what on a member: the side that did not start a pending membership accepts it, either
 * side may withdraw it; an active member leaves (its own organisation) or is removed (coordination,
 * staff); the coordination changes roles. The only active coordinator can neither leave nor step
 * down, so no button offers what the server would refuse.
 */
export function memberActions(
  member: MemberRef,
  rights: Pick<PoleRights, 'canManageMembers'>,
  ours: boolean,
  members: readonly MemberRef[],
): MemberActions {
  const manage = rights.canManageMembers;
  if (member.status !== 'active') {
    const accept = member.status === 'invited' ? ours : manage;
    const remove = ours || manage;
    const removeKind = !remove
      ? null
      : accept
        ? member.status === 'invited'
          ? 'decline'
          : 'refuse'
        : member.status === 'invited'
          ? 'cancel_invitation'
          : 'withdraw_request';
    return { accept, remove, removeKind, promote: false, demote: false };
  }
  const coordinators = activeCoordinatorIds(members);
  const lastCoordinator = coordinators.length === 1 && coordinators[0] === member.organisationId;
  const remove = !lastCoordinator && (ours || manage);
  return {
    accept: false,
    remove,
    removeKind: remove ? (ours ? 'leave' : 'remove') : null,
    promote: manage && member.role === 'member',
    demote: manage && member.role === 'coordinator' && !lastCoordinator,
  };
}

/**
 * What a coordinator's (or staff's) request to add an organisation becomes (defect 17): staff may
 * make it an active member directly (recorded); anyone else invites it, and the organisation
 * accepts. The organisation's own people ask to join instead.
 */
export function additionAction(
  rights: Pick<PoleRights, 'canManageMembers' | 'isStaff'>,
  actsForOrganisation: boolean,
  wantsDirect: boolean,
): MembershipAction | null {
  if (rights.canManageMembers) return wantsDirect && rights.isStaff ? 'add' : 'invite';
  return actsForOrganisation ? 'request' : null;
}

/** The action that accepts a pending membership for this viewer, or null if they may not. */
export function acceptanceAction(
  member: MemberRef,
  rights: Pick<PoleRights, 'canManageMembers'>,
  ours: boolean,
  members: readonly MemberRef[],
): Extract<MembershipAction, 'invite' | 'request'> | null {
  if (!memberActions(member, rights, ours, members).accept) return null;
  return member.status === 'requested' ? 'invite' : 'request';
}
