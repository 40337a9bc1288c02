import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, formPost, type TestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';

/** A fresh app (database copy and clock) for every test. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('GET /healthz', () => {
  it('answers ok after a database round trip', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 when the database is unreachable', async () => {
    const { app, client } = await createTestApp();
    client.close();
    const res = await app.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable' });
  });
});

describe('pages', () => {
  it('serves the home page in French with DSFR and htmx', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(body).toContain('<html lang="fr"');
    expect(body).toMatch(/href="\/assets\/site\.[0-9a-f]{8}\.css"/);
    expect(body).toMatch(/src="\/assets\/htmx\.[0-9a-f]{8}\.js"/);
    expect(body).toContain('Trouver des partenaires près de chez vous');
    for (const label of ['Annonces', 'Organisations', 'Pôles', 'AMI'])
      expect(body).toContain(`>${label}</a>`);
    for (const href of ['/accessibilite', '/mentions-legales', '/donnees-personnelles']) {
      expect(body).toContain(`href="${href}"`);
    }
  });

  it.each([
    ['/accessibilite', 'Déclaration d’accessibilité'],
    ['/mentions-legales', 'Mentions légales'],
    ['/donnees-personnelles', 'Données personnelles'],
    ['/ami', 'L’appel à manifestation d’intérêt permanent « PTCE »'],
    ['/annonces', 'Annonces de mutualisation'],
  ])('serves %s', async (path, heading) => {
    const res = await t.app.request(path);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<h1>${heading}</h1>`);
  });

  it('sends a strict CSP and security headers', async () => {
    const res = await t.app.request('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('errors', () => {
  it('renders a DSFR 404 page for unknown pages', async () => {
    const res = await t.app.request('/nulle-part');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Page non trouvée');
  });

  it('answers a JSON envelope for unknown API paths', async () => {
    const res = await t.app.request('/api/v1/nulle-part');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Ressource introuvable.' } });
  });

  it('refuses a 2 MB JSON body with 413', async () => {
    const body = JSON.stringify({ text: 'a'.repeat(2 * 1024 * 1024) });
    const res = await t.app.request('/api/v1/communes', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('refuses a 2 MB body sent without a length (streamed) with 413', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent >= 2 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await t.app.request('/api/v1/communes', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      // @ts-expect-error Node's fetch needs duplex for a streamed body
      duplex: 'half',
    });
    expect(res.status).toBe(413);
  });

  it('refuses a cross-site form post with 403 (CSRF)', async () => {
    const res = await t.app.request('/', formPost({ a: 'b' }, { origin: 'https://evil.example' }));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Accès refusé');
  });
});

describe('CSRF and bearer tokens', () => {
  it('lets a bearer-token request without Origin through, and still blocks a cookie one', async () => {
    const user = await createSignedInUser(t);
    const withToken = await t.app.request('/api/v1/auth/logout', {
      method: 'POST',
      headers: { authorization: user.bearer },
    });
    expect(withToken.status).toBe(204);
    const withCookie = await t.app.request('/api/v1/auth/logout', {
      method: 'POST',
      headers: { cookie: user.cookie },
    });
    expect(withCookie.status).toBe(403);
  });
});
