import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { validQuery } from '../../lib/validation.ts';
import { searchCommunes } from './queries.ts';
import { communeSearchQuery, suggestionQuery } from './schemas.ts';
import { CommuneOptions } from './views.tsx';

export const geoRoutes = new Hono<AppEnv>()
  .get('/api/v1/communes', validQuery(communeSearchQuery), async (c) => {
    const { q, limit } = c.req.valid('query');
    const items = await searchCommunes(c.get('db'), q, limit);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json({ items });
  })
  .get('/communes/suggestions', validQuery(suggestionQuery), async (c) => {
    const { champ } = c.req.valid('query');
    const query = (c.req.query(`${champ}Query`) ?? '').slice(0, 100);
    const candidates = query.trim() ? await searchCommunes(c.get('db'), query, 8) : [];
    return c.html(<CommuneOptions name={champ} candidates={candidates} query={query.trim()} />);
  });
