import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, authTokens, sessions, users } from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { hashPassword, randomToken, sha256Hex } from './crypto.ts';
import { API_TOKEN_PREFIX } from './session.ts';

export type Role = SessionUser['role'];

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role?: Role;
  verified?: boolean;
}

/** Creates an account; returns its id, or null when the email is already taken. */
export async function createUser(db: Db, input: NewUser, now: Date): Promise<number | null> {
  const [row] = await db
    .insert(users)
    .values({
      email: input.email.trim().toLowerCase(),
      name: input.name.trim(),
      passwordHash: await hashPassword(input.password),
      role: input.role ?? 'member',
      emailVerifiedAt: input.verified ? now.toISOString() : null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  return row?.id ?? null;
}

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row;
}

export async function findUserById(db: Db, id: number) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

const TOKEN_TTL_MS = { verify_email: 48 * 3600_000, reset_password: 3600_000 } as const;

/** Issues a single-use, expiring emailed link token; returns the token to put in the link. */
export async function issueAuthToken(
  db: Db,
  userId: number,
  purpose: keyof typeof TOKEN_TTL_MS,
  now: Date,
): Promise<string> {
  const token = randomToken();
  await db.insert(authTokens).values({
    tokenHash: await sha256Hex(token),
    userId,
    purpose,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]).toISOString(),
  });
  return token;
}

/**
 * Uses up an emailed token: returns its user id when it exists, has this purpose, is unexpired and
 * unused — and marks it used in the same statement, so it can never serve twice.
 */
export async function consumeAuthToken(
  db: Db,
  token: string,
  purpose: keyof typeof TOKEN_TTL_MS,
  now: Date,
): Promise<number | null> {
  const [row] = await db
    .update(authTokens)
    .set({ usedAt: now.toISOString() })
    .where(
      and(
        eq(authTokens.tokenHash, await sha256Hex(token)),
        eq(authTokens.purpose, purpose),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, now.toISOString()),
      ),
    )
    .returning({ userId: authTokens.userId });
  return row?.userId ?? null;
}

/** Creates a personal API token; the clear token is returned once and never stored. */
export async function createApiToken(db: Db, userId: number, name: string, now: Date) {
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  const [row] = await db
    .insert(apiTokens)
    .values({
      userId,
      name,
      tokenHash: await sha256Hex(token),
      prefix: token.slice(0, 10),
      createdAt: now.toISOString(),
    })
    .returning({ id: apiTokens.id });
  return { id: row!.id, token };
}

export function listApiTokens(db: Db, userId: number) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId));
}

/** Revokes one of the user's tokens; false when it is not theirs or does not exist. */
export async function revokeApiToken(db: Db, userId: number, tokenId: number): Promise<boolean> {
  const rows = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export function listSessions(db: Db, userId: number, now: Date) {
  return db
    .select({
      tokenHash: sessions.tokenHash,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now.toISOString())));
}
