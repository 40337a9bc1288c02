import { distanceText } from '../../lib/directory/format.ts';
import { excerpt } from '../../lib/directory/views.tsx';
import { DemoBadge } from '../../lib/dsfr.tsx';
import { labelOf } from '../../lib/labels.ts';
import { departementLabel } from '../geo/territories.ts';
import { LISTING_CATEGORY_LABELS, LISTING_TYPE_LABELS } from './labels.ts';
import type { ListingView } from './output.ts';

const DAY_MS = 24 * 3600_000;

/** « publiée aujourd’hui », « publiée hier », « publiée il y a 3 jours », « … il y a 2 mois ». */
export function ageText(publishedAt: string | null, now: Date): string {
  if (!publishedAt) return 'brouillon';
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(publishedAt)) / DAY_MS));
  if (days === 0) return 'publiée aujourd’hui';
  if (days === 1) return 'publiée hier';
  if (days < 60) return `publiée il y a ${days} jours`;
  return `publiée il y a ${Math.floor(days / 30)} mois`;
}

/**
 * A listing in a list (search results, home page, pôle page, related listings): a DSFR card whose
 * title links to the listing, with its type, category, organisation, place, distance and age, and its
 * first photo when it has one.
 */
export function ListingCard({
  listing,
  now,
  colClass = 'fr-col-12',
}: {
  listing: ListingView;
  now: Date;
  colClass?: string;
}) {
  const photo = listing.photos[0];
  return (
    <li class={colClass}>
      <div class="fr-card fr-enlarge-link fr-card--horizontal fr-card--sm">
        <div class="fr-card__body">
          <div class="fr-card__content">
            <h3 class="fr-card__title">
              <a href={`/annonces/${listing.id}`}>{listing.title}</a>
            </h3>
            {listing.description && <p class="fr-card__desc">{excerpt(listing.description, 180)}</p>}
            <div class="fr-card__start">
              <ul class="fr-badges-group">
                <li>
                  <p
                    class={`fr-badge fr-badge--sm ${listing.type === 'offer' ? 'fr-badge--green-emeraude' : 'fr-badge--purple-glycine'}`}
                  >
                    {labelOf(LISTING_TYPE_LABELS, listing.type)}
                  </p>
                </li>
                <li>
                  <p class="fr-badge fr-badge--sm">{labelOf(LISTING_CATEGORY_LABELS, listing.category)}</p>
                </li>
                {listing.isDemo && (
                  <li>
                    <DemoBadge small />
                  </li>
                )}
              </ul>
              <p class="fr-card__detail">{listing.organisation.name}</p>
            </div>
            <div class="fr-card__end">
              <p class="fr-card__detail fr-icon-map-pin-2-line">
                {listing.commune.name} — {departementLabel(listing.departement)}
                {listing.distanceKm !== undefined && ` · ${distanceText(listing.distanceKm)}`}
                {` · ${ageText(listing.publishedAt, now)}`}
              </p>
            </div>
          </div>
        </div>
        {photo && (
          <div class="fr-card__header">
            <div class="fr-card__img">
              <img
                class="fr-responsive-img"
                src={photo.url}
                alt={photo.alt}
                width={photo.width ?? undefined}
                height={photo.height ?? undefined}
                loading="lazy"
              />
            </div>
          </div>
        )}
      </div>
    </li>
  );
}
