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
