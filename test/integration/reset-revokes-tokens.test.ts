import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emails } from '../../src/db/schema.ts';
import { createTestApp, formPost } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.client.close());

describe('POST /reinitialisation/:token', () => {
  it('revokes the personal API tokens and the other sessions, and says so', async () => {
    const user = await createSignedInUser(t);
    expect((await t.app.request('/api/v1/me', { headers: { authorization: user.bearer } })).status).toBe(200);

    await t.app.request('/mot-de-passe-oublie', formPost({ email: user.email }));
    const [mail] = await t.db.select().from(emails).where(eq(emails.to, user.email));
    const link = /https?:\/\/[^\s/]+(\/reinitialisation\/\S+)/.exec(mail!.text)![1]!;
    const done = await t.app.request(link, formPost({ password: 'un tout nouveau mot de passe' }));
    expect(done.status).toBe(303);

    const tokenRequest = await t.app.request('/api/v1/me', { headers: { authorization: user.bearer } });
    expect(tokenRequest.status).toBe(401);
    expect((await t.app.request('/api/v1/me', { headers: { cookie: user.cookie } })).status).toBe(401);

    const cookie = /ptce_session=[^;]+/.exec(done.headers.get('set-cookie') ?? '')![0];
    const page = await t.app.request(done.headers.get('location')!, { headers: { cookie } });
    expect(await page.text()).toContain('vos jetons d’accès à l’API révoqués');
  });
});
