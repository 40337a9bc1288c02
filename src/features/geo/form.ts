import type { Db } from '../../db/client.ts';
import type { FormValues } from '../../lib/form.ts';
import { type Commune, resolveCommuneInput } from './queries.ts';

/** The commune picker as a form shows it back: the chosen commune, the typed text, the candidates. */
export interface CommunePicker {
  selected?: Commune | undefined;
  query?: string | undefined;
  candidates: Commune[];
}

const first = (value: string | string[] | undefined) =>
  Array.isArray(value) ? (value[0] ?? '') : (value ?? '');

export const AMBIGUOUS_COMMUNE = 'Plusieurs communes correspondent : choisissez la vôtre dans la liste.';
export const UNKNOWN_COMMUNE = 'Commune inconnue.';

/**
 * Resolves a form's commune picker (`<name>` holds a chosen code, `<name>Query` the typed text,
 * as `CommuneField` sends them), for every form that places something at a commune. Writes the
 * resolved code back into `values[name]` (or `''`), and returns the picker to show and the field
 * message when no single commune matches. Meant for `validForm`'s `prepare` and renderers.
 */
export async function resolveCommunePicker(
  db: Db,
  values: FormValues,
  name: string,
  missing: string,
): Promise<{ picker: CommunePicker; error?: string }> {
  const query = first(values[`${name}Query`]).slice(0, 100);
  const resolved = await resolveCommuneInput(db, { code: first(values[name]) || undefined, query });
  values[name] = resolved.commune?.code ?? '';
  const picker: CommunePicker = {
    selected: resolved.commune,
    query: resolved.commune ? resolved.commune.name : query,
    candidates: resolved.candidates,
  };
  if (resolved.commune) return { picker };
  const error = !query.trim()
    ? missing
    : resolved.candidates.length > 1
      ? AMBIGUOUS_COMMUNE
      : UNKNOWN_COMMUNE;
  return { picker, error };
}
