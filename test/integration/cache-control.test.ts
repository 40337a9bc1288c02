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

const vary = (res: Response) =>
  (res.headers.get('vary') ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

describe('Cache-Control on personal responses', () => {
  it.each(['/compte', '/compte/parametres-techniques', '/', '/organisations', '/poles'])(
    'GET %s for a signed-in viewer is private, no-store and varies on Cookie',
    async (path) => {
      const res = await t.app.request(path, { headers: { cookie: user.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(vary(res)).toContain('cookie');
    },
  );

  it.each(['/api/v1/me', '/api/v1/me/export'])(
    'GET %s is private, no-store and varies on Authorization',
    async (path) => {
      const res = await t.app.request(path, { headers: { authorization: user.bearer } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(vary(res)).toEqual(expect.arrayContaining(['cookie', 'authorization']));
    },
  );

  it('the page showing a new API token is private, no-store', async () => {
    const res = await t.app.request('/compte/jetons', formPost({ name: 'tableur' }, { cookie: user.cookie }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ptce_');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('an anonymous 401 on /api/v1/me is not cacheable either', async () => {
    const res = await t.app.request('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('an anonymous public page varies on Cookie but stays cacheable', async () => {
    const res = await t.app.request('/poles');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBeNull();
    expect(vary(res)).toContain('cookie');
  });

  it('a sign-in response (it sets the session cookie) is private, no-store', async () => {
    const res = await t.app.request('/connexion', formPost({ email: user.email, password: user.password }));
    expect(res.status).toBe(303);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });
});
