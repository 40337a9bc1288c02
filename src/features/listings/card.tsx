import { excerpt } from '../../lib/directory/views.tsx';
import { labelOf } from '../../lib/labels.ts';
import { PlaceDetail } from '../geo/directory.tsx';
import { LISTING_CATEGORY_LABELS, LISTING_TYPE_LABELS } from './labels.ts';
import type { ListingCardView } from './output.ts';

const DAY_MS = 24 * 3600_000;

/** « publiée aujourd’hui », « publiée hier », « publiée il y a 3 jours / 2 mois ». */
export function publishedAge(publishedAt: string | null, now: Date): string {
  if (!publishedAt) return 'non publiée';
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(publishedAt)) / DAY_MS));
  if (days === 0) return 'publiée aujourd’hui';
  if (days === 1) return 'publiée hier';
  if (days < 60) return `publiée il y a ${days} jours`;
  return `publiée il y a ${Math.floor(days / 30)} mois`;
}

/**
 * A listing in a list (search, home page, pôle page, related listings): title linked to its page,
 * organisation, commune and département (and distance around a commune), category, type badge,
 * age, and the first photo as a thumbnail. Every string is user text, escaped by JSX.
 */
export function ListingCard({ listing, now = new Date() }: { listing: ListingCardView; now?: Date }) {
  const photo = listing.photos[0];
  const summary = excerpt(listing.description);
  return (
    <li class="fr-col-12">
      <div class="fr-card fr-enlarge-link fr-card--horizontal fr-card--sm">
        <div class="fr-card__body">
          <div class="fr-card__content">
            <h3 class="fr-card__title">
              <a href={`/annonces/${listing.id}`}>{listing.title}</a>
            </h3>
            {summary && <p class="fr-card__desc">{summary}</p>}
            <div class="fr-card__start">
              <ul class="fr-badges-group">
                <li>
                  <p
                    class={`fr-badge fr-badge--sm ${listing.type === 'offer' ? 'fr-badge--green-emeraude' : 'fr-badge--purple-glycine'}`}
                  >
                    {labelOf(LISTING_TYPE_LABELS, listing.type)}
                  </p>
                </li>
              </ul>
              <p class="fr-card__detail">
                {labelOf(LISTING_CATEGORY_LABELS, listing.category)} · {listing.organisation.name}
              </p>
            </div>
            <div class="fr-card__end">
              <PlaceDetail
                communeName={listing.commune.name}
                departement={listing.commune.departement}
                distanceKm={listing.distanceKm}
              />
              <p class="fr-card__detail">{publishedAge(listing.publishedAt, now)}</p>
            </div>
          </div>
        </div>
        {photo && (
          <div class="fr-card__header">
            <div class="fr-card__img">
              <img
                class="fr-responsive-img"
                src={photo.url}
                alt={photo.alt || `Photo : ${listing.title}`}
                loading="lazy"
                width={photo.width ?? undefined}
                height={photo.height ?? undefined}
              />
            </div>
          </div>
        )}
      </div>
    </li>
  );
}
