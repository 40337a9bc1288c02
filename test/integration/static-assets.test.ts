/**
 * Static files on Node (src/entry/node-assets.ts): hashed names cached for a year, validators and
 * 304, precompressed variants negotiated, unknown assets 404, and dynamic requests never reach the
 * static handler (the manifest is read once at start; its routes are its own paths only).
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { nodeAssets } from '../../src/entry/node-assets.ts';
import { nodeCompress } from '../../src/entry/node-compress.ts';
import { parseConfig } from '../../src/env.ts';
import { assets as built } from '../../src/generated/assets.ts';
import { freshDatabase, TestClock } from '../support/app.ts';

async function setup() {
  const { db } = await freshDatabase();
  const statics = nodeAssets();
  const app = createApp({
    config: parseConfig({ NODE_ENV: 'test', LOG_REQUESTS: '0' }),
    db: () => db,
    clock: new TestClock(),
    log: () => {},
    assets: statics,
    compress: nodeCompress(),
  });
  return { app, statics };
}

describe('hashed assets', () => {
  it('are served immutable for a year, with validators', async () => {
    const { app } = await setup();
    for (const url of [built.css, built.htmx, built.dsfrModule, built.faviconSvg]) {
      expect(url).toMatch(/^\/assets\/[\w.-]+\.[0-9a-f]{8}\.\w+$/);
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('etag'), url).toMatch(/^"[\w-]+"$/);
      expect(Date.parse(res.headers.get('last-modified') ?? ''), url).not.toBeNaN();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await app.request(built.css)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answer 304 to If-None-Match with their ETag, 200 to another one', async () => {
    const { app } = await setup();
    const first = await app.request(built.css);
    const etag = first.headers.get('etag')!;
    const revalidated = await app.request(built.css, { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const listed = await app.request(built.css, { headers: { 'If-None-Match': `"other", W/${etag}` } });
    expect(listed.status).toBe(304);
    const changed = await app.request(built.css, { headers: { 'If-None-Match': '"something-else"' } });
    expect(changed.status).toBe(200);
    expect((await changed.text()).length).toBeGreaterThan(1000);
  });

  it('answer 304 to If-Modified-Since at or after Last-Modified, 200 before it', async () => {
    const { app } = await setup();
    const lastModified = (await app.request(built.htmx)).headers.get('last-modified')!;
    const same = await app.request(built.htmx, { headers: { 'If-Modified-Since': lastModified } });
    expect(same.status).toBe(304);
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString();
    expect((await app.request(built.htmx, { headers: { 'If-Modified-Since': later } })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    const stale = await app.request(built.htmx, { headers: { 'If-Modified-Since': earlier } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    // If-None-Match takes precedence: a wrong tag gets the body even with a current date.
    const both = await app.request(built.htmx, {
      headers: { 'If-None-Match': '"nope"', 'If-Modified-Since': lastModified },
    });
    expect(both.status).toBe(200);
  });

  it('send the precompressed brotli or gzip copy the client accepts, with Vary: Accept-Encoding', async () => {
    const { app } = await setup();
    const identity = await app.request(built.css);
    const plain = new Uint8Array(await identity.arrayBuffer());
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(identity.headers.get('vary')).toBe('Accept-Encoding');

    const br = await app.request(built.css, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(Number(br.headers.get('content-length'))).toBe(brBytes.length);
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    expect(brotliDecompressSync(brBytes).equals(Buffer.from(plain))).toBe(true);
    expect(brBytes.length).toBeLessThan(plain.length / 5);

    const gz = await app.request(built.css, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(Buffer.from(plain))).toBe(true);

    const preferGzip = await app.request(built.css, { headers: { 'Accept-Encoding': 'br;q=0.5, gzip' } });
    expect(preferGzip.headers.get('content-encoding')).toBe('gzip');
    const refused = await app.request(built.css, { headers: { 'Accept-Encoding': 'br;q=0, identity' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
  });

  it('answer HEAD with headers only', async () => {
    const { app } = await setup();
    const res = await app.request(built.css, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"/);
    expect(await res.text()).toBe('');
  });
});

describe('unknown and dynamic paths', () => {
  it('an unknown asset name is 404 (an old hash, a missing file), from the static handler', async () => {
    const { app, statics } = await setup();
    const oldHash = built.css.replace(/\.[0-9a-f]{8}\.css$/, '.00000000.css');
    for (const url of [oldHash, '/assets/nothing.js', '/assets/']) {
      const before = statics.hits;
      const res = await app.request(url);
      expect(res.status, url).toBe(404);
      expect(statics.hits, url).toBe(before + 1);
    }
    // The source files of the build are not a way around it: public/vendor no longer exists.
    expect((await app.request('/vendor/dsfr/dsfr.min.css')).status).toBe(404);
  });

  it('dynamic pages, the API and /healthz never reach the static handler', async () => {
    const { app, statics } = await setup();
    expect(statics.paths.length).toBeGreaterThan(5);
    expect(statics.paths.every((path) => path.startsWith('/'))).toBe(true);
    for (const url of ['/', '/organisations', '/poles', '/api/v1/communes?q=voi', '/healthz', '/connexion']) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
    }
    expect((await app.request('/no-such-page')).status).toBe(404);
    expect(statics.hits).toBe(0);
    await app.request(built.app);
    expect(statics.hits).toBe(1);
  });
});
