/**
 * Applies migrations to any libSQL database (a local file or Turso):
 *   DATABASE_URL=libsql://… LIBSQL_AUTH_TOKEN=… npm run db:migrate
 */

import { openDatabase } from '../src/db/local.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { configFromProcessEnv } from '../src/env.ts';

const { DATABASE_URL: url, LIBSQL_AUTH_TOKEN } = configFromProcessEnv();
const { client, db } = await openDatabase(url, LIBSQL_AUTH_TOKEN);
const started = performance.now();
await applyMigrations(db);
client.close();
console.log(
  `migrations applied to ${url.replace(/\/\/[^@]*@/, '//')} in ${Math.round(performance.now() - started)} ms`,
);
