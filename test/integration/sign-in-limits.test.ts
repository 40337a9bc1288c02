import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, formPost, jsonRequest } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
let t: TestApp;
afterEach(() => t.client.close());

const login = async (email: string, password: string, headers: Record<string, string> = {}) =>
  t.app.request('/api/v1/auth/login', jsonRequest('POST', { email, password }, headers));

/** Fires `count` sign-ins at once; returns how many statuses of each kind came back. */
async function burst(count: number, attempt: (index: number) => Promise<Response>) {
  const statuses = await Promise.all(
    Array.from({ length: count }, (_, i) => attempt(i).then((r) => r.status)),
  );
  const tally: Record<number, number> = {};
  for (const status of statuses) tally[status] = (tally[status] ?? 0) + 1;
  return tally;
}

describe('POST /api/v1/auth/login under parallel attempts', () => {
  it('checks at most 5 passwords for one account when 60 wrong ones arrive at once', async () => {
    t = await createTestApp();
    const user = await createSignedInUser(t);
    const tally = await burst(60, () => login(user.email, 'pas le bon mot de passe'));
    // 401 = the password was checked; 429 = refused before any check.
    expect(tally[401]).toBeLessThanOrEqual(5);
    expect((tally[401] ?? 0) + (tally[429] ?? 0)).toBe(60);
    // The account stays locked for the window, even with the right password.
    expect((await login(user.email, user.password)).status).toBe(429);
  });

  it('checks at most 30 passwords for one address when 60 go to different accounts at once', async () => {
    t = await createTestApp({ config: { TRUSTED_PROXY: 'x-forwarded-for' } });
    const from = { 'x-forwarded-for': '198.51.100.7' };
    const tally = await burst(60, (i) => login(`personne${i}@example.org`, 'peu importe', from));
    expect(tally[401]).toBeLessThanOrEqual(30);
    expect((tally[401] ?? 0) + (tally[429] ?? 0)).toBe(60);
    // Another address is not affected.
    const other = await login('quelquun@example.org', 'peu importe', { 'x-forwarded-for': '198.51.100.8' });
    expect(other.status).toBe(401);
  });

  it('lets the right password through after 4 failures, and a success does not use up the address', async () => {
    t = await createTestApp({ config: { TRUSTED_PROXY: 'x-forwarded-for' } });
    const user = await createSignedInUser(t);
    const from = { 'x-forwarded-for': '198.51.100.9' };
    for (let i = 0; i < 4; i++) expect((await login(user.email, 'faux', from)).status).toBe(401);
    expect((await login(user.email, user.password, from)).status).toBe(200);
    // Failures were forgotten for the account: 5 more wrong ones are checked before the lock.
    for (let i = 0; i < 5; i++) expect((await login(user.email, 'faux', from)).status).toBe(401);
    expect((await login(user.email, 'faux', from)).status).toBe(429);
  });

  it('refuses the sign-in page form the same way (429 with the message)', async () => {
    t = await createTestApp();
    const user = await createSignedInUser(t);
    const statuses = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const res = await t.app.request('/connexion', formPost({ email: user.email, password: 'faux' }));
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    const page = await t.app.request('/connexion', formPost({ email: user.email, password: 'faux' }));
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('Trop de tentatives de connexion');
  });
});
