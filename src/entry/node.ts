/**
 * The embedded default: one Node process serving the app over a local libSQL file.
 * `npm start` → migrate, load demo data on first boot (unless DEMO_DATA=0), serve on PORT.
 */
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../app.ts';
import { loadDemoDataOnce } from '../db/demo.ts';
import { openDatabase } from '../db/local.ts';
import { applyMigrations } from '../db/migrate.ts';
import { parseConfig, startupSummary } from '../env.ts';
import { jsonLog, systemClock } from '../lib/context.ts';
import { nodeAssets } from './node-assets.ts';

const config = parseConfig(process.env);
jsonLog({ level: 'info', msg: 'mode', ...startupSummary(config) });
const { client, db } = await openDatabase(config.DATABASE_URL, config.LIBSQL_AUTH_TOKEN);
const started = performance.now();
await applyMigrations(db);
// The demo accounts' passwords are published in the README: never create them in production.
const demoLoaded =
  config.DEMO_DATA === '1' &&
  (await loadDemoDataOnce(db, systemClock.now(), { accounts: config.NODE_ENV !== 'production' }));
jsonLog({
  level: 'info',
  msg: 'database ready',
  url: config.DATABASE_URL,
  demoLoaded,
  ms: Math.round(performance.now() - started),
});

const app = createApp({
  config,
  db: () => db,
  clock: systemClock,
  log: jsonLog,
  assets: nodeAssets(),
  // The socket's address: X-Forwarded-For is not trusted, since nothing says a proxy sets it.
  clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown',
});
const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
  jsonLog({ level: 'info', msg: 'listening', url: `http://localhost:${info.port}` });
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  jsonLog({ level: 'info', msg: 'shutting down', signal });
  // Stop accepting connections; in-flight requests finish, then the database is closed.
  server.close(() => {
    client.close();
    jsonLog({ level: 'info', msg: 'stopped' });
    process.exit(0);
  });
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  setTimeout(() => {
    jsonLog({ level: 'error', msg: 'forced exit: requests still running after 10 s' });
    process.exit(1);
  }, 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
