import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { createDb, type Db } from './client.ts';
import { createNativeClient } from './native.ts';
import { watchStorage } from './storage.ts';

/**
 * Opens a libSQL database for Node (a `file:` path, or a remote `libsql://`/`http(s)://` URL).
 * For a file, creates its folder and turns on WAL so readers never wait for the writer, with a busy
 * timeout so that writers in other processes (cluster workers) wait for the lock instead of failing.
 * Every statement reports storage faults (read-only file, full disk) to the database's
 * `storageHealth` (src/db/storage.ts).
 */
export async function openDatabase(url: string, authToken?: string): Promise<{ client: Client; db: Db }> {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).split('?')[0]!;
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  // One connection per process for a file: the driver runs statements synchronously, so more would
  // not run in parallel, and a pooled second connection (opened when two queries start in the same
  // tick) would miss the PRAGMAs below: no busy timeout (SQLITE_BUSY across workers), no foreign keys.
  // The app uses batches, not interactive transactions, which would hold the only connection.
  const local = url.startsWith('file:');
  // A plain file path: our client that prepares each statement once (src/db/native.ts, decision 024).
  const path = local ? filePath(url) : undefined;
  const { client } = watchStorage(
    path ? createNativeClient(path) : createClient({ url, authToken, ...(local ? { concurrency: 1 } : {}) }),
  );
  if (local) {
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await client.execute('PRAGMA foreign_keys = ON');
    // 32 MiB of page cache instead of SQLite's 2 MiB: at 300,000 listings (a 0.9 GB file) one search
    // page's statements read more pages than 2 MiB hold and evicted each other's, every request
    // re-reading them from the OS (≈ 15 % of a dense radius search's CPU).
    await client.execute(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
  }
  return { client, db: createDb(client) };
}

/**
 * The file path of a `file:` URL (`file:relative.db`, `file:/abs.db`, `file:///abs.db`), or undefined
 * for what @libsql/client should parse itself (in-memory, query parameters, a host).
 */
function filePath(url: string): string | undefined {
  let rest = url.slice('file:'.length);
  if (rest.includes('?') || rest.includes('#') || rest.includes('%')) return undefined;
  if (rest.startsWith('//')) {
    if (!rest.startsWith('///') && !rest.startsWith('//localhost/')) return undefined;
    rest = rest.slice(rest.indexOf('/', 2));
  }
  if (!rest || rest === ':memory:') return undefined;
  return rest;
}

/** SQLite page cache per connection, KiB (one connection per process). */
export const PAGE_CACHE_KIB = 32_768;

/** How long a writer waits for another connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;
