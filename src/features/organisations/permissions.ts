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
