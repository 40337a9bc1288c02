import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { renewalRoutes } from './renewal-routes.tsx';
import { savedSearchRoutes } from './saved-search-routes.tsx';

/** Saved searches, alerts and one-click unsubscribe. */
export const alertRoutes = new Hono<AppEnv>().route('/', renewalRoutes).route('/', savedSearchRoutes);
