import { Hono } from 'hono';
import * as z from 'zod';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { NotFound } from '../../lib/errors.ts';
import { type FormRenderer, validForm } from '../../lib/form.ts';
import { renderPage } from '../../lib/render.tsx';
import { validBody } from '../../lib/validation.ts';
import { requireVerifiedUser } from '../auth/session.ts';
import {
  createSavedSearch,
  deleteSavedSearch,
  getOwnSavedSearch,
  listSavedSearches,
  normaliseQuery,
  savedSearchCreateInput,
  savedSearchJson,
  savedSearchUpdateInput,
  updateSavedSearch,
} from './saved-searches.ts';
import { NewSavedSearchPage, RenamePage, SavedSearchesPage } from './views.tsx';

function idParam(c: AppContext): number {
  const raw = c.req.param('id') ?? '';
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw new NotFound('Cette recherche enregistrée n’existe pas.');
  return Number(raw);
}

const pageCreate = z.object({
  name: savedSearchCreateInput.shape.name,
  query: z.string().max(4000).default(''),
});
const pageRename = z.object({ name: savedSearchCreateInput.shape.name });
const pageToggle = z.object({ alerts: z.enum(['on', 'off'], { message: 'Choix invalide.' }) });

const renderCreate: FormRenderer = (c, { values, errors, status }) =>
  renderPage(
    c,
    { title: 'Enregistrer une recherche', status },
    <NewSavedSearchPage
      c={c}
      query={normaliseQuery(typeof values.query === 'string' ? values.query : '')}
      values={values}
      errors={errors}
    />,
  );

async function renamePage(
  c: AppContext,
  values: Record<string, string | string[]>,
  errors: Record<string, string>,
  status?: 409 | 422,
) {
  const viewer = requireVerifiedUser(c);
  const item = await getOwnSavedSearch(c.get('db'), viewer.id, idParam(c));
  return renderPage(
    c,
    { title: 'Renommer la recherche', status },
    <RenamePage item={item} values={values} errors={errors} />,
  );
}

const renderRename: FormRenderer = (c, { values, errors, status }) => renamePage(c, values, errors, status);

const now = (c: AppContext) => c.get('deps').clock.now();

export const savedSearchRoutes = new Hono<AppEnv>()
  .get('/recherches', async (c) => {
    const viewer = requireVerifiedUser(c);
    const items = await listSavedSearches(c.get('db'), viewer.id);
    return renderPage(c, { title: 'Recherches enregistrées' }, <SavedSearchesPage items={items} />);
  })
  .get('/recherches/nouvelle', (c) => {
    requireVerifiedUser(c);
    const url = new URL(c.req.url);
    const query = normaliseQuery(url.search);
    return renderPage(c, { title: 'Enregistrer une recherche' }, <NewSavedSearchPage c={c} query={query} />);
  })
  .post('/recherches', validForm(pageCreate, renderCreate), async (c) => {
    const viewer = requireVerifiedUser(c);
    const { name, query } = c.req.valid('form');
    await createSavedSearch(c.get('db'), viewer.id, { name, query, alerts: true }, now(c));
    return c.redirect('/recherches', 303);
  })
  .get('/recherches/:id/renommer', (c) => renamePage(c, {}, {}))
  .post('/recherches/:id/renommer', validForm(pageRename, renderRename), async (c) => {
    const viewer = requireVerifiedUser(c);
    await updateSavedSearch(c.get('db'), viewer.id, idParam(c), { name: c.req.valid('form').name }, now(c));
    return c.redirect('/recherches', 303);
  })
  .post(
    '/recherches/:id/alertes',
    validForm(pageToggle, (c) => c.redirect('/recherches', 303)),
    async (c) => {
      const viewer = requireVerifiedUser(c);
      await updateSavedSearch(
        c.get('db'),
        viewer.id,
        idParam(c),
        { alerts: c.req.valid('form').alerts === 'on' },
        now(c),
      );
      return c.redirect('/recherches', 303);
    },
  )
  .post('/recherches/:id/supprimer', async (c) => {
    const viewer = requireVerifiedUser(c);
    await deleteSavedSearch(c.get('db'), viewer.id, idParam(c));
    return c.redirect('/recherches', 303);
  })
  .get('/api/v1/saved-searches', async (c) => {
    const viewer = requireVerifiedUser(c);
    const items = await listSavedSearches(c.get('db'), viewer.id);
    return c.json({ items: items.map(savedSearchJson) });
  })
  .post('/api/v1/saved-searches', validBody('json', savedSearchCreateInput), async (c) => {
    const viewer = requireVerifiedUser(c);
    const row = await createSavedSearch(c.get('db'), viewer.id, c.req.valid('json'), now(c));
    return c.json(savedSearchJson(row), 201);
  })
  .get('/api/v1/saved-searches/:id', async (c) => {
    const viewer = requireVerifiedUser(c);
    return c.json(savedSearchJson(await getOwnSavedSearch(c.get('db'), viewer.id, idParam(c))));
  })
  .patch('/api/v1/saved-searches/:id', validBody('json', savedSearchUpdateInput), async (c) => {
    const viewer = requireVerifiedUser(c);
    const row = await updateSavedSearch(c.get('db'), viewer.id, idParam(c), c.req.valid('json'), now(c));
    return c.json(savedSearchJson(row));
  })
  .delete('/api/v1/saved-searches/:id', async (c) => {
    const viewer = requireVerifiedUser(c);
    await deleteSavedSearch(c.get('db'), viewer.id, idParam(c));
    return c.body(null, 204);
  });
