import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';

/** Saved searches, alerts and one-click unsubscribe. */
export const alertRoutes = new Hono<AppEnv>();
