import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { apiDocsRoutes } from './features/api-docs/routes.ts';
import { authRoutes } from './features/auth/routes.tsx';
import { EmailNotVerified, loadViewer } from './features/auth/session.ts';
import { renderEmailNotVerifiedPage } from './features/auth/views.tsx';
import { geoRoutes } from './features/geo/routes.tsx';
import { transportFromConfig } from './features/notifications/mailer.ts';
import { organisationRoutes } from './features/organisations/routes.tsx';
import { pageRoutes } from './features/pages/routes.tsx';
import { poleRoutes } from './features/poles/routes.tsx';
import type { AppContext, AppDeps, AppEnv, EmailTransport } from './lib/context.ts';
import { renderErrorPage } from './lib/error-page.tsx';
import { AppError, type FieldErrors, PayloadTooLarge, statusOf } from './lib/errors.ts';
import { contentSecurityPolicy, requestLog } from './lib/middleware.ts';
import { cachePolicy, sameOriginWrites } from './lib/request-policy.ts';

export type { AppDeps } from './lib/context.ts';

/** Bodies above this size are refused with 413 (file uploads get their own, larger, limit). */
export const MAX_BODY_BYTES = 1024 * 1024;

const isApi = (c: AppContext) => c.req.path.startsWith('/api/');

// ————————————————————————————————————————— error handling
// One table: an error's class gives its status (`ERROR_STATUS` in lib/errors.ts, read by `statusOf`);
// the request gives its form — the JSON envelope `{ error: { code, message, fields } }` under /api/,
// the DSFR error page (with the field messages, if any) elsewhere. Form pages that re-render
// themselves with field messages do so in `validForm` (lib/form.ts) before reaching this handler.

function errorResponse(
  c: AppContext,
  status: ContentfulStatusCode,
  code: string,
  message?: string,
  fields?: FieldErrors,
) {
  if (isApi(c))
    return c.json({ error: { code, message: message ?? 'Erreur.', ...(fields ? { fields } : {}) } }, status);
  return renderErrorPage(c, status, message, fields);
}

/** Errors raised by Hono itself (body limit, CSRF, malformed JSON) keep their status. */
const HTTP_CODES: Record<number, [string, string]> = {
  400: ['bad_request', 'Requête invalide.'],
  401: ['unauthorized', 'Vous devez être connecté·e.'],
  403: ['forbidden', 'Requête refusée : elle ne provient pas de ce site.'],
  404: ['not_found', 'Ressource introuvable.'],
  405: ['method_not_allowed', 'Méthode non autorisée.'],
  413: ['payload_too_large', 'Le contenu envoyé est trop volumineux.'],
  415: ['unsupported_media_type', 'Type de contenu non pris en charge.'],
};

/**
 * Builds the ptce-hub application. Imports no runtime: entries (Node, Workers) and tests pass the
 * database, clock and log sink, and optionally a static-files middleware.
 */
export function createApp(
  input: Omit<AppDeps, 'mailer'> & { mailer?: EmailTransport; assets?: MiddlewareHandler },
) {
  const deps: AppDeps = { ...input, mailer: input.mailer ?? transportFromConfig(input.config, input.log) };
  const app = new Hono<AppEnv>();

  app.onError((err, c) => {
    if (err instanceof EmailNotVerified && !isApi(c)) return renderEmailNotVerifiedPage(c);
    if (err instanceof AppError) {
      const status = statusOf(err);
      if (status === 401 && !isApi(c) && c.req.method === 'GET' && c.req.header('HX-Request') !== 'true') {
        const back = new URL(c.req.url);
        return c.redirect(`/connexion?retour=${encodeURIComponent(back.pathname + back.search)}`, 303);
      }
      return errorResponse(c, status, err.code, err.message, err.fields);
    }
    if (err instanceof HTTPException) {
      const [code, message] = HTTP_CODES[err.status] ?? ['http_error', err.message || 'Erreur.'];
      return errorResponse(c, err.status as ContentfulStatusCode, code, message);
    }
    deps.log({
      level: 'error',
      msg: 'unhandled error',
      method: c.req.method,
      path: c.req.path,
      error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
    });
    return errorResponse(c, 500, 'internal_error', 'Une erreur inattendue est survenue.');
  });
  app.notFound((c) => errorResponse(c, 404, 'not_found', isApi(c) ? 'Ressource introuvable.' : undefined));

  if (deps.config.LOG_REQUESTS === '1') app.use(requestLog(deps.log));
  app.use(
    secureHeaders({
      contentSecurityPolicy,
      strictTransportSecurity: 'max-age=63072000; includeSubDomains',
      referrerPolicy: 'strict-origin-when-cross-origin',
      permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    }),
  );
  if (input.assets) app.use(input.assets);
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new PayloadTooLarge();
      },
    }),
  );
  // Unsafe methods must come from this site whatever their content type (bearer-token requests
  // excepted); responses vary on the session and are never cached when personal. See docs/decisions/010.
  app.use(sameOriginWrites(deps.config.PUBLIC_URL));
  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('db', deps.db(c.env));
    c.set('viewer', null);
    await next();
  });
  app.use(cachePolicy(['/compte', '/api/v1/me', '/dev/emails', '/admin']));
  app.use(loadViewer);

  app.get('/healthz', async (c) => {
    try {
      await c.get('db').run('SELECT 1');
      return c.json({ status: 'ok' });
    } catch (err) {
      // drizzle wraps the driver's error: log the driver's own message (its `cause`).
      const cause = (err as { cause?: unknown } | null)?.cause ?? err;
      deps.log({
        level: 'error',
        msg: 'health check failed',
        error: cause instanceof Error ? cause.message : String(cause),
      });
      return c.json({ status: 'unavailable' }, 503);
    }
  });

  app.route('/', pageRoutes);
  app.route('/', authRoutes);
  app.route('/', geoRoutes);
  app.route('/', apiDocsRoutes);
  app.route('/', organisationRoutes);
  app.route('/', poleRoutes);
  return app;
}

export type App = ReturnType<typeof createApp>;
