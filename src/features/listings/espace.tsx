import { TableFrame } from '../../lib/dsfr.tsx';
import type { EspaceSection } from '../espace/sections.ts';
import { LISTING_STATUS_LABELS } from './labels.ts';
import { listManagedListings, type ManagedListing } from './queries.ts';

const dateFr = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));

/** A published listing past its expiry is shown as expired until the daily job closes it. */
function StatusBadge({ listing, now }: { listing: ManagedListing; now: Date }) {
  if (listing.status === 'published' && listing.expiresAt <= now.toISOString())
    return <p class="fr-badge fr-badge--sm fr-badge--warning">Expirée</p>;
  const tone = {
    draft: 'fr-badge--info',
    published: 'fr-badge--success',
    closed: '',
    unpublished: 'fr-badge--error',
  }[listing.status];
  return <p class={`fr-badge fr-badge--sm ${tone}`}>{LISTING_STATUS_LABELS[listing.status]}</p>;
}

function Responses({ listing }: { listing: ManagedListing }) {
  if (listing.responses === 0) return <>Aucune</>;
  return (
    <>
      {listing.responses} réponse{listing.responses > 1 ? 's' : ''}
      {listing.unread > 0 && (
        <p class="fr-badge fr-badge--sm fr-badge--new fr-mt-1v">
          {listing.unread} non lu{listing.unread > 1 ? 's' : ''}
        </p>
      )}
    </>
  );
}

export function ManagedListingsTable({ items, now }: { items: ManagedListing[]; now: Date }) {
  if (items.length === 0)
    return <p>Vos organisations n’ont pas encore d’annonce : publiez une offre ou un besoin.</p>;
  return (
    <TableFrame modifiers="fr-table--no-caption">
      <table>
        <caption>Annonces de mes organisations</caption>
        <thead>
          <tr>
            <th scope="col">Annonce</th>
            <th scope="col">Organisation</th>
            <th scope="col">Statut</th>
            <th scope="col">Expiration</th>
            <th scope="col">Réponses</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {items.map((listing) => (
            <tr>
              <td>
                <a href={`/annonces/${listing.id}`}>{listing.title}</a>
              </td>
              <td>
                {listing.organisationName}
                {listing.onBehalf && <span class="fr-hint-text">publiée par votre pôle pour elle</span>}
              </td>
              <td>
                <StatusBadge listing={listing} now={now} />
              </td>
              <td>
                {listing.status === 'published' ? (
                  <time datetime={listing.expiresAt}>{dateFr(listing.expiresAt)}</time>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <Responses listing={listing} />
              </td>
              <td>
                {listing.status === 'unpublished' ? (
                  '—'
                ) : (
                  <a
                    class="fr-link"
                    href={`/annonces/${listing.id}/modifier`}
                    aria-label={`Modifier l’annonce « ${listing.title} »`}
                  >
                    Modifier
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

/** Mon espace « Mes annonces »: my organisations' listings (and my pôle's on their behalf). */
export const listingsSection: EspaceSection = {
  id: 'annonces',
  title: 'Mes annonces',
  async render(c, viewer) {
    const items = await listManagedListings(c.get('db'), viewer.id);
    return (
      <>
        <ManagedListingsTable items={items} now={c.get('deps').clock.now()} />
        <p>
          <a class="fr-btn fr-btn--secondary fr-icon-add-line fr-btn--icon-left" href="/annonces/nouvelle">
            Publier une annonce
          </a>
        </p>
      </>
    );
  },
};
