import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emails, users } from '../../src/db/schema.ts';
import { createTestApp, formPost, jsonRequest, ORIGIN, type TestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';

/** A fresh app (database copy and clock) for every test. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** The session cookie a response set, as a `Cookie` header value. */
function sessionCookie(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  const match = /(?:__Host-)?ptce_session=([^;]*)/.exec(set);
  if (!match) throw new Error(`no session cookie in ${set}`);
  return match[0];
}

async function lastEmailTo(address: string) {
  const rows = await t.db.select().from(emails).where(eq(emails.to, address));
  return rows.at(-1);
}

function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://[^\\s]+(${path}/[^\\s]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in ${text}`);
  return match[1]!;
}

describe('sign up, verify, sign in, sign out (pages)', () => {
  const email = 'camille@example.org';
  /** Camille's verified account, for the tests whose subject is not sign-up. */
  const camille = () => createSignedInUser(t, { email, name: 'Camille Martin' });

  it('refuses invalid input with a message per field and keeps what was typed (never the password)', async () => {
    const res = await t.app.request(
      '/inscription',
      formPost({ name: '<b>Camille</b>', email: 'pas-une-adresse', password: 'court' }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Saisissez une adresse électronique valide');
    expect(html).toContain('au moins 12 caractères');
    expect(html).toContain('value="&lt;b&gt;Camille&lt;/b&gt;"');
    expect(html).not.toContain('value="court"');
    expect(await t.db.select().from(users).where(eq(users.email, 'pas-une-adresse'))).toHaveLength(0);
  });

  it('creates the account, signs it in and emails a verification link that works once', async () => {
    const res = await t.app.request(
      '/inscription',
      formPost({ name: 'Camille Martin', email, password: 'une phrase de passe longue' }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/compte?message=bienvenue');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = sessionCookie(res);

    const account = await t.app.request('/compte', { headers: { cookie } });
    expect(account.status).toBe(200);
    expect(await account.text()).toContain('À confirmer');

    const mail = await lastEmailTo(email);
    expect(mail?.subject).toContain('Confirmez votre adresse');
    const link = linkIn(mail!.text, '/verification-email');
    const verified = await t.app.request(link, { headers: { cookie } });
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain('Adresse confirmée');
    const confirmed = await t.app.request('/compte', { headers: { cookie } });
    expect(await confirmed.text()).toContain('Confirmée');

    const again = await t.app.request(link);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('Lien invalide ou expiré');
  });

  it('refuses a second account with the same email (any case) with 409', async () => {
    await camille();
    const res = await t.app.request(
      '/inscription',
      formPost({ name: 'Autre', email: 'CAMILLE@example.org', password: 'une autre phrase longue' }),
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('Un compte existe déjà');
  });

  it('signs in with a new session token each time (rotation) and signs out', async () => {
    const { password } = await camille();
    const first = await t.app.request('/connexion', formPost({ email, password }));
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/compte');
    const cookie = sessionCookie(first);
    const second = await t.app.request('/connexion?retour=/poles', formPost({ email, password }, { cookie }));
    expect(second.headers.get('location')).toBe('/poles');
    const rotated = sessionCookie(second);
    expect(rotated).not.toBe(cookie);
    // the session the browser had before signing in again is gone
    expect((await t.app.request('/api/v1/me', { headers: { cookie } })).status).toBe(401);

    const out = await t.app.request('/deconnexion', formPost({}, { cookie: rotated }));
    expect(out.status).toBe(303);
    expect((await t.app.request('/api/v1/me', { headers: { cookie: rotated } })).status).toBe(401);
  });

  it('never redirects outside the site after sign-in', async () => {
    const { password } = await camille();
    const res = await t.app.request('/connexion?retour=//evil.example', formPost({ email, password }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/compte');
  });

  it('redirects anonymous visitors of a private page to the sign-in page', async () => {
    const res = await t.app.request('/compte');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/connexion?retour=%2Fcompte');
  });
});

describe('sign-in rate limit', () => {
  it('answers 429 to the 6th failed sign-in for one account within 15 minutes, then lets it in after', async () => {
    const user = await createSignedInUser(t);
    for (let i = 1; i <= 5; i++) {
      const res = await t.app.request(
        '/api/v1/auth/login',
        jsonRequest('POST', { email: user.email, password: 'mauvais mot de passe' }),
      );
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const sixth = await t.app.request(
      '/api/v1/auth/login',
      jsonRequest('POST', { email: user.email, password: user.password }),
    );
    expect(sixth.status).toBe(429);
    expect((await sixth.json()).error.message).toMatch(/Trop de tentatives/);

    const page = await t.app.request('/connexion', formPost({ email: user.email, password: user.password }));
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('Trop de tentatives');

    t.clock.advance(15 * 60_000 + 1000);
    const later = await t.app.request(
      '/api/v1/auth/login',
      jsonRequest('POST', { email: user.email, password: user.password }),
    );
    expect(later.status).toBe(200);
  });

  it('does not tell unknown accounts from wrong passwords', async () => {
    const unknown = await t.app.request(
      '/api/v1/auth/login',
      jsonRequest('POST', { email: 'personne@example.org', password: 'peu importe' }),
    );
    const user = await createSignedInUser(t);
    const wrong = await t.app.request(
      '/api/v1/auth/login',
      jsonRequest('POST', { email: user.email, password: 'peu importe' }),
    );
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect((await unknown.json()).error.message).toBe((await wrong.json()).error.message);
  });
});

describe('password reset', () => {
  it('emails a single-use link, changes the password and closes other sessions', async () => {
    const user = await createSignedInUser(t);
    const res = await t.app.request('/mot-de-passe-oublie', formPost({ email: user.email }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Si un compte existe avec cette adresse');
    const link = linkIn((await lastEmailTo(user.email))!.text, '/reinitialisation');

    expect((await t.app.request(link)).status).toBe(200);
    const tooShort = await t.app.request(link, formPost({ password: 'court' }));
    expect(tooShort.status).toBe(422);

    const done = await t.app.request(link, formPost({ password: 'un tout nouveau mot de passe' }));
    expect(done.status).toBe(303);
    expect((await t.app.request('/api/v1/me', { headers: { cookie: user.cookie } })).status).toBe(401);
    const login = await t.app.request(
      '/api/v1/auth/login',
      jsonRequest('POST', { email: user.email, password: 'un tout nouveau mot de passe' }),
    );
    expect(login.status).toBe(200);

    const reused = await t.app.request(link, formPost({ password: 'encore un autre mot de passe' }));
    expect(reused.status).toBe(410);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const res = await t.app.request('/mot-de-passe-oublie', formPost({ email: 'inconnu@example.org' }));
    expect(res.status).toBe(200);
    expect(await lastEmailTo('inconnu@example.org')).toBeUndefined();
  });

  it('expires reset links after one hour', async () => {
    const user = await createSignedInUser(t);
    await t.app.request('/mot-de-passe-oublie', formPost({ email: user.email }));
    const link = linkIn((await lastEmailTo(user.email))!.text, '/reinitialisation');
    t.clock.advance(3600_000 + 1);
    expect((await t.app.request(link, formPost({ password: 'un tout nouveau mot de passe' }))).status).toBe(
      410,
    );
  });
});

describe('JSON API auth', () => {
  it('signs up (201), logs in (200 + cookie), reads /me, logs out', async () => {
    const signup = await t.app.request(
      '/api/v1/auth/signup',
      jsonRequest('POST', { email: 'api@example.org', password: 'une phrase de passe longue', name: 'Api' }),
    );
    expect(signup.status).toBe(201);
    expect((await signup.json()).user).toMatchObject({
      email: 'api@example.org',
      name: 'Api',
      role: 'member',
      emailVerified: false,
    });

    const login = await t.app.request(
      '/api/v1/auth/login',
      jsonRequest('POST', { email: 'api@example.org', password: 'une phrase de passe longue' }),
    );
    expect(login.status).toBe(200);
    const cookie = sessionCookie(login);
    const me = await t.app.request('/api/v1/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'api@example.org', organisations: [] });

    expect(
      (await t.app.request('/api/v1/auth/logout', jsonRequest('POST', undefined, { cookie, origin: ORIGIN })))
        .status,
    ).toBe(204);
    expect((await t.app.request('/api/v1/me', { headers: { cookie } })).status).toBe(401);
  });

  it('validates signup fields with 422 and a message per field', async () => {
    const res = await t.app.request(
      '/api/v1/auth/signup',
      jsonRequest('POST', { email: 'x', password: 'short' }),
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(Object.keys(body.error.fields).sort()).toEqual(['email', 'name', 'password']);
  });

  it('answers 400 (not 500) to malformed JSON', async () => {
    const res = await t.app.request('/api/v1/auth/login', {
      method: 'POST',
      body: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });

  it('accepts a personal API token and rejects a revoked or bogus one', async () => {
    const user = await createSignedInUser(t);
    expect((await t.app.request('/api/v1/me', { headers: { authorization: user.bearer } })).status).toBe(200);
    expect(
      (await t.app.request('/api/v1/me', { headers: { authorization: 'Bearer ptce_nope' } })).status,
    ).toBe(401);

    const created = await t.app.request(
      '/compte/jetons',
      formPost({ name: 'Tableur' }, { cookie: user.cookie }),
    );
    const html = await created.text();
    const token = /<code class="app-token">(ptce_[^<]+)<\/code>/.exec(html)?.[1];
    expect(token).toBeDefined();
    expect(
      (await t.app.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    const ids = [...html.matchAll(/\/compte\/jetons\/(\d+)\/supprimer/g)].map((m) => m[1]);
    const revoke = await t.app.request(
      `/compte/jetons/${ids.at(-1)}/supprimer`,
      formPost({}, { cookie: user.cookie }),
    );
    expect(revoke.status).toBe(303);
    expect(
      (await t.app.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
  });
});

describe('RGPD', () => {
  it('exports the account data as JSON', async () => {
    const user = await createSignedInUser(t, { name: 'Export Test' });
    const res = await t.app.request('/compte/export', { headers: { cookie: user.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const data = await res.json();
    expect(data.account).toMatchObject({ email: user.email, name: 'Export Test' });
    expect(JSON.stringify(data)).not.toContain('password');
  });

  it('deletes the account after confirmation and ends its sessions', async () => {
    const user = await createSignedInUser(t);
    const plan = await t.app.request('/compte/supprimer', { headers: { cookie: user.cookie } });
    expect(await plan.text()).toContain('La suppression est définitive');
    expect((await t.app.request('/compte/supprimer', formPost({}, { cookie: user.cookie }))).status).toBe(
      422,
    );
    const res = await t.app.request(
      '/compte/supprimer',
      formPost({ confirm: 'oui' }, { cookie: user.cookie }),
    );
    expect(res.status).toBe(200);
    expect(await t.db.select().from(users).where(eq(users.id, user.id))).toHaveLength(0);
    expect((await t.app.request('/api/v1/me', { headers: { authorization: user.bearer } })).status).toBe(401);
  });
});

describe('roles', () => {
  it.each([
    ['anonymous', undefined, 303],
    ['member', 'member', 403],
    ['instructor', 'instructor', 403],
    ['admin', 'admin', 200],
  ] as const)('GET /admin/utilisateurs as %s → %s', async (_label, role, status) => {
    const headers: Record<string, string> = {};
    if (role) headers.cookie = (await createSignedInUser(t, { role })).cookie;
    expect((await t.app.request('/admin/utilisateurs', { headers })).status).toBe(status);
  });

  it('lets an admin change a role, not a member', async () => {
    const admin = await createSignedInUser(t, { role: 'admin' });
    const member = await createSignedInUser(t);
    const target = await createSignedInUser(t);
    expect(
      (
        await t.app.request(
          `/admin/utilisateurs/${target.id}/role`,
          formPost({ role: 'instructor' }, { cookie: member.cookie }),
        )
      ).status,
    ).toBe(403);
    const res = await t.app.request(
      `/admin/utilisateurs/${target.id}/role`,
      formPost({ role: 'instructor' }, { cookie: admin.cookie }),
    );
    expect(res.status).toBe(303);
    const me = await t.app.request('/api/v1/me', { headers: { authorization: target.bearer } });
    expect((await me.json()).role).toBe('instructor');
    expect(
      (
        await t.app.request(
          `/admin/utilisateurs/${target.id}/role`,
          formPost({ role: 'king' }, { cookie: admin.cookie }),
        )
      ).status,
    ).toBe(422);
  });
});

describe('session cookie', () => {
  it('is Secure with the __Host- prefix outside localhost', async () => {
    const res = await t.app.request(
      'https://ptce.example.gouv.fr/api/v1/auth/signup',
      jsonRequest('POST', { email: 'secure@example.org', password: 'une phrase de passe longue', name: 'S' }),
    );
    expect(res.status).toBe(201);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-ptce_session=/);
    expect(setCookie).toMatch(/Secure/);
  });
});
