/**
 * Applies migrations to any libSQL database (a local file or Turso):
 *   DATABASE_URL=libsql://… LIBSQL_AUTH_TOKEN=… npm run db:migrate
 */

import { openDatabase } from '../src/db/local.ts';
import { applyMigrations } from '../src/db/migrate.ts';

const url = process.env.DATABASE_URL ?? process.env.LIBSQL_URL ?? 'file:data/ptce.db';
const { client, db } = await openDatabase(url, process.env.LIBSQL_AUTH_TOKEN);
const started = performance.now();
await applyMigrations(db);
client.close();
console.log(
  `migrations applied to ${url.replace(/\/\/[^@]*@/, '//')} in ${Math.round(performance.now() - started)} ms`,
);
