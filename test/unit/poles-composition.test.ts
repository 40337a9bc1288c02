import { describe, expect, it } from 'vitest';
import {
  countKinds,
  poleComposition,
  slugify,
  slugWithSuffix,
} from '../../src/features/poles/composition.ts';
import { type MemberStatus, nextMemberStatus, poleRights } from '../../src/features/poles/membership.ts';

describe('poleComposition', () => {
  it.each<[string, string[], boolean, Record<string, boolean>]>([
    [
      'no member',
      [],
      false,
      { threeMembers: false, essEnterprise: false, nonEssEnterprise: false, otherActor: false },
    ],
    [
      'the three kinds',
      ['ess', 'sme', 'research'],
      true,
      { threeMembers: true, essEnterprise: true, nonEssEnterprise: true, otherActor: true },
    ],
    [
      'a collectivité as the other actor',
      ['sme', 'local_authority', 'ess', 'network'],
      true,
      { threeMembers: true, essEnterprise: true, nonEssEnterprise: true, otherActor: true },
    ],
    [
      'a training body as the other actor',
      ['training', 'sme', 'ess'],
      true,
      { threeMembers: true, essEnterprise: true, nonEssEnterprise: true, otherActor: true },
    ],
    [
      'two members only',
      ['ess', 'sme'],
      false,
      { threeMembers: false, essEnterprise: true, nonEssEnterprise: true, otherActor: false },
    ],
    [
      'no ESS enterprise',
      ['sme', 'sme', 'research'],
      false,
      { threeMembers: true, essEnterprise: false, nonEssEnterprise: true, otherActor: true },
    ],
    [
      'no non-ESS enterprise',
      ['ess', 'ess', 'local_authority'],
      false,
      { threeMembers: true, essEnterprise: true, nonEssEnterprise: false, otherActor: true },
    ],
    [
      'networks and others are not "other actors"',
      ['ess', 'sme', 'network', 'other'],
      false,
      { threeMembers: true, essEnterprise: true, nonEssEnterprise: true, otherActor: false },
    ],
  ])('%s', (_, kinds, meets, criteria) => {
    const composition = poleComposition(countKinds(kinds));
    expect(composition.meetsDefinition).toBe(meets);
    expect(composition.criteria).toEqual(criteria);
    expect(composition.counts.members).toBe(kinds.length);
  });
});

describe('slugify', () => {
  it.each([
    ['PTCE Centre Isère', 'ptce-centre-isere'],
    ['La Serre – Le Multiple', 'la-serre-le-multiple'],
    ["L'Île-Saint-Denis : Cité Phares", 'l-ile-saint-denis-cite-phares'],
    ['Cœur de Savoie', 'coeur-de-savoie'],
    ['  --Économie__Sociale--  ', 'economie-sociale'],
    ['<script>alert(1)</script>', 'script-alert-1-script'],
    ['!!!', 'pole'],
    ['', 'pole'],
  ])('%j → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('stays within 80 characters without a trailing hyphen', () => {
    const slug = slugify(`${'mot '.repeat(40)}fin`);
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith('-')).toBe(false);
  });

  it('suffixes -2, -3… within the length limit', () => {
    expect(slugWithSuffix('pole', 1)).toBe('pole');
    expect(slugWithSuffix('pole', 2)).toBe('pole-2');
    const long = slugWithSuffix('a'.repeat(80), 12);
    expect(long).toHaveLength(80);
    expect(long.endsWith('-12')).toBe(true);
  });
});

describe('nextMemberStatus', () => {
  it.each<[MemberStatus | null, 'add' | 'invite' | 'request', MemberStatus]>([
    [null, 'add', 'active'],
    [null, 'invite', 'invited'],
    [null, 'request', 'requested'],
    ['requested', 'invite', 'active'],
    ['invited', 'request', 'active'],
    ['invited', 'invite', 'invited'],
    ['requested', 'request', 'requested'],
    ['requested', 'add', 'active'],
    ['active', 'request', 'active'],
    ['active', 'invite', 'active'],
  ])('%s + %s → %s', (current, action, expected) => {
    expect(nextMemberStatus(current, action)).toBe(expected);
  });
});

describe('poleRights', () => {
  const members = [
    { organisationId: 1, role: 'coordinator' as const, status: 'active' as const },
    { organisationId: 2, role: 'member' as const, status: 'active' as const },
    { organisationId: 3, role: 'coordinator' as const, status: 'invited' as const },
  ];

  it.each<[string, { role: 'member' | 'instructor' | 'admin' } | null, number[], boolean, boolean]>([
    ['anonymous', null, [], false, false],
    ['a member organisation', { role: 'member' }, [2], false, false],
    ['the coordinator', { role: 'member' }, [1], true, false],
    ['an invited coordinator', { role: 'member' }, [3], false, false],
    ['an instructor', { role: 'instructor' }, [], true, true],
    ['an admin', { role: 'admin' }, [], true, true],
  ])('%s', (_, viewer, acting, manage, status) => {
    const rights = poleRights(viewer, members, acting);
    expect(rights.canEdit).toBe(manage);
    expect(rights.canManageMembers).toBe(manage);
    expect(rights.canSetStatus).toBe(status);
  });
});
