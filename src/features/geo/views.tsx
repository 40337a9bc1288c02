import type { Commune } from './queries.ts';
import { departementLabel } from './territories.ts';

export interface CommuneFieldProps {
  /** Form name of the chosen code; the typed text is sent as `${name}Query`. */
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  /** The commune currently chosen, if any. */
  selected?: Commune | undefined;
  /** The text typed (kept when the form comes back with an error). */
  query?: string | undefined;
  /** Communes to offer (an ambiguous text, or suggestions). */
  candidates?: Commune[];
  error?: string | undefined;
}

/** "Voiron — Isère (38) · 38500" */
export function communeLabel(commune: Commune): string {
  const postal = commune.postalCodes.slice(0, 3).join(', ');
  return `${commune.name} — ${departementLabel(commune.departement)}${postal ? ` · ${postal}` : ''}`;
}

/**
 * The radio list of communes to choose from, swapped in by htmx as the user types and rendered by
 * the server when the typed text matched several communes (so the field works without JavaScript).
 */
export function CommuneOptions({
  name,
  candidates,
  selected,
  query,
}: {
  name: string;
  candidates: Commune[];
  selected?: Commune | undefined;
  query?: string | undefined;
}) {
  const options =
    selected && !candidates.some((c) => c.code === selected.code) ? [selected, ...candidates] : candidates;
  const id = `${name}-options`;
  // The status message stays in place across htmx updates (the input morphs this fragment), so
  // screen readers announce only its text, not the whole list of radio buttons.
  const count = options.length === 1 ? '1 commune proposée' : `${options.length} communes proposées`;
  const status = (
    <p
      id={`${name}-status`}
      role="status"
      class={options.length === 0 && query ? 'fr-hint-text fr-mt-1w' : 'fr-sr-only'}
    >
      {options.length > 0 ? count : query ? `Aucune commune ne correspond à « ${query} ».` : ''}
    </p>
  );
  if (options.length === 0) return status;
  return (
    <>
      {status}
      <fieldset class="fr-fieldset fr-mt-1w fr-mb-0" id={`${id}-fieldset`} aria-labelledby={`${id}-legend`}>
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={`${id}-legend`}>
          {options.length === 1 ? 'Commune proposée' : `${count} : choisissez la vôtre`}
        </legend>
        {options.map((commune) => (
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input
                type="radio"
                id={`${name}-${commune.code}`}
                name={name}
                value={commune.code}
                checked={selected?.code === commune.code}
              />
              <label class="fr-label" for={`${name}-${commune.code}`}>
                {commune.name}
                <span class="fr-hint-text">
                  {departementLabel(commune.departement)}
                  {commune.postalCodes.length > 0 && ` · ${commune.postalCodes.slice(0, 3).join(', ')}`} ·
                  INSEE {commune.code}
                </span>
              </label>
            </div>
          </div>
        ))}
      </fieldset>
    </>
  );
}

/**
 * An accessible commune picker: a text field (name or postal code) and a list of radio buttons.
 * With htmx the list follows the typing; without JavaScript the server resolves the text on submit
 * (see `resolveCommuneInput`) and offers the candidates when it is ambiguous.
 */
export function CommuneField({
  name,
  label,
  hint = 'Nom de la commune ou code postal',
  required,
  selected,
  query,
  candidates = [],
  error,
}: CommuneFieldProps) {
  const inputId = `${name}-query`;
  return (
    <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`} id={`${name}-group`}>
      <label class="fr-label" for={inputId}>
        {label}
        {required && ' (obligatoire)'}
        <span class="fr-hint-text">{hint}</span>
      </label>
      <input
        class={`fr-input${error ? ' fr-input--error' : ''}`}
        type="search"
        id={inputId}
        name={`${name}Query`}
        value={query ?? selected?.name ?? ''}
        autocomplete="off"
        spellcheck={false}
        aria-describedby={error ? `${name}-error` : undefined}
        aria-controls={`${name}-options`}
        hx-get={`/communes/suggestions?champ=${encodeURIComponent(name)}`}
        hx-trigger="input changed delay:250ms, search"
        hx-target={`#${name}-options`}
        hx-swap="innerMorph"
        hx-sync="this:replace"
      />
      {error && (
        <p class="fr-error-text" id={`${name}-error`}>
          {error}
        </p>
      )}
      <div id={`${name}-options`}>
        <CommuneOptions
          name={name}
          candidates={candidates}
          selected={selected}
          query={error ? query : undefined}
        />
      </div>
    </div>
  );
}
