import type { Child } from 'hono/jsx';
import type { ORGANISATION_KINDS } from '../../db/schema.ts';
import type { AppContext } from '../../lib/context.ts';
import { distanceText } from '../../lib/directory/format.ts';
import { respondDirectory } from '../../lib/directory/respond.tsx';
import {
  DirectoryLayout,
  excerpt,
  KeywordsField,
  LiveSearchForm,
  RadiusField,
  THEME_OPTIONS,
  ThemeTags,
} from '../../lib/directory/views.tsx';
import { Alert, Breadcrumb, Container } from '../../lib/dsfr.tsx';
import { SelectField } from '../../lib/forms.tsx';
import { KIND_LABELS, labelOf } from '../../lib/labels.ts';
import {
  CommuneFilterField,
  type DirectoryRequest,
  DirectoryResultsAround,
  readDirectoryRequest,
  TerritoryFields,
} from '../geo/directory.tsx';
import { departementLabel } from '../geo/territories.ts';
import { type OrganisationListItem, searchOrganisations } from './queries.ts';
import { organisationDirectoryQuery } from './schemas.ts';

const PATH = '/organisations';
const PER_PAGE = 20;
const NOUN = { singular: 'organisation', plural: 'organisations', feminine: true };
const KIND_OPTIONS = Object.entries(KIND_LABELS) as Array<[(typeof ORGANISATION_KINDS)[number], string]>;

type Request = DirectoryRequest<typeof organisationDirectoryQuery>;

/**
 * `GET /organisations`: the organisations directory, built on the directory kit (lenient query,
 * commune filter, live search). `notice` is the message of the action that led here, if any.
 */
export async function organisationDirectory(c: AppContext, notice?: string) {
  const request = await readDirectoryRequest(c, organisationDirectoryQuery);
  const { query, centre } = request;
  const results =
    request.commune.state === 'question'
      ? undefined
      : await searchOrganisations(c.get('db'), {
          q: query.q,
          kind: query.kind,
          theme: query.theme,
          departement: query.departement,
          region: query.region,
          // Already resolved (and its position checked): not looked up again.
          commune: centre,
          radiusKm: request.radiusKm,
          page: request.page,
          perPage: PER_PAGE,
        });
  return respondDirectory(
    c,
    {
      title:
        request.page > 1 ? `Annuaire des organisations — page ${request.page}` : 'Annuaire des organisations',
    },
    <DirectoryResultsAround
      path={PATH}
      request={request}
      results={results}
      noun={NOUN}
      renderItem={(organisation: OrganisationListItem) => <OrganisationCard organisation={organisation} />}
    />,
    (fragment) => (
      <OrganisationDirectoryPage request={request} notice={notice} canCreate={!!c.get('viewer')}>
        {fragment}
      </OrganisationDirectoryPage>
    ),
  );
}

function OrganisationCard({ organisation }: { organisation: OrganisationListItem }) {
  const summary = excerpt(organisation.description);
  return (
    <li class="fr-col-12">
      <div class="fr-card fr-card--horizontal fr-card--sm fr-enlarge-link">
        <div class="fr-card__body">
          <div class="fr-card__content">
            <h3 class="fr-card__title">
              <a href={`/organisations/${organisation.id}`}>{organisation.name}</a>
            </h3>
            {summary && <p class="fr-card__desc">{summary}</p>}
            <div class="fr-card__start">
              <ThemeTags themes={organisation.themes} />
              <p class="fr-card__detail">{labelOf(KIND_LABELS, organisation.kind)}</p>
            </div>
            <div class="fr-card__end">
              <p class="fr-card__detail fr-icon-map-pin-2-line">
                {organisation.commune.name} — {departementLabel(organisation.departement)}
                {organisation.distanceKm !== undefined && ` · ${distanceText(organisation.distanceKm)}`}
              </p>
            </div>
          </div>
        </div>
      </div>
    </li>
  );
}

function OrganisationDirectoryPage({
  request,
  notice,
  canCreate,
  children,
}: {
  request: Request;
  notice?: string | undefined;
  canCreate: boolean;
  children: Child;
}) {
  const { query } = request;
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Organisations' }]} />
      <h1>Annuaire des organisations</h1>
      {notice && <Alert type="success" small title={notice} />}
      <p class="fr-text--lead">
        Structures de l’économie sociale et solidaire, entreprises, collectivités, centres de recherche et
        organismes de formation engagés dans les PTCE.
      </p>
      <DirectoryLayout
        active={request.active}
        form={
          <LiveSearchForm action={PATH} label="Rechercher des organisations">
            <KeywordsField value={query.q} hint="Nom ou activité, par exemple « recyclerie »" />
            <SelectField
              name="kind"
              label="Type d’organisation"
              value={query.kind}
              options={KIND_OPTIONS}
              placeholder="Tous les types"
            />
            <SelectField
              name="theme"
              label="Thème"
              value={query.theme}
              options={THEME_OPTIONS}
              placeholder="Tous les thèmes"
            />
            <TerritoryFields region={query.region} departement={query.departement} />
            <CommuneFilterField filter={request.commune} label="Autour de la commune" />
            <RadiusField value={request.askedRadiusKm} />
          </LiveSearchForm>
        }
        aside={
          canCreate && (
            <p class="fr-mt-4w">
              <a
                class="fr-btn fr-btn--secondary fr-icon-add-line fr-btn--icon-left"
                href="/organisations/nouvelle"
              >
                Inscrire une organisation
              </a>
            </p>
          )
        }
      >
        {children}
      </DirectoryLayout>
    </Container>
  );
}
