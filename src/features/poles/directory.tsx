import type { Child } from 'hono/jsx';
import { POLE_STATUSES } from '../../db/schema.ts';
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
} from '../../lib/directory/views.tsx';
import { Breadcrumb, Container } from '../../lib/dsfr.tsx';
import { SelectField } from '../../lib/forms.tsx';
import { labelOf, POLE_STATUS_LABELS, THEME_LABELS } from '../../lib/labels.ts';
import {
  CommuneFilterField,
  type DirectoryRequest,
  DirectoryResultsAround,
  readDirectoryRequest,
  TerritoryFields,
} from '../geo/directory.tsx';
import { departementLabel } from '../geo/territories.ts';
import { type PoleListItem, searchPoles } from './queries.ts';
import { poleDirectoryQuery } from './schemas.ts';
import { CompositionBadge, DemoBadge, StatusBadge } from './views.tsx';

const PATH = '/poles';
const PER_PAGE = 20;
const NOUN = { singular: 'pôle', plural: 'pôles', feminine: false };
const STATUS_OPTIONS = POLE_STATUSES.map((s): [string, string] => [s, POLE_STATUS_LABELS[s]]);

/** `GET /poles`: the pôles directory, built on the directory kit (lenient query, commune filter, live search). */
export async function poleDirectory(c: AppContext) {
  const request = await readDirectoryRequest(c, poleDirectoryQuery);
  const { query, centre } = request;
  const results =
    request.commune.state === 'question'
      ? undefined
      : await searchPoles(c.get('db'), {
          q: query.q,
          theme: query.theme,
          departement: query.departement,
          region: query.region,
          status: query.status,
          origin: centre,
          radiusKm: request.radiusKm,
          page: request.page,
          perPage: PER_PAGE,
        });
  return respondDirectory(
    c,
    {
      title: request.page > 1 ? `Annuaire des pôles — page ${request.page}` : 'Annuaire des pôles',
      description: 'Les pôles territoriaux de coopération économique, par territoire et thématique.',
    },
    <DirectoryResultsAround
      path={PATH}
      request={request}
      results={results}
      noun={NOUN}
      renderItem={(pole: PoleListItem) => <PoleCard pole={pole} />}
    />,
    (fragment) => (
      <PoleDirectoryPage request={request} canCreate={!!c.get('viewer')}>
        {fragment}
      </PoleDirectoryPage>
    ),
  );
}

function PoleCard({ pole }: { pole: PoleListItem }) {
  return (
    <li class="fr-col-12 fr-col-lg-6">
      <div class="fr-card fr-enlarge-link">
        <div class="fr-card__body">
          <div class="fr-card__content">
            <h3 class="fr-card__title fr-h5">
              <a href={`/poles/${pole.slug}`}>{pole.name}</a>
            </h3>
            {pole.description && <p class="fr-card__desc">{excerpt(pole.description)}</p>}
            <div class="fr-card__start">
              <ul class="fr-badges-group">
                <li>
                  <StatusBadge status={pole.status} />
                </li>
                <li>
                  <CompositionBadge composition={pole.composition} />
                </li>
                {pole.isDemo && (
                  <li>
                    <DemoBadge />
                  </li>
                )}
              </ul>
              <p class="fr-card__detail fr-icon-map-pin-2-line">
                {pole.communeName} — {departementLabel(pole.departement)}
                {pole.distanceKm !== undefined && ` · ${distanceText(pole.distanceKm)}`}
              </p>
            </div>
            <div class="fr-card__end">
              <p class="fr-card__detail">
                {pole.composition.counts.members} membre{pole.composition.counts.members > 1 ? 's' : ''}
                {pole.themes.length > 0 &&
                  ` · ${pole.themes.map((theme) => labelOf(THEME_LABELS, theme)).join(', ')}`}
              </p>
            </div>
          </div>
        </div>
      </div>
    </li>
  );
}

function PoleDirectoryPage({
  request,
  canCreate,
  children,
}: {
  request: DirectoryRequest<typeof poleDirectoryQuery>;
  canCreate: boolean;
  children: Child;
}) {
  const { query } = request;
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Pôles' }]} />
      <h1>Annuaire des pôles territoriaux de coopération économique</h1>
      <DirectoryLayout
        active={request.active}
        form={
          <LiveSearchForm action={PATH} label="Rechercher un pôle">
            <KeywordsField value={query.q} hint="Nom ou description du pôle, ex. « réemploi », « energie »" />
            <SelectField
              name="theme"
              label="Thème"
              value={query.theme}
              options={THEME_OPTIONS}
              placeholder="Tous les thèmes"
            />
            <SelectField
              name="status"
              label="Statut"
              value={query.status}
              options={STATUS_OPTIONS}
              placeholder="Tous les statuts"
            />
            <TerritoryFields
              region={query.region}
              departement={query.departement}
              departementHint="Siège ou territoire couvert"
            />
            <CommuneFilterField filter={request.commune} label="Près de la commune" />
            <RadiusField value={request.askedRadiusKm} />
          </LiveSearchForm>
        }
        aside={
          canCreate && (
            <p class="fr-mt-4w">
              <a class="fr-btn fr-btn--secondary fr-icon-add-line fr-btn--icon-left" href="/poles/nouveau">
                Déclarer un pôle
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
