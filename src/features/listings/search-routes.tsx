import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';

/** Listing search: the /annonces page and GET /api/v1/listings. */
export const listingSearchRoutes = new Hono<AppEnv>();
