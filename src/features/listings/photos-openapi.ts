import * as z from 'zod';
import type { Operation } from '../api-docs/operation.ts';

const photoOutput = z
  .object({
    id: z.number().int(),
    url: z.string(),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    alt: z.string(),
  })
  .meta({ id: 'ListingPhoto' });

/** The multipart body of an upload (documented as multipart/form-data). */
export const photoUploadInput = z.object({
  file: z.string().meta({
    format: 'binary',
    description: 'JPEG, PNG ou WebP, 5 Mo au plus (type lu dans le contenu)',
  }),
  alt: z
    .string()
    .max(250)
    .optional()
    .meta({ description: 'Texte alternatif (défaut : le titre de l’annonce)' }),
});

/** The OpenAPI entries of the listing photos routes (joined in api-docs/openapi.ts). */
export const photoOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/listings/{id}/photos',
    tag: 'listings',
    auth: 'required',
    summary:
      'Add a photo to a listing (multipart/form-data, field `file`; 4 per listing; EXIF location removed from JPEGs)',
    body: photoUploadInput,
    bodyType: 'multipart/form-data',
    ok: { 201: 'Photo added' },
    output: photoOutput,
    errors: [403, 404, 409, 413, 422, 503],
  },
  {
    method: 'delete',
    path: '/api/v1/listings/{id}/photos/{photoId}',
    tag: 'listings',
    auth: 'required',
    summary: 'Delete a photo of a listing (and its file)',
    ok: { 204: 'Deleted' },
    errors: [403, 404],
  },
];
