/**
 * `npm run bench` — the app over HTTP at 50 connections, each URL compared with a plain Hono
 * hello-world measured in the same run (issue 7's table): req/s, p50/p99 latency, and CPU ms per
 * request read from the server process itself; then the page weight of a first visit (compressed
 * HTML + CSS + JS, fonts excluded).
 *
 * How:
 *   1. the database: bench/.data/o<N>-p<M>-l<L>-s<seed>.db, generated once by bench/generate.ts (the
 *      same generator as `npm run bench:data`) and reused by later runs — its listings' dates moved
 *      to today's, so they stay published (bench/.data/<name>.json holds the day they are relative
 *      to); or `--db <file>`;
 *   2. two server processes (bench/server.ts, forked with an IPC channel): the real app as `npm start`
 *      builds it (static files, compression; production config) and a hello-world; each answers a
 *      `cpu` message with its process.cpuUsage(), read before and after every measurement;
 *   3. the load: `--connections` keep-alive clients in a worker thread of this process, each sending
 *      one request at a time with `Accept-Encoding: br, gzip` (as browsers do), after a warm-up.
 * The hello-world runs first and last (the last shows the run's noise); ratios use the first. Every
 * URL must answer 200 (the bench stops otherwise rather than measure an error page).
 *
 * Usage:
 *   npm run bench                          100,000 organisations, 3,000 pôles, 300,000 listings; 5 s per
 *                                          URL (~2 min once the database exists; generating it takes a
 *                                          few minutes)
 *   npm run bench -- --quick               smoke run: 5,000 organisations, 15,000 listings, 1 s per URL
 *   npm run bench -- --listings 100000     listings (default: three per organisation, at most 300,000)
 *   npm run bench -- --organisations 20000 --poles 600 --duration 3 --warmup 1 --connections 50
 *   npm run bench -- --only solidaire      URLs containing the text (hello-world always runs)
 *   npm run bench -- --db /path/to.db      an existing generated database
 *   npm run bench -- --workers 1           server processes for the app and the hello-world alike (default:
 *                                          one per core, as `npm start` without WEB_CONCURRENCY)
 * `npm run bench:profile` is the in-process profile (SQL per request, query plans).
 *
 * Results: a table on stdout and bench/results/latest.json (not committed). See bench/README.md.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import { defaultListings, describeFill, fillDatabase, shiftListingDates, startOfToday } from './generate.ts';
import { measureConcurrent, type Stats, type Target, type Timing } from './measure.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    organisations: { type: 'string' },
    poles: { type: 'string' },
    listings: { type: 'string' },
    seed: { type: 'string', default: '20261122' },
    db: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string' },
    /** Server processes, for the app and the hello-world alike: `npm start`'s default (src/entry/node.ts). */
    workers: { type: 'string' },
  },
});

const organisations = Number(args.organisations ?? (args.quick ? 5000 : 100_000));
const poleCount = Number(args.poles ?? Math.max(300, Math.round(organisations * 0.03)));
const listingCount = Number(args.listings ?? defaultListings(organisations));
const connections = Number(args.connections);
const workers = Number(args.workers ?? availableParallelism());
const timing: Timing = {
  warmupMs: Number(args.warmup ?? (args.quick ? 0.3 : 1)) * 1000,
  measureMs: Number(args.duration ?? (args.quick ? 1 : 5)) * 1000,
  maxRequests: 1_000_000,
};
const ENCODING = 'br, gzip';
/** Goal of issue 7: a first visit of the home or a search page, compressed, fonts excluded. */
const FIRST_VISIT_BUDGET_KIB = 160;
/** Goal of issue 8: the listing search page (words + commune + radius), req/s as a share of hello-world's. */
const LISTING_SEARCH_URL = '/annonces?q=local&commune=38563&radiusKm=30';
const LISTING_SEARCH_GOAL = 0.2;

const here = import.meta.dirname;
const fmt = (n: number | undefined, digits = 2) =>
  n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '—';

const DAY_MS = 86_400_000;

/**
 * Applies pending migrations to a reused database (later index migrations reach a database
 * generated before them; the bench server itself does not migrate).
 */
async function migrated(path: string): Promise<string> {
  const { openDatabase } = await import('../src/db/local.ts');
  const { applyMigrations } = await import('../src/db/migrate.ts');
  const { client, db } = await openDatabase(`file:${path}`);
  try {
    await applyMigrations(db);
  } finally {
    client.close();
  }
  return path;
}

/** The generated database (made once, then reused, migrated), its listings' dates moved to today's. */
async function database(): Promise<string> {
  if (args.db) return migrated(args.db);
  const dir = join(here, '.data');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `o${organisations}-p${poleCount}-l${listingCount}-s${args.seed}.db`);
  const anchorFile = `${path}.json`;
  const today = startOfToday();
  if (existsSync(path)) {
    const anchor = existsSync(anchorFile)
      ? new Date((JSON.parse(readFileSync(anchorFile, 'utf8')) as { listingsNow: string }).listingsNow)
      : today;
    const days = Math.round((today.getTime() - anchor.getTime()) / DAY_MS);
    if (days !== 0) {
      const client = createClient({ url: `file:${path}` });
      try {
        await shiftListingDates(client, days);
      } finally {
        client.close();
      }
      console.log(
        `Listings' dates moved ${days} days forward (generated relative to ${anchor.toISOString().slice(0, 10)}).`,
      );
    }
    writeFileSync(anchorFile, `${JSON.stringify({ listingsNow: today.toISOString() })}\n`);
    return migrated(path);
  }
  const partial = `${path}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  console.log(
    `Generating ${organisations} organisations, ${poleCount} pôles and ${listingCount} listings into ${path}…`,
  );
  const report = await fillDatabase(`file:${partial}`, {
    organisations,
    poles: poleCount,
    listings: listingCount,
    listingsNow: today,
    seed: Number(args.seed),
  });
  console.log(`  ${describeFill(report)}`);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  renameSync(partial, path);
  writeFileSync(anchorFile, `${JSON.stringify({ listingsNow: today.toISOString() })}\n`);
  return path;
}

/**
 * The detail pages' scenarios: a pôle with the most members and one of its member organisations;
 * the newest published, unexpired listing shown on a pôle (its page lists related listings).
 */
async function samples(path: string) {
  const client = createClient({ url: `file:${path}` });
  try {
    const pole = await client.execute(
      `SELECT p.slug, m.organisation_id AS org FROM poles p JOIN pole_members m ON m.pole_id = p.id
       GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1`,
    );
    const row = pole.rows[0];
    if (!row) throw new Error('the database has no pôle with members');
    const listing = await client.execute({
      sql: `SELECT id FROM listings WHERE status = 'published' AND expires_at > ? AND pole_id IS NOT NULL
        ORDER BY id DESC LIMIT 1`,
      args: [new Date().toISOString()],
    });
    const listingId = listing.rows[0]?.id;
    if (listingId === undefined)
      throw new Error('the database has no published listing: generate it with --listings');
    return { poleSlug: String(row.slug), organisationId: Number(row.org), listingId: Number(listingId) };
  } finally {
    client.close();
  }
}

interface Server {
  child: ChildProcess;
  base: string;
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

async function startServer(mode: 'app' | 'hello', dbPath?: string): Promise<Server> {
  const argv = dbPath ? [mode, `file:${dbPath}`, String(workers)] : [mode, String(workers)];
  const child = fork(join(here, 'server.ts'), argv, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server (${mode}) exited with ${code}`)));
    child.on('message', (message: { port?: number }) => {
      if (message.port) resolve(message.port);
    });
  });
  child.removeAllListeners('exit');
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    cpuMicros: () =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) =>
          reject(new Error(`bench server (${mode}) exited with ${code}`));
        const onMessage = (message: { cpu?: NodeJS.CpuUsage }) => {
          if (!message.cpu) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(message.cpu.user + message.cpu.system);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send('cpu');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

interface Row {
  name: string;
  url: string;
  stats: Stats;
  /** Server CPU time (user + system) per request, ms. */
  cpuMs: number;
  bytes: number;
  status: number;
}

/** One GET without decompression: status and the bytes on the wire. */
function rawGet(base: string, path: string, encoding: string) {
  return new Promise<{ status: number; body: Buffer; encoding?: string }>((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { 'Accept-Encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
          ...(res.headers['content-encoding'] ? { encoding: res.headers['content-encoding'] } : {}),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(server: Server, name: string, target: Target): Promise<Row> {
  const url = target.urls[0]!;
  const probe = await rawGet(server.base, url, ENCODING);
  if (probe.status !== 200) {
    throw new Error(
      `${name}: GET ${url} answered ${probe.status}, not 200 — not measured (is the route merged?)`,
    );
  }
  await measureConcurrent(server.base, target, probe.status, { ...timing, measureMs: 0 }, connections);
  const before = await server.cpuMicros();
  const stats = await measureConcurrent(
    server.base,
    target,
    probe.status,
    { ...timing, warmupMs: 0 },
    connections,
  );
  const cpuMs = (await server.cpuMicros()) - before;
  const row = {
    name,
    url,
    stats,
    cpuMs: cpuMs / 1000 / stats.requests,
    bytes: probe.body.length,
    status: probe.status,
  };
  console.log(
    `  ${name}: ${fmt(stats.reqPerSec, 0)} req/s, p50 ${fmt(stats.p50)} ms, p99 ${fmt(stats.p99)} ms, ` +
      `CPU ${fmt(row.cpuMs, 3)} ms/req${stats.unexpected ? ` (${stats.unexpected} unexpected statuses)` : ''}`,
  );
  return row;
}

/** Compressed bytes of a first visit: the page, its stylesheets and its scripts (not nomodule ones). */
async function firstVisit(base: string, path: string, encoding: string) {
  const page = await rawGet(base, path, encoding);
  const html = (await rawGet(base, path, 'identity')).body.toString('utf8');
  const refs = [
    ...[...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<script(?![^>]*nomodule)[^>]*src="([^"]+)"/g)].map((m) => m[1]!),
  ];
  const files = [{ path, bytes: page.body.length, encoding: page.encoding }];
  for (const ref of refs) {
    const res = await rawGet(base, ref, encoding);
    if (res.status !== 200) throw new Error(`${ref}: ${res.status}`);
    files.push({ path: ref, bytes: res.body.length, encoding: res.encoding });
  }
  return { path, encoding, total: files.reduce((sum, f) => sum + f.bytes, 0), files };
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

async function main() {
  const started = performance.now();
  const path = await database();
  const { poleSlug, organisationId, listingId } = await samples(path);
  const machine = {
    nproc: availableParallelism(),
    cpu: cpuModel(),
    node: process.version,
    loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
  };
  console.log(
    `Machine: ${machine.nproc} CPUs (${machine.cpu}), Node ${machine.node}, load ${machine.loadAverage.join(' ')}`,
  );
  console.log(
    `Database ${path}; ${workers} server process${workers > 1 ? 'es (node:cluster, as npm start)' : ''} for the app and the hello-world alike; ` +
      `${connections} connections, ${fmt(timing.measureMs / 1000, 1)} s per URL after ` +
      `${fmt(timing.warmupMs / 1000, 1)} s of warm-up.`,
  );

  const headers = { 'Accept-Encoding': ENCODING };
  const scenarios: [string, string][] = [
    ['search: frequent word', '/organisations?q=solidaire'],
    ['API search: word + kind', '/api/v1/organisations?q=economie&kind=ess'],
    ['search: dense radius', '/organisations?commune=75056&radiusKm=50'],
    ['directory, no filter', '/organisations'],
    ['communes API, 2 letters', '/api/v1/communes?q=sa'],
    ['home', '/'],
    ['organisation page', `/organisations/${organisationId}`],
    ['pôle page', `/poles/${poleSlug}`],
    ['listing search: words + commune + radius', LISTING_SEARCH_URL],
    ['listing search: frequent word', '/annonces?q=materiel'],
    ['listing search: dense radius', '/annonces?commune=75056&radiusKm=50'],
    ['listings, no words', '/annonces'],
    ['listings API: word + commune + radius', '/api/v1/listings?q=vehicule&commune=38563&radiusKm=50'],
    ['listing page', `/annonces/${listingId}`],
    ['/healthz', '/healthz'],
  ];
  const only = args.only?.toLowerCase();
  const hello = await startServer('hello');
  const app = await startServer('app', path);
  try {
    const baseline = await measure(hello, 'hello-world (first)', { urls: ['/'], headers });
    const rows: Row[] = [];
    for (const [name, url] of scenarios) {
      if (only && !`${name} ${url}`.toLowerCase().includes(only)) continue;
      rows.push(await measure(app, name, { urls: [url], headers }));
    }
    const last = await measure(hello, 'hello-world (last)', { urls: ['/'], headers });

    const visits = [];
    for (const page of ['/', '/organisations?q=solidaire']) {
      for (const encoding of ['br', 'gzip']) visits.push(await firstVisit(app.base, page, encoding));
    }

    const header = [
      'URL',
      'status',
      'req/s',
      '×hello',
      'p50 ms',
      '×hello',
      'p99 ms',
      '×hello',
      'CPU ms/req',
      '×hello',
      'KiB',
    ];
    const table = [baseline, ...rows, last].map((r) => [
      r === baseline || r === last ? r.name : r.url,
      String(r.status),
      fmt(r.stats.reqPerSec, 0),
      fmt(r.stats.reqPerSec / baseline.stats.reqPerSec, 3),
      fmt(r.stats.p50),
      fmt(r.stats.p50 / baseline.stats.p50, 1),
      fmt(r.stats.p99),
      fmt(r.stats.p99 / baseline.stats.p99, 1),
      fmt(r.cpuMs, 3),
      fmt(r.cpuMs / baseline.cpuMs, 1),
      fmt(r.bytes / 1024, 1),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    console.log(
      `\n${connections} connections; ×hello = ratio to the hello-world measured first in this run.`,
    );
    console.log(line(header));
    console.log('-'.repeat(widths.reduce((a, b) => a + b + 2, -2)));
    for (const row of table) console.log(line(row));

    console.log('\nFirst visit (HTML + CSS + JS as sent, fonts and icons excluded):');
    for (const v of visits) {
      const kib = v.total / 1024;
      console.log(
        `  ${v.path} ${v.encoding}: ${fmt(kib, 1)} KiB ${kib <= FIRST_VISIT_BUDGET_KIB ? '≤' : '>'} ` +
          `${FIRST_VISIT_BUDGET_KIB} KiB (${v.files.map((f) => `${f.path.replace(/^\/assets\//, '')} ${fmt(f.bytes / 1024, 1)}`).join(', ')})`,
      );
    }

    const headline = rows.find((r) => r.url === LISTING_SEARCH_URL);
    if (headline) {
      const share = headline.stats.reqPerSec / baseline.stats.reqPerSec;
      console.log(
        `\nGoal (issue 8): listing search page ${LISTING_SEARCH_URL} at ${fmt(share, 3)} of hello-world's req/s ` +
          `${share >= LISTING_SEARCH_GOAL ? '≥' : '<'} ${LISTING_SEARCH_GOAL} ${share >= LISTING_SEARCH_GOAL ? '✓' : '✗'}`,
      );
    }

    const totalSeconds = (performance.now() - started) / 1000;
    console.log(`\nTotal ${fmt(totalSeconds, 1)} s.`);
    const resultsDir = join(here, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const output = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      machine,
      options: {
        organisations,
        poles: poleCount,
        listings: listingCount,
        connections,
        workers,
        timing,
        seed: args.seed,
      },
      baseline,
      last,
      scenarios: rows.map((r) => ({
        ...r,
        ratios: {
          reqPerSec: r.stats.reqPerSec / baseline.stats.reqPerSec,
          p50: r.stats.p50 / baseline.stats.p50,
          p99: r.stats.p99 / baseline.stats.p99,
          cpu: r.cpuMs / baseline.cpuMs,
        },
      })),
      firstVisit: visits,
      totalSeconds,
    };
    writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);
    console.log(`Results written to ${join('bench', 'results', 'latest.json')}.`);
  } finally {
    await Promise.all([hello.stop(), app.stop()]);
  }
}

await main();
