/**
 * Smoke test of the Cloudflare Workers entry inside workerd: requests go through the Worker's
 * default export with the bindings of wrangler.toml (plus test overrides), and the database is
 * remote libSQL over HTTP (the Hrana test server started by the global setup).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../src/entry/worker.ts';

const ORIGIN = 'https://ptce.example.gouv.fr';

describe('Workers entry (workerd)', () => {
  it('renders the home page', async () => {
    const res = await exports.default.fetch(`${ORIGIN}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await res.text();
    expect(body).toContain('<html lang="fr"');
    expect(body).toMatch(/href="\/assets\/site\.[0-9a-f]{8}\.css"/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers /healthz after a round trip to libSQL over HTTP', async () => {
    expect(env.LIBSQL_URL).toBe(inject('libsqlUrl'));
    const res = await exports.default.fetch(`${ORIGIN}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reads the migrated database (communes référentiel)', async () => {
    const res = await exports.default.fetch(`${ORIGIN}/api/v1/communes?q=voiron`);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { code: string; name: string }[] };
    expect(items[0]).toMatchObject({ code: '38563', name: 'Voiron' });
  });

  it('answers /healthz 503 when the database is unreachable', async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${ORIGIN}/healthz`),
      { ...env, LIBSQL_URL: inject('closedUrl') },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable' });
  });

  it('answers /healthz 503 when the auth token is wrong', async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${ORIGIN}/healthz`),
      { ...env, LIBSQL_AUTH_TOKEN: 'not-the-token' },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
  });

  it('has the static-assets binding over public/', async () => {
    const res = await env.ASSETS.fetch(`${ORIGIN}/app.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
  });
});
