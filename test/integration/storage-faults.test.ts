/**
 * Defect 4: a read-only database or a full disk. Tests run as root, where `chmod a-w` does not stop
 * SQLite from writing, so the faults are produced by SQLite itself on the app's real connection:
 * `PRAGMA query_only = 1` refuses every write with SQLITE_READONLY (what a file without write
 * permission gives), `PRAGMA max_page_count` = the current size makes any growth fail with
 * SQLITE_FULL (what a full disk gives). Both are lifted the same way an operator fixes the disk, with
 * no restart. (The read-only *start* is tested in test/integration/read-only-start.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { storageFaultCode, watchStorage } from '../../src/db/storage.ts';
import { createTestApp, formPost, jsonRequest } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

let counter = 0;
const signUpForm = () => ({
  name: 'Camille Martin',
  email: `camille${++counter}-${Date.now()}@example.org`,
  password: 'un mot de passe solide',
});

async function makeReadOnly(t: TestApp) {
  await t.client.execute('PRAGMA query_only = 1');
  return () => t.client.execute('PRAGMA query_only = 0');
}

async function makeFull(t: TestApp) {
  const [row] = (await t.client.execute('PRAGMA page_count')).rows;
  await t.client.execute(`PRAGMA max_page_count = ${Number(row!.page_count)}`);
  return () => t.client.execute('PRAGMA max_page_count = 1073741823');
}

/**
 * Signs people up until one is refused: a read-only database refuses the first; a full one accepts
 * sign-ups while they fit in its pages' free room, like a disk filling up (7 minutes apart, under the
 * sign-up limits; at most 40, within the signed-in user's day-long session).
 */
async function firstRefusedSignUp(t: TestApp) {
  for (let i = 0; i < 40; i++) {
    const response = await t.app.request('/inscription', formPost(signUpForm()));
    if (response.status !== 303) return response;
    t.clock.advance(7 * 60_000);
  }
  throw new Error('40 sign-ups all accepted');
}

describe.each([
  ['read-only database', makeReadOnly, 'SQLITE_READONLY'],
  ['full disk', makeFull, 'SQLITE_FULL'],
] as const)('storage fault: %s', (_name, breakStorage, code) => {
  it('answers writes with 503 (page and JSON), keeps reads working, reports it in /healthz', async () => {
    const t = await createTestApp();
    const user = await createSignedInUser(t);
    const fix = await breakStorage(t);

    const page = await firstRefusedSignUp(t);
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('Service indisponible');
    expect(html).toContain('vos informations n’ont pas pu être enregistrées');

    const api = await t.app.request('/api/v1/auth/signup', jsonRequest('POST', signUpForm()));
    expect(api.status).toBe(503);
    expect(await api.json()).toEqual({
      error: { code: 'service_unavailable', message: expect.stringContaining('Réessayez') },
    });
    expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'storage fault', code }));
    expect(t.logs.some((entry) => entry.msg === 'unhandled error')).toBe(false);

    const health = await t.app.request('/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', storage: { writable: false, code } });

    // Reads, anonymous and signed in (the session's "last seen" touch is skipped, not fatal).
    expect((await t.app.request('/organisations')).status).toBe(200);
    expect((await t.app.request('/api/v1/communes?q=gren')).status).toBe(200);
    t.clock.advance(61 * 60_000); // past the hourly "last seen" touch
    expect((await t.app.request('/compte', { headers: { cookie: user.cookie } })).status).toBe(200);
    expect((await t.app.request('/api/v1/me', { headers: { authorization: user.bearer } })).status).toBe(200);

    // Fixed without a restart: the next write succeeds and /healthz is healthy again.
    await fix();
    const again = await t.app.request('/inscription', formPost(signUpForm()));
    expect(again.status).toBe(303);
    const healthy = await t.app.request('/healthz');
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ status: 'ok' });
  });
});

describe('storage health probe', () => {
  it('clears a fault once the storage takes writes again, even if no user writes', async () => {
    const t = await createTestApp();
    let now = 1_000_000;
    const { client, health } = watchStorage(t.client, () => now);
    await client.execute('PRAGMA query_only = 1');
    const failed = await client.execute("UPDATE users SET name = 'x'").catch((error: unknown) => error);
    expect(storageFaultCode(failed)).toBe('SQLITE_READONLY');
    expect(await health.check()).toMatchObject({ code: 'SQLITE_READONLY' });

    await client.execute('PRAGMA query_only = 0');
    // Probes are spaced out: right after a failed probe the fault is still reported…
    expect(await health.check()).not.toBeNull();
    now += 5000;
    // …then the next probe succeeds, and leaves nothing behind.
    expect(await health.check()).toBeNull();
    const probe = await client.execute("SELECT name FROM sqlite_master WHERE name = 'ptce_write_probe'");
    expect(probe.rows).toHaveLength(0);
  });

  it('never probes a healthy database', async () => {
    const t = await createTestApp();
    const { client, health } = watchStorage(t.client);
    await client.execute('PRAGMA query_only = 1');
    expect(await health.check()).toBeNull();
  });
});
