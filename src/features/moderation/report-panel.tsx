import type { Child } from 'hono/jsx';
import type { AppContext } from '../../lib/context.ts';
import type { ListingView } from '../listings/output.ts';
import { countOpenReports } from './queries.ts';
import { ReportForm, UnpublishForm } from './views.tsx';

/** « Signaler cette annonce » on a listing page (signed-in viewers), and the staff's unpublish action. */
export async function ReportPanel({ c, listing }: { c: AppContext; listing: ListingView }): Promise<Child> {
  const viewer = c.get('viewer');
  if (!viewer) return null;
  const staff = viewer.role === 'instructor' || viewer.role === 'admin';
  const open = staff ? await countOpenReports(c.get('db'), listing.id) : 0;
  return (
    <section class="fr-mt-6w" aria-labelledby="signalement-titre">
      {staff ? (
        <>
          <h2 id="signalement-titre" class="fr-h5">
            Modération
          </h2>
          <p>
            {open === 0
              ? 'Aucun signalement ouvert.'
              : `${open} signalement${open > 1 ? 's' : ''} ouvert${open > 1 ? 's' : ''}.`}{' '}
            <a href="/moderation">File de modération</a>
          </p>
          {listing.status !== 'unpublished' && <UnpublishForm listingId={listing.id} />}
        </>
      ) : (
        viewer.emailVerified &&
        listing.status === 'published' && (
          <details>
            <summary id="signalement-titre">Signaler l’annonce</summary>
            <ReportForm listingId={listing.id} />
          </details>
        )
      )}
    </section>
  );
}
