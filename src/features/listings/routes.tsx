import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';

/** Listing pages and API: create, edit, publish, close, the listing page (/annonces/:id). */
export const listingRoutes = new Hono<AppEnv>();
