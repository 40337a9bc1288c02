import { RadioChoices } from '../../lib/forms.tsx';
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
  return (
    <RadioChoices
      name={name}
      idPrefix={name}
      query={query}
      noun={['commune proposée', 'communes proposées']}
      pickLabel="choisissez la vôtre"
      nothing="Aucune commune ne correspond"
      choices={options.map((commune) => ({
        value: commune.code,
        label: commune.name,
        hint: `${departementLabel(commune.departement)}${commune.postalCodes.length > 0 ? ` · ${commune.postalCodes.slice(0, 3).join(', ')}` : ''} · INSEE ${commune.code}`,
        checked: selected?.code === commune.code,
      }))}
    />
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
  // `champ-<name>`, like every field: the error summary's link lands on the typed text.
  const inputId = `champ-${name}`;
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
        aria-invalid={error ? 'true' : undefined}
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
