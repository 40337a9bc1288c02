/**
 * The PTCE legal definition, as far as membership goes: at least three legal persons, including at
 * least one ESS enterprise, one non-ESS enterprise, and one other actor (collectivité, research
 * centre or university, training body). Shown as an indicator on the pôle; it never blocks an action.
 */

/** Organisation kinds counted as "other actors" by the definition. */
export const OTHER_ACTOR_KINDS = ['local_authority', 'research', 'training'] as const;

export const COMPOSITION_CRITERIA = [
  'threeMembers',
  'essEnterprise',
  'nonEssEnterprise',
  'otherActor',
] as const;
export type CompositionCriterion = (typeof COMPOSITION_CRITERIA)[number];

/** Active members of a pôle, counted by what the definition looks at. */
export interface KindCounts {
  members: number;
  ess: number;
  sme: number;
  otherActors: number;
}

export interface Composition {
  meetsDefinition: boolean;
  counts: KindCounts;
  criteria: Record<CompositionCriterion, boolean>;
}

/** Counts a list of active members' organisation kinds. */
export function countKinds(kinds: readonly string[]): KindCounts {
  return {
    members: kinds.length,
    ess: kinds.filter((kind) => kind === 'ess').length,
    sme: kinds.filter((kind) => kind === 'sme').length,
    otherActors: kinds.filter((kind) => (OTHER_ACTOR_KINDS as readonly string[]).includes(kind)).length,
  };
}

/**
 * Whether the active members meet each criterion of the PTCE definition.
 * @example poleComposition(countKinds(['ess', 'sme', 'research'])).meetsDefinition // true
 */
export function poleComposition(counts: KindCounts): Composition {
  const criteria: Record<CompositionCriterion, boolean> = {
    threeMembers: counts.members >= 3,
    essEnterprise: counts.ess >= 1,
    nonEssEnterprise: counts.sme >= 1,
    otherActor: counts.otherActors >= 1,
  };
  return { meetsDefinition: Object.values(criteria).every(Boolean), counts, criteria };
}

/** French wording of each criterion, for the indicator on pages. */
export const CRITERION_LABELS: Record<CompositionCriterion, string> = {
  threeMembers: 'Au moins trois membres',
  essEnterprise: 'Au moins une entreprise de l’ESS',
  nonEssEnterprise: 'Au moins une entreprise hors ESS',
  otherActor: 'Au moins une collectivité, un centre de recherche ou un organisme de formation',
};

const MAX_SLUG_LENGTH = 80;

/**
 * The URL slug of a name: accents removed, lowercase, words joined by hyphens (uniqueness is
 * handled when saving, by suffixing -2, -3…). Never empty.
 * @example slugify('Pôle Économie & Solidarité') // 'pole-economie-solidarite'
 */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || 'pole';
}

/** A slug with a numeric suffix: `base`, `base-2`, `base-3`… (keeps the total within the limit). */
export function slugWithSuffix(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  return `${base.slice(0, MAX_SLUG_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
}
