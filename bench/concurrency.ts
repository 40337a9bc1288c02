/**
 * `npm run bench:concurrency` — the Node entry under 200 keep-alive connections of mixed reads and
 * writes, with `WEB_CONCURRENCY=1` then `=2` in the same run (ratios between them compare across
 * machines).
 *
 * What it does:
 *   1. prepares one database: migrations, generated data (bench/generate.ts), 20 verified accounts
 *      with a personal API token each;
 *   2. for each worker count, copies that database and starts the real server the way `npm start`
 *      does (`src/entry/node.ts`, a child process on a free port), waits until every worker listens;
 *   3. opens 200 keep-alive connections (node:http Agent, one request at a time on each) for 30 s of
 *      a fixed mix: directory pages and API searches, pôle pages, `/healthz`, and organisation
 *      creations through the API (real writes: a row, its themes, its membership, its FTS entry);
 *      besides, once a second, a `/healthz` on a *new* connection (how long a new client waits);
 *   4. stops the server (SIGTERM: it drains), then reads back from the database file every
 *      organisation whose creation was acknowledged (201).
 * Reports per run: requests, req/s, errors (network errors and unexpected statuses), p50/p99/max
 * latency (all, reads, writes, new-connection /healthz), acknowledged and missing writes; then the
 * ratios and the acceptance check (2 workers: 0 errors, max ≤ 2 s, no acknowledged write missing).
 *
 * A hand-written client on node:http rather than autocannon: the check needs per-request bodies
 * (a unique SIRET per write), the ids of acknowledged writes, and a mix of methods, which autocannon
 * does through callbacks anyway; no dependency for ~100 lines.
 *
 * Usage: npm run bench:concurrency [-- --duration=30 --warmup=3 --connections=200 --workers=1,2 --orgs=2000]
 * Results: a table on stdout and `bench/results/concurrency.json` (not committed). Exit status 1 when
 * the acceptance check fails. `runConcurrencyBench(options)` is the same, for `bench/run.ts`.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { inArray } from 'drizzle-orm';
import { openDatabase } from '../src/db/local.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { organisations } from '../src/db/schema.ts';
import { createApiToken, createUser } from '../src/features/auth/queries.ts';
import { withLuhnKey } from '../src/features/organisations/siret.ts';
import { freePort, spawnEntry } from '../test/support/entry-process.ts';
import { generateData } from './generate.ts';
import { percentile } from './measure.ts';

const ACCOUNTS = 20;
/** The acceptance bound on any single request, for the multi-worker run. */
const MAX_WAIT_MS = 2000;

export interface ConcurrencyOptions {
  /** Seconds of load per worker count, after `warmup` seconds of the same load (not measured). */
  duration: number;
  warmup: number;
  connections: number;
  /** Worker counts to measure, in order (the first is the reference of the ratios). */
  workers: number[];
  organisations: number;
  poles: number;
  seed: number;
}

interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ConcurrencyRun {
  workers: number;
  requests: number;
  seconds: number;
  reqPerSec: number;
  errors: number;
  /** A few error descriptions (status and path, or the network error). */
  errorSamples: string[];
  all: Latencies;
  reads: Latencies;
  writes: Latencies;
  /** `/healthz` on a new connection, once a second during the load. */
  newConnection: Latencies;
  acknowledgedWrites: number;
  missingWrites: number;
  /** Sockets the client opened: the keep-alive connections, the probes, and any reconnection. */
  sockets: number;
}

const summary = (values: number[]): Latencies => {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  return {
    count: list.length,
    p50: percentile(list, 50),
    p99: percentile(list, 99),
    max: list.length ? list[list.length - 1]! : Number.NaN,
  };
};

/** Migrated database with generated data and API tokens; returns its path and the tokens. */
async function prepareDatabase(dir: string, options: ConcurrencyOptions) {
  const path = join(dir, 'prepared.db');
  const { client, db } = await openDatabase(`file:${path}`);
  await applyMigrations(db);
  const data = await generateData(
    { client, db },
    {
      organisations: options.organisations,
      poles: options.poles,
      seed: options.seed,
      batchSize: 500,
    },
  );
  const now = new Date();
  const tokens: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const id = await createUser(
      db,
      { email: `bench${i}@example.org`, name: `Bench ${i}`, password: 'bench password 2026', verified: true },
      now,
    );
    tokens.push((await createApiToken(db, id!, 'bench', now)).token);
  }
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  client.close();
  return { path, tokens, sampleSlug: data.sampleSlug };
}

/** Starts `src/entry/node.ts` as `npm start` does and resolves once every worker listens. */
async function startServer(databasePath: string, port: number, workers: number) {
  const child = spawnEntry({
    DATABASE_URL: `file:${databasePath}`,
    PORT: String(port),
    WEB_CONCURRENCY: String(workers),
    DEMO_DATA: '0',
    LOG_REQUESTS: '0',
    NODE_ENV: 'production',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  });
  const output: string[] = [];
  let listening = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server not listening after 60 s:\n${output.join('')}`)),
      60_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      listening += text.split('\n').filter((line) => line.includes('"msg":"listening"')).length;
      if (listening >= workers) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output.join('')}`)));
  });
  return { child, output };
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Every socket the client used in the current run (more than the connections: some were closed). */
const sockets = new WeakSet<object>();
let socketCount = 0;
const countSocket = {
  add: (socket: object) => {
    if (!sockets.has(socket)) {
      sockets.add(socket);
      socketCount++;
    }
  },
};

interface Answer {
  status: number;
  body: string;
}

function request(
  agent: http.Agent | false,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method,
        path,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.once('socket', (socket) => countSocket.add(socket));
    req.end(body);
  });
}

/** The request mix, as [weight, build(i)] — reads from the directories and pages, API writes. */
function mix(sampleSlug: string, tokens: string[], run: number) {
  let written = 0;
  const searches = ['economie', 'energie', 'insertion', 'alimentation', 'mobilite'];
  const read = (path: string, headers?: Record<string, string>) => ({
    method: 'GET',
    path,
    headers,
    write: false,
  });
  const entries: [number, (i: number) => ReturnType<typeof read> & { body?: string }][] = [
    [20, (i) => read(`/organisations?page=${1 + (i % 20)}`)],
    [15, (i) => read(`/api/v1/organisations?q=${searches[i % searches.length]}`)],
    [10, (i) => read(`/api/v1/organisations?commune=38563&radiusKm=${10 + (i % 4) * 10}`)],
    [10, () => read('/poles')],
    [10, () => read(`/poles/${sampleSlug}`)],
    [5, () => read('/')],
    [15, () => read('/healthz')],
    [
      15,
      (i) => {
        const n = ++written;
        const siret = withLuhnKey(`${withLuhnKey(String(10_000_000 + run * 1_000_000 + n))}9990`);
        return {
          method: 'POST',
          path: '/api/v1/organisations',
          headers: {
            authorization: `Bearer ${tokens[i % tokens.length]}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            siret,
            name: `Coopérative de charge ${run}-${n}`,
            kind: 'ess',
            legalForm: 'association',
            communeCode: '38563',
            themes: ['renewable_energy'],
            description: 'Organisation créée par le banc d’essai de concurrence.',
          }),
          write: true,
        };
      },
    ],
  ];
  const total = entries.reduce((sum, [weight]) => sum + weight, 0);
  // A fixed cycle (no randomness): every run sends the same sequence.
  const cycle: number[] = [];
  entries.forEach(([weight], index) => {
    for (let k = 0; k < weight; k++) cycle.push(index);
  });
  const order = cycle.map((_, k) => cycle[(k * 37) % total]!);
  return (i: number) => entries[order[i % order.length]!]![1](i);
}

async function measure(
  port: number,
  workers: number,
  options: ConcurrencyOptions,
  sampleSlug: string,
  tokens: string[],
  run: number,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const next = mix(sampleSlug, tokens, run);
  const reads: number[] = [];
  const writes: number[] = [];
  const newConnection: number[] = [];
  const acknowledged: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let i = 0;
  const fail = (what: string) => {
    errors++;
    if (errorSamples.length < 10) errorSamples.push(what);
  };
  // Warm-up first (the JIT, the page cache), same load; its errors and writes still count.
  const socketsBefore = socketCount;
  const start = performance.now() + options.warmup * 1000;
  const end = start + options.duration * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const spec = next(i++);
      const t0 = performance.now();
      try {
        const answer = await request(agent, port, spec.method, spec.path, spec.headers, spec.body);
        if (t0 >= start) (spec.write ? writes : reads).push(performance.now() - t0);
        if (spec.write && answer.status === 201)
          acknowledged.push((JSON.parse(answer.body) as { id: number }).id);
        else if (answer.status !== 200)
          fail(`${answer.status} ${spec.method} ${spec.path} ${answer.body.slice(0, 120)}`);
      } catch (error) {
        if (t0 >= start) (spec.write ? writes : reads).push(performance.now() - t0);
        fail(`${spec.method} ${spec.path}: ${(error as Error).message}`);
      }
    }
  };
  // One probe a second, each on its own new connection, whether or not the previous one answered.
  const probe = async () => {
    const t0 = performance.now();
    try {
      const answer = await request(false, port, 'GET', '/healthz', { connection: 'close' });
      if (answer.status !== 200) fail(`${answer.status} new connection /healthz`);
    } catch (error) {
      fail(`new connection /healthz: ${(error as Error).message}`);
    }
    newConnection.push(performance.now() - t0);
  };
  const fresh = async () => {
    const probes: Promise<void>[] = [];
    await new Promise((resolve) => setTimeout(resolve, options.warmup * 1000));
    while (performance.now() < end - 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      probes.push(probe());
    }
    await Promise.all(probes);
  };
  await Promise.all([...Array.from({ length: options.connections }, loop), fresh()]);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const all = [...reads, ...writes, ...newConnection];
  return {
    workers,
    requests: all.length,
    seconds,
    reqPerSec: all.length / seconds,
    errors,
    errorSamples,
    all: summary(all),
    reads: summary(reads),
    writes: summary(writes),
    newConnection: summary(newConnection),
    sockets: socketCount - socketsBefore,
    acknowledged,
  };
}

/** Runs the benchmark for each worker count; returns one result per count. */
export async function runConcurrencyBench(options: ConcurrencyOptions): Promise<ConcurrencyRun[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ptce-concurrency-'));
  try {
    const prepared = await prepareDatabase(dir, options);
    const runs: ConcurrencyRun[] = [];
    for (const [run, workers] of options.workers.entries()) {
      const path = join(dir, `run-${run}.db`);
      copyFileSync(prepared.path, path);
      const port = await freePort();
      const server = await startServer(path, port, workers);
      let result: Awaited<ReturnType<typeof measure>>;
      try {
        result = await measure(port, workers, options, prepared.sampleSlug, prepared.tokens, run);
      } finally {
        await stopServer(server.child);
      }
      // Every acknowledged write must be in the file once the server has stopped.
      const { client, db } = await openDatabase(`file:${path}`);
      const found = new Set<number>();
      for (let k = 0; k < result.acknowledged.length; k += 500) {
        const ids = result.acknowledged.slice(k, k + 500);
        for (const row of await db
          .select({ id: organisations.id })
          .from(organisations)
          .where(inArray(organisations.id, ids)))
          found.add(row.id);
      }
      client.close();
      const { acknowledged, ...rest } = result;
      runs.push({
        ...rest,
        acknowledgedWrites: acknowledged.length,
        missingWrites: acknowledged.length - found.size,
      });
      const crashed = server.output
        .join('')
        .split('\n')
        .filter((line) => line.includes('worker died'));
      if (crashed.length) console.log(`  workers died during the run:\n${crashed.join('\n')}`);
    }
    return runs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** The table, the ratios to the first run, and whether the multi-worker runs pass the acceptance. */
export function reportConcurrency(runs: ConcurrencyRun[], options: ConcurrencyOptions): boolean {
  const lat = (l: Latencies) => `${fmt(l.p50)}/${fmt(l.p99)}/${fmt(l.max)}`;
  console.log(
    `\n${options.connections} keep-alive connections, ${options.duration} s of mixed reads and writes ` +
      '(latencies in ms: p50/p99/max)',
  );
  const header = [
    'workers',
    'req/s',
    'requests',
    'errors',
    'all',
    'reads',
    'writes',
    'new conn /healthz',
    'writes ok',
    'missing',
    'sockets',
  ];
  const rows = runs.map((r) => [
    String(r.workers),
    fmt(r.reqPerSec),
    String(r.requests),
    String(r.errors),
    lat(r.all),
    lat(r.reads),
    lat(r.writes),
    lat(r.newConnection),
    String(r.acknowledgedWrites),
    String(r.missingWrites),
    String(r.sockets),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows])
    console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  const [first, ...others] = runs;
  for (const r of others) {
    console.log(
      `${r.workers} workers ÷ ${first!.workers}: throughput ×${fmt(r.reqPerSec / first!.reqPerSec, 2)}, ` +
        `p99 ×${fmt(r.all.p99 / first!.all.p99, 2)}, max ×${fmt(r.all.max / first!.all.max, 2)}`,
    );
  }
  for (const r of runs)
    if (r.errorSamples.length) console.log(`errors (${r.workers} workers): ${r.errorSamples.join(' | ')}`);
  let ok = true;
  for (const r of runs.filter((run) => run.workers > 1)) {
    const pass = r.errors === 0 && r.all.max <= MAX_WAIT_MS && r.missingWrites === 0;
    ok &&= pass;
    console.log(
      `acceptance (${r.workers} workers: 0 errors, no request over ${MAX_WAIT_MS} ms, every acknowledged ` +
        `write present): ${pass ? 'PASS' : 'FAIL'}`,
    );
  }
  return ok;
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '200' },
      workers: { type: 'string', default: '1,2' },
      orgs: { type: 'string', default: '2000' },
      poles: { type: 'string', default: '150' },
      seed: { type: 'string', default: '20261122' },
    },
  });
  const options: ConcurrencyOptions = {
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
    workers: values.workers.split(',').map(Number),
    organisations: Number(values.orgs),
    poles: Number(values.poles),
    seed: Number(values.seed),
  };
  const runs = await runConcurrencyBench(options);
  const ok = reportConcurrency(runs, options);
  const resultsDir = join(import.meta.dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'concurrency.json'),
    `${JSON.stringify({ date: new Date().toISOString(), options, runs }, null, 2)}\n`,
  );
  if (!ok) process.exitCode = 1;
}

if (import.meta.filename === process.argv[1]) await main();
