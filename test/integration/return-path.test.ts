import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, formPost } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let user: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  user = await createSignedInUser(t);
});
afterAll(() => t.client.close());

describe('retour= after signing in', () => {
  it.each([
    ['a tab between slashes', '%2F%09%2Fevil.example'],
    ['a newline between slashes', '%2F%0A%2Fevil.example'],
    ['a backslash', '%2F%5Cevil.example'],
    ['a protocol-relative URL', '%2F%2Fevil.example'],
  ])('GET /connexion (signed in) with %s → /compte', async (_case, retour) => {
    const res = await t.app.request(`/connexion?retour=${retour}`, { headers: { cookie: user.cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/compte');
  });

  it('POST /connexion with CR/LF in retour → /compte, not a 500', async () => {
    const res = await t.app.request(
      '/connexion?retour=%2Fcompte%0D%0ASet-Cookie%3A%20x%3D1',
      formPost({ email: user.email, password: user.password }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/compte');
  });

  it('keeps a local path', async () => {
    const res = await t.app.request('/connexion?retour=%2Fpoles%3Ftheme%3Denergie', {
      headers: { cookie: user.cookie },
    });
    expect(res.headers.get('location')).toBe('/poles?theme=energie');
  });
});
