/**
 * Compression of dynamic responses on Node (src/entry/node-compress.ts): brotli or gzip by the
 * client's Accept-Encoding, Vary: Accept-Encoding always, the other headers (cookies included) kept.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { COMPRESS_THRESHOLD, nodeCompress } from '../../src/entry/node-compress.ts';
import { parseConfig } from '../../src/env.ts';
import { preferredEncoding } from '../../src/lib/compress.ts';
import { formPost, freshDatabase, TestClock } from '../support/app.ts';

async function setup() {
  const { db } = await freshDatabase();
  return createApp({
    config: parseConfig({ NODE_ENV: 'test', LOG_REQUESTS: '0' }),
    db: () => db,
    clock: new TestClock(),
    log: () => {},
    compress: nodeCompress(),
  });
}

const decode = async (res: Response) => {
  const bytes = Buffer.from(await res.arrayBuffer());
  const encoding = res.headers.get('content-encoding');
  if (encoding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(bytes).toString('utf8');
  return bytes.toString('utf8');
};

describe('compression of pages and API responses', () => {
  it('sends an HTML page in brotli when accepted (quality 2: cheaper per request than gzip 6), the same page as without compression', async () => {
    const app = await setup();
    const plain = await app.request('/organisations');
    const html = await plain.text();
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/);

    const res = await app.request('/organisations', {
      headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const length = Number(res.headers.get('content-length'));
    const body = await decode(res);
    expect(body).toBe(html);
    expect(length).toBeLessThan(Buffer.byteLength(html) / 3);
  });

  it('sends gzip to a client that accepts gzip and not brotli (browsers over plain HTTP)', async () => {
    const app = await setup();
    const res = await app.request('/organisations', { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await decode(res)).toContain('<html');
  });

  it('sends JSON in gzip to a client that accepts only gzip', async () => {
    const app = await setup();
    const res = await app.request('/api/v1/communes?q=saint', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/);
    const json = JSON.parse(await decode(res)) as { items: unknown[] };
    expect(json.items.length).toBeGreaterThan(0);
  });

  it('keeps small bodies as they are, with Vary still set', async () => {
    const app = await setup();
    const res = await app.request('/api/v1/communes?q=zzzzzz', { headers: { 'Accept-Encoding': 'br' } });
    const body = await res.text();
    expect(Buffer.byteLength(body)).toBeLessThan(COMPRESS_THRESHOLD);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/);
  });

  it('keeps Set-Cookie and the status of error pages', async () => {
    const app = await setup();
    const missing = await app.request('/organisations/pas-une-organisation', {
      headers: { 'Accept-Encoding': 'br' },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-encoding')).toBe('br');
    expect(await decode(missing)).toContain('<html');
  });

  it('compresses form pages: a 422 keeps its status, a form re-rendered after the handler refused it is whole, HEAD keeps the headers', async () => {
    const app = await setup();
    const invalid = await app.request(
      '/contact',
      formPost(
        { name: '', email: 'pas-un-courriel', subject: '', message: '' },
        { 'Accept-Encoding': 'gzip, br' },
      ),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('content-encoding')).toBe('br');
    expect(await decode(invalid)).toContain('Erreur');

    // The handler throws (409: the email is taken) and validForm replaces the error response with
    // the form: Hono copies the first response's headers onto the second, so a stale
    // Content-Length or Content-Encoding would truncate or garble the page (it did, once).
    const account = { name: 'Camille', email: 'camille@example.org', password: 'un mot de passe sûr 2026' };
    expect((await app.request('/inscription', formPost(account))).status).toBe(303);
    const taken = await app.request('/inscription', formPost(account, { 'Accept-Encoding': 'br' }));
    expect(taken.status).toBe(409);
    expect(taken.headers.get('content-encoding')).toBe('br');
    const bytes = Buffer.from(await taken.clone().arrayBuffer());
    expect(Number(taken.headers.get('content-length'))).toBe(bytes.length);
    const page = await decode(taken);
    expect(page).toContain('Un compte existe déjà avec cette adresse');
    expect(page).toContain('id="pied-de-page"');
    expect(page.trimEnd().endsWith('</html>')).toBe(true);

    const head = await app.request('/organisations', {
      method: 'HEAD',
      headers: { 'Accept-Encoding': 'br' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-encoding')).toBe('br');
    expect(await head.text()).toBe('');
  });

  it('keeps every Set-Cookie and other headers of the compressed response', async () => {
    const app = new Hono();
    app.use(nodeCompress());
    app.get('/', (c) => {
      c.header('Set-Cookie', 'a=1; Path=/', { append: true });
      c.header('Set-Cookie', 'b=2; Path=/', { append: true });
      c.header('Cache-Control', 'private, no-store');
      return c.html(`<p>${'x'.repeat(4000)}</p>`);
    });
    const res = await app.request('/', { headers: { 'Accept-Encoding': 'br' } });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(await decode(res)).toBe(`<p>${'x'.repeat(4000)}</p>`);
  });
});

describe('preferredEncoding', () => {
  const both = { br: true, gzip: true };
  it('follows q-values, prefers brotli on a tie, honours q=0 and wildcards', () => {
    expect(preferredEncoding(undefined, both)).toBeUndefined();
    expect(preferredEncoding('gzip, deflate, br', both)).toBe('br');
    expect(preferredEncoding('br;q=0.4, gzip;q=0.8', both)).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip;q=0', both)).toBeUndefined();
    expect(preferredEncoding('*', both)).toBe('br');
    expect(preferredEncoding('identity', both)).toBeUndefined();
    expect(preferredEncoding('br', { br: false, gzip: true })).toBeUndefined();
    expect(preferredEncoding('gzip, br', both, ['gzip', 'br'])).toBe('gzip');
    expect(preferredEncoding('gzip;q=0.5, br', both, ['gzip', 'br'])).toBe('br');
  });
});
