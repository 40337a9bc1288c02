import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { Breadcrumb, Container, TableFrame } from '../../lib/dsfr.tsx';
import { type Page, Pagination } from '../../lib/pagination.tsx';
import { renderPage } from '../../lib/render.tsx';
import { validQuery } from '../../lib/validation.ts';
import { type Laureate, laureatesQuery, listLaureates } from './laureats.ts';
import { euros } from './transitions.ts';

function LaureatesPage({ page, waveId }: { page: Page<Laureate>; waveId?: number | undefined }) {
  const href = (p: number) => {
    const params = new URLSearchParams();
    if (waveId) params.set('waveId', String(waveId));
    if (p > 1) params.set('page', String(p));
    if (page.perPage !== 20) params.set('perPage', String(page.perPage));
    const qs = params.toString();
    return `/ami/laureats${qs ? `?${qs}` : ''}`;
  };
  return (
    <Container>
      <Breadcrumb items={[{ label: 'AMI PTCE', href: '/ami' }, { label: 'Lauréats' }]} />
      <h1>Lauréats de l’AMI PTCE</h1>
      <p>
        Les pôles territoriaux de coopération économique retenus dans les vagues de l’appel à manifestation
        d’intérêt permanent, avec le montant de l’aide accordée par l’État.
      </p>
      {page.total === 0 ? (
        <p>Aucun lauréat pour le moment.</p>
      ) : (
        <TableFrame scroll>
          <table>
            <caption>
              Lauréats ({page.total}
              {page.total > page.perPage ? `, page ${page.page}` : ''})
            </caption>
            <thead>
              <tr>
                <th scope="col">Pôle ou projet</th>
                <th scope="col">Organisation porteuse</th>
                <th scope="col">Commune</th>
                <th scope="col">Région</th>
                <th scope="col">Vague</th>
                <th scope="col" class="fr-cell--right">
                  Montant accordé
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((l) => (
                <tr>
                  <td>{l.poleSlug ? <a href={`/poles/${l.poleSlug}`}>{l.name}</a> : l.name}</td>
                  <td>{l.organisationName}</td>
                  <td>{l.commune}</td>
                  <td>{l.regionName}</td>
                  <td>{l.waveName ?? '—'}</td>
                  <td class="fr-cell--right">{euros(l.amountGranted)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <Pagination page={page.page} perPage={page.perPage} total={page.total} hrefFor={href} />
    </Container>
  );
}

/** The public lauréats page and API (a sub-app of its own: the applicant side has `routes.tsx`). */
export const laureateRoutes = new Hono<AppEnv>()
  .get('/ami/laureats', validQuery(laureatesQuery), async (c) => {
    const query = c.req.valid('query');
    const page = await listLaureates(c.get('db'), query);
    return renderPage(
      c,
      {
        title: 'Lauréats de l’AMI PTCE',
        description: 'Les pôles retenus par l’AMI PTCE et l’aide accordée.',
      },
      <LaureatesPage page={page} waveId={query.waveId} />,
    );
  })
  .get('/api/v1/ami/laureats', validQuery(laureatesQuery), async (c) =>
    c.json(await listLaureates(c.get('db'), c.req.valid('query'))),
  );
