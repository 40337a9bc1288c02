import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';

/** Reports of listings and the staff moderation queue (/moderation). */
export const moderationRoutes = new Hono<AppEnv>();
