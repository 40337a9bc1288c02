import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { openApiDocument } from './openapi.ts';

export const apiDocsRoutes = new Hono<AppEnv>().get('/api/v1/openapi.json', (c) => {
  c.header('Cache-Control', 'public, max-age=300');
  return c.json(openApiDocument());
});
