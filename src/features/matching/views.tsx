import { LISTING_CATEGORIES, ORGANISATION_KINDS } from '../../db/schema.ts';
import { Alert, Breadcrumb, Container, PostButton } from '../../lib/dsfr.tsx';
import { InputField, SelectField } from '../../lib/forms.tsx';
import { labelOf } from '../../lib/labels.ts';
import { LISTING_CATEGORY_LABELS, LISTING_TYPE_LABELS } from '../listings/labels.ts';
import { KIND_LABELS } from '../organisations/labels.ts';
import type { MatchItem } from './queries.ts';

export const partnersPath = (organisationId: number) => `/organisations/${organisationId}/partenaires`;
export const dismissPath = (organisationId: number, candidateId: number) =>
  `/organisations/${organisationId}/partenaires/${candidateId}/ecarter`;

/** Where « Contacter » leads: the best complementary listing (its answer form opens a thread), else the organisation. */
export const contactHref = (item: MatchItem) =>
  item.listings[0]
    ? `/annonces/${item.listings[0].id}#reponse-titre`
    : `/organisations/${item.organisation.id}`;

/** One suggestion: who, how relevant, why, which listings; contact and dismiss. */
function MatchCard({
  item,
  organisationId,
  returnPath,
  heading,
}: {
  item: MatchItem;
  organisationId: number;
  returnPath: string;
  heading: 'h2' | 'h3';
}) {
  const Heading = heading;
  const titleId = `suggestion-${item.organisation.id}`;
  return (
    <li class="fr-mb-3w">
      <article class="fr-card fr-card--no-arrow" aria-labelledby={titleId}>
        <div class="fr-card__body">
          <div class="fr-card__content">
            <Heading class="fr-card__title" id={titleId}>
              <a href={`/organisations/${item.organisation.id}`}>{item.organisation.name}</a>
            </Heading>
            <div class="fr-card__desc">
              <p class="fr-mb-1w">
                {labelOf(KIND_LABELS, item.organisation.kind)} · pertinence {Math.round(item.score * 100)} %
              </p>
              <ul>
                {item.reasons.map((reason) => (
                  <li>{reason}</li>
                ))}
              </ul>
              {item.listings.length > 0 && (
                <>
                  <p class="fr-mb-0 fr-mt-1w">Annonces qui répondent aux vôtres :</p>
                  <ul>
                    {item.listings.slice(0, 3).map((listing) => (
                      <li>
                        <a href={`/annonces/${listing.id}`}>{listing.title}</a> (
                        {labelOf(LISTING_TYPE_LABELS, listing.type).toLowerCase()},{' '}
                        {labelOf(LISTING_CATEGORY_LABELS, listing.category).toLowerCase()})
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          </div>
          <div class="fr-card__footer">
            <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
              <li>
                <a class="fr-btn fr-btn--sm" href={contactHref(item)}>
                  Contacter<span class="fr-sr-only"> {item.organisation.name}</span>
                </a>
              </li>
              <li>
                <PostButton
                  action={dismissPath(organisationId, item.organisation.id)}
                  label="Ne plus suggérer"
                  hidden={item.organisation.name}
                  secondary
                  fields={{ retour: returnPath }}
                />
              </li>
            </ul>
          </div>
        </div>
      </article>
    </li>
  );
}

export function MatchList(props: {
  items: MatchItem[];
  organisationId: number;
  returnPath: string;
  heading: 'h2' | 'h3';
}) {
  return (
    <ul class="fr-raw-list">
      {props.items.map((item) => (
        <MatchCard {...props} item={item} />
      ))}
    </ul>
  );
}

/** The block on the organisation page (its members) and the listing page (its owners). */
export function MatchesBlock({
  title,
  intro,
  items,
  organisationId,
  returnPath,
  more,
}: {
  title: string;
  intro: string;
  items: MatchItem[];
  organisationId: number;
  returnPath: string;
  more?: { href: string; label: string } | undefined;
}) {
  return (
    <section class="fr-mt-5w" aria-labelledby="suggestions-titre">
      <h2 id="suggestions-titre">{title}</h2>
      <p class="fr-text--sm">{intro}</p>
      {items.length === 0 ? (
        <p>Aucune suggestion pour le moment : publiez vos besoins et vos offres pour en recevoir.</p>
      ) : (
        <MatchList items={items} organisationId={organisationId} returnPath={returnPath} heading="h3" />
      )}
      {more && (
        <p>
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href={more.href}>
            {more.label}
          </a>
        </p>
      )}
    </section>
  );
}

export interface PartnersFilters {
  kind?: string | undefined;
  category?: string | undefined;
  radiusKm?: number | undefined;
}

/** `/organisations/:id/partenaires`: every suggestion, filters, the weekly email setting. */
export function PartnersPage({
  organisation,
  items,
  filters,
  weekly,
  notice,
}: {
  organisation: { id: number; name: string };
  items: MatchItem[];
  filters: PartnersFilters;
  weekly: boolean;
  notice?: string | undefined;
}) {
  const path = partnersPath(organisation.id);
  return (
    <Container>
      <Breadcrumb
        items={[
          { label: 'Organisations', href: '/organisations' },
          { label: organisation.name, href: `/organisations/${organisation.id}` },
          { label: 'Partenaires suggérés' },
        ]}
      />
      {notice && <Alert type="success" small title={notice} />}
      <h1>Partenaires suggérés</h1>
      <p class="fr-text--lead">
        Les organisations proches de {organisation.name} qui répondent à ses besoins, ont besoin de ce qu’elle
        propose, ou partagent ses thèmes et ses pôles — les plus pertinentes d’abord, avec leurs raisons.
      </p>
      <p class="fr-text--sm">
        Seuls les membres de l’organisation voient cette page. Une suggestion n’apparaît que dans le rayon
        déclaré par chacun (celui de ses annonces, 50 km sans annonce).
      </p>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <form method="get" action={path} aria-labelledby="filtres-titre">
            <h2 id="filtres-titre" class="fr-h5">
              Filtrer
            </h2>
            <SelectField
              name="kind"
              label="Type d’organisation"
              placeholder="Tous les types"
              value={filters.kind}
              options={ORGANISATION_KINDS.map((kind) => [kind, KIND_LABELS[kind]])}
            />
            <SelectField
              name="category"
              label="Catégorie d’annonce"
              placeholder="Toutes les catégories"
              value={filters.category}
              options={LISTING_CATEGORIES.map((category) => [category, LISTING_CATEGORY_LABELS[category]])}
            />
            <InputField
              name="radiusKm"
              label="Distance maximale (km)"
              hint="Vide : le rayon de vos annonces."
              type="number"
              value={filters.radiusKm === undefined ? '' : String(filters.radiusKm)}
            />
            <button type="submit" class="fr-btn fr-btn--secondary">
              Filtrer
            </button>
          </form>
          <form method="post" action={`${path}/courriel`} class="fr-mt-4w">
            <h2 class="fr-h5">Courriel hebdomadaire</h2>
            <p class="fr-text--sm">
              {weekly
                ? 'Vous recevez chaque semaine les nouvelles suggestions de vos organisations.'
                : 'Vous ne recevez pas le courriel hebdomadaire des nouvelles suggestions.'}
            </p>
            <input type="hidden" name="hebdo" value={weekly ? 'non' : 'oui'} />
            <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm">
              {weekly ? 'Ne plus recevoir ce courriel' : 'Recevoir ce courriel'}
            </button>
          </form>
        </div>
        <div class="fr-col-12 fr-col-md-8">
          <h2 class="fr-sr-only">Suggestions</h2>
          {items.length === 0 ? (
            <p>
              Aucune suggestion avec ces critères. Publiez vos besoins et vos offres : ils font les meilleures
              suggestions.
            </p>
          ) : (
            <MatchList items={items} organisationId={organisation.id} returnPath={path} heading="h3" />
          )}
        </div>
      </div>
    </Container>
  );
}
