import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, formPost } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: TestUser;
let admin: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  member = await createSignedInUser(t);
  admin = await createSignedInUser(t, { role: 'admin' });
});
afterAll(() => t.client.close());

describe('auth page forms on the shared form pipeline', () => {
  it('POST /compte/supprimer without the box ticked → 422 with the message on the box', async () => {
    const res = await t.app.request('/compte/supprimer', formPost({}, { cookie: member.cookie }));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Cochez la case pour confirmer la suppression définitive.');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('<title>Erreur — Supprimer mon compte');
  });

  it('POST /compte/supprimer anonymous → 401, before the form is read', async () => {
    expect((await t.app.request('/compte/supprimer', formPost({}))).status).toBe(401);
  });

  it('POST /admin/utilisateurs/:id/role with an unknown role → 422 on the admin page', async () => {
    const res = await t.app.request(
      `/admin/utilisateurs/${member.id}/role`,
      formPost({ role: 'boss' }, { cookie: admin.cookie }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Rôle inconnu.');
    expect(html).toContain('<h1>Comptes et rôles</h1>');
  });

  it('POST /admin/utilisateurs/:id/role as a member → 403, whatever the body', async () => {
    const res = await t.app.request(
      `/admin/utilisateurs/${admin.id}/role`,
      formPost({ role: 'boss' }, { cookie: member.cookie }),
    );
    expect(res.status).toBe(403);
  });

  it.each([
    ['a NUL', 'Camille\u0000 Martin'],
    ['a bidi override', 'Camille \u202Enitram'],
  ])('POST /inscription with %s in the name → 422', async (_case, name) => {
    const res = await t.app.request(
      '/inscription',
      formPost({ name, email: 'nouvelle@example.org', password: 'une phrase de passe longue' }),
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('caractères invisibles ou de contrôle');
  });

  it('POST /compte/jetons with a NUL in the name → 422', async () => {
    const res = await t.app.request(
      '/compte/jetons',
      formPost({ name: 'jeton\u0000' }, { cookie: member.cookie }),
    );
    expect(res.status).toBe(422);
  });

  it('POST /contact with a bidi override in the message → 422', async () => {
    const res = await t.app.request(
      '/contact',
      formPost({ name: 'Camille', email: 'c@example.org', topic: 'autre', message: 'Bonjour \u202E' }),
    );
    expect(res.status).toBe(422);
  });
});
