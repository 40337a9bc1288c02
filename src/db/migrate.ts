import { join } from 'node:path';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Db } from './client.ts';

/** Folder of drizzle-kit SQL migrations, resolved from this file (works from src/ with tsx). */
export const migrationsFolder = join(import.meta.dirname, '..', '..', 'migrations');

/** Applies pending migrations (idempotent). Node only: reads migration files from disk. */
export async function applyMigrations(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder });
}
