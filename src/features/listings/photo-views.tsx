import type { Child } from 'hono/jsx';
import type { AppContext } from '../../lib/context.ts';
import type { ListingView } from './output.ts';

/** The photos of a listing page (nothing when it has none). */
export function ListingPhotoGallery(_props: { listing: ListingView }): Child {
  return null;
}

/** The photos section of a listing's edit page: add (up to four), describe, remove. */
export async function PhotoManager(_props: { c: AppContext; listing: ListingView }): Promise<Child> {
  return null;
}
