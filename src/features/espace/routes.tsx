import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { Alert, Breadcrumb, Container } from '../../lib/dsfr.tsx';
import { renderPage } from '../../lib/render.tsx';
import { requireUser } from '../auth/session.ts';
import { ESPACE_SECTIONS } from './registry.tsx';

/** `?avis=` notices of actions that land here (a deleted listing has no page to return to). */
const NOTICES: Record<string, string> = { 'annonce-supprimee': 'L’annonce est supprimée.' };

/**
 * « Mon espace »: what the signed-in user follows day to day — their organisations' listings,
 * their threads, their saved searches, their notification settings — one section per feature,
 * rendered in parallel (each section runs its own bounded queries).
 */
export const espaceRoutes = new Hono<AppEnv>().get('/mon-espace', async (c) => {
  const viewer = requireUser(c);
  const rendered = await Promise.all(ESPACE_SECTIONS.map((section) => section.render(c, viewer)));
  const sections = ESPACE_SECTIONS.map((section, i) => ({ section, body: rendered[i] })).filter(
    ({ body }) => body !== null,
  );
  return renderPage(
    c,
    { title: 'Mon espace' },
    <Container>
      <Breadcrumb items={[{ label: 'Mon espace' }]} />
      {NOTICES[c.req.query('avis') ?? ''] && (
        <Alert type="success" small title={NOTICES[c.req.query('avis') ?? '']} />
      )}
      <h1>Mon espace</h1>
      {sections.length > 1 ? (
        <nav class="fr-summary" aria-labelledby="sommaire-espace">
          <p class="fr-summary__title" id="sommaire-espace">
            Sommaire
          </p>
          <ol>
            {sections.map(({ section }) => (
              <li>
                <a class="fr-summary__link" href={`#${section.id}`}>
                  {section.title}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      {sections.map(({ section, body }) => (
        <section class="fr-mt-6w" id={section.id} aria-labelledby={`${section.id}-titre`}>
          <h2 id={`${section.id}-titre`}>{section.title}</h2>
          {body}
        </section>
      ))}
    </Container>,
  );
});
