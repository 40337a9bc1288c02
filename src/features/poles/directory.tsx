import { POLE_STATUSES } from '../../db/schema.ts';
import type { AppContext } from '../../lib/context.ts';
import { DirectoryCard } from '../../lib/directory/views.tsx';
import { SelectField } from '../../lib/forms.tsx';
import { labelOf } from '../../lib/labels.ts';
import { CreateLink, DirectoryPageShell, PlaceDetail, serveDirectory } from '../geo/directory.tsx';
import { THEME_LABELS } from '../themes/labels.ts';
import { ThemeField } from '../themes/views.tsx';
import { POLE_STATUS_LABELS } from './labels.ts';
import { type PoleListItem, searchPoles } from './queries.ts';
import { poleDirectoryQuery } from './schemas.ts';
import { PoleBadges } from './views.tsx';

const PATH = '/poles';
const STATUS_OPTIONS = POLE_STATUSES.map((s): [string, string] => [s, POLE_STATUS_LABELS[s]]);

/** `GET /poles`: the pôles directory, built on the directory kit (lenient query, commune filter, live search). */
export function poleDirectory(c: AppContext) {
  return serveDirectory(c, {
    path: PATH,
    shape: poleDirectoryQuery,
    noun: { singular: 'pôle', plural: 'pôles', feminine: false },
    title: 'Annuaire des pôles',
    description: 'Les pôles territoriaux de coopération économique, par territoire et thématique.',
    search: (request) => searchPoles(c.get('db'), { ...request.search, origin: request.centre }),
    renderItem: (pole) => <PoleCard pole={pole} />,
    page: (request, results) => (
      <DirectoryPageShell
        path={PATH}
        crumb="Pôles"
        heading="Annuaire des pôles territoriaux de coopération économique"
        searchLabel="Rechercher un pôle"
        keywordsHint="Nom ou description du pôle, ex. « réemploi », « energie »"
        communeLabel="Près de la commune"
        departementHint="Siège ou territoire couvert"
        request={request}
        filters={
          <>
            <ThemeField value={request.query.theme} />
            <SelectField
              name="status"
              label="Statut"
              value={request.query.status}
              options={STATUS_OPTIONS}
              placeholder="Tous les statuts"
            />
          </>
        }
        aside={c.get('viewer') && <CreateLink href="/poles/nouveau" label="Déclarer un pôle" />}
      >
        {results}
      </DirectoryPageShell>
    ),
  });
}

function PoleCard({ pole }: { pole: PoleListItem }) {
  const members = pole.composition.counts.members;
  return (
    <DirectoryCard
      colClass="fr-col-12 fr-col-lg-6"
      href={`/poles/${pole.slug}`}
      title={pole.name}
      description={pole.description}
      start={
        <>
          <PoleBadges pole={pole} composition={pole.composition} />
          <PlaceDetail
            communeName={pole.communeName}
            departement={pole.departement}
            distanceKm={pole.distanceKm}
          />
        </>
      }
      end={
        <p class="fr-card__detail">
          {members} membre{members > 1 ? 's' : ''}
          {pole.themes.length > 0 &&
            ` · ${pole.themes.map((theme) => labelOf(THEME_LABELS, theme)).join(', ')}`}
        </p>
      }
    />
  );
}
