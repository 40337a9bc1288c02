import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';

/** Answers to listings: threads between two organisations, messages, status. */
export const threadRoutes = new Hono<AppEnv>();
