import { and, eq, gt } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../db/client.ts';
import { apiTokens, sessions, users } from '../../db/schema.ts';
import { unlessStorageFault } from '../../db/storage.ts';
import type { AppContext, AppEnv, SessionUser } from '../../lib/context.ts';
import { Forbidden, Unauthorized } from '../../lib/errors.ts';
import { randomToken, sha256Hex } from './crypto.ts';

export const SESSION_TTL_MS = 30 * 24 * 3600_000;
/** last_seen_at is refreshed at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 3600_000;
export const API_TOKEN_PREFIX = 'ptce_';

/** Cookies are Secure (and `__Host-` prefixed) everywhere but plain-HTTP localhost. */
function isSecure(c: AppContext): boolean {
  const url = new URL(c.req.url);
  return url.protocol === 'https:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export function sessionCookieName(c: AppContext): string {
  return isSecure(c) ? '__Host-ptce_session' : 'ptce_session';
}

/**
 * The origin used in emailed links: the configured PUBLIC_URL (required in production; the
 * listening address in development), never the request's Host header, which a client chooses.
 */
export function publicOrigin(c: AppContext): string {
  return new URL(c.get('deps').config.PUBLIC_URL).origin;
}

const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  emailVerifiedAt: users.emailVerifiedAt,
};

/**
 * Starts a browser session for the user: a new random token in the cookie (so a session fixed
 * before sign-in is never reused), its hash in the database. Ends the request's previous session.
 */
export async function startSession(c: AppContext, userId: number): Promise<void> {
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const previous = getCookie(c, sessionCookieName(c));
  if (previous) await db.delete(sessions).where(eq(sessions.tokenHash, await sha256Hex(previous)));
  const token = randomToken();
  await db.insert(sessions).values({
    tokenHash: await sha256Hex(token),
    userId,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    userAgent: c.req.header('user-agent')?.slice(0, 200) ?? null,
  });
  setCookie(c, sessionCookieName(c), token, {
    httpOnly: true,
    secure: isSecure(c),
    sameSite: 'Lax',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/** Ends the current browser session (database row and cookie). */
export async function endSession(c: AppContext): Promise<void> {
  const token = getCookie(c, sessionCookieName(c));
  if (token)
    await c
      .get('db')
      .delete(sessions)
      .where(eq(sessions.tokenHash, await sha256Hex(token)));
  deleteCookie(c, sessionCookieName(c), { path: '/', secure: isSecure(c) });
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  role: SessionUser['role'];
  emailVerifiedAt: string | null;
}

function toSessionUser(row: UserRow, via: SessionUser['via']): SessionUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    emailVerified: !!row.emailVerifiedAt,
    via,
  };
}

async function userFromSession(db: Db, token: string, now: Date): Promise<SessionUser | null> {
  const tokenHash = await sha256Hex(token);
  const [row] = await db
    .select({ ...userColumns, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now.toISOString())));
  if (!row) return null;
  if (now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_EVERY_MS) {
    // Best effort: a read-only disk must not turn every signed-in read into a 503.
    await unlessStorageFault(
      db.update(sessions).set({ lastSeenAt: now.toISOString() }).where(eq(sessions.tokenHash, tokenHash)),
    );
  }
  return { ...toSessionUser(row, 'session'), sessionHash: tokenHash };
}

async function userFromApiToken(db: Db, token: string, now: Date): Promise<SessionUser | null> {
  const tokenHash = await sha256Hex(token);
  const [row] = await db
    .select({ ...userColumns, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash));
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > TOUCH_EVERY_MS) {
    await unlessStorageFault(
      db.update(apiTokens).set({ lastUsedAt: now.toISOString() }).where(eq(apiTokens.id, row.tokenId)),
    );
  }
  return toSessionUser(row, 'token');
}

/**
 * Identifies the requester: a personal API token (`Authorization: Bearer ptce_…`) or the session
 * cookie. A bearer token that matches nothing is a 401, never a silent anonymous request.
 */
export const loadViewer: MiddlewareHandler<AppEnv> = async (c, next) => {
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const authorization = c.req.header('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const viewer = match ? await userFromApiToken(db, match[1]!, now) : null;
    if (!viewer) throw new Unauthorized('Jeton d’accès invalide ou révoqué.');
    c.set('viewer', viewer);
  } else {
    const token = getCookie(c, sessionCookieName(c));
    c.set('viewer', token ? await userFromSession(db, token, now) : null);
  }
  await next();
};

/** The signed-in user, or a 401. */
export function requireUser(c: AppContext): SessionUser {
  const viewer = c.get('viewer');
  if (!viewer) throw new Unauthorized();
  return viewer;
}

/** The signed-in user holding one of these platform roles, or 401/403. */
export function requireRole(c: AppContext, ...roles: SessionUser['role'][]): SessionUser {
  const viewer = requireUser(c);
  if (!roles.includes(viewer.role)) throw new Forbidden();
  return viewer;
}

/**
 * A signed-in user whose address is not confirmed yet tried to publish or change something. Still a
 * 403 (`email_not_verified` in the API); pages explain and offer to resend the link.
 */
export class EmailNotVerified extends Forbidden {
  constructor() {
    super(
      'Confirmez d’abord votre adresse électronique (lien envoyé à l’inscription, ou depuis « Mon compte »).',
    );
    Object.defineProperty(this, 'code', { value: 'email_not_verified' });
    this.name = 'EmailNotVerified';
  }
}

/** The signed-in user with a confirmed email address (required to publish or change anything). */
export function requireVerifiedUser(c: AppContext): SessionUser {
  const viewer = requireUser(c);
  if (!viewer.emailVerified) throw new EmailNotVerified();
  return viewer;
}
