/**
 * A server process for `npm run bench` (forked with an IPC channel, never started otherwise):
 *   tsx bench/server.ts app <file:db>   the real app as `npm start` builds it (static files, compression),
 *                                      without migrations or demo data;
 *   tsx bench/server.ts hello          a plain Hono hello-world, the baseline of every ratio.
 * It listens on a free loopback port and sends `{ port }` to the parent; it answers `'cpu'` messages
 * with its `process.cpuUsage()`, so the benchmark reads the server's own CPU time per request (the
 * channel is the IPC pipe, not an HTTP route).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../src/app.ts';
import { openDatabase } from '../src/db/local.ts';
import { nodeAssets } from '../src/entry/node-assets.ts';
import { nodeCompress } from '../src/entry/node-compress.ts';
import { parseConfig } from '../src/env.ts';
import { systemClock } from '../src/lib/context.ts';

const [mode, url] = process.argv.slice(2);
if (!process.send) throw new Error('bench/server.ts runs as a child of bench/run.ts (IPC channel)');

async function build(): Promise<{ fetch: (request: Request) => Response | Promise<Response> }> {
  if (mode === 'hello') {
    const hello = new Hono();
    hello.get('/', (c) => c.text('Hello, World!'));
    return hello;
  }
  if (mode !== 'app' || !url) throw new Error('usage: bench/server.ts app <file:db> | hello');
  const { db } = await openDatabase(url);
  return createApp({
    config: parseConfig({
      NODE_ENV: 'production',
      LOG_REQUESTS: '0',
      DEMO_DATA: '0',
      PUBLIC_URL: 'http://127.0.0.1',
    }),
    db: () => db,
    clock: systemClock,
    log: (entry) => {
      if (entry.level === 'error') console.error(JSON.stringify(entry));
    },
    assets: nodeAssets(),
    compress: nodeCompress(),
    clientIp: () => '127.0.0.1',
  });
}

const app = await build();
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send?.({ port: info.port });
});
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
