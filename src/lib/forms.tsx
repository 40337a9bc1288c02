import type { Child } from 'hono/jsx';
import type { FieldErrors } from './errors.ts';

/** What a client that sent an unreadable form body (malformed multipart) is told, with a 400. */
export const MALFORMED_FORM =
  'Le formulaire envoyé est illisible (son contenu est mal formé ou incomplet). Rechargez la page et envoyez-le de nouveau.';

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
}

/**
 * A DSFR text input group with its label, hint and error message wired for screen readers. `id`
 * defaults to `champ-<name>`; give one where several forms of a page share field names.
 */
export function InputField({
  id: givenId,
  name,
  label,
  hint,
  error,
  required,
  value,
  type = 'text',
  autocomplete,
  multiline,
  rows = 6,
  maxlength,
  min,
  max,
}: FieldProps & {
  id?: string;
  value?: string | null | undefined;
  type?: string;
  autocomplete?: string;
  multiline?: boolean;
  /** Height of a multiline field, in lines. */
  rows?: number;
  maxlength?: number;
  min?: string;
  max?: string;
}) {
  const id = givenId ?? `champ-${name}`;
  const describedBy =
    [hint ? `${id}-aide` : null, error ? `${id}-erreur` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    class: `fr-input${error ? ' fr-input--error' : ''}`,
    id,
    name,
    required,
    'aria-describedby': describedBy,
    'aria-invalid': error ? ('true' as const) : undefined,
    maxlength,
  };
  return (
    <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        {label}
        {required ? ' (obligatoire)' : ''}
        {hint && (
          <span class="fr-hint-text" id={`${id}-aide`}>
            {hint}
          </span>
        )}
      </label>
      {multiline ? (
        <textarea {...common} rows={rows}>
          {value ?? ''}
        </textarea>
      ) : (
        <input {...common} type={type} value={value ?? ''} autocomplete={autocomplete} min={min} max={max} />
      )}
      {error && (
        <p class="fr-error-text" id={`${id}-erreur`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A DSFR select group. */
export function SelectField({
  name,
  label,
  hint,
  error,
  required,
  value,
  options,
  placeholder = 'Sélectionner une option',
}: FieldProps & {
  value?: string | null | undefined;
  options: Array<[string, string]>;
  placeholder?: string;
}) {
  const id = `champ-${name}`;
  return (
    <div class={`fr-select-group${error ? ' fr-select-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        {label}
        {required ? ' (obligatoire)' : ''}
        {hint && <span class="fr-hint-text">{hint}</span>}
      </label>
      <select
        class={`fr-select${error ? ' fr-select--error' : ''}`}
        id={id}
        name={name}
        required={required}
        aria-describedby={error ? `${id}-erreur` : undefined}
        aria-invalid={error ? 'true' : undefined}
      >
        <option value="" selected={!value} disabled={required}>
          {placeholder}
        </option>
        {options.map(([code, text]) => (
          <option value={code} selected={value === code}>
            {text}
          </option>
        ))}
      </select>
      {error && (
        <p class="fr-error-text" id={`${id}-erreur`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A DSFR checkbox group (fieldset) for multiple choices. */
export function CheckboxesField({
  name,
  label,
  hint,
  error,
  values,
  options,
}: FieldProps & { values: readonly string[]; options: Array<[string, string]> }) {
  const id = `champ-${name}`;
  return (
    <fieldset
      class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
      id={id}
      aria-labelledby={`${id}-legende${error ? ` ${id}-erreur` : ''}`}
    >
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={`${id}-legende`}>
        {label}
        {hint && <span class="fr-hint-text">{hint}</span>}
      </legend>
      {options.map(([code, text]) => (
        <div class="fr-fieldset__element fr-fieldset__element--inline">
          <div class="fr-checkbox-group">
            <input
              type="checkbox"
              id={`${id}-${code}`}
              name={name}
              value={code}
              checked={values.includes(code)}
            />
            <label class="fr-label" for={`${id}-${code}`}>
              {text}
            </label>
          </div>
        </div>
      ))}
      {error && (
        <div class="fr-messages-group" id={`${id}-erreur`} aria-live="assertive">
          <p class="fr-message fr-message--error">{error}</p>
        </div>
      )}
    </fieldset>
  );
}

/** The error summary shown above a form that came back with errors (RGAA: errors listed and linked). */
export function ErrorSummary({ errors, children }: { errors: FieldErrors; children?: Child }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
      <h2 class="fr-alert__title">
        Le formulaire contient {entries.length === 1 ? 'une erreur' : `${entries.length} erreurs`}
      </h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#champ-${field}`}>{message}</a>
          </li>
        ))}
      </ul>
      {children}
    </div>
  );
}

export interface RadioChoice {
  value: string;
  label: string;
  hint?: string;
  checked?: boolean;
}

/**
 * Search suggestions as radio buttons, under a short status message. The status keeps its id across
 * htmx updates (the field swaps this fragment with a morph), so screen readers announce only the
 * count, never the whole list; without JavaScript the server renders the same choices.
 */
export function RadioChoices({
  name,
  idPrefix,
  choices,
  query,
  noun,
  pickLabel,
  nothing,
}: {
  /** Form name of the radio buttons. */
  name: string;
  /** Prefix of the ids of the status, legend and radio buttons. */
  idPrefix: string;
  choices: RadioChoice[];
  /** What was typed, for the "nothing matches" message. */
  query?: string | undefined;
  /** `[singular, plural]`, e.g. `['commune proposée', 'communes proposées']`. */
  noun: readonly [string, string];
  /** Legend after the count when there are several, e.g. `choisissez la vôtre`. */
  pickLabel: string;
  /** Start of the "nothing matches" message, e.g. `Aucune commune ne correspond`. */
  nothing: string;
}) {
  const count = choices.length === 1 ? `1 ${noun[0]}` : `${choices.length} ${noun[1]}`;
  const status = (
    <p
      id={`${idPrefix}-status`}
      role="status"
      class={choices.length === 0 && query ? 'fr-hint-text fr-mt-1w' : 'fr-sr-only'}
    >
      {choices.length > 0 ? count : query ? `${nothing} à « ${query} ».` : ''}
    </p>
  );
  if (choices.length === 0) return status;
  const capitalised = noun[0].charAt(0).toUpperCase() + noun[0].slice(1);
  return (
    <>
      {status}
      <fieldset
        class="fr-fieldset fr-mt-1w fr-mb-0"
        id={`${idPrefix}-fieldset`}
        aria-labelledby={`${idPrefix}-legend`}
      >
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={`${idPrefix}-legend`}>
          {choices.length === 1 ? capitalised : `${count} : ${pickLabel}`}
        </legend>
        {choices.map((choice) => (
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input
                type="radio"
                id={`${idPrefix}-${choice.value}`}
                name={name}
                value={choice.value}
                checked={choice.checked}
              />
              <label class="fr-label" for={`${idPrefix}-${choice.value}`}>
                {choice.label}
                {choice.hint && <span class="fr-hint-text">{choice.hint}</span>}
              </label>
            </div>
          </div>
        ))}
      </fieldset>
    </>
  );
}
