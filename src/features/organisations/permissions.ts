import type { SessionUser } from '../../lib/context.ts';

/** A user's role in an organisation. */
export type MemberRole = 'owner' | 'editor';

export const MEMBER_ROLES = ['owner', 'editor'] as const satisfies readonly MemberRole[];

/** What can be done to an organisation once signed in. */
export type OrganisationAction = 'edit' | 'delete' | 'manageMembers';

/**
 * Who may do what to an organisation: owners everything, editors edit its record, platform
 * admins edit any record (moderation). Deletion and membership stay with the owners.
 */
export function isAllowed(
  action: OrganisationAction,
  platformRole: SessionUser['role'],
  memberRole: MemberRole | null,
): boolean {
  switch (action) {
    case 'edit':
      return memberRole !== null || platformRole === 'admin';
    case 'delete':
    case 'manageMembers':
      return memberRole === 'owner';
  }
}

/** Why an action is refused, in French, for the 403 answer. */
export const REFUSALS: Record<OrganisationAction, string> = {
  edit: 'Seuls les membres de l’organisation peuvent la modifier.',
  delete: 'Seuls les propriétaires de l’organisation peuvent la supprimer.',
  manageMembers: 'Seuls les propriétaires de l’organisation peuvent gérer ses membres.',
};

/** What the viewer of an organisation page may see and do (pure; used by handlers and views). */
export interface OrganisationRights {
  /** Edit the record (members, admins), with a confirmed email. */
  canEdit: boolean;
  /** Delete, invite, manage members, answer access requests (owners, confirmed email). */
  canManage: boolean;
  /** See who manages the organisation (its members and admins). */
  canSeeMembers: boolean;
  /** See the contact address (any signed-in viewer). */
  canSeeContact: boolean;
}

export function organisationRights(
  viewer: Pick<SessionUser, 'role' | 'emailVerified'> | null,
  memberRole: MemberRole | null,
): OrganisationRights {
  const verified = !!viewer?.emailVerified;
  return {
    canEdit: verified && isAllowed('edit', viewer!.role, memberRole),
    canManage: verified && isAllowed('manageMembers', viewer!.role, memberRole),
    canSeeMembers: memberRole !== null || viewer?.role === 'admin',
    canSeeContact: viewer !== null,
  };
}

/** The actions an owner has on one member: an organisation always keeps an owner. */
export function memberRemovable(
  members: ReadonlyArray<{ userId: number; role: MemberRole }>,
  userId: number,
): { remove: boolean; changeRole: boolean } {
  const member = members.find((m) => m.userId === userId);
  if (!member) return { remove: false, changeRole: false };
  const owners = members.filter((m) => m.role === 'owner').length;
  const lastOwner = member.role === 'owner' && owners <= 1;
  return { remove: !lastOwner, changeRole: !lastOwner };
}
