/**
 * `npm run bench:profile` — in-process throughput, latency of ptce-hub's hot read paths over a generated database.
 *
 * What it does:
 *   1. creates a fresh migrated libSQL file in a temporary folder and fills it with realistic data
 *      (5,000 organisations in real communes weighted by population, their themes, 300 pôles with
 *      themes, départements and 3–8 members each; FTS tables filled by the triggers);
 *   2. builds the real app (`createApp`) over it and, for each scenario, sends requests in-process
 *      (`app.request`, one at a time) for a fixed time after a warm-up: req/s and p50/p95/p99 latency;
 *   3. reports every scenario as a ratio to the baseline (`GET /healthz`, one DB round trip) measured
 *      in the same run — briefly right before each scenario, so a machine whose load changes during
 *      the run skews the ratios less — so results compare across machines; the baseline also runs
 *      first and last to show the run's noise;
 *   4. records the SQL of the requests through a tracing libSQL client: statements per request (N+1
 *      shows as many, or as one statement repeated), the median time spent waiting for the database,
 *      and `EXPLAIN QUERY PLAN` of each distinct statement with its arguments, flagging full scans of
 *      big tables (a missing index), scans inside correlated subqueries (once per row) and sorts of
 *      every matching row before a LIMIT.
 * A scenario whose route answers 404 (feature not merged yet) is reported as "skipped (404)".
 *
 * Usage:
 *   npm run bench:profile              ~2 min (2.5 s per scenario after 0.5 s of warm-up)
 *   npm run bench:profile -- --quick           ~20–25 s (0.5 s per scenario), same data
 *   npm run bench:profile -- --http            also over HTTP on loopback (@hono/node-server), 16 keep-alive
 *                                      clients in a worker thread (about doubles the run time)
 *   npm run bench:profile -- --only=communes   scenarios whose name contains the text (baseline always runs)
 *   npm run bench:profile -- --db=bench/.data/o100000-p3000-l300000-s20261122.db
 *                                      an existing generated database (npm run bench makes one; migrated
 *                                      first, never deleted) instead of a fresh one: adds the listing
 *                                      scenarios (search, listing page, home) over its listings
 * Other options: --duration=<s per scenario>  --warmup=<s>  --concurrency=<n>  --orgs=<n>  --poles=<n>
 *   --seed=<n>  --analyze (run ANALYZE first; production does not)  --plans (print every plan)
 *   --keep (keep the database file and print its path)
 *
 * Results: a table on stdout and `bench/results/profile.json` (not committed).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { createApp } from '../src/app.ts';
import { createDb } from '../src/db/client.ts';
import { openDatabase } from '../src/db/local.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { parseConfig } from '../src/env.ts';
import { systemClock } from '../src/lib/context.ts';
import { generateData } from './generate.ts';
import { measureConcurrent, measureInProcess, type Stats, type Target, type Timing } from './measure.ts';
import {
  explain,
  type PlanFinding,
  repeatedStatements,
  type TracedStatement,
  type Tracer,
  traceClient,
} from './trace.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    http: { type: 'boolean', default: false },
    only: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    orgs: { type: 'string', default: '5000' },
    poles: { type: 'string', default: '300' },
    seed: { type: 'string', default: '20261122' },
    analyze: { type: 'boolean', default: false },
    plans: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    db: { type: 'string' },
  },
});

const timing: Timing = {
  warmupMs: Number(args.warmup ?? (args.quick ? 0.1 : 0.5)) * 1000,
  measureMs: Number(args.duration ?? (args.quick ? 0.5 : 2.5)) * 1000,
  maxRequests: 200_000,
};
/**
 * The baseline is also measured briefly right before each scenario and the ratios use that adjacent
 * measurement, so a machine that gets busier during the run (other jobs, thermal limits) skews them less.
 */
const baselineTiming: Timing = {
  warmupMs: timing.warmupMs / 2,
  measureMs: timing.measureMs / 3,
  maxRequests: timing.maxRequests,
};
/** More statements than this for one request is suspicious (N+1 or a chatty handler). */
const STATEMENTS_WARN = 6;
/** The same statement this many times in one request is an N+1 pattern. */
const REPEAT_WARN = 3;
/** Tables always treated as big, whatever their generated size; others count as big from this many rows. */
const BIG_TABLES = ['organisations', 'poles', 'communes', 'organisation_themes', 'commune_postal_codes'];
const BIG_TABLE_ROWS = 1000;

interface Scenario {
  name: string;
  target: Target;
}

/** Listing scenarios (an existing database with listings, `--db`): npm run bench's listing URLs. */
function listingScenarios(listingId: number): Scenario[] {
  const get = (name: string, url: string): Scenario => ({ name, target: { urls: [url] } });
  return [
    get('listing search words + commune + radius', '/annonces?q=local&commune=38563&radiusKm=30'),
    get('listing search frequent word', '/annonces?q=materiel'),
    get('listing search dense radius', '/annonces?commune=75056&radiusKm=50'),
    get('listing search dense radius page 30', '/annonces?commune=75056&radiusKm=50&page=30'),
    get('listings no words', '/annonces'),
    get('listings API word + commune + radius', '/api/v1/listings?q=vehicule&commune=38563&radiusKm=50'),
    get('listing page', `/annonces/${listingId}`),
    get('home (listing counts, newest listings)', '/'),
  ];
}

function scenarios(sampleSlug: string): Scenario[] {
  const get = (name: string, ...urls: string[]): Scenario => ({ name, target: { urls } });
  const fragment = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
  return [
    get('communes API q=voi', '/api/v1/communes?q=voi'),
    get('communes API q=saint', '/api/v1/communes?q=saint'),
    get('communes API q=ile saint', '/api/v1/communes?q=ile%20saint'),
    get('communes API q=38500', '/api/v1/communes?q=38500'),
    get('communes API q=par', '/api/v1/communes?q=par'),
    get('communes API q=a', '/api/v1/communes?q=a'),
    get(
      'communes suggestions (HTML, 6 prefixes)',
      ...['voi', 'saint', 'ile saint', '38500', 'par', 'a'].map(
        (q) => `/communes/suggestions?champ=commune&communeQuery=${encodeURIComponent(q)}`,
      ),
    ),
    get('organisations API (no filter, page 1)', '/api/v1/organisations'),
    get('organisations API q=economie', '/api/v1/organisations?q=economie'),
    get('organisations API kind=ess&departement=38', '/api/v1/organisations?kind=ess&departement=38'),
    get('organisations API commune=38563&radiusKm=20', '/api/v1/organisations?commune=38563&radiusKm=20'),
    get('organisations API commune=75056&radiusKm=50', '/api/v1/organisations?commune=75056&radiusKm=50'),
    get('organisations API commune=38563 (no radius)', '/api/v1/organisations?commune=38563'),
    get('organisations API theme=digital&page=3', '/api/v1/organisations?theme=digital&page=3'),
    get('organisations page (no filter)', '/organisations'),
    get('organisations page commune=38563&radiusKm=20', '/organisations?commune=38563&radiusKm=20'),
    {
      name: 'organisations fragment (htmx) commune=38563&radiusKm=20',
      target: { urls: ['/organisations?commune=38563&radiusKm=20'], headers: fragment },
    },
    get('poles API q=energie', '/api/v1/poles?q=energie'),
    get('poles API departement=38', '/api/v1/poles?departement=38'),
    get('poles page (directory)', '/poles'),
    get('pole page /poles/:slug (most members)', `/poles/${sampleSlug}`),
  ];
}

interface ScenarioResult {
  name: string;
  urls: string[];
  headers?: Record<string, string>;
  outcome: 'measured' | 'skipped (404)' | 'error';
  status: number;
  bytes: number;
  /** `total` of a JSON list response (how many rows the search matched), when there is one. */
  matched?: number;
  /** Statements of one traced request (the largest count when the scenario varies its URL). */
  statements: number;
  repeated: { sql: string; times: number }[];
  stats?: Stats;
  /** The baseline measured right before this scenario (what its ratios divide by). */
  localBaseline?: Stats;
  /** Median over a few traced requests: time waiting for the database vs the whole request. */
  sql?: { sqlMs: number; requestMs: number };
  http?: Stats;
  httpLocalBaseline?: Stats;
  error?: string;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const pad = (s: string, width: number, right = false) => (right ? s.padStart(width) : s.padEnd(width));
const oneLine = (sql: string, max = 220) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

const SQL_SAMPLES = 9;

const ratios = (stats: Stats | undefined, baseline: Stats | undefined) =>
  stats && baseline
    ? { throughput: stats.reqPerSec / baseline.reqPerSec, p50: stats.p50 / baseline.p50 }
    : undefined;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** How much of a request is spent waiting for the database (median of a few traced requests). */
async function sqlShare(app: ReturnType<typeof createApp>, tracer: Tracer, target: Target) {
  const sql: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < SQL_SAMPLES; i++) {
    const url = target.urls[i % target.urls.length]!;
    tracer.start();
    const t0 = performance.now();
    const response = await app.request(url, target.headers ? { headers: target.headers } : {});
    await response.arrayBuffer();
    total.push(performance.now() - t0);
    sql.push(tracer.stop().sqlMs);
  }
  return { sqlMs: median(sql), requestMs: median(total) };
}

/** One line of SQL with a long column list elided, for reports. */
function compactSql(sql: string, max = 500): string {
  const flat = oneLine(sql, 100_000);
  const from = flat.search(/ from /i);
  const elided = (/^select /i.test(flat) && from > 80 ? `select …${flat.slice(from)}` : flat)
    // Long generated expressions (CASE … WHEN ? THEN ? …, replace(replace(…))) shortened to a count.
    .replace(/(?:WHEN \? THEN \? ){3,}/g, (run) => `WHEN ? THEN ? …×${run.split('WHEN').length - 1} `)
    .replace(/(?:replace\(){3,}/g, (run) => `replace(…×${run.split('(').length - 1} `)
    .replace(/(?:, \?, \?\)){3,}/g, (run) => `, ?, ?) …×${run.split(')').length - 1}`);
  return oneLine(elided, max);
}

/** The `total` field of a JSON list response, if the body is one. */
function totalOf(body: string): number | undefined {
  if (!body.startsWith('{')) return undefined;
  try {
    const total = (JSON.parse(body) as { total?: unknown }).total;
    return typeof total === 'number' ? total : undefined;
  } catch {
    return undefined;
  }
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** What the report needs from an existing database (`--db`): sizes, a big pôle, a recent listing. */
async function existingData(client: Awaited<ReturnType<typeof openDatabase>>['client']) {
  const count = async (table: string) =>
    Number((await client.execute(`SELECT count(*) AS n FROM "${table}"`)).rows[0]?.n ?? 0);
  const tables = (
    await client.execute(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'`,
    )
  ).rows.map((row) => String(row.name));
  const tableRows: Record<string, number> = {};
  for (const table of tables) tableRows[table] = await count(table);
  const pole = await client.execute(
    `SELECT p.slug FROM poles p JOIN pole_members m ON m.pole_id = p.id GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1`,
  );
  const listing = await client.execute({
    sql: `SELECT id FROM listings WHERE status = 'published' AND expires_at > ? AND pole_id IS NOT NULL
      ORDER BY id DESC LIMIT 1`,
    args: [new Date().toISOString()],
  });
  const listingId = listing.rows[0]?.id;
  return {
    organisations: tableRows.organisations ?? 0,
    organisationThemes: tableRows.organisation_themes ?? 0,
    poles: tableRows.poles ?? 0,
    poleThemes: tableRows.pole_themes ?? 0,
    poleDepartements: tableRows.pole_departements ?? 0,
    poleMembers: tableRows.pole_members ?? 0,
    sampleSlug: String(pole.rows[0]?.slug ?? ''),
    tableRows,
    ...(listingId !== undefined && listingId !== null ? { listingId: Number(listingId) } : {}),
  };
}

async function main() {
  const started = performance.now();
  const dir = args.db ? undefined : mkdtempSync(join(tmpdir(), 'ptce-bench-'));
  const path = args.db ?? join(dir!, 'bench.db');
  const { client, db } = await openDatabase(`file:${path}`);

  let t0 = performance.now();
  await applyMigrations(db);
  const migrateMs = performance.now() - t0;

  t0 = performance.now();
  const data = args.db
    ? await existingData(client)
    : await generateData(
        { client, db },
        {
          organisations: Number(args.orgs),
          poles: Number(args.poles),
          seed: Number(args.seed),
          batchSize: 500,
        },
      );
  const generateMs = performance.now() - t0;
  if (args.analyze) await client.execute('ANALYZE');
  console.log(
    `Database: migrations ${fmt(migrateMs / 1000, 1)} s; ${args.db ? `${path} holds` : 'generated'} ${data.organisations} organisations ` +
      `(${data.organisationThemes} themes), ${data.poles} pôles (${data.poleThemes} themes, ` +
      `${data.poleDepartements} départements, ${data.poleMembers} members) in ${fmt(generateMs / 1000, 2)} s` +
      `${args.analyze ? '; ANALYZE run' : ''}.`,
  );

  const config = parseConfig({ NODE_ENV: 'test', LOG_REQUESTS: '0' });
  const errors: Record<string, unknown>[] = [];
  const log = (entry: Record<string, unknown>) => {
    if (entry.level === 'error') errors.push(entry);
  };
  const app = createApp({ config, db: () => db, clock: systemClock, log });
  const tracer = traceClient(client);
  const tracedDb = createDb(tracer.client);
  const tracedApp = createApp({ config, db: () => tracedDb, clock: systemClock, log });

  const baseline: Scenario = { name: 'baseline GET /healthz', target: { urls: ['/healthz'] } };
  const baselineAgain: Scenario = { name: 'baseline again (noise check)', target: { urls: ['/healthz'] } };
  const only = args.only?.toLowerCase();
  const list = [
    baseline,
    ...[
      ...scenarios(data.sampleSlug),
      ...('listingId' in data && data.listingId !== undefined ? listingScenarios(data.listingId) : []),
    ].filter((s) => !only || s.name.toLowerCase().includes(only)),
    baselineAgain,
  ];

  const results: ScenarioResult[] = [];
  const traced = new Map<string, { statement: TracedStatement; scenarios: Set<string> }>();
  console.log(
    `Measuring ${list.length} scenarios in-process, ${fmt(timing.measureMs / 1000, 1)} s each after ` +
      `${fmt(timing.warmupMs / 1000, 1)} s of warm-up…`,
  );
  for (const scenario of list) {
    const { urls, headers } = scenario.target;
    const result: ScenarioResult = {
      name: scenario.name,
      urls,
      ...(headers ? { headers } : {}),
      outcome: 'measured',
      status: 0,
      bytes: 0,
      statements: 0,
      repeated: [],
    };
    results.push(result);
    // One traced request per URL: status, size, and the SQL it runs.
    for (const url of urls) {
      tracer.start();
      const response = await tracedApp.request(url, headers ? { headers } : {});
      const body = await response.text();
      const { statements } = tracer.stop();
      if (response.status === 404) {
        result.outcome = 'skipped (404)';
        result.status = 404;
        break;
      }
      if (response.status >= 300) {
        result.outcome = 'error';
        result.status = response.status;
        result.error = body.slice(0, 300);
        break;
      }
      result.status = response.status;
      result.bytes = Math.max(result.bytes, Buffer.byteLength(body));
      const matched = totalOf(body);
      if (matched !== undefined) result.matched = Math.max(result.matched ?? 0, matched);
      if (statements.length >= result.statements) {
        result.statements = statements.length;
        result.repeated = repeatedStatements(statements);
      }
      for (const statement of statements) {
        const entry = traced.get(statement.sql) ?? { statement, scenarios: new Set<string>() };
        entry.scenarios.add(scenario.name);
        traced.set(statement.sql, entry);
      }
    }
    if (result.outcome !== 'measured') {
      console.log(
        `  ${scenario.name}: ${result.outcome === 'error' ? `error ${result.status}` : result.outcome}`,
      );
      continue;
    }
    const fetcher = (url: string, init: RequestInit) => app.request(url, init);
    if (scenario !== baseline && scenario !== baselineAgain) {
      result.localBaseline = await measureInProcess(fetcher, baseline.target, 200, baselineTiming);
    }
    result.stats = await measureInProcess(fetcher, scenario.target, result.status, timing);
    result.sql = await sqlShare(tracedApp, tracer, scenario.target);
    console.log(
      `  ${scenario.name}: ${fmt(result.stats.reqPerSec, 0)} req/s, p50 ${fmt(result.stats.p50)} ms` +
        `${result.stats.unexpected ? ` (${result.stats.unexpected} unexpected statuses)` : ''}`,
    );
  }

  if (args.http) {
    const concurrency = Number(args.concurrency);
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    console.log(`Measuring over HTTP on ${base}, ${concurrency} concurrent clients…`);
    for (const result of results) {
      if (result.outcome !== 'measured') continue;
      const target: Target = { urls: result.urls, ...(result.headers ? { headers: result.headers } : {}) };
      if (result !== results[0] && result !== results[results.length - 1]) {
        result.httpLocalBaseline = await measureConcurrent(
          base,
          baseline.target,
          200,
          baselineTiming,
          concurrency,
        );
      }
      result.http = await measureConcurrent(base, target, result.status, timing, concurrency);
      console.log(`  ${result.name}: ${fmt(result.http.reqPerSec, 0)} req/s, p50 ${fmt(result.http.p50)} ms`);
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // Query plans ------------------------------------------------------------------------------------
  const bigTables = new Set([
    ...BIG_TABLES,
    ...Object.entries(data.tableRows)
      .filter(([, n]) => n >= BIG_TABLE_ROWS)
      .map(([name]) => name),
  ]);
  const plans: (PlanFinding & { args: TracedStatement['args']; scenarios: string[] })[] = [];
  for (const { statement, scenarios: names } of traced.values()) {
    plans.push({
      ...(await explain(client, statement, bigTables)),
      args: statement.args,
      scenarios: [...names],
    });
  }

  // Report -----------------------------------------------------------------------------------------
  const base = results[0]?.stats;
  const report = (
    title: string,
    pick: (r: ScenarioResult) => [Stats | undefined, Stats | undefined],
    withSql: boolean,
  ) => {
    const header = ['scenario', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'thr/base', 'p50/base', 'SQL/req'];
    if (withSql) header.push('SQL ms', 'SQL %');
    header.push('KB', 'matched');
    const rows = results.map((r) => {
      const [s, baseStats] = pick(r);
      if (!s) return [r.name, r.outcome === 'error' ? `error ${r.status}` : r.outcome];
      const flag =
        r.statements > STATEMENTS_WARN || r.repeated.some((x) => x.times >= REPEAT_WARN) ? ' !' : '';
      return [
        r.name,
        fmt(s.reqPerSec, 0),
        fmt(s.p50),
        fmt(s.p95),
        fmt(s.p99),
        baseStats ? fmt(s.reqPerSec / baseStats.reqPerSec, 3) : '—',
        baseStats ? fmt(s.p50 / baseStats.p50, 1) : '—',
        `${r.statements}${flag}`,
        ...(withSql
          ? [r.sql ? fmt(r.sql.sqlMs) : '—', r.sql ? fmt((100 * r.sql.sqlMs) / r.sql.requestMs, 0) : '—']
          : []),
        fmt(r.bytes / 1024, 1),
        r.matched === undefined ? '' : String(r.matched),
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
    const line = (cells: string[]) =>
      cells
        .map((cell, i) =>
          i === 0 || cells.length === 2 ? pad(cell, widths[i]!) : pad(cell, widths[i]!, true),
        )
        .join('  ')
        .trimEnd();
    console.log(`\n${title}`);
    console.log(line(header));
    console.log('-'.repeat(widths.reduce((a, b) => a + b + 2, -2)));
    for (const row of rows) console.log(line(row));
  };
  report(
    'In-process (app.request, sequential). thr/base = req/s ÷ baseline req/s; p50/base = p50 ÷ baseline p50\n' +
      '(baseline = GET /healthz measured right before the scenario; first row: the run’s first baseline);\n' +
      'SQL/req = statements per request; SQL ms = median time waiting for libSQL per request, SQL % its share.',
    (r) => [r.stats, r.localBaseline ?? base],
    true,
  );
  if (args.http) {
    report(
      `HTTP on loopback, ${args.concurrency} concurrent clients in a worker thread (latency includes queueing).`,
      (r) => [r.http, r.httpLocalBaseline ?? results[0]?.http],
      false,
    );
  }

  console.log('\nStatements per request (one traced request; ! = more than 6, or one statement ≥ 3 times):');
  for (const r of results) {
    if (r.outcome !== 'measured') continue;
    const repeats = r.repeated.filter((x) => x.times >= 2);
    console.log(`  ${pad(String(r.statements), 3, true)}  ${r.name}`);
    for (const x of repeats) console.log(`         ×${x.times}  ${oneLine(x.sql, 160)}`);
  }

  const flagged = plans.filter((p) => p.fullScans.length > 0 || p.error);
  const perRow = plans.filter((p) => p.perRowScans.length > 0);
  const indexWalks = plans.filter((p) => p.indexScans.length > 0);
  const sortsBeforeLimit = plans.filter((p) => p.tempSorts.length > 0 && /\blimit\b/i.test(p.sql));
  console.log(
    `\nQuery plans: ${plans.length} distinct statements; big tables: ${[...bigTables].sort().join(', ')}.`,
  );
  if (flagged.length === 0) console.log('  No full scan of a big table (every statement uses an index).');
  for (const p of flagged) {
    console.log(`  SCAN without index — ${p.scenarios.join('; ')}`);
    console.log(`    SQL: ${compactSql(p.sql)}`);
    for (const line of p.error ? [`EXPLAIN failed: ${p.error}`] : p.plan) console.log(`      ${line}`);
  }
  for (const p of perRow) {
    console.log(`  Scan inside a correlated subquery (runs once per row) — ${p.scenarios.join('; ')}`);
    console.log(`    SQL: ${compactSql(p.sql)}`);
    for (const line of p.plan) console.log(`      ${line}`);
  }
  if (indexWalks.length > 0) {
    console.log('  Whole-index walks (fine for a small table or a LIMIT that stops early):');
    for (const p of indexWalks) {
      console.log(`    ${p.indexScans.join(' | ')} — ${p.scenarios.join('; ')}`);
      console.log(`      SQL: ${compactSql(p.sql)}`);
    }
  }
  if (sortsBeforeLimit.length > 0) {
    console.log('  Sorted in a temporary B-tree before LIMIT (every matching row is read and sorted):');
    for (const p of sortsBeforeLimit) {
      console.log(`    ${p.scenarios.join('; ')}`);
      console.log(`      SQL: ${compactSql(p.sql)}`);
    }
  }
  if (args.plans) {
    console.log('\nAll plans:');
    for (const p of plans) {
      console.log(`  ${oneLine(p.sql, 400)}\n    [${p.scenarios.join('; ')}]`);
      for (const line of p.plan) console.log(`      ${line}`);
    }
  }
  if (errors.length > 0)
    console.log(`\n${errors.length} error log entries, first: ${JSON.stringify(errors[0])}`);

  const totalSeconds = (performance.now() - started) / 1000;
  console.log(`\nTotal ${fmt(totalSeconds, 1)} s.`);

  const resultsDir = join(import.meta.dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const output = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cpus: cpus().length,
    options: { ...args, timing },
    data: { ...data, migrateMs, generateMs },
    baseline: base,
    scenarios: results.map((r) => ({
      ...r,
      ratios: ratios(r.stats, r.localBaseline ?? base),
      httpRatios: ratios(r.http, r.httpLocalBaseline ?? results[0]?.http),
    })),
    plans: plans.map((p) => ({ ...p, sql: oneLine(p.sql, 10_000) })),
    totalSeconds,
  };
  writeFileSync(join(resultsDir, 'profile.json'), `${JSON.stringify(output, null, 2)}\n`);
  console.log(`Results written to ${join('bench', 'results', 'profile.json')}.`);

  client.close();
  if (!dir) return;
  if (args.keep) console.log(`Database kept at ${path}`);
  else rmSync(dir, { recursive: true, force: true });
}

await main();
