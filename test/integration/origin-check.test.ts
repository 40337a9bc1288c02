import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationSettings } from '../../src/db/schema.ts';
import { createUnsubscribeLink } from '../../src/features/notifications/unsubscribe.ts';
import { createTestApp, jsonRequest, ORIGIN } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let user: TestUser;
beforeAll(async () => {
  t = await createTestApp({ config: { PUBLIC_URL: 'https://ptce.example.gouv.fr' } });
  user = await createSignedInUser(t);
});
afterAll(() => t.client.close());

const patchOrganisation = (headers: Record<string, string>, contentType = 'application/json') =>
  t.app.request('/api/v1/organisations/999999', {
    ...jsonRequest('PATCH', { version: 1, name: 'Pirate' }, headers),
    headers: { 'content-type': contentType, ...headers },
  });

describe('same-origin rule for unsafe methods, whatever the content type', () => {
  it.each([
    ['application/json', 'application/json'],
    ['application/json; charset=utf-8', 'application/json; charset=utf-8'],
    ['application/merge-patch+json', 'application/merge-patch+json'],
  ])('refuses a cookie-authenticated %s write from another site (403)', async (_case, type) => {
    const res = await patchOrganisation({ cookie: user.cookie, origin: 'https://evil.example' }, type);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  });

  it('refuses a cookie-authenticated DELETE /api/v1/me cross-site, and the account survives', async () => {
    const res = await t.app.request('/api/v1/me', {
      method: 'DELETE',
      headers: { cookie: user.cookie, origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect((await t.app.request('/api/v1/me', { headers: { cookie: user.cookie } })).status).toBe(200);
  });

  it('refuses Sec-Fetch-Site: cross-site without Origin, and a cookie write with neither header', async () => {
    expect((await patchOrganisation({ cookie: user.cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    expect((await patchOrganisation({ cookie: user.cookie })).status).toBe(403);
  });

  it('lets same-origin writes through (the request origin, PUBLIC_URL, or Sec-Fetch-Site: same-origin)', async () => {
    // 404: the organisation does not exist — the request got past the check.
    expect((await patchOrganisation({ cookie: user.cookie, origin: ORIGIN })).status).toBe(404);
    expect(
      (await patchOrganisation({ cookie: user.cookie, origin: 'https://ptce.example.gouv.fr' })).status,
    ).toBe(404);
    expect((await patchOrganisation({ cookie: user.cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(
      404,
    );
  });

  it('lets a bearer-token request through without Origin, even from another site', async () => {
    expect(
      (await patchOrganisation({ authorization: user.bearer, origin: 'https://evil.example' })).status,
    ).toBe(404);
  });

  it('lets a program sign in through the API without Origin when it sends no cookie', async () => {
    const res = await t.app.request(
      '/api/v1/auth/login',
      jsonRequest('POST', { email: user.email, password: user.password }),
    );
    expect(res.status).toBe(200);
  });
});

describe('RFC 8058 one-click unsubscribe: the one token-authorised POST that needs no Origin', () => {
  /** What a mail provider sends: no Origin, no Referer, no Sec-Fetch-Site, no cookie. */
  const oneClick = (path: string, headers: Record<string, string> = {}) =>
    t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: 'List-Unsubscribe=One-Click',
    });

  it('lets the mail provider’s POST /desabonnement/:token through, and it unsubscribes', async () => {
    const link = await createUnsubscribeLink(t.db, user.id, 'messages', ORIGIN);
    const res = await oneClick(new URL(link).pathname);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Désabonnement enregistré');
    const [setting] = await t.db
      .select()
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, user.id));
    expect(setting!.messages).toBe('never');
  });

  it('still needs the token: an unknown one is a 404, not a write', async () => {
    expect((await oneClick('/desabonnement/inconnu-inconnu-inconnu')).status).toBe(404);
  });

  it('keeps every other form POST without Origin refused (403), cookie or not', async () => {
    for (const path of [
      '/recherches/1/supprimer',
      '/desabonnement/abc/def',
      '/desabonnements/abcdefghijkl',
    ]) {
      expect((await oneClick(path, { cookie: user.cookie })).status, path).toBe(403);
      expect((await oneClick(path)).status, path).toBe(403);
    }
    expect(
      (await oneClick('/recherches/1/supprimer', { cookie: user.cookie, origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
  });
});
