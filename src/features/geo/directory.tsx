import type { Child } from 'hono/jsx';
import type * as z from 'zod';
import type { Db } from '../../db/client.ts';
import type { AppContext } from '../../lib/context.ts';
import { distanceText, type ResultNoun, resultsCount } from '../../lib/directory/format.ts';
import { directoryHref, type FilterValue } from '../../lib/directory/href.ts';
import { type IgnoredFilter, readDirectoryQuery } from '../../lib/directory/query.ts';
import { respondDirectory } from '../../lib/directory/respond.tsx';
import {
  DirectoryLayout,
  DirectoryResults,
  KeywordsField,
  LiveSearchForm,
  RadiusField,
  type ResultsPage,
} from '../../lib/directory/views.tsx';
import { Alert, Breadcrumb, Container } from '../../lib/dsfr.tsx';
import { SelectField } from '../../lib/forms.tsx';
import { type Commune, resolveCommuneInput } from './queries.ts';
import { DEPARTEMENTS, departementLabel, REGIONS } from './territories.ts';
import { CommuneField } from './views.tsx';

/**
 * The commune filter of a directory, resolved: none asked, one commune with a position (results
 * are sorted by distance from it), or a question to ask first (ambiguous or unknown text, or a
 * commune whose position is unknown) — then the directory shows the question, never results.
 */
export type CommuneFilter =
  | { state: 'none' }
  | { state: 'chosen'; commune: Commune & { lat: number; lon: number } }
  | { state: 'question'; query: string; candidates: Commune[]; message: string };

/** The messages of the commune filter, the same in every directory. */
export const COMMUNE_FILTER_MESSAGES = {
  ambiguous: (query: string) => `Plusieurs communes correspondent à « ${query} » : choisissez la vôtre.`,
  unknown: (query: string) =>
    `Aucune commune ne correspond à « ${query} » : vérifiez le nom ou indiquez le code postal.`,
  unlocated: (name: string) =>
    `La position de ${name} est inconnue : la recherche autour de cette commune est impossible.`,
};

/**
 * Resolves a directory's commune filter from the chosen code (`commune`) or the typed text
 * (`communeQuery`), with the one rule of the commune picker (`resolveCommuneInput`): a code, an
 * exact name or postal code of a single commune, or a text matching a single commune, is an answer;
 * anything else is a question with its candidates.
 */
export async function resolveCommuneFilter(
  db: Db,
  input: { code?: string | undefined; query?: string | undefined },
): Promise<CommuneFilter> {
  const query = input.query?.trim().slice(0, 100) ?? '';
  if (!input.code && !query) return { state: 'none' };
  const resolved = await resolveCommuneInput(db, { code: input.code, query });
  const asked = query || input.code || '';
  const { commune } = resolved;
  if (!commune) {
    const message =
      resolved.candidates.length > 0
        ? COMMUNE_FILTER_MESSAGES.ambiguous(asked)
        : COMMUNE_FILTER_MESSAGES.unknown(asked);
    return { state: 'question', query: asked, candidates: resolved.candidates, message };
  }
  if (commune.lat === null || commune.lon === null) {
    return {
      state: 'question',
      query: asked,
      candidates: [],
      message: COMMUNE_FILTER_MESSAGES.unlocated(commune.name),
    };
  }
  return { state: 'chosen', commune: { ...commune, lat: commune.lat, lon: commune.lon } };
}

/** The chosen commune of a filter, if any. */
export const chosenCommune = (filter: CommuneFilter) =>
  filter.state === 'chosen' ? filter.commune : undefined;

/** The commune picker of a directory's form, showing the filter back (the question as its error). */
export function CommuneFilterField({ filter, label }: { filter: CommuneFilter; label: string }) {
  return (
    <CommuneField
      name="commune"
      label={label}
      selected={chosenCommune(filter)}
      query={filter.state === 'question' ? filter.query : undefined}
      candidates={filter.state === 'question' ? filter.candidates : []}
      error={filter.state === 'question' ? filter.message : undefined}
    />
  );
}

/**
 * « Quelle commune ? »: the question a directory shows in its results area instead of results, each
 * candidate a link to the same search around it; `hrefFor(undefined)` is the search without commune.
 */
export function CommuneQuestion({
  filter,
  hrefFor,
}: {
  filter: Extract<CommuneFilter, { state: 'question' }>;
  hrefFor: (code: string | undefined) => string;
}) {
  return (
    <div class="fr-callout fr-mt-2w" id="question-commune">
      <h3 class="fr-callout__title">Quelle commune ?</h3>
      {filter.candidates.length > 0 ? (
        <ul class="fr-callout__text fr-text--md">
          {filter.candidates.map((commune) => (
            <li>
              <a href={hrefFor(commune.code)}>{commune.name}</a>
              {` — ${departementLabel(commune.departement)}${commune.postalCodes.length > 0 ? ` · ${commune.postalCodes.slice(0, 3).join(', ')}` : ''}`}
            </li>
          ))}
        </ul>
      ) : (
        <p class="fr-callout__text fr-text--md">
          <a href="#champ-commune">Corrigez la commune</a> dans les filtres : son nom, ou son code postal, par
          exemple 38500.
        </p>
      )}
      <p class="fr-mt-2w fr-mb-0">
        <a class="fr-link" href={hrefFor(undefined)}>
          Chercher sans commune
        </a>
      </p>
    </div>
  );
}

/** Départements in code order, Corsica (2A, 2B) between 19 and 21. */
const DEPARTEMENT_OPTIONS = Object.keys(DEPARTEMENTS)
  .sort((a, b) => a.replace(/^2([AB])$/, '20$1').localeCompare(b.replace(/^2([AB])$/, '20$1')))
  .map((code): [string, string] => [code, departementLabel(code)]);
const REGION_OPTIONS = (Object.entries(REGIONS) as Array<[string, string]>).sort((a, b) =>
  a[1].localeCompare(b[1], 'fr'),
);

/** The région and département selects of a directory. */
export function TerritoryFields({
  region,
  departement,
  departementHint,
}: {
  region?: string | undefined;
  departement?: string | undefined;
  departementHint?: string;
}) {
  return (
    <>
      <SelectField
        name="region"
        label="Région"
        value={region}
        options={REGION_OPTIONS}
        placeholder="Toutes les régions"
      />
      <SelectField
        name="departement"
        label="Département"
        hint={departementHint}
        value={departement}
        options={DEPARTEMENT_OPTIONS}
        placeholder="Tous les départements"
      />
    </>
  );
}

/** The parameters every directory around a commune reads (besides its own filters). */
export type DirectoryShape = z.ZodRawShape & {
  commune: z.ZodType<string | undefined, unknown>;
  communeQuery: z.ZodType<string | undefined, unknown>;
  radiusKm: z.ZodType<number | undefined, unknown>;
  page: z.ZodType<number, unknown>;
};

/** A directory request, read: the query (lenient), the commune filter, and what links keep. */
export interface DirectoryRequest<S extends DirectoryShape> {
  query: { [K in keyof S]: z.output<S[K]> | undefined };
  page: number;
  ignored: IgnoredFilter[];
  commune: CommuneFilter;
  /** The centre to sort by distance from, when the commune filter has an answer. */
  centre: (Commune & { lat: number; lon: number }) | undefined;
  /** The radius, only around a chosen commune. */
  radiusKm: number | undefined;
  /** The radius asked for, kept in the links that answer the commune question. */
  askedRadiusKm: number | undefined;
  /** The filters as links keep them: the commune by its code once chosen, the radius only then. */
  filters: Record<string, FilterValue>;
  /** How many filters are in use (shown on the folded filters panel). */
  active: number;
  /** The search to run: the query's filters, the radius (around a chosen commune only), the page. */
  search: Omit<DirectoryRequest<S>['query'], 'commune' | 'communeQuery' | 'radiusKm' | 'page'> & {
    radiusKm: number | undefined;
    page: number;
    perPage: number;
  };
}

/** Results per directory page. */
export const DIRECTORY_PER_PAGE = 20;

/**
 * Reads a directory request: every parameter of `shape` with the pages' leniency policy, then the
 * commune filter resolved once (`resolveCommuneFilter`).
 */
export async function readDirectoryRequest<S extends DirectoryShape>(
  c: AppContext,
  shape: S,
): Promise<DirectoryRequest<S>> {
  const { values, ignored } = readDirectoryQuery(shape, c.req.query());
  const commune = await resolveCommuneFilter(c.get('db'), {
    code: values.commune as string | undefined,
    query: values.communeQuery as string | undefined,
  });
  const centre = chosenCommune(commune);
  const askedRadiusKm = values.radiusKm as number | undefined;
  const radiusKm = centre ? askedRadiusKm : undefined;
  const filters: Record<string, FilterValue> = {};
  for (const key of Object.keys(shape)) {
    if (key === 'page' || key === 'communeQuery') continue;
    filters[key] = values[key] as FilterValue;
  }
  filters.commune = centre?.code;
  filters.radiusKm = radiusKm;
  const active =
    Object.values(filters).filter((v) => v !== undefined && v !== null && v !== '').length +
    (commune.state === 'question' ? 1 : 0);
  const { commune: _code, communeQuery: _text, radiusKm: _radius, page: _page, ...own } = values;
  return {
    query: values,
    search: { ...own, radiusKm, page: values.page as number, perPage: DIRECTORY_PER_PAGE },
    page: values.page as number,
    ignored,
    commune,
    centre,
    radiusKm,
    askedRadiusKm,
    filters,
    active,
  };
}

/**
 * The results area of a directory around a commune: the question when the commune needs one (its
 * candidates linked to the same search), otherwise the count (sorted by distance from the commune,
 * within the radius) and the items. Pagination and choices keep the filters (`directoryHref`).
 */
export function DirectoryResultsAround<T>({
  path,
  request,
  results,
  noun,
  renderItem,
  footer,
}: {
  path: string;
  request: Pick<
    DirectoryRequest<DirectoryShape>,
    'commune' | 'centre' | 'radiusKm' | 'askedRadiusKm' | 'filters' | 'ignored'
  >;
  results: ResultsPage<T> | undefined;
  noun: ResultNoun;
  renderItem: (item: T) => Child;
  footer?: Child;
}) {
  const { commune, centre, filters } = request;
  const status =
    commune.state === 'question'
      ? commune.message
      : results
        ? resultsCount(noun, results.total, {
            capped: results.totalCapped,
            around: centre ? { name: centre.name, radiusKm: request.radiusKm } : undefined,
          })
        : '';
  return (
    <DirectoryResults
      status={status}
      results={results}
      ignored={request.ignored}
      question={
        commune.state === 'question' ? (
          <CommuneQuestion
            filter={commune}
            hrefFor={(code) =>
              directoryHref(path, {
                ...filters,
                commune: code,
                radiusKm: code ? request.askedRadiusKm : undefined,
              })
            }
          />
        ) : undefined
      }
      hrefFor={(page) => directoryHref(path, filters, page)}
      renderItem={renderItem}
      footer={footer}
    />
  );
}

/** What a directory around communes is made of: its URL, query, search and the look of an item. */
export interface DirectorySpec<S extends DirectoryShape, T> {
  path: string;
  /** The query parameters (see `readDirectoryQuery`), in the order links keep them. */
  shape: S;
  noun: ResultNoun;
  /** Title of the page (« — page N » is added past the first). */
  title: string;
  description?: string;
  /** Runs the search (never called while the commune filter asks its question). */
  search: (request: DirectoryRequest<S>) => Promise<ResultsPage<T>>;
  renderItem: (item: T) => Child;
  /** Shown below the results and swapped with them (e.g. « save this search » with the current filters). */
  resultsFooter?: (request: DirectoryRequest<S>) => Child;
  /** The full page around the results fragment (see `DirectoryPageShell`). */
  page: (request: DirectoryRequest<S>, results: Child) => Child;
}

/**
 * Serves a directory page from its spec: the request read (lenient query, commune filter), the
 * search run unless the commune is a question, and the results fragment (htmx) or the full page.
 */
export async function serveDirectory<S extends DirectoryShape, T>(c: AppContext, spec: DirectorySpec<S, T>) {
  const request = await readDirectoryRequest(c, spec.shape);
  const results = request.commune.state === 'question' ? undefined : await spec.search(request);
  return respondDirectory(
    c,
    {
      title: request.page > 1 ? `${spec.title} — page ${request.page}` : spec.title,
      description: spec.description,
    },
    <DirectoryResultsAround
      path={spec.path}
      request={request}
      results={results}
      noun={spec.noun}
      renderItem={spec.renderItem}
      footer={spec.resultsFooter?.(request)}
    />,
    (fragment) => spec.page(request, fragment),
  );
}

/**
 * The page of a directory: breadcrumb, title, optional notice and lead, then the filters (keywords,
 * the directory's own `filters`, territory, commune, radius) beside the results.
 */
export function DirectoryPageShell({
  path,
  crumb,
  heading,
  lead,
  notice,
  searchLabel,
  keywordsHint,
  communeLabel,
  departementHint,
  request,
  filters,
  aside,
  children,
}: {
  path: string;
  crumb: string;
  heading: string;
  lead?: string;
  notice?: string | undefined;
  searchLabel: string;
  keywordsHint: string;
  communeLabel: string;
  departementHint?: string;
  request: DirectoryRequest<DirectoryShape>;
  filters: Child;
  aside?: Child;
  children: Child;
}) {
  const { query } = request;
  return (
    <Container>
      <Breadcrumb items={[{ label: crumb }]} />
      <h1>{heading}</h1>
      {notice && <Alert type="success" small title={notice} />}
      {lead && <p class="fr-text--lead">{lead}</p>}
      <DirectoryLayout
        active={request.active}
        aside={aside}
        form={
          <LiveSearchForm action={path} label={searchLabel}>
            <KeywordsField value={query.q as string | undefined} hint={keywordsHint} />
            {filters}
            <TerritoryFields
              region={query.region as string | undefined}
              departement={query.departement as string | undefined}
              departementHint={departementHint}
            />
            <CommuneFilterField filter={request.commune} label={communeLabel} />
            <RadiusField value={request.askedRadiusKm} />
          </LiveSearchForm>
        }
      >
        {children}
      </DirectoryLayout>
    </Container>
  );
}

/** The « create » link beside a directory's filters. */
export function CreateLink({ href, label }: { href: string; label: string }) {
  return (
    <p class="fr-mt-4w">
      <a class="fr-btn fr-btn--secondary fr-icon-add-line fr-btn--icon-left" href={href}>
        {label}
      </a>
    </p>
  );
}

/** Where a result is: « Voiron — Isère (38) · à 12 km » (the distance around a chosen commune). */
export function PlaceDetail({
  communeName,
  departement,
  distanceKm,
}: {
  communeName: string;
  departement: string;
  distanceKm?: number | undefined;
}) {
  return (
    <p class="fr-card__detail fr-icon-map-pin-2-line">
      {communeName} — {departementLabel(departement)}
      {distanceKm !== undefined && ` · ${distanceText(distanceKm)}`}
    </p>
  );
}
