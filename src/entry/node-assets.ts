/**
 * Static files of public/ on Node, from a manifest read once at start: every request for one is
 * answered from memory (no disk access, no `stat`), and the routes are mounted under the files' own
 * paths only, so a dynamic request never reaches this code. See docs/decisions/012.
 *
 * - `/assets/*`: content-hashed names built by `npm run assets` → `immutable`, cached a year;
 *   other files (public/app.css …) are revalidated (`no-cache`).
 * - `ETag` (the content's hash) and `Last-Modified` (the file's mtime at start): `If-None-Match` /
 *   `If-Modified-Since` get 304.
 * - Precompressed `.br` / `.gz` siblings are sent to clients that accept them, with `Vary: Accept-Encoding`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { Context } from 'hono';
import { preferredEncoding } from '../lib/compress.ts';

export const publicDir = join(import.meta.dirname, '..', '..', 'public');

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Uint8Array;
  br?: Uint8Array;
  gzip?: Uint8Array;
  type: string;
  etag: string;
  lastModified: string;
  /** Seconds since the epoch, whole (what `If-Modified-Since` can express). */
  mtime: number;
  cacheControl: string;
}

export type StaticManifest = ReadonlyMap<string, StaticFile>;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, no-cache';

/** Reads public/ into memory: URL path → file. Precompressed siblings become variants of their file. */
export function buildManifest(root = publicDir): StaticManifest {
  const manifest = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const type = TYPES[extname(entry.name)];
      if (!type) continue;
      const body = readFileSync(path);
      const url = `/${relative(root, path).split(sep).join('/')}`;
      const mtime = Math.floor(statSync(path).mtimeMs / 1000);
      const file: StaticFile = {
        body,
        type,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
        lastModified: new Date(mtime * 1000).toUTCString(),
        mtime,
        cacheControl: url.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
      };
      for (const [key, suffix] of [
        ['br', '.br'],
        ['gzip', '.gz'],
      ] as const) {
        try {
          file[key] = readFileSync(`${path}${suffix}`);
        } catch {
          // no precompressed variant
        }
      }
      manifest.set(url, file);
    }
  };
  walk(root);
  return manifest;
}

/** True when the client's cached copy is current (RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since). */
function notModified(c: Context, file: StaticFile) {
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === file.etag || tag === '*');
  }
  const since = c.req.header('if-modified-since');
  if (since === undefined) return false;
  const time = Date.parse(since);
  return !Number.isNaN(time) && file.mtime <= time / 1000;
}

/** Counts the requests the static handler answered (tests check that dynamic pages never reach it). */
export interface StaticAssets {
  /** The URL paths served (the routes the app mounts). */
  paths: string[];
  handle(c: Context): Response;
  readonly hits: number;
}

export function nodeAssets(manifest: StaticManifest = buildManifest()): StaticAssets {
  let hits = 0;
  return {
    paths: [...manifest.keys()],
    get hits() {
      return hits;
    },
    handle(c) {
      hits++;
      const file = manifest.get(c.req.path);
      if (!file) return c.text('Not Found', 404);
      const headers: Record<string, string> = {
        'Cache-Control': file.cacheControl,
        ETag: file.etag,
        'Last-Modified': file.lastModified,
        'X-Content-Type-Options': 'nosniff',
      };
      const variants = file.br || file.gzip;
      if (variants) headers.Vary = 'Accept-Encoding';
      if (notModified(c, file)) return c.body(null, 304, headers);
      headers['Content-Type'] = file.type;
      let body = file.body;
      if (variants) {
        const encoding = preferredEncoding(c.req.header('accept-encoding'), {
          br: !!file.br,
          gzip: !!file.gzip,
        });
        if (encoding) {
          body = encoding === 'br' ? file.br! : file.gzip!;
          headers['Content-Encoding'] = encoding;
        }
      }
      headers['Content-Length'] = String(body.length);
      // Hono answers HEAD by running this GET route and dropping the body.
      return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
    },
  };
}
