/**
 * Compression of dynamic responses on Node (HTML pages, JSON, htmx fragments) through node:zlib:
 * brotli quality 2 when the client accepts it (every browser over HTTPS), else gzip level 6. Measured
 * on rendered pages of 8–40 KiB (docs/decisions/012, « Dynamic pages, revisited »): brotli 2 costs
 * about half of gzip 6 (83 µs against 144 µs for the home page, 173 against 351 µs for a listing
 * search page) for bodies 3–6 % larger; brotli 4 cost as much as gzip 6 or more; brotli 11 pays off
 * for the precompressed static files only. One synchronous call per body: zlib's asynchronous API
 * costs as much CPU on the main thread plus a thread-pool round trip. Workers do not use this: the
 * platform compresses.
 */

import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';
import { preferredEncoding, varyAcceptEncoding } from '../lib/compress.ts';

/** Smaller bodies are sent as they are (the headers outweigh the saving). */
export const COMPRESS_THRESHOLD = 1024;
export const BROTLI_QUALITY = 2;
export const GZIP_LEVEL = 6;

export function compressBody(encoding: 'br' | 'gzip', input: Uint8Array): Uint8Array {
  return encoding === 'br'
    ? brotliCompressSync(input, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
          // A window just larger than the body (64 KiB at least) instead of the default 4 MiB: the
          // same bytes out, up to a quarter less CPU on a 17 KB page (allocation of the window).
          [constants.BROTLI_PARAM_LGWIN]: Math.max(
            16,
            Math.min(22, Math.ceil(Math.log2(input.length + 1)) + 1),
          ),
        },
      })
    : gzipSync(input, { level: GZIP_LEVEL });
}

export function nodeCompress(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type');
    if (
      !res.body ||
      !type ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) ||
      res.headers.has('content-encoding') ||
      /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('cache-control') ?? '')
    )
      return;
    res.headers.set('Vary', varyAcceptEncoding(res.headers.get('vary')));
    const encoding = preferredEncoding(c.req.header('accept-encoding'), { br: true, gzip: true });
    if (!encoding) return;
    const input = new Uint8Array(await res.arrayBuffer());
    const body = input.length < COMPRESS_THRESHOLD ? input : compressBody(encoding, input);
    // Hono copies the previous response's headers onto the new one: fix the changed ones after.
    c.res = new Response(body as Uint8Array<ArrayBuffer>, res);
    c.res.headers.set('Content-Length', String(body.length));
    if (body === input) return;
    c.res.headers.set('Content-Encoding', encoding);
    const etag = c.res.headers.get('etag');
    if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`);
  };
}
