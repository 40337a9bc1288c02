import type { Child } from 'hono/jsx';
import { Alert, LinkedText } from '../dsfr.tsx';
import { SelectField } from '../forms.tsx';
import { type Page, Pagination } from '../pagination.tsx';
import { EXCERPT_LENGTH, formatKm } from './format.ts';
import { FILTER_LABELS, type IgnoredFilter } from './query.ts';

/** A page of results; `totalCapped` when `total` is only a lower bound (bounded counts). */
export type ResultsPage<T> = Page<T> & { totalCapped?: boolean | undefined };

/** The id of the results area that the live search swaps. */
export const RESULTS_ID = 'resultats';

/**
 * The live-search form of a directory: a plain GET form (it works without JavaScript); with htmx
 * the results follow the typing and the choices (`hx-sync` drops a stale request), the URL follows
 * the filters (`hx-push-url`), and the results area shows a loading state while a request runs
 * (`hx-indicator`: htmx puts `htmx-request` on the area and on its « Recherche en cours » line).
 */
export function LiveSearchForm({
  action,
  label,
  children,
}: {
  action: string;
  label: string;
  children: Child;
}) {
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label={label}
      hx-get={action}
      hx-trigger="submit, input changed delay:400ms, change changed"
      hx-target={`#${RESULTS_ID}`}
      hx-swap="innerMorph"
      hx-push-url="true"
      hx-sync="this:replace"
      hx-indicator={`#${RESULTS_ID}, #${RESULTS_ID}-chargement`}
    >
      {children}
      <ul class="fr-btns-group fr-btns-group--inline-sm">
        <li>
          <button type="submit" class="fr-btn fr-icon-search-line fr-btn--icon-left">
            Rechercher
          </button>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href={action}>
            Effacer les filtres
          </a>
        </li>
      </ul>
      <p class="fr-hidden-md">
        <a class="fr-link fr-icon-arrow-down-line fr-link--icon-right" href={`#${RESULTS_ID}`}>
          Voir les résultats
        </a>
      </p>
    </form>
  );
}

/**
 * A directory's layout: the filters beside the results on wide screens; on a phone the results come
 * first and the filters fold into a « Filtres » panel (`<details>`: no JavaScript needed). `active`
 * counts the filters in use, shown on the panel's button.
 */
export function DirectoryLayout({
  form,
  aside,
  active,
  children,
}: {
  form: Child;
  aside?: Child;
  active: number;
  children: Child;
}) {
  return (
    <div class="fr-grid-row fr-grid-row--gutters">
      <div class="fr-col-12 fr-col-md-4">
        <details class="app-filters" id="filtres">
          <summary class="fr-btn fr-btn--secondary fr-icon-filter-line fr-btn--icon-left">
            Filtres{active > 0 ? ` (${active} actif${active > 1 ? 's' : ''})` : ''}
          </summary>
          {form}
        </details>
        {aside}
      </div>
      <div class="fr-col-12 fr-col-md-8">
        <p id={`${RESULTS_ID}-chargement`} class="htmx-indicator app-loading" aria-hidden="true">
          Recherche en cours…
        </p>
        {/* The count is a status message that the morph swap keeps in place, so screen readers
            announce it rather than the whole list. */}
        <div id={RESULTS_ID} class="app-busy">
          {children}
        </div>
      </div>
    </div>
  );
}

/**
 * What the results area shows (the fragment htmx swaps): the filters ignored, then either the
 * question to answer first (an ambiguous or unknown commune: no results list at all, never the
 * unfiltered directory) or the count, the items and the pagination.
 */
export function DirectoryResults<T>({
  status,
  results,
  ignored,
  question,
  hrefFor,
  renderItem,
  footer,
}: {
  /** The count (see `resultsCount`), or the question's text. */
  status: string;
  results?: ResultsPage<T> | undefined;
  ignored: IgnoredFilter[];
  question?: Child;
  hrefFor: (page: number) => string;
  renderItem: (item: T) => Child;
  /** Below the results (not with a question): swapped with them, so it follows the filters. */
  footer?: Child;
}) {
  return (
    <>
      <h2 class="fr-h4 fr-mb-1w">Résultats</h2>
      <IgnoredFilters ignored={ignored} />
      <p class="app-results-count" id={`${RESULTS_ID}-statut`} role="status">
        {status}
      </p>
      {question}
      {!question && results && results.items.length > 0 && (
        <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list">{results.items.map(renderItem)}</ul>
      )}
      {!question && results && (
        <Pagination
          page={results.page}
          perPage={results.perPage}
          total={results.total}
          capped={results.totalCapped}
          hrefFor={hrefFor}
        />
      )}
      {!question && footer}
    </>
  );
}

/** Says which query parameters the page dropped (the leniency policy), with what they held. */
export function IgnoredFilters({ ignored }: { ignored: IgnoredFilter[] }) {
  if (ignored.length === 0) return null;
  const list = ignored.map(({ key, value }) => `${FILTER_LABELS[key] ?? key} « ${value.slice(0, 60)} »`);
  return (
    <Alert type="info" small>
      {`${ignored.length > 1 ? 'Ces filtres ne sont pas reconnus et sont ignorés' : 'Ce filtre n’est pas reconnu et est ignoré'} : ${list.join(', ')}.`}
    </Alert>
  );
}

const RADII = [5, 10, 20, 50, 100, 200];

/** The radius select of a directory around a commune. */
export function RadiusField({ value }: { value?: number | undefined }) {
  return (
    <SelectField
      name="radiusKm"
      label="Dans un rayon de"
      hint="Avec une commune"
      value={value === undefined ? '' : String(value)}
      options={RADII.map((r): [string, string] => [String(r), formatKm(r)])}
      placeholder="Toute distance"
    />
  );
}

/** The keywords field of a directory. */
export function KeywordsField({ value, hint }: { value?: string | undefined; hint: string }) {
  return (
    <div class="fr-input-group">
      <label class="fr-label" for="champ-q">
        Mots-clés
        <span class="fr-hint-text">{hint}</span>
      </label>
      <input class="fr-input" type="search" id="champ-q" name="q" value={value ?? ''} maxlength={200} />
    </div>
  );
}

/** Text typed by users, with its paragraphs (blank lines) and line breaks; escaped, never HTML. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n\s*\n/)
        .map((paragraph) => paragraph.trim())
        .filter(Boolean)
        .map((paragraph) => (
          <p>
            {paragraph.split('\n').map((line, index) => (
              <>
                {index > 0 && <br />}
                <LinkedText text={line} />
              </>
            ))}
          </p>
        ))}
    </>
  );
}

/**
 * A result of a directory: a DSFR card whose title links to the item, with an excerpt of its
 * description, then `start` (tags, badges) and `end` (details) blocks.
 */
export function DirectoryCard({
  href,
  title,
  description,
  start,
  end,
  horizontal,
  colClass = 'fr-col-12',
}: {
  href: string;
  title: string;
  description: string;
  start?: Child;
  end?: Child;
  horizontal?: boolean;
  colClass?: string;
}) {
  const summary = excerpt(description);
  return (
    <li class={colClass}>
      <div class={`fr-card fr-enlarge-link${horizontal ? ' fr-card--horizontal fr-card--sm' : ''}`}>
        <div class="fr-card__body">
          <div class="fr-card__content">
            <h3 class="fr-card__title">
              <a href={href}>{title}</a>
            </h3>
            {summary && <p class="fr-card__desc">{summary}</p>}
            {start && <div class="fr-card__start">{start}</div>}
            {end && <div class="fr-card__end">{end}</div>}
          </div>
        </div>
      </div>
    </li>
  );
}

/** The first `max` characters of a description, for a card. */
export function excerpt(text: string, max = EXCERPT_LENGTH): string {
  return text.length > max ? `${text.slice(0, max).trimEnd()}…` : text;
}
