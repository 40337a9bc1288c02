import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';

export const publicDir = join(import.meta.dirname, '..', '..', 'public');

/** Static files from public/ on Node; vendored assets cached a day, the rest an hour. */
export function nodeAssets() {
  return serveStatic({
    root: publicDir,
    onFound: (path, c) => {
      c.header('Cache-Control', path.includes('/vendor/') ? 'public, max-age=86400' : 'public, max-age=3600');
    },
  });
}
