import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { Container } from '../../lib/dsfr.tsx';
import {
  type FieldErrors,
  NotFound,
  PayloadTooLarge,
  ServiceUnavailable,
  ValidationError,
} from '../../lib/errors.ts';
import { type FormRenderer, type FormValues, validForm } from '../../lib/form.ts';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { requireVerifiedUser } from '../auth/session.ts';
import { IMAGE_REFUSALS, MAX_IMAGE_BYTES } from './images.ts';
import { getListingView, photoUrl } from './output.ts';
import { PhotoManager } from './photo-views.tsx';
import {
  addPhoto,
  checkUpload,
  deletePhoto,
  editableListing,
  PHOTO_MESSAGES,
  type PhotoDeps,
  type PhotoRow,
  photoAlt,
  photoFormSchema,
  photoForViewer,
} from './photos.ts';

/** An upload body: one image of 5 Mo plus the multipart envelope and the other fields. */
export const PHOTO_BODY_MAX_BYTES = MAX_IMAGE_BYTES + 64 * 1024;

const UPLOAD_PATH = /^\/(?:annonces|api\/v1\/listings)\/[^/]+\/photos\/?$/;

/** The upload routes apply their own body limit (app.ts skips the global 1 Mio one for them). */
export const isPhotoUpload = (method: string, path: string) => method === 'POST' && UPLOAD_PATH.test(path);

/** Photos of public listings are the same for everyone and never change (a new photo has a new id). */
export const PHOTO_PATH = /^\/annonces\/\d+\/photos\/\d+$/;
const PUBLIC_CACHE = 'public, max-age=604800';
const PRIVATE_CACHE = 'private, max-age=0, must-revalidate';

const photoDeps = (c: AppContext): PhotoDeps => {
  const deps = c.get('deps');
  return { db: c.get('db'), storage: deps.storage, clock: deps.clock };
};

/** The uploaded file's bytes (the form body is parsed once: validForm's parse is cached). */
async function uploadedBytes(c: AppContext): Promise<Uint8Array | undefined> {
  const file = (await c.req.parseBody()).file;
  if (!(file instanceof File) || (file.size === 0 && file.name === '')) return undefined;
  return new Uint8Array(await file.arrayBuffer());
}

/** The photos page of a listing (the edit page's photo section on its own), with messages. */
async function photosPage(
  c: AppContext,
  { values, errors, status }: { values: FormValues; errors: FieldErrors; status: 200 | 409 | 413 | 422 },
) {
  const view = await getListingView(c.get('db'), idParam(c, 'id'));
  if (!view) throw new NotFound(PHOTO_MESSAGES.listingNotFound);
  return renderPage(
    c,
    { title: `Photos de l’annonce « ${view.title} »`, status },
    <Container>
      <h1>Photos de l’annonce « {view.title} »</h1>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={`/annonces/${view.id}/modifier`}>
          Retour à la modification de l’annonce
        </a>
      </p>
      {await PhotoManager({ c, listing: view, errors, values })}
    </Container>,
  );
}

const renderPhotosPage: FormRenderer = (c, failure) => photosPage(c, failure);

/** Listing photos: upload, delete, serve. */
export const photoRoutes = new Hono<AppEnv>();

photoRoutes.get('/annonces/:id/photos/:photoId', async (c) => {
  const listingId = idParam(c, 'id');
  const photoId = idParam(c, 'photoId');
  const { storage, clock } = c.get('deps');
  const found = await photoForViewer(c.get('db'), listingId, photoId, c.get('viewer'), clock.now());
  if (!found) throw new NotFound(PHOTO_MESSAGES.photoNotFound);
  if (!storage) throw new ServiceUnavailable(PHOTO_MESSAGES.noStorage);
  const { photo, isPublic } = found;
  // The key's random name identifies the bytes: a photo is never rewritten in place.
  const etag = `"${photo.storageKey.slice(photo.storageKey.lastIndexOf('/') + 1, photo.storageKey.lastIndexOf('.'))}"`;
  const headers = {
    'Cache-Control': isPublic ? PUBLIC_CACHE : PRIVATE_CACHE,
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  };
  const match = c.req.header('if-none-match');
  if (match?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))
    return c.body(null, 304, headers);
  const file = await storage.get(photo.storageKey);
  if (!file) throw new NotFound(PHOTO_MESSAGES.photoNotFound);
  return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
    ...headers,
    'Content-Type': photo.contentType,
    'Content-Length': String(file.size),
  });
});

photoRoutes.get('/annonces/:id/photos', async (c) => {
  const viewer = requireVerifiedUser(c);
  await editableListing(c.get('db'), idParam(c, 'id'), viewer, c.get('deps').clock.now());
  return photosPage(c, { values: {}, errors: {}, status: 200 });
});

photoRoutes.post(
  '/annonces/:id/photos',
  bodyLimit({
    maxSize: PHOTO_BODY_MAX_BYTES,
    onError: (c) =>
      photosPage(c as AppContext, { values: {}, errors: { file: IMAGE_REFUSALS.tooLarge }, status: 413 }),
  }),
  validForm(photoFormSchema, renderPhotosPage, {
    fields: ['file', 'alt'],
    prepare: async (c) => {
      try {
        checkUpload(await uploadedBytes(c));
        return undefined;
      } catch (error) {
        return (error as { fields?: Record<string, string> }).fields ?? { file: IMAGE_REFUSALS.unreadable };
      }
    },
  }),
  async (c) => {
    const viewer = requireVerifiedUser(c);
    const listingId = idParam(c, 'id');
    await addPhoto(photoDeps(c), listingId, viewer, {
      file: await uploadedBytes(c),
      alt: c.req.valid('form').alt,
    });
    return c.redirect(`/annonces/${listingId}/modifier?avis=photo-ajoutee`, 303);
  },
);

photoRoutes.post('/annonces/:id/photos/:photoId/supprimer', async (c) => {
  const viewer = requireVerifiedUser(c);
  const listingId = idParam(c, 'id');
  await deletePhoto(photoDeps(c), listingId, idParam(c, 'photoId'), viewer);
  return c.redirect(`/annonces/${listingId}/modifier?avis=photo-retiree`, 303);
});

// ————————————————————————————————————————— API

photoRoutes.post(
  '/api/v1/listings/:id/photos',
  bodyLimit({
    maxSize: PHOTO_BODY_MAX_BYTES,
    onError: () => {
      throw new PayloadTooLarge(IMAGE_REFUSALS.tooLarge);
    },
  }),
  async (c) => {
    const viewer = requireVerifiedUser(c);
    const listingId = idParam(c, 'id');
    let form: Record<string, string | File>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw new ValidationError({ file: 'Envoyez la photo en multipart/form-data, dans le champ « file ».' });
    }
    const file = form.file;
    const rawAlt = typeof form.alt === 'string' && form.alt.trim() !== '' ? form.alt : undefined;
    const alt = rawAlt === undefined ? undefined : photoAlt.safeParse(rawAlt);
    if (alt && !alt.success) throw new ValidationError({ alt: alt.error.issues[0]!.message });
    const photo = await addPhoto(photoDeps(c), listingId, viewer, {
      file: file instanceof File ? new Uint8Array(await file.arrayBuffer()) : undefined,
      alt: alt?.data,
    });
    return c.json(photoJson(photo), 201);
  },
);

photoRoutes.delete('/api/v1/listings/:id/photos/:photoId', async (c) => {
  const viewer = requireVerifiedUser(c);
  await deletePhoto(photoDeps(c), idParam(c, 'id'), idParam(c, 'photoId'), viewer);
  return c.body(null, 204);
});

/** The photo JSON of the API (as in a listing's `photos`). */
export function photoJson(photo: PhotoRow) {
  return {
    id: photo.id,
    url: photoUrl(photo.listingId, photo.id),
    contentType: photo.contentType,
    width: photo.width,
    height: photo.height,
    alt: photo.alt,
  };
}
