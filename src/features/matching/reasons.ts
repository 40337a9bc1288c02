/**
 * Why a candidate is suggested, in short concrete French (pure): the distance, what it offers for
 * my needs, what it needs that I offer, the pôle and the themes in common.
 */
import { THEME_LABELS } from '../themes/labels.ts';
import type { MatchedPair, ScoredCandidate } from './scoring.ts';

/** At most this many listing pairs are named (the best ones). */
export const MAX_PAIR_REASONS = 2;

/** « 12 km », « moins d’1 km »: whole kilometres, as people say them. */
export function distanceLabel(km: number): string {
  if (km < 1) return 'moins d’1 km';
  return `${Math.round(km).toLocaleString('fr-FR')} km`;
}

/** A title inside a sentence: its first letter lowercased, unless it starts an acronym (« PTCE »). */
export function inSentence(title: string): string {
  const trimmed = title.trim();
  const [first, second] = [...trimmed];
  if (!first || (second && second === second.toUpperCase() && second !== second.toLowerCase()))
    return trimmed;
  return first.toLowerCase() + trimmed.slice(first.length);
}

/** One pair as a reason: what they offer for my need, or what they need that I offer. */
export function pairReason(pair: MatchedPair): string {
  if (pair.theirs.type === 'offer') return `Propose : ${inSentence(pair.theirs.title)}`;
  return `Recherche : ${inSentence(pair.theirs.title)} — vous proposez : ${inSentence(pair.mine.title)}`;
}

export function themeLabel(theme: string): string {
  return (THEME_LABELS as Record<string, string>)[theme]?.toLowerCase() ?? theme;
}

export interface ReasonFacts {
  distanceKm: number;
  communeName: string;
  /** Names of the pôles, by id (the shared ones at least). */
  poleNames: ReadonlyMap<number, string>;
}

/** The reasons of one suggestion, most telling first. */
export function reasonsFor(scored: ScoredCandidate, facts: ReasonFacts): string[] {
  const reasons = [`À ${distanceLabel(facts.distanceKm)} (${facts.communeName})`];
  const named = new Set<number>();
  for (const pair of scored.pairs) {
    if (named.size >= MAX_PAIR_REASONS) break;
    if (named.has(pair.theirs.id)) continue;
    named.add(pair.theirs.id);
    reasons.push(pairReason(pair));
  }
  const poles = scored.sharedPoleIds.flatMap((id) => facts.poleNames.get(id) ?? []);
  if (poles.length > 0)
    reasons.push(
      `${poles.length > 1 ? 'Membres des mêmes pôles' : 'Membre du même pôle'} : ${poles.join(', ')}`,
    );
  const themes = scored.sharedThemes.map(themeLabel);
  if (themes.length > 0)
    reasons.push(
      `${themes.length} ${themes.length > 1 ? 'thèmes' : 'thème'} en commun : ${themes.join(', ')}`,
    );
  return reasons;
}
