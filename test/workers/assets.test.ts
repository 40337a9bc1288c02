/**
 * The Workers static-assets binding serves the same hashed names as Node (src/generated/assets.ts),
 * immutable through public/_headers, revalidated by ETag, without the Node-only .br/.gz copies.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { assets } from '../../src/generated/assets.ts';

const ORIGIN = 'https://ptce.example.gouv.fr';

describe('Workers static assets', () => {
  it('serve hashed names immutable, and 304 to If-None-Match', async () => {
    const res = await env.ASSETS.fetch(`${ORIGIN}${assets.css}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    await res.arrayBuffer();
    const again = await env.ASSETS.fetch(`${ORIGIN}${assets.css}`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });

  it('do not upload the precompressed copies made for Node', async () => {
    const res = await env.ASSETS.fetch(`${ORIGIN}${assets.css}.br`);
    expect(res.status).toBe(404);
  });
});
