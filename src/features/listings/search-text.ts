import { stemmer } from '@orama/stemmers/french';

/**
 * French-aware search text: the same function turns a listing's title and description into the
 * indexed words (`listings.stem_title` / `stem_body`, indexed by `listings_fts`) and a query's
 * words into the searched ones, so `locaux` finds `local`, `vehicule` finds `véhicules` and
 * `energie` finds `énergie`. Words are lowercased and stripped of accents *before* stemming, so a
 * word typed with or without its accents gives one stem (the Snowball French stemmer of
 * `@orama/stemmers` otherwise stems `énergie` and `energie` differently).
 */
export function stemWord(word: string): string {
  return stemmer(stripAccents(word.toLowerCase()));
}

/** The words of a text (letters and digits, any script), in order. */
export function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A text as `listings_fts` indexes it: its words, stemmed, separated by one space. */
export function stemText(text: string): string {
  return wordsOf(text).map(stemWord).join(' ');
}

function stripAccents(value: string): string {
  return value.normalize('NFD').replace(/\p{M}+/gu, '');
}
