import cluster, { type Worker } from 'node:cluster';
import type { LogSink } from '../lib/context.ts';

/** A worker that lived this long before dying was healthy: its replacement starts without delay. */
const HEALTHY_AFTER_MS = 30_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 30_000;
/** Workers still running this long after a shutdown signal are killed. */
const SHUTDOWN_GRACE_MS = 12_000;

/**
 * The primary process of `node:cluster`: forks `count` workers (each runs this same entry and serves
 * the app; they share the listening socket and the kernel gives each new connection to a worker that
 * is waiting in accept()), replaces a worker that dies
 * (after a delay that doubles while replacements keep dying young, up to 30 s), and on SIGTERM/SIGINT
 * asks every worker to finish its requests, then exits once they all have.
 */
export function superviseWorkers(count: number, log: LogSink): void {
  // Not Node's default round robin (the primary accepts, then passes each connection to a worker):
  // measured under 200 busy keep-alive connections, a new connection then waited 4–16 s for its first
  // answer while keep-alive requests took < 1 s; with the kernel's distribution it waited ≤ 1.1 s.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  let youngDeaths = 0;
  const startedAt = new Map<Worker, number>();

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) {
        log({ level: 'info', msg: 'stopped' });
        process.exit(0);
      }
      return;
    }
    youngDeaths = lived >= HEALTHY_AFTER_MS ? 0 : youngDeaths + 1;
    const delay = youngDeaths === 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (youngDeaths - 1));
    log({
      level: 'error',
      msg: 'worker died, replacing it',
      deadWorker: worker.id,
      pid: worker.process.pid,
      code,
      signal,
      livedMs: lived,
      restartInMs: delay,
    });
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'shutting down', signal, workers: startedAt.size });
    if (startedAt.size === 0) process.exit(0);
    // Each worker stops accepting, finishes its requests and closes the database (src/entry/node.ts).
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      log({ level: 'error', msg: 'forced exit: workers still running', workers: startedAt.size });
      for (const worker of startedAt.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  log({ level: 'info', msg: 'starting workers', workers: count });
  for (let i = 0; i < count; i++) fork();
}
