import { normalizeName } from './normalize.ts';

/** Prefixes shorter than this are matched as whole words only (no `a*` expanding to everything). */
const MIN_PREFIX = 3;

/**
 * Turns what a user typed into an FTS5 MATCH expression: every word must appear (AND), accents and
 * case ignored, words of 3+ characters also match as prefixes. Returns null when nothing is left
 * (then the caller does not filter by text). Quoting each token neutralises FTS5 syntax (`"`, `*`, `-`, `OR`).
 * @example ftsQuery('Économie solid') // '"economie"* "solid"*'
 */
export function ftsQuery(input: string | undefined): string | null {
  if (!input) return null;
  const words = normalizeName(input).split(' ').filter(Boolean).slice(0, 8);
  if (words.length === 0) return null;
  return words.map((word) => (word.length >= MIN_PREFIX ? `"${word}"*` : `"${word}"`)).join(' ');
}

/**
 * A latitude/longitude box that contains every point within `km` of the centre: the cheap indexed
 * pre-filter before the exact great-circle distance.
 */
export function boundingBox(lat: number, lon: number, km: number) {
  const dLat = km / 111.2;
  const dLon = km / (111.2 * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
  return { minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon };
}
