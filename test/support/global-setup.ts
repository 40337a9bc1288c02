import { mkdirSync, rmSync } from 'node:fs';
import { openDatabase } from '../../src/db/local.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { TEMPLATE_PATH, TMP_DIR } from './paths.ts';

/** Migrates one template database for the whole run; each test file copies it (≈ms) instead of migrating. */
export default async function setup() {
  rmSync(TMP_DIR, { recursive: true, force: true });
  mkdirSync(TMP_DIR, { recursive: true });
  const { client, db } = await openDatabase(`file:${TEMPLATE_PATH}`);
  await applyMigrations(db);
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  await client.execute('PRAGMA journal_mode = DELETE');
  client.close();
}
