import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emails } from '../../src/db/schema.ts';
import { createTestApp, formPost, jsonRequest } from '../support/app.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let cookie: string;
const email = 'pas-encore@example.org';
beforeAll(async () => {
  t = await createTestApp();
  const res = await t.app.request(
    '/inscription',
    formPost({ name: 'Pas Encore', email, password: 'une phrase de passe longue' }),
  );
  cookie = /ptce_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
});
afterAll(() => t.client.close());

describe('before the address is confirmed', () => {
  it.each(['/organisations/nouvelle', '/poles/nouveau'])(
    'GET %s explains and offers to resend the link (403)',
    async (path) => {
      const res = await t.app.request(path, { headers: { cookie } });
      expect(res.status).toBe(403);
      const html = await res.text();
      expect(html).toContain('Confirmez d’abord votre adresse électronique');
      expect(html).toContain(email);
      expect(html).toContain('action="/compte/verification"');
      expect(html).toContain('Renvoyer le lien de confirmation');
    },
  );

  it('the resend button sends a new link', async () => {
    const before = await t.db.select().from(emails).where(eq(emails.to, email));
    const res = await t.app.request('/compte/verification', formPost({}, { cookie }));
    expect(res.status).toBe(303);
    const after = await t.db.select().from(emails).where(eq(emails.to, email));
    expect(after.length).toBe(before.length + 1);
  });

  it('the API still answers 403 with the code email_not_verified', async () => {
    const res = await t.app.request(
      '/api/v1/organisations',
      jsonRequest('POST', {}, { cookie, origin: 'http://localhost' }),
    );
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('email_not_verified');
  });
});
