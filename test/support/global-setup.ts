import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/local.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { TMP_ROOT } from './paths.ts';

const STALE_MS = 6 * 3600_000;

/**
 * Migrates one template database for the whole run, in a folder of its own; each test file copies
 * the template (≈ms) instead of migrating. Removes the folder at the end, and folders that killed
 * runs left behind.
 */
export default async function setup() {
  // Each vitest project runs the global setup; the first one of this process does the work.
  if (process.env.PTCE_TEST_RUN_DIR?.includes(`run-${process.pid}-`)) return;
  mkdirSync(TMP_ROOT, { recursive: true });
  for (const entry of readdirSync(TMP_ROOT)) {
    const path = join(TMP_ROOT, entry);
    if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
  const dir = join(TMP_ROOT, `run-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  process.env.PTCE_TEST_RUN_DIR = dir;
  const { client, db } = await openDatabase(`file:${join(dir, 'template.db')}`);
  await applyMigrations(db);
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  await client.execute('PRAGMA journal_mode = DELETE');
  client.close();
  return () => rmSync(dir, { recursive: true, force: true });
}
