import { copyFileSync, cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/local.ts';
import { nodeFileStorage } from '../../src/entry/node-storage.ts';
import { inProcessPdf } from '../../src/entry/pdf-renderer.ts';
import { type Config, parseConfig } from '../../src/env.ts';
import type { Clock, PdfRenderer } from '../../src/lib/context.ts';
import { TEMPLATE_PATH, TMP_DIR } from './paths.ts';

let counter = 0;

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(public current = new Date('2026-11-22T10:00:00Z')) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** The uploaded files of a test database (its storage folder): `<database>.files/`. */
export const filesFolderOf = (databasePath: string) => `${databasePath}.files`;

/**
 * A fresh database: a copy of the migrated template (or of `template`, a database a test file
 * seeded once with `seedTemplate`, with its stored files), private to the caller.
 */
export async function freshDatabase(
  template = TEMPLATE_PATH,
): Promise<{ client: Client; db: Db; path: string; filesFolder: string }> {
  const path = join(TMP_DIR, `test-${process.pid}-${Date.now()}-${++counter}.db`);
  copyFileSync(template, path);
  const filesFolder = filesFolderOf(path);
  if (existsSync(filesFolderOf(template))) cpSync(filesFolderOf(template), filesFolder, { recursive: true });
  const { client, db } = await openDatabase(`file:${path}`);
  return { client, db, path, filesFolder };
}

/** Removes a test database, its WAL files and its stored files. */
export function removeDatabase(path: string) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  rmSync(filesFolderOf(path), { recursive: true, force: true });
}

export interface TestAppOptions {
  config?: Partial<Config>;
  clock?: TestClock;
  /** Start from a copy of this database (from `seedTemplate`) instead of the empty migrated one. */
  template?: string;
  /** The `pdf` dependency: in-process by default; `null` for a runtime without one. */
  pdf?: PdfRenderer | null;
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * The real app over a fresh libSQL file, a fresh clock and a storage folder of its own (uploaded
 * files, `filesFolder`); logs are collected instead of printed. `close()` closes the database and
 * deletes its file and folder (call it in `afterEach`/`afterAll`).
 */
export async function createTestApp(options: TestAppOptions = {}) {
  const { client, db, path, filesFolder } = await freshDatabase(options.template);
  const config = {
    ...parseConfig({ NODE_ENV: 'test', LOG_REQUESTS: '0', PUBLIC_URL: 'http://localhost' }),
    ...options.config,
  };
  const clock = options.clock ?? new TestClock();
  const logs: Record<string, unknown>[] = [];
  const storage = nodeFileStorage(filesFolder);
  const pdf = options.pdf === undefined ? inProcessPdf : options.pdf;
  const app = createApp({
    config,
    db: () => db,
    clock,
    log: (entry) => logs.push(entry),
    storage,
    ...(pdf ? { pdf } : {}),
  });
  const close = () => {
    client.close();
    removeDatabase(path);
  };
  return { app, db, client, clock, logs, path, config, storage, filesFolder, close };
}

/**
 * Seeds a database once per test file (users, organisations… through the real functions) and keeps
 * it as a template: each test then starts from its own copy with `createTestApp({ template })`, so
 * tests share the seed's cost but never each other's writes. `world` is what the seed returned
 * (ids, users with their cookies and tokens: valid in every copy). `remove()` deletes the template.
 * `options.template` seeds on top of another template (a describe's world over its file's).
 */
export async function seedTemplate<W>(
  seed: (t: TestApp) => Promise<W>,
  options: TestAppOptions = {},
): Promise<{ template: string; world: W; remove: () => void }> {
  const t = await createTestApp(options);
  const world = await seed(t);
  await t.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  t.client.close();
  return { template: t.path, world, remove: () => removeDatabase(t.path) };
}

export const ORIGIN = 'http://localhost';

/** Form-encoded POST as a browser sends it from this site (Origin set, so CSRF checks pass). */
export function formPost(
  body: Record<string, string | string[]>,
  headers: Record<string, string> = {},
): RequestInit {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return {
    method: 'POST',
    body: params.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
  };
}

/** JSON request init for the API. */
export function jsonRequest(
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { 'content-type': 'application/json', ...headers },
  };
}
