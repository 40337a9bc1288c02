import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';

/** Listing photos: upload, delete, serve. */
export const photoRoutes = new Hono<AppEnv>();
