import { describe, expect, it } from 'vitest';
import { memberRemovable, organisationRights } from '../../src/features/organisations/permissions.ts';
import {
  acceptanceAction,
  additionAction,
  type MemberRef,
  memberActions,
} from '../../src/features/poles/membership.ts';

const coordinator = (id: number, status: MemberRef['status'] = 'active'): MemberRef => ({
  organisationId: id,
  role: 'coordinator',
  status,
});
const member = (id: number, status: MemberRef['status'] = 'active'): MemberRef => ({
  organisationId: id,
  role: 'member',
  status,
});
const manage = { canManageMembers: true };
const none = { canManageMembers: false };

describe('memberActions', () => {
  const onlyCoordinator = [coordinator(1), member(2)];
  const twoCoordinators = [coordinator(1), coordinator(3), member(2)];
  it.each([
    // [case, member, rights, ours, members, expected]
    [
      'coordination on a plain member',
      member(2),
      manage,
      false,
      onlyCoordinator,
      { accept: false, remove: true, removeKind: 'remove', promote: true, demote: false },
    ],
    [
      'the member itself',
      member(2),
      none,
      true,
      onlyCoordinator,
      { accept: false, remove: true, removeKind: 'leave', promote: false, demote: false },
    ],
    [
      'a stranger',
      member(2),
      none,
      false,
      onlyCoordinator,
      { accept: false, remove: false, removeKind: null, promote: false, demote: false },
    ],
    [
      'the only coordinator, on itself',
      coordinator(1),
      manage,
      true,
      onlyCoordinator,
      { accept: false, remove: false, removeKind: null, promote: false, demote: false },
    ],
    [
      'one of two coordinators',
      coordinator(1),
      manage,
      true,
      twoCoordinators,
      { accept: false, remove: true, removeKind: 'leave', promote: false, demote: true },
    ],
    [
      'coordination on an invitation',
      member(4, 'invited'),
      manage,
      false,
      onlyCoordinator,
      { accept: false, remove: true, removeKind: 'cancel_invitation', promote: false, demote: false },
    ],
    [
      'the invited organisation',
      member(4, 'invited'),
      none,
      true,
      onlyCoordinator,
      { accept: true, remove: true, removeKind: 'decline', promote: false, demote: false },
    ],
    [
      'coordination on a request',
      member(4, 'requested'),
      manage,
      false,
      onlyCoordinator,
      { accept: true, remove: true, removeKind: 'refuse', promote: false, demote: false },
    ],
    [
      'the requesting organisation',
      member(4, 'requested'),
      none,
      true,
      onlyCoordinator,
      { accept: false, remove: true, removeKind: 'withdraw_request', promote: false, demote: false },
    ],
    [
      'a stranger on a request',
      member(4, 'requested'),
      none,
      false,
      onlyCoordinator,
      { accept: false, remove: false, removeKind: null, promote: false, demote: false },
    ],
  ] as const)('%s', (_, m, rights, ours, members, expected) => {
    expect(memberActions(m, rights, ours, members)).toEqual(expected);
  });
});

describe('additionAction (defect 17)', () => {
  it.each([
    ['staff asking for a direct addition', { canManageMembers: true, isStaff: true }, false, true, 'add'],
    ['staff without asking', { canManageMembers: true, isStaff: true }, false, false, 'invite'],
    [
      'a coordinator asking for a direct addition',
      { canManageMembers: true, isStaff: false },
      false,
      true,
      'invite',
    ],
    ['the organisation itself', { canManageMembers: false, isStaff: false }, true, true, 'request'],
    ['a stranger', { canManageMembers: false, isStaff: false }, false, true, null],
  ] as const)('%s → %s', (_, rights, acts, direct, expected) => {
    expect(additionAction(rights, acts, direct)).toBe(expected);
  });
});

describe('acceptanceAction', () => {
  it('the coordination accepts a request, the organisation an invitation, nobody else', () => {
    const members = [coordinator(1)];
    expect(acceptanceAction(member(2, 'requested'), manage, false, members)).toBe('invite');
    expect(acceptanceAction(member(2, 'invited'), none, true, members)).toBe('request');
    expect(acceptanceAction(member(2, 'invited'), manage, false, members)).toBeNull();
    expect(acceptanceAction(member(2, 'requested'), none, true, members)).toBeNull();
    expect(acceptanceAction(member(2), manage, false, members)).toBeNull();
  });
});

describe('organisationRights', () => {
  const verified = (role: 'member' | 'instructor' | 'admin') => ({ role, emailVerified: true });
  it.each([
    [
      'anonymous',
      null,
      null,
      { canEdit: false, canManage: false, canSeeMembers: false, canSeeContact: false },
    ],
    [
      'signed-in stranger',
      verified('member'),
      null,
      { canEdit: false, canManage: false, canSeeMembers: false, canSeeContact: true },
    ],
    [
      'editor',
      verified('member'),
      'editor',
      { canEdit: true, canManage: false, canSeeMembers: true, canSeeContact: true },
    ],
    [
      'owner',
      verified('member'),
      'owner',
      { canEdit: true, canManage: true, canSeeMembers: true, canSeeContact: true },
    ],
    [
      'owner, email not confirmed',
      { role: 'member', emailVerified: false },
      'owner',
      { canEdit: false, canManage: false, canSeeMembers: true, canSeeContact: true },
    ],
    [
      'admin',
      verified('admin'),
      null,
      { canEdit: true, canManage: false, canSeeMembers: true, canSeeContact: true },
    ],
    [
      'instructor',
      verified('instructor'),
      null,
      { canEdit: false, canManage: false, canSeeMembers: false, canSeeContact: true },
    ],
  ] as const)('%s', (_, viewer, role, expected) => {
    expect(organisationRights(viewer, role)).toEqual(expected);
  });
});

describe('memberRemovable', () => {
  it('never the last owner; any editor; an owner when another remains', () => {
    const one = [
      { userId: 1, role: 'owner' as const },
      { userId: 2, role: 'editor' as const },
    ];
    expect(memberRemovable(one, 1)).toEqual({ remove: false, changeRole: false });
    expect(memberRemovable(one, 2)).toEqual({ remove: true, changeRole: true });
    expect(memberRemovable([...one, { userId: 3, role: 'owner' }], 1)).toEqual({
      remove: true,
      changeRole: true,
    });
    expect(memberRemovable(one, 9)).toEqual({ remove: false, changeRole: false });
  });
});
