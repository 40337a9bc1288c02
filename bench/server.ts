/**
 * A server process for `npm run bench` (forked with an IPC channel, never started otherwise):
 *   tsx bench/server.ts app <file:db> [workers]   the real app as `npm start` builds it (static files,
 *                                                 compression), without migrations or demo data;
 *   tsx bench/server.ts hello [workers]           a plain Hono hello-world, the baseline of every ratio.
 * With `workers` > 1 it serves as `npm start` does (src/entry/node.ts): a `node:cluster` primary and
 * that many worker processes sharing the listening socket, connections spread by the kernel
 * (SCHED_NONE, as src/entry/cluster.ts). It listens on a free loopback port and sends `{ port }` to
 * the parent; it answers `'cpu'` messages with the CPU time (user + system) of every process that
 * serves — the primary's own plus each worker's `process.cpuUsage()` — so the benchmark reads the
 * servers' CPU time per request (the channel is the IPC pipe, not an HTTP route).
 */
import cluster, { type Worker } from 'node:cluster';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { openDatabase } from '../src/db/local.ts';
import { nodeAssets } from '../src/entry/node-assets.ts';
import { nodeCompress } from '../src/entry/node-compress.ts';
import { benchApp } from './app.ts';

const [mode, url, workerArg] = process.argv.slice(2);
const workers = Math.max(1, Number(mode === 'hello' ? url : workerArg) || 1);
const dbUrl = mode === 'app' ? url : undefined;

async function build(): Promise<{ fetch: (request: Request) => Response | Promise<Response> }> {
  if (mode === 'hello') {
    const hello = new Hono();
    hello.get('/', (c) => c.text('Hello, World!'));
    return hello;
  }
  if (mode !== 'app' || !dbUrl)
    throw new Error('usage: bench/server.ts app <file:db> [workers] | hello [workers]');
  const { db } = await openDatabase(dbUrl);
  return benchApp(db, { assets: nodeAssets(), compress: nodeCompress() });
}

type CpuMessage = { cpu?: NodeJS.CpuUsage };

/** Serves in this process; `ready` gets the port once listening. */
async function serveHere(ready: (port: number) => void) {
  const app = await build();
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
  return server;
}

/** Asks one worker for its CPU time. */
const workerCpu = (worker: Worker) =>
  new Promise<NodeJS.CpuUsage>((resolve) => {
    const onMessage = (message: CpuMessage) => {
      if (!message.cpu) return;
      worker.off('message', onMessage);
      resolve(message.cpu);
    };
    worker.on('message', onMessage);
    worker.send('cpu');
  });

if (cluster.isWorker) {
  // A worker of the cluster below: serves, reports its port and its CPU time to the primary.
  await serveHere((port) => process.send?.({ port }));
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => process.exit(0));
} else {
  if (!process.send) throw new Error('bench/server.ts runs as a child of bench/run.ts (IPC channel)');
  if (workers === 1) {
    const server = await serveHere((port) => process.send?.({ port }));
    process.on('message', (message) => {
      if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
      if (message === 'stop') server.close(() => process.exit(0));
    });
  } else {
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    const forked = Array.from({ length: workers }, () => cluster.fork());
    const ports = await Promise.all(
      forked.map(
        (worker) =>
          new Promise<number>((resolve, reject) => {
            worker.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
            const onMessage = (message: { port?: number }) => {
              if (!message.port) return;
              worker.off('message', onMessage);
              resolve(message.port);
            };
            worker.on('message', onMessage);
          }),
      ),
    );
    if (new Set(ports).size !== 1) throw new Error(`bench workers listen on different ports: ${ports}`);
    // A worker dying mid-run would leave a `cpu` question unanswered: stop the whole bench instead.
    for (const worker of forked) {
      worker.removeAllListeners('exit');
      worker.once('exit', (code, signal) => {
        console.error(`bench worker ${worker.id} exited (${code ?? signal}) during the run`);
        process.exit(1);
      });
    }
    process.send({ port: ports[0] });
    process.on('message', async (message) => {
      if (message === 'cpu') {
        const own = process.cpuUsage();
        const all = await Promise.all(forked.map(workerCpu));
        process.send?.({
          cpu: all.reduce(
            (sum, cpu) => ({ user: sum.user + cpu.user, system: sum.system + cpu.system }),
            own,
          ),
        });
      }
      if (message === 'stop') {
        for (const worker of forked) worker.removeAllListeners('exit');
        for (const worker of forked) worker.kill();
        process.exit(0);
      }
    });
  }
  process.on('disconnect', () => process.exit(0));
}
