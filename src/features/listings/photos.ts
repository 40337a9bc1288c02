/**
 * Listing photos: add (checked from the content, ≤ 5 Mo, ≤ 4 per listing even under parallel
 * uploads, JPEG location metadata removed), delete, read for serving. Takes explicit dependencies
 * (db, storage, clock), never a Hono context.
 */
import { and, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../../db/client.ts';
import { listingPhotos } from '../../db/schema.ts';
import type { FileStorage, SessionUser } from '../../lib/context.ts';
import { Conflict, Forbidden, NotFound, ServiceUnavailable, ValidationError } from '../../lib/errors.ts';
import { newStorageKey } from '../../lib/storage-keys.ts';
import { safeText } from '../../lib/text.ts';
import { getListingAccess, isPublic, LISTING_REFUSALS, listingRights } from './access.ts';
import { type CheckedImage, checkImage, ImageRefused } from './images.ts';

export const MAX_PHOTOS_PER_LISTING = 4;

export const PHOTO_MESSAGES = {
  full: 'Une annonce compte 4 photos au plus : retirez-en une avant d’en ajouter une autre.',
  listingNotFound: 'Annonce introuvable.',
  photoNotFound: 'Photo introuvable.',
  noStorage: 'Le stockage des photos n’est pas disponible sur ce serveur : réessayez plus tard.',
} as const;

/** The text alternative of a photo (required on the page form; the API defaults to the title). */
export const photoAlt = safeText()
  .min(1, 'Décrivez la photo en quelques mots (pour les personnes qui ne la voient pas).')
  .max(250, 'La description de la photo est limitée à 250 caractères.');

export const photoFormSchema = z.object({ alt: photoAlt });

export interface PhotoDeps {
  db: Db;
  storage: FileStorage | undefined;
  clock: { now(): Date };
}

export type PhotoRow = typeof listingPhotos.$inferSelect;

type Viewer = Pick<SessionUser, 'id' | 'role' | 'emailVerified'>;

/** The listing if the viewer may edit it: 404 when unknown (or not even visible), 403 otherwise. */
export async function editableListing(db: Db, listingId: number, viewer: Viewer, now: Date) {
  const access = await getListingAccess(db, listingId, viewer);
  if (!access) throw new NotFound(PHOTO_MESSAGES.listingNotFound);
  const rights = listingRights(access, viewer, now);
  if (!rights.canEdit) {
    if (!rights.canView) throw new NotFound(PHOTO_MESSAGES.listingNotFound);
    throw new Forbidden(LISTING_REFUSALS.edit);
  }
  return access.listing;
}

const requireStorage = (storage: FileStorage | undefined) => {
  if (!storage) throw new ServiceUnavailable(PHOTO_MESSAGES.noStorage);
  return storage;
};

/** The image of an upload, or a field error on `file` (422). */
export function checkUpload(bytes: Uint8Array | undefined) {
  if (!bytes) throw new ValidationError({ file: 'Choisissez une image à envoyer.' });
  try {
    return checkImage(bytes);
  } catch (error) {
    if (error instanceof ImageRefused) throw new ValidationError({ file: error.message });
    throw error;
  }
}

const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

/**
 * Adds a photo to a listing. Nothing is stored when it is refused. The file is written first, then
 * its row by one conditional INSERT (see `storePhoto`).
 */
export async function addPhoto(
  deps: PhotoDeps,
  listingId: number,
  viewer: Viewer,
  input: { file: Uint8Array | undefined; alt?: string | undefined },
): Promise<PhotoRow> {
  const now = deps.clock.now();
  const listing = await editableListing(deps.db, listingId, viewer, now);
  const image = checkUpload(input.file);
  const storage = requireStorage(deps.storage);
  return storePhoto({ db: deps.db, storage }, listingId, image, input.alt ?? listing.title, now);
}

/**
 * Stores a checked image as a listing's photo, for a caller that has checked its rights (an upload,
 * the demo loader). The file is written first, then its row by one conditional INSERT (the count
 * and the insert in one statement, which SQLite runs alone): parallel uploads can never make a fifth
 * photo; the loser's file is deleted (409).
 */
export async function storePhoto(
  deps: { db: Db; storage: FileStorage },
  listingId: number,
  image: CheckedImage,
  alt: string,
  now: Date,
): Promise<PhotoRow> {
  const { db, storage } = deps;
  const [{ count } = { count: 0 }] = await db
    .select({ count: sql<number>`count(*)` })
    .from(listingPhotos)
    .where(eq(listingPhotos.listingId, listingId));
  if (count >= MAX_PHOTOS_PER_LISTING) throw new Conflict(PHOTO_MESSAGES.full, { file: PHOTO_MESSAGES.full });

  const key = newStorageKey(`listings/${listingId}`, EXTENSIONS[image.contentType]);
  await storage.put(key, image.body, { contentType: image.contentType });
  let inserted: PhotoRow | undefined;
  try {
    [inserted] = await db.all<PhotoRow>(sql`
      INSERT INTO ${listingPhotos} (listing_id, storage_key, content_type, size, width, height, alt, position, created_at)
      SELECT ${listingId}, ${key}, ${image.contentType}, ${image.body.length}, ${image.width}, ${image.height},
        ${alt},
        COALESCE((SELECT MAX(position) + 1 FROM ${listingPhotos} WHERE listing_id = ${listingId}), 0),
        ${now.toISOString()}
      WHERE (SELECT COUNT(*) FROM ${listingPhotos} WHERE listing_id = ${listingId}) < ${MAX_PHOTOS_PER_LISTING}
      RETURNING id, listing_id AS listingId, storage_key AS storageKey, content_type AS contentType, size,
        width, height, alt, position, created_at AS createdAt`);
  } catch (error) {
    await storage.delete(key).catch(() => undefined);
    throw error;
  }
  if (!inserted) {
    await storage.delete(key);
    throw new Conflict(PHOTO_MESSAGES.full, { file: PHOTO_MESSAGES.full });
  }
  return inserted;
}

/** Deletes a photo of a listing, its row then its file. */
export async function deletePhoto(deps: PhotoDeps, listingId: number, photoId: number, viewer: Viewer) {
  await editableListing(deps.db, listingId, viewer, deps.clock.now());
  const storage = requireStorage(deps.storage);
  const [row] = await deps.db
    .delete(listingPhotos)
    .where(and(eq(listingPhotos.id, photoId), eq(listingPhotos.listingId, listingId)))
    .returning({ storageKey: listingPhotos.storageKey });
  if (!row) throw new NotFound(PHOTO_MESSAGES.photoNotFound);
  await storage.delete(row.storageKey);
}

/**
 * The files of a listing's photos, to delete before the listing itself (its rows go with it by
 * cascade; the files would stay).
 */
export async function deleteListingPhotoFiles(deps: PhotoDeps, listingId: number) {
  const rows = await deps.db
    .select({ storageKey: listingPhotos.storageKey })
    .from(listingPhotos)
    .where(eq(listingPhotos.listingId, listingId));
  if (rows.length === 0) return;
  const storage = requireStorage(deps.storage);
  for (const { storageKey } of rows) await storage.delete(storageKey);
}

/**
 * A photo as served: its row and whether its listing is public (for the cache), if the viewer may
 * see the listing; undefined otherwise (a 404 either way: a hidden listing is not revealed).
 */
export async function photoForViewer(
  db: Db,
  listingId: number,
  photoId: number,
  viewer: Viewer | null,
  now: Date,
): Promise<{ photo: PhotoRow; isPublic: boolean } | undefined> {
  const [access, [photo]] = await Promise.all([
    getListingAccess(db, listingId, viewer),
    db
      .select()
      .from(listingPhotos)
      .where(and(eq(listingPhotos.id, photoId), eq(listingPhotos.listingId, listingId))),
  ]);
  if (!access || !photo) return undefined;
  const rights = listingRights(access, viewer, now);
  if (!rights.canView) return undefined;
  return { photo, isPublic: isPublic(access.listing, now) };
}
