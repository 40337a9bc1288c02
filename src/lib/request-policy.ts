import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './context.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

/**
 * Same-origin rule for every unsafe method, whatever the content type (hono/csrf only checks the
 * content types a form can send). A request passes when `Sec-Fetch-Site: same-origin` or its
 * `Origin` is this site (the request's origin or `publicUrl`). Requests with an `Authorization`
 * header skip the check: the token authenticates them, the cookie is then ignored, and no browser
 * attaches such a header cross-site.
 *
 * Requests with neither header: every current browser sends `Origin` on an unsafe request, so
 * these come from programs; they pass only when they carry no cookie and are not a form (a scripted
 * API sign-in, for instance) — a cookie-authenticated write must say where it comes from.
 *
 * `tokenPosts`: paths whose POST is authorised by a secret token in the path itself, never by the
 * cookie, and must work from anywhere — the RFC 8058 one-click unsubscribe a mail provider POSTs
 * (`List-Unsubscribe=One-Click`) with no Origin, Referer or cookie. A forged cross-site POST there
 * needs the token, which only the email carries.
 */
export function sameOriginWrites(
  publicUrl: string,
  options: { tokenPosts?: RegExp } = {},
): MiddlewareHandler<AppEnv> {
  const configured = new URL(publicUrl).origin;
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || c.req.header('authorization')) return next();
    if (c.req.method === 'POST' && options.tokenPosts?.test(c.req.path)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    let allowed: boolean;
    if (site === 'same-origin') allowed = true;
    else if (origin !== undefined) allowed = origin === new URL(c.req.url).origin || origin === configured;
    else if (site !== undefined) allowed = false;
    else allowed = !c.req.header('cookie') && !FORM_TYPES.test(c.req.header('content-type') ?? 'text/plain');
    if (!allowed) throw new HTTPException(403);
    return next();
  };
}

/**
 * Cache policy for dynamic responses. Every page shows who is signed in and API answers depend on
 * the token, so responses vary on `Cookie` (and `Authorization` under /api/). A response to a
 * signed-in viewer, one that sets a cookie, or one under `privatePrefixes` (account pages, `/api/v1/me`)
 * is `private, no-store`: personal data and tokens never stay in a shared or browser cache.
 * A handler's own `Cache-Control` on an anonymous response is kept; under `selfCached` (listing
 * photos: the same bytes for every viewer allowed to see them), it is kept for any viewer.
 */
export function cachePolicy(
  privatePrefixes: readonly string[],
  selfCached?: RegExp,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (selfCached?.test(c.req.path) && c.res.headers.has('cache-control')) {
      c.res.headers.append('Vary', 'Cookie');
      return;
    }
    const api = c.req.path.startsWith('/api/');
    c.res.headers.append('Vary', api ? 'Cookie, Authorization' : 'Cookie');
    const personal =
      c.get('viewer') !== null ||
      c.res.headers.has('set-cookie') ||
      privatePrefixes.some((prefix) => c.req.path === prefix || c.req.path.startsWith(`${prefix}/`));
    if (personal) c.res.headers.set('Cache-Control', 'private, no-store');
  };
}
