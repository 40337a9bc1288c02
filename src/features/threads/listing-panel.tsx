import type { Child } from 'hono/jsx';
import type { AppContext } from '../../lib/context.ts';
import type { ListingView } from '../listings/output.ts';

/**
 * The answer box of a listing page (`/annonces/:id`): « Je suis intéressé·e » for a signed-in member
 * of another organisation (opens a thread), or the existing threads for the listing's own side.
 */
export async function ListingResponsePanel(_props: { c: AppContext; listing: ListingView }): Promise<Child> {
  return null;
}
