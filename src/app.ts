import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { storageFaultCode, storageHealth } from './db/storage.ts';
import { alertRoutes } from './features/alerts/routes.tsx';
import { amiFileRoutes, isAmiUpload } from './features/ami/file-routes.tsx';
import { laureateRoutes } from './features/ami/laureats-routes.tsx';
import { amiRoutes } from './features/ami/routes.tsx';
import { apiDocsRoutes } from './features/api-docs/routes.ts';
import { authRoutes } from './features/auth/routes.tsx';
import { EmailNotVerified, loadViewer } from './features/auth/session.ts';
import { renderEmailNotVerifiedPage } from './features/auth/views.tsx';
import { espaceRoutes } from './features/espace/routes.tsx';
import { geoRoutes } from './features/geo/routes.tsx';
import { instructionApiRoutes } from './features/instruction/api-routes.ts';
import { staffNotificationRoutes } from './features/instruction/notifications-routes.tsx';
import { instructionPageRoutes } from './features/instruction/queue-routes.tsx';
import { waveRoutes } from './features/instruction/waves-routes.tsx';
import { isPhotoUpload, PHOTO_PATH, photoRoutes } from './features/listings/photo-routes.tsx';
import { listingRoutes } from './features/listings/routes.tsx';
import { listingSearchRoutes } from './features/listings/search-routes.tsx';
import { matchingRoutes } from './features/matching/routes.tsx';
import { moderationRoutes } from './features/moderation/routes.tsx';
import { transportFromConfig } from './features/notifications/mailer.ts';
import { organisationRoutes } from './features/organisations/routes.tsx';
import { pageRoutes } from './features/pages/routes.tsx';
import { poleRoutes } from './features/poles/routes.tsx';
import { threadRoutes } from './features/threads/routes.tsx';
import type { AppContext, AppDeps, AppEnv, EmailTransport } from './lib/context.ts';
import { renderErrorPage } from './lib/error-page.tsx';
import { AppError, type FieldErrors, PayloadTooLarge, ServiceUnavailable, statusOf } from './lib/errors.ts';
import { contentSecurityPolicy, requestLog } from './lib/middleware.ts';
import { cachePolicy, sameOriginWrites } from './lib/request-policy.ts';

export type { AppDeps } from './lib/context.ts';

/** Bodies above this size are refused with 413 (file uploads get their own, larger, limit). */
export const MAX_BODY_BYTES = 1024 * 1024;

const isApi = (c: AppContext) => c.req.path.startsWith('/api/');
/** RFC 8058 one-click unsubscribe (`POST /desabonnement/:token`, threads/routes.tsx), from mail providers. */
const ONE_CLICK_UNSUBSCRIBE = /^\/desabonnement\/[A-Za-z0-9_-]{10,200}$/;

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
 * Static files served by the app itself (Node; on Workers the platform serves them before the app).
 * Mounted under their own paths only (plus `/assets/*` for unknown hashed names → 404), so dynamic
 * requests never reach the handler.
 */
export interface StaticFiles {
  paths: readonly string[];
  handle: (c: Context) => Response | Promise<Response>;
}

/**
 * Builds the ptce-hub application. Imports no runtime: entries (Node, Workers) and tests pass the
 * database, clock and log sink, and optionally static files and a response-compression middleware.
 */
export function createApp(
  input: Omit<AppDeps, 'mailer'> & {
    mailer?: EmailTransport;
    assets?: StaticFiles;
    compress?: MiddlewareHandler;
  },
) {
  const deps: AppDeps = { ...input, mailer: input.mailer ?? transportFromConfig(input.config, input.log) };
  const app = new Hono<AppEnv>();

  app.onError((thrown, c) => {
    // A storage fault (read-only file, full disk) is the storage's state, not a bug: 503, logged.
    const storageCode = storageFaultCode(thrown);
    if (storageCode) deps.log({ level: 'error', msg: 'storage fault', code: storageCode, path: c.req.path });
    const err = storageCode ? new ServiceUnavailable() : thrown;
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

  // Before every middleware: a probe needs neither headers for browsers, nor a session, nor a log line
  // per call (failures are logged); its cost stays near a bare Hono route plus one database round trip.
  app.get('/healthz', async (c) => {
    try {
      const db = deps.db(c.env);
      await db.run('SELECT 1');
      // Reads work; writes may not: the last storage fault, until a write succeeds (no probe when healthy).
      const fault = await storageHealth(db)?.check();
      if (fault) {
        const { code, since, lastSeen } = fault;
        const storage = {
          writable: false,
          code,
          since: new Date(since).toISOString(),
          lastSeen: new Date(lastSeen).toISOString(),
        };
        return c.json({ status: 'degraded', storage }, 503);
      }
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

  if (deps.config.LOG_REQUESTS === '1') app.use(requestLog(deps.log));
  const assets = input.assets;
  if (assets) {
    const handle = (c: Context) => assets.handle(c);
    app.get('/assets/*', handle);
    for (const path of assets.paths) if (!path.startsWith('/assets/')) app.get(path, handle);
  }
  if (input.compress) app.use(input.compress);
  app.use(
    secureHeaders({
      contentSecurityPolicy,
      strictTransportSecurity: 'max-age=63072000; includeSubDomains',
      referrerPolicy: 'strict-origin-when-cross-origin',
      permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    }),
  );
  const globalBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new PayloadTooLarge();
    },
  });
  // Photo uploads (5 Mo an image) and AMI files (10 Mo) have their own limit and message, on their
  // routes (photo-routes.tsx, ami/file-routes.tsx). GET and HEAD carry no body (fetch refuses one):
  // they skip the check, which reads `c.req.raw.body` — on Node that alone turns @hono/node-server's
  // light request into a full `Request` (a stream, an AbortSignal: ~5 % of a page's CPU).
  app.use((c, next) =>
    c.req.method === 'GET' ||
    c.req.method === 'HEAD' ||
    isPhotoUpload(c.req.method, c.req.path) ||
    isAmiUpload(c.req.method, c.req.path)
      ? next()
      : globalBodyLimit(c, next),
  );
  // Unsafe methods must come from this site whatever their content type (bearer-token requests
  // excepted, and the one-click unsubscribe of mail providers: its token authorises it); responses
  // vary on the session and are never cached when personal. See docs/decisions/010 and 018.
  app.use(sameOriginWrites(deps.config.PUBLIC_URL, { tokenPosts: ONE_CLICK_UNSUBSCRIBE }));
  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('db', deps.db(c.env));
    c.set('viewer', null);
    await next();
  });
  app.use(
    cachePolicy(
      [
        '/compte',
        '/mon-espace',
        '/echanges',
        '/moderation',
        '/api/v1/me',
        '/api/v1/threads',
        '/api/v1/saved-searches',
        '/dev/emails',
        '/admin',
        '/instruction',
        '/ami/dossiers',
        '/api/v1/ami',
      ],
      PHOTO_PATH,
    ),
  );
  app.use(loadViewer);

  app.route('/', pageRoutes);
  app.route('/', authRoutes);
  app.route('/', geoRoutes);
  app.route('/', apiDocsRoutes);
  app.route('/', organisationRoutes);
  app.route('/', poleRoutes);
  app.route('/', listingSearchRoutes);
  app.route('/', listingRoutes);
  app.route('/', photoRoutes);
  app.route('/', amiFileRoutes);
  app.route('/', threadRoutes);
  app.route('/', alertRoutes);
  app.route('/', matchingRoutes);
  app.route('/', moderationRoutes);
  app.route('/', espaceRoutes);
  app.route('/', waveRoutes);
  app.route('/', staffNotificationRoutes);
  app.route('/', laureateRoutes);
  app.route('/', amiRoutes);
  app.route('/', instructionPageRoutes);
  app.route('/', instructionApiRoutes);
  return app;
}

export type App = ReturnType<typeof createApp>;
