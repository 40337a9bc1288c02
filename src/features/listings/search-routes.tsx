import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { directoryHref } from '../../lib/directory/href.ts';
import { InputField, SelectField } from '../../lib/forms.tsx';
import { validQuery } from '../../lib/validation.ts';
import { SaveSearchPanel } from '../alerts/views.tsx';
import { DirectoryPageShell, serveDirectory } from '../geo/directory.tsx';
import { KIND_LABELS } from '../organisations/labels.ts';
import { ThemeField } from '../themes/views.tsx';
import { ListingCard } from './card.tsx';
import { LISTING_CATEGORY_LABELS, LISTING_TERMS_LABELS, LISTING_TYPE_LABELS } from './labels.ts';
import { listingCardsInOrder, listingJson } from './output.ts';
import { searchListings } from './search.ts';
import { listingDirectoryQuery, listingListQuery } from './search-schemas.ts';

const PATH = '/annonces';
const options = <T extends string>(labels: Record<T, string>) => Object.entries(labels) as Array<[T, string]>;
const SORT_OPTIONS: Array<[string, string]> = [
  ['relevance', 'Pertinence (avec des mots-clés)'],
  ['distance', 'Distance (avec une commune)'],
  ['recent', 'Les plus récentes'],
];

/** `GET /annonces`: the published listings, on the directory kit (lenient query, live results). */
function listingDirectory(c: AppContext) {
  const now = c.get('deps').clock.now();
  return serveDirectory(c, {
    path: PATH,
    shape: listingDirectoryQuery,
    noun: { singular: 'annonce', plural: 'annonces', feminine: true },
    title: 'Annonces de mutualisation',
    description: 'Offres et besoins de mutualisation publiés par les membres des PTCE.',
    search: (request) =>
      searchListings(c.get('db'), { ...request.search, commune: request.centre }, now, listingCardsInOrder),
    renderItem: (listing) => <ListingCard listing={listing} now={now} />,
    resultsFooter: (request) => (
      <SaveSearchPanel c={c} query={directoryHref('', request.filters).replace(/^\?/, '')} />
    ),
    page: (request, results) => (
      <DirectoryPageShell
        path={PATH}
        crumb="Annonces"
        heading="Annonces de mutualisation"
        lead="Ce que les organisations des PTCE proposent de partager (offres) et ce qu’elles cherchent (besoins) : locaux, matériel, compétences, emplois partagés, achats groupés…"
        searchLabel="Rechercher des annonces"
        keywordsHint="Par exemple « cuisine partagée » ou « véhicule »"
        communeLabel="Autour de la commune"
        request={request}
        filters={
          <>
            <SelectField
              name="type"
              label="Offre ou besoin"
              value={request.query.type}
              options={options(LISTING_TYPE_LABELS)}
              placeholder="Offres et besoins"
            />
            <SelectField
              name="category"
              label="Catégorie"
              value={request.query.category}
              options={options(LISTING_CATEGORY_LABELS)}
              placeholder="Toutes les catégories"
            />
            <SelectField
              name="terms"
              label="Conditions"
              value={request.query.terms}
              options={options(LISTING_TERMS_LABELS)}
              placeholder="Toutes les conditions"
            />
            <InputField
              name="availableOn"
              type="date"
              label="Disponible le"
              value={request.query.availableOn}
            />
            <ThemeField value={request.query.theme} />
            <SelectField
              name="kind"
              label="Type d’organisation"
              value={request.query.kind}
              options={options(KIND_LABELS)}
              placeholder="Tous les types"
            />
            <SelectField
              name="sort"
              label="Trier par"
              value={request.query.sort}
              options={SORT_OPTIONS}
              placeholder="Tri par défaut"
            />
          </>
        }
      >
        {results}
      </DirectoryPageShell>
    ),
  });
}

/** Listing search: the /annonces page and GET /api/v1/listings. */
export const listingSearchRoutes = new Hono<AppEnv>()
  .get(PATH, (c) => listingDirectory(c))
  .get('/api/v1/listings', validQuery(listingListQuery), async (c) => {
    const { commune, ...query } = c.req.valid('query');
    const { sort: _sort, ...page } = await searchListings(
      c.get('db'),
      { ...query, communeCode: commune },
      c.get('deps').clock.now(),
    );
    return c.json({ ...page, items: page.items.map(listingJson) });
  });
