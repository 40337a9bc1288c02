import type { Child } from 'hono/jsx';
import type { AppContext } from '../../lib/context.ts';
import { Container } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { NotFound } from '../../lib/errors.ts';
import { type FormFailure, type FormValues, formText } from '../../lib/form.ts';
import { ErrorSummary, InputField, SelectField } from '../../lib/forms.tsx';
import { renderPage } from '../../lib/render.tsx';
import { isPublic } from '../listings/access.ts';
import { getListingView, type ListingView } from '../listings/output.ts';
import { listThreads, userOrganisations, viewerThreadsOnListing } from './queries.ts';
import { MESSAGE_MAX } from './schemas.ts';
import { ThreadList } from './views.tsx';

function ResponseForm({
  listing,
  choices,
  values = {},
  errors = {},
}: {
  listing: Pick<ListingView, 'id'>;
  choices: Array<{ id: number; name: string }>;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  return (
    <form method="post" action={`/annonces/${listing.id}/reponses`}>
      {Object.keys(errors).length > 0 && <ErrorSummary errors={errors} />}
      {choices.length > 1 ? (
        <SelectField
          name="organisationId"
          label="Répondre au nom de"
          required
          value={formText(values, 'organisationId')}
          error={errors.organisationId}
          options={choices.map((o) => [String(o.id), o.name])}
        />
      ) : (
        <input type="hidden" name="organisationId" value={String(choices[0]?.id ?? '')} />
      )}
      <InputField
        name="message"
        label="Votre message"
        hint="Présentez votre organisation et ce que vous proposez."
        multiline
        required
        maxlength={MESSAGE_MAX}
        value={formText(values, 'message')}
        error={errors.message}
      />
      <button type="submit" class="fr-btn">
        Je suis intéressé·e
      </button>
    </form>
  );
}

/**
 * The answer box of a listing page (`/annonces/:id`): « Je suis intéressé·e » for a signed-in member
 * of another organisation (opens a thread), or the existing threads for the listing's own side.
 */
export async function ListingResponsePanel({
  c,
  listing,
}: {
  c: AppContext;
  listing: ListingView;
}): Promise<Child> {
  const viewer = c.get('viewer');
  const db = c.get('db');
  if (!viewer) {
    if (!isPublic(listing, c.get('deps').clock.now())) return null;
    return (
      <section class="fr-mt-5w" aria-labelledby="reponse-titre">
        <h2 id="reponse-titre">Répondre à cette annonce</h2>
        <p>
          <a class="fr-link" href={`/connexion?retour=${encodeURIComponent(`/annonces/${listing.id}`)}`}>
            Connectez-vous pour répondre
          </a>
        </p>
      </section>
    );
  }
  const mine = await userOrganisations(db, viewer.id);
  if (mine.some((o) => o.id === listing.organisationId)) {
    const threads = await listThreads(db, viewer.id, { listingId: listing.id });
    return (
      <section class="fr-mt-5w" aria-labelledby="reponses-titre">
        <h2 id="reponses-titre">Réponses reçues</h2>
        <ThreadList threads={threads} />
      </section>
    );
  }
  if (!isPublic(listing, c.get('deps').clock.now())) return null;
  const existing = await viewerThreadsOnListing(db, viewer.id, listing.id);
  const choices = mine.filter((o) => !existing.some((t) => t.responderOrganisationId === o.id));
  return (
    <section class="fr-mt-5w" aria-labelledby="reponse-titre">
      <h2 id="reponse-titre">Répondre à cette annonce</h2>
      {existing.map((t) => (
        <p>
          <a class="fr-link" href={`/echanges/${t.id}`}>
            Voir votre échange sur cette annonce
          </a>
        </p>
      ))}
      {mine.length === 0 && <p>Rejoignez ou créez une organisation pour répondre à une annonce.</p>}
      {mine.length > 0 && !viewer.emailVerified && (
        <p>Confirmez d’abord votre adresse électronique pour répondre.</p>
      )}
      {choices.length > 0 && viewer.emailVerified && <ResponseForm listing={listing} choices={choices} />}
    </section>
  );
}

/** The answer form in error (422), on its own page. */
export async function ListingResponsePage(c: AppContext, { values, errors, status }: FormFailure) {
  const listing = await getListingView(c.get('db'), Number(c.req.param('id')));
  if (!listing) throw new NotFound('Annonce introuvable.');
  const viewer = c.get('viewer');
  const mine = viewer ? await userOrganisations(c.get('db'), viewer.id) : [];
  const choices = mine.filter((o) => o.id !== listing.organisationId);
  return renderPage(
    c,
    { title: `Répondre : ${listing.title}`, status },
    <Container>
      <h1>Répondre : {listing.title}</h1>
      <ResponseForm listing={listing} choices={choices} values={values} errors={errors} />
    </Container>,
  );
}
