/**
 * Section 3: `npm start` runs one worker per core (here WEB_CONCURRENCY=2) over one database file:
 * the primary prepares the database once, every worker serves, a worker that dies is replaced, and
 * SIGTERM stops every worker, then the primary. WEB_CONCURRENCY=1 stays a single process.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { freePort, spawnEntry } from '../support/entry-process.ts';
import { TEMPLATE_PATH, TMP_DIR } from '../support/paths.ts';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the entry as `npm start` does; `lines` fills with its JSON log lines. */
async function start(workers: number) {
  const path = join(TMP_DIR, `cluster-${process.pid}-${Date.now()}.db`);
  copyFileSync(TEMPLATE_PATH, path);
  const port = await freePort();
  const child = spawnEntry({
    DATABASE_URL: `file:${path}`,
    PORT: String(port),
    WEB_CONCURRENCY: String(workers),
    DEMO_DATA: '0',
    LOG_REQUESTS: '0',
  });
  child.stderr!.pipe(process.stderr);
  running.push(child);
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Waits (up to 40 s) until the log has `count` lines matching. */
  const waitFor = async (match: (line: Record<string, unknown>) => boolean, count = 1) => {
    const deadline = Date.now() + 40_000;
    while (lines.filter(match).length < count) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`log so far:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return lines.filter(match);
  };
  return { child, port, lines, waitFor, exited };
}

it('WEB_CONCURRENCY=2: two workers serve, a dead worker is replaced, SIGTERM stops them all', async () => {
  const server = await start(2);
  const listening = await server.waitFor((line) => line.msg === 'listening', 2);
  expect(listening.map((line) => line.worker).sort()).toEqual([1, 2]);
  const prepared = server.lines.filter((line) => line.msg === 'database ready');
  expect(prepared).toEqual([expect.objectContaining({ worker: 'primary' })]);
  expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);

  process.kill(Number(listening[0]!.pid), 'SIGKILL');
  await server.waitFor((line) => line.msg === 'worker died, replacing it');
  await server.waitFor((line) => line.msg === 'listening', 3);
  expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);

  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  const stopped = server.lines.filter((line) => line.msg === 'stopped').map((line) => line.worker);
  expect(stopped.sort()).toEqual([listening[1]!.worker, 3, 'primary'].sort());
}, 90_000);

it('WEB_CONCURRENCY=1: one process, as before', async () => {
  const server = await start(1);
  const [listening] = await server.waitFor((line) => line.msg === 'listening');
  expect(listening!.pid).toBe(server.child.pid);
  expect(listening).not.toHaveProperty('worker');
  expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}, 90_000);
