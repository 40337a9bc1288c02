import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { BadRequest } from '../../lib/errors.ts';
import { InputField, SelectField } from '../../lib/forms.tsx';
import { validQuery } from '../../lib/validation.ts';
import { CreateLink, DirectoryPageShell, serveDirectory } from '../geo/directory.tsx';
import { getCommune } from '../geo/queries.ts';
import { KIND_LABELS } from '../organisations/labels.ts';
import { ThemeField } from '../themes/views.tsx';
import { ListingCard } from './card.tsx';
import { LISTING_CATEGORY_LABELS, LISTING_TERMS_LABELS, LISTING_TYPE_LABELS } from './labels.ts';
import { listingJson } from './output.ts';
import { listingDirectoryQuery, listingListQuery, searchListings } from './search.ts';

const PATH = '/annonces';
const options = <T extends string>(labels: Record<T, string>) => Object.entries(labels) as Array<[T, string]>;
const SORT_OPTIONS: Array<[string, string]> = [
  ['relevance', 'Pertinence (avec des mots-clés)'],
  ['distance', 'Distance (avec une commune)'],
  ['recent', 'Les plus récentes'],
];

/** `GET /annonces`: public offers and needs, on the directory kit (lenient query, live search). */
function listingDirectory(c: AppContext) {
  const now = c.get('deps').clock.now();
  return serveDirectory(c, {
    path: PATH,
    shape: listingDirectoryQuery,
    noun: { singular: 'annonce', plural: 'annonces', feminine: true },
    title: 'Annonces de mutualisation',
    description:
      'Offres et besoins de mutualisation des membres des PTCE : locaux, matériel, compétences, emplois partagés…',
    search: ({ search, centre }) => searchListings(c.get('db'), { ...search, centre }, now),
    renderItem: (listing) => <ListingCard listing={listing} now={now} />,
    page: (request, results) => (
      <DirectoryPageShell
        path={PATH}
        crumb="Annonces"
        heading="Annonces de mutualisation"
        lead="Ce que les membres des pôles proposent et recherchent : locaux, matériel, compétences, emplois partagés, achats groupés…"
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
            <ThemeField value={request.query.theme} />
            <SelectField
              name="kind"
              label="Type d’organisation"
              value={request.query.kind}
              options={options(KIND_LABELS)}
              placeholder="Tous les types"
            />
            <InputField
              name="availableOn"
              label="Disponible le"
              type="date"
              value={request.query.availableOn}
            />
            <SelectField
              name="sort"
              label="Trier par"
              value={request.query.sort}
              options={SORT_OPTIONS}
              placeholder="Tri par défaut"
            />
            {request.query.pole && <input type="hidden" name="pole" value={request.query.pole} />}
          </>
        }
        aside={c.get('viewer') && <CreateLink href="/annonces/nouvelle" label="Publier une annonce" />}
      >
        {results}
      </DirectoryPageShell>
    ),
  });
}

export const listingSearchRoutes = new Hono<AppEnv>()
  .get(PATH, (c) => listingDirectory(c))
  .get('/api/v1/listings', validQuery(listingListQuery), async (c) => {
    const { commune, ...query } = c.req.valid('query');
    const db = c.get('db');
    let centre: { lat: number; lon: number } | undefined;
    if (commune) {
      const found = await getCommune(db, commune);
      if (!found || found.lat === null || found.lon === null)
        throw new BadRequest('Paramètres de requête invalides.', {
          commune: found ? 'La position de cette commune est inconnue.' : 'Commune inconnue.',
        });
      centre = { lat: found.lat, lon: found.lon };
    }
    const page = await searchListings(db, { ...query, centre }, c.get('deps').clock.now());
    return c.json({ ...page, items: page.items.map(listingJson) });
  });
