import * as z from 'zod';

/**
 * Characters refused in every text field (defect 11): C0 controls except tab and line feed, DEL,
 * C1 controls, and the Unicode bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), which let a name display as something else. NUL in particular was stored and
 * read back truncated by some clients. Carriage returns are refused too: forms turn CRLF into LF
 * before validation, and a lone CR has no business in stored text.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
/** On one line, tab and line feed are refused as well. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE_ON_ONE_LINE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export const UNSAFE_TEXT_MESSAGE =
  'Ce texte contient des caractères invisibles ou de contrôle (comme NUL ou un changement de sens d’écriture) : retirez-les.';

/** True when `value` holds a character that {@link safeText} refuses. */
export function hasUnsafeCharacters(value: string, multiline = false): boolean {
  return (multiline ? UNSAFE_CHARACTERS : UNSAFE_ON_ONE_LINE).test(value);
}

/**
 * The one zod string for free text, shared by page forms and the JSON API: trimmed, CRLF read as
 * LF, and refusing control characters and bidi overrides with a French message (422).
 * Chain `.min()` / `.max()` as on any zod string.
 *
 * @example
 * const name = safeText().min(1, 'Indiquez le nom.').max(200, 'Le nom est limité à 200 caractères.');
 * const description = safeText({ multiline: true }).max(5000);
 */
export function safeText(options: { multiline?: boolean; error?: z.core.$ZodStringParams['error'] } = {}) {
  const multiline = options.multiline ?? false;
  return z
    .string(options.error ? { error: options.error } : undefined)
    .overwrite((value) => value.replace(/\r\n?/g, multiline ? '\n' : ' '))
    .trim()
    .refine((value) => !hasUnsafeCharacters(value, multiline), UNSAFE_TEXT_MESSAGE);
}
