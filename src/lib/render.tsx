import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppContext } from './context.ts';
import { Layout } from './layout.tsx';

export interface PageOptions {
  title: string;
  description?: string;
  status?: ContentfulStatusCode;
}

/**
 * A page answering 422 or 409 is a form in error (or a refused action): its title starts with
 * « Erreur — » (RGAA 11.10), whatever the page passed.
 */
export function errorTitle(title: string, status?: ContentfulStatusCode): string {
  return (status === 422 || status === 409) && !title.startsWith('Erreur — ') ? `Erreur — ${title}` : title;
}

/** Renders a full DSFR page (with its doctype) for the current request and viewer. */
export function renderPage(c: AppContext, options: PageOptions, body: Child) {
  const page = (
    <Layout
      title={errorTitle(options.title, options.status)}
      description={options.description}
      path={c.req.path}
      viewer={c.get('viewer')}
    >
      {body}
    </Layout>
  );
  return c.html(html`<!DOCTYPE html>${page}`, options.status ?? 200);
}

/** True when htmx asked for a fragment swapped into a target (not a boosted full-page request). */
export function isPartialRequest(c: AppContext): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') === 'partial';
}
