/** Prefixes shorter than this are matched as whole words only (no `a*` expanding to everything). */
const MIN_PREFIX = 3;

/*
 * The FTS prefix indexes (migration 0005) hold prefixes of 2 to 10 characters. A longer word is still
 * matched as a prefix of the whole word, never cut short ("menuiseriezz" must not match
 * "menuiserie"): FTS5 then reads the few terms in that range of its main index, which is cheap for
 * long prefixes (the costly case, short prefixes, is the one the prefix indexes serve).
 */

/** Letters and digits of any script; the FTS tokenizer (unicode61) keeps the same characters in tokens. */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Turns what a user typed into an FTS5 MATCH expression: every word must appear (AND), accents and
 * case ignored, words of 3+ characters also match as prefixes. Words of any script count (`日本`
 * matches literally). Returns null when nothing was typed but spaces and punctuation (then the caller
 * does not filter by text); a search of symbols only (emoji) gives a phrase that matches nothing,
 * never the whole directory. Quoting each token neutralises FTS5 syntax (`"`, `*`, `-`, `OR`).
 * @example ftsQuery('Économie solid') // '"economie"* "solid"*'
 */
export function ftsQuery(input: string | undefined): string | null {
  if (!input) return null;
  const folded = input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
  const words = (folded.match(WORD) ?? []).slice(0, 8);
  if (words.length === 0) return /\p{S}/u.test(input) ? NOTHING : null;
  return words
    .map((word) => {
      if ([...word].length < MIN_PREFIX) return `"${word}"`;
      return `"${word}"*`;
    })
    .join(' ');
}

/** An empty phrase: FTS5 matches no row with it. */
export const NOTHING = '""';

/**
 * A latitude/longitude box that contains every point within `km` of the centre: the cheap indexed
 * pre-filter before the exact great-circle distance.
 */
export function boundingBox(lat: number, lon: number, km: number) {
  const dLat = km / 111.2;
  const dLon = km / (111.2 * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
  return { minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon };
}
