import { sessions } from '../../src/db/schema.ts';
import { randomToken, sha256Hex } from '../../src/features/auth/crypto.ts';
import { createApiToken, createUser, type Role } from '../../src/features/auth/queries.ts';
import type { createTestApp } from './app.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

let counter = 0;

export interface TestUser {
  id: number;
  email: string;
  password: string;
  /** `Cookie` header value of a signed-in browser session. */
  cookie: string;
  /** `Authorization` header value with a personal API token. */
  bearer: string;
}

/**
 * Creates a verified account straight in the database, with a browser session and an API token,
 * for tests whose subject is not sign-in itself.
 */
export async function createSignedInUser(
  t: TestApp,
  options: { role?: Role; name?: string; email?: string } = {},
): Promise<TestUser> {
  const email = options.email ?? `user${++counter}-${Date.now()}@example.org`;
  const password = 'un mot de passe solide';
  const now = t.clock.now();
  const id = await createUser(
    t.db,
    { email, name: options.name ?? `Utilisatrice ${counter}`, password, role: options.role, verified: true },
    now,
  );
  if (!id) throw new Error(`user ${email} exists`);
  const token = randomToken();
  await t.db.insert(sessions).values({
    tokenHash: await sha256Hex(token),
    userId: id,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 24 * 3600_000).toISOString(),
  });
  const api = await createApiToken(t.db, id, 'tests', now);
  return { id, email, password, cookie: `ptce_session=${token}`, bearer: `Bearer ${api.token}` };
}
