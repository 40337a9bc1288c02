import type { ORGANISATION_KINDS } from '../../db/schema.ts';
import type { AppContext } from '../../lib/context.ts';
import { DirectoryCard } from '../../lib/directory/views.tsx';
import { SelectField } from '../../lib/forms.tsx';
import { labelOf } from '../../lib/labels.ts';
import { CreateLink, DirectoryPageShell, PlaceDetail, serveDirectory } from '../geo/directory.tsx';
import { ThemeField, ThemeTags } from '../themes/views.tsx';
import { KIND_LABELS } from './labels.ts';
import { type OrganisationListItem, searchOrganisations } from './queries.ts';
import { organisationDirectoryQuery } from './schemas.ts';

const PATH = '/organisations';
const KIND_OPTIONS = Object.entries(KIND_LABELS) as Array<[(typeof ORGANISATION_KINDS)[number], string]>;

/**
 * `GET /organisations`: the organisations directory, built on the directory kit (lenient query,
 * commune filter, live search). `notice` is the message of the action that led here, if any.
 */
export function organisationDirectory(c: AppContext, notice?: string) {
  return serveDirectory(c, {
    path: PATH,
    shape: organisationDirectoryQuery,
    noun: { singular: 'organisation', plural: 'organisations', feminine: true },
    title: 'Annuaire des organisations',
    // The commune is already resolved (and its position checked): not looked up again.
    search: (request) => searchOrganisations(c.get('db'), { ...request.search, commune: request.centre }),
    renderItem: (organisation) => <OrganisationCard organisation={organisation} />,
    page: (request, results) => (
      <DirectoryPageShell
        path={PATH}
        crumb="Organisations"
        heading="Annuaire des organisations"
        notice={notice}
        lead="Structures de l’économie sociale et solidaire, entreprises, collectivités, centres de recherche et organismes de formation engagés dans les PTCE."
        searchLabel="Rechercher des organisations"
        keywordsHint="Nom ou activité, par exemple « recyclerie »"
        communeLabel="Autour de la commune"
        request={request}
        filters={
          <>
            <SelectField
              name="kind"
              label="Type d’organisation"
              value={request.query.kind}
              options={KIND_OPTIONS}
              placeholder="Tous les types"
            />
            <ThemeField value={request.query.theme} />
          </>
        }
        aside={
          c.get('viewer') && <CreateLink href="/organisations/nouvelle" label="Inscrire une organisation" />
        }
      >
        {results}
      </DirectoryPageShell>
    ),
  });
}

function OrganisationCard({ organisation }: { organisation: OrganisationListItem }) {
  return (
    <DirectoryCard
      horizontal
      href={`/organisations/${organisation.id}`}
      title={organisation.name}
      description={organisation.description}
      start={
        <>
          <ThemeTags themes={organisation.themes} />
          <p class="fr-card__detail">{labelOf(KIND_LABELS, organisation.kind)}</p>
        </>
      }
      end={
        <PlaceDetail
          communeName={organisation.commune.name}
          departement={organisation.departement}
          distanceKm={organisation.distanceKm}
        />
      }
    />
  );
}
