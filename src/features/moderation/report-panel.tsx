import type { Child } from 'hono/jsx';
import type { AppContext } from '../../lib/context.ts';
import type { ListingView } from '../listings/output.ts';

/** « Signaler cette annonce » on a listing page (signed-in viewers), and the staff's unpublish action. */
export async function ReportPanel(_props: { c: AppContext; listing: ListingView }): Promise<Child> {
  return null;
}
