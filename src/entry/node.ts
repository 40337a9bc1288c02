/**
 * The embedded default: Node serving the app over a local libSQL file.
 * `npm start` → migrate, load demo data on first boot (unless DEMO_DATA=0), serve on PORT with one
 * worker process per available core (`WEB_CONCURRENCY`; 1 = a single process, no cluster). The
 * primary prepares the database once, then forks; every worker opens the same file (WAL, busy
 * timeout: src/db/local.ts) and serves. The primary (or the single process) also runs the daily
 * jobs at 06:00 UTC in a child process (`DAILY_JOBS=0`: never; src/entry/daily-timer.ts).
 */
import { spawn } from 'node:child_process';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Client } from '@libsql/client';
import { createApp } from '../app.ts';
import type { Db } from '../db/client.ts';
import { openDatabase } from '../db/local.ts';
import { applyMigrations } from '../db/migrate.ts';
import { storageFaultCode, storageHealth } from '../db/storage.ts';
import { configFromProcessEnv, startupSummary } from '../env.ts';
import { loadDemoDataOnce } from '../features/demo/demo.ts';
import { jsonLog, type LogSink, systemClock } from '../lib/context.ts';
import { superviseWorkers } from './cluster.ts';
import { scheduleDaily } from './daily-timer.ts';
import { nodeAssets } from './node-assets.ts';
import { nodeCompress } from './node-compress.ts';
import { serveNode } from './node-server.ts';
import { filesFolderFor, nodeFileStorage } from './node-storage.ts';

const config = configFromProcessEnv();
const workers = config.WEB_CONCURRENCY ?? availableParallelism();
// Every line says which process wrote it once there are several.
const log: LogSink = cluster.isWorker
  ? (entry) => jsonLog({ worker: cluster.worker?.id, ...entry })
  : workers > 1
    ? (entry) => jsonLog({ worker: 'primary', ...entry })
    : jsonLog;

/** File-system errors that mean the same as SQLite's storage faults (folder not creatable…). */
const FS_FAULTS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC']);

/**
 * Runs a start-up step; a storage fault (read-only file or folder, full disk) ends the process with
 * a message saying what to check, instead of a stack trace.
 */
async function orExitOnStorageFault<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const fsCode = (error as { code?: unknown } | null)?.code;
    const code = storageFaultCode(error) ?? (FS_FAULTS.has(String(fsCode)) ? String(fsCode) : undefined);
    if (!code) throw error;
    exitWithStorageMessage(code, error);
  }
}

function exitWithStorageMessage(code: string, error: unknown): never {
  const cause = (error as { cause?: { message?: string } } | null)?.cause?.message;
  const detail = cause ?? (error instanceof Error ? error.message : String(error));
  console.error(
    [
      '',
      `ptce-hub cannot write to its database ${config.DATABASE_URL} (${code}).`,
      `  ${detail.split('\n')[0]}`,
      'Check that the database file, its folder and its -wal/-shm files are writable by this user',
      `(uid ${process.getuid?.() ?? '?'}; ls -l on the folder) and that the disk has free space (df -h),`,
      'then start again. Nothing was changed.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

/** Uploaded files (listing photos): `files/` beside the database file (data/files by default). */
const fileStorage = () => nodeFileStorage(filesFolderFor(config.DATABASE_URL));

/** Opens the database, migrates it and loads the demo data: once, before any worker starts. */
async function prepareDatabase() {
  const opened = await orExitOnStorageFault(() =>
    openDatabase(config.DATABASE_URL, config.LIBSQL_AUTH_TOKEN),
  );
  const { db } = opened;
  const started = performance.now();
  await orExitOnStorageFault(() => applyMigrations(db));
  // The demo accounts' passwords are published in the README: never create them in production.
  const demoLoaded =
    config.DEMO_DATA === '1' &&
    (await orExitOnStorageFault(() =>
      loadDemoDataOnce(db, systemClock.now(), {
        accounts: config.NODE_ENV !== 'production',
        storage: fileStorage(),
      }),
    ));
  // Migrations may have had nothing to write: make sure a write would succeed before serving.
  if (config.DATABASE_URL.startsWith('file:')) {
    const fault = await storageHealth(db)?.probe();
    if (fault) exitWithStorageMessage(fault.code, new Error(fault.message));
  }
  log({
    level: 'info',
    msg: 'database ready',
    url: config.DATABASE_URL,
    demoLoaded,
    ms: Math.round(performance.now() - started),
  });
  return opened;
}

/** Serves the app on PORT until SIGTERM/SIGINT, then finishes in-flight requests and closes. */
function serveApp({ client, db }: { client: Client; db: Db }) {
  const app = createApp({
    config,
    db: () => db,
    clock: systemClock,
    log,
    assets: nodeAssets(),
    compress: nodeCompress(),
    storage: fileStorage(),
    // In-process; the PDF library is loaded at the first récépissé, not at start-up.
    pdf: { render: async (document) => (await import('./pdf-renderer.ts')).inProcessPdf.render(document) },
    // The socket's address; the app reads proxy headers only as TRUSTED_PROXY allows.
    clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown',
  });
  const server = serveNode({ fetch: app.fetch, port: config.PORT }, (info) => {
    log({
      level: 'info',
      msg: 'listening',
      url: `http://localhost:${info.port}`,
      pid: process.pid,
      ...startupSummary(config),
    });
  });

  let stopping = false;
  function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'shutting down', signal });
    // Stop accepting connections; in-flight requests finish, then the database is closed.
    server.close(() => {
      client.close();
      log({ level: 'info', msg: 'stopped' });
      process.exit(0);
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    setTimeout(() => {
      log({ level: 'error', msg: 'forced exit: requests still running after 10 s' });
      process.exit(1);
    }, 10_000).unref();
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/**
 * One daily run, in a child process (src/entry/daily-jobs.ts) so that its synchronous SQL never holds
 * this process's event loop; resolves when it exits, logging a failure. The child is not tied to this
 * process: on a shutdown signal it finishes its run (at most a minute) on its own.
 */
function runDailyJobs(): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, join(import.meta.dirname, 'daily-jobs.ts')], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', (error) => {
      log({ level: 'error', msg: 'daily jobs could not start', error: error.message });
      resolve();
    });
    child.once('exit', (code, signal) => {
      if (code !== 0) log({ level: 'error', msg: 'daily jobs failed', code, signal });
      resolve();
    });
  });
}

if (cluster.isWorker) {
  serveApp(await orExitOnStorageFault(() => openDatabase(config.DATABASE_URL, config.LIBSQL_AUTH_TOKEN)));
} else {
  const opened = await prepareDatabase();
  if (workers === 1) serveApp(opened);
  else {
    opened.client.close();
    superviseWorkers(workers, log);
  }
  // One process runs the daily jobs: the primary, or the single process.
  if (config.DAILY_JOBS === '1') scheduleDaily(runDailyJobs);
}
