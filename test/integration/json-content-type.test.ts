import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let user: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  user = await createSignedInUser(t);
});
afterAll(() => t.client.close());

const body = JSON.stringify({ email: 'quelquun@example.org', password: 'une phrase de passe longue' });

describe('JSON API routes with another content type', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', ''])(
    'POST /api/v1/auth/login as %j → 415 unsupported_media_type, no field list',
    async (type) => {
      const res = await t.app.request('/api/v1/auth/login', {
        method: 'POST',
        body,
        headers: { origin: ORIGIN, ...(type ? { 'content-type': type } : {}) },
      });
      expect(res.status).toBe(415);
      const json = await res.json();
      expect(json.error.code).toBe('unsupported_media_type');
      expect(json.error.fields).toBeUndefined();
    },
  );

  it('a bearer-token POST /api/v1/organisations as text/plain → 415', async () => {
    const res = await t.app.request('/api/v1/organisations', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'text/plain', authorization: user.bearer },
    });
    expect(res.status).toBe(415);
  });

  it('JSON with a charset parameter is still JSON (401 for a wrong password, not 415)', async () => {
    const res = await t.app.request('/api/v1/auth/login', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.status).toBe(401);
  });
});
