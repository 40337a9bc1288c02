/**
 * The daily jobs in a process of their own, forked by the Node entry (src/entry/node.ts) at 06:00
 * UTC: the file driver runs each statement synchronously, so jobs that compute suggestions for every
 * member would hold the serving process's event loop for seconds. Opens the database of
 * DATABASE_URL (already migrated by the serving process), runs every job once and exits: 0 when
 * every job succeeded, 1 otherwise. A shutdown signal lets the current run finish (the jobs are
 * idempotent, but a job killed between its mark and its email would lose that email), for at most
 * a minute.
 */
import { openDatabase } from '../db/local.ts';
import { configFromProcessEnv } from '../env.ts';
import { dailyRun } from '../features/alerts/daily-run.ts';
import { jsonLog, type LogSink } from '../lib/context.ts';

const FINISH_AFTER_SIGNAL_MS = 60_000;

const log: LogSink = (entry) => jsonLog({ process: 'daily-jobs', ...entry });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log({ level: 'info', msg: 'signal received: finishing the current run', signal });
    setTimeout(() => process.exit(1), FINISH_AFTER_SIGNAL_MS).unref();
  });
}

let config: ReturnType<typeof configFromProcessEnv>;
try {
  config = configFromProcessEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const { client, db } = await openDatabase(config.DATABASE_URL, config.LIBSQL_AUTH_TOKEN);
try {
  const report = await dailyRun(db, config, { log });
  log({ level: 'info', msg: 'daily jobs', report });
  process.exitCode = Object.values(report).includes('failed') ? 1 : 0;
} finally {
  client.close();
}
