import type { Child } from 'hono/jsx';
import type { AppContext } from '../../lib/context.ts';
import { PostButton } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import type { FormValues } from '../../lib/form.ts';
import { ErrorSummary, InputField } from '../../lib/forms.tsx';
import type { ListingView } from './output.ts';
import { MAX_PHOTOS_PER_LISTING } from './photos.ts';

export const PHOTO_HINT = 'JPEG, PNG ou WebP, 5 Mo au plus, 4 photos au plus';

/** The photos of a listing page (nothing when it has none). */
export function ListingPhotoGallery({ listing }: { listing: ListingView }): Child {
  if (listing.photos.length === 0) return null;
  return (
    <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
      {listing.photos.map((photo) => (
        <div class="fr-col-12 fr-col-md-6">
          <figure class="fr-content-media fr-m-0" role="group" aria-label={photo.alt}>
            <img
              class="fr-responsive-img"
              src={photo.url}
              alt={photo.alt}
              width={photo.width ?? undefined}
              height={photo.height ?? undefined}
              loading="lazy"
              decoding="async"
            />
          </figure>
        </div>
      ))}
    </div>
  );
}

/** The photos section of a listing's edit page: add (up to four), describe, remove. */
export async function PhotoManager({
  listing,
  errors = {},
  values = {},
}: {
  c: AppContext;
  listing: ListingView;
  errors?: FieldErrors;
  values?: FormValues;
}): Promise<Child> {
  const full = listing.photos.length >= MAX_PHOTOS_PER_LISTING;
  const fileError = errors.file;
  return (
    <section class="fr-mb-4w" aria-labelledby="photos-titre" id="photos">
      <h2 id="photos-titre">Photos</h2>
      {Object.keys(errors).length > 0 && <ErrorSummary errors={errors} />}
      {listing.photos.length === 0 ? (
        <p>Aucune photo pour l’instant.</p>
      ) : (
        <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list">
          {listing.photos.map((photo, index) => (
            <li class="fr-col-12 fr-col-sm-6 fr-col-md-3">
              <img
                class="fr-responsive-img fr-mb-1w"
                src={photo.url}
                alt={photo.alt}
                width={photo.width ?? undefined}
                height={photo.height ?? undefined}
              />
              <p class="fr-text--sm fr-mb-1w">{photo.alt}</p>
              <PostButton
                action={`/annonces/${listing.id}/photos/${photo.id}/supprimer`}
                label="Retirer"
                hidden={`la photo ${index + 1} (${photo.alt})`}
                icon="fr-icon-delete-line"
                secondary
              />
            </li>
          ))}
        </ul>
      )}
      {full ? (
        <p class="fr-hint-text">Cette annonce a déjà 4 photos : retirez-en une pour en ajouter une autre.</p>
      ) : (
        <form method="post" action={`/annonces/${listing.id}/photos`} enctype="multipart/form-data">
          <div class={`fr-upload-group${fileError ? ' fr-upload-group--error' : ''}`}>
            <label class="fr-label" for="champ-file">
              Ajouter une photo (obligatoire)
              <span class="fr-hint-text" id="champ-file-aide">
                {PHOTO_HINT}
              </span>
            </label>
            <input
              class="fr-upload"
              type="file"
              id="champ-file"
              name="file"
              accept="image/jpeg,image/png,image/webp"
              required
              aria-describedby={`champ-file-aide${fileError ? ' champ-file-erreur' : ''}`}
              aria-invalid={fileError ? 'true' : undefined}
            />
            {fileError && (
              <p class="fr-error-text" id="champ-file-erreur">
                {fileError}
              </p>
            )}
          </div>
          <InputField
            name="alt"
            label="Description de la photo"
            hint="Ce que montre la photo, pour les personnes qui ne la voient pas (250 caractères au plus)."
            required
            maxlength={250}
            value={typeof values.alt === 'string' ? values.alt : ''}
            error={errors.alt}
          />
          <button type="submit" class="fr-btn fr-icon-upload-line fr-btn--icon-left">
            Ajouter la photo
          </button>
        </form>
      )}
    </section>
  );
}
