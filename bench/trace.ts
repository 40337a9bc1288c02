/**
 * SQL tracing for the benchmark: a libSQL client wrapper that records every statement the app runs
 * (plain, batched or inside a transaction), and `EXPLAIN QUERY PLAN` over what it recorded, to flag
 * full scans of big tables (a missing index) and repeated statements in one request (N+1).
 */
import type { Client, InArgs, InStatement, Transaction, TransactionMode } from '@libsql/client';

export interface TracedStatement {
  sql: string;
  args: InArgs | undefined;
  /** How the app sent it: alone, in a `batch`, or inside an interactive transaction. */
  via: 'execute' | 'batch' | 'transaction';
}

export interface Trace {
  statements: TracedStatement[];
  /** Time spent waiting for the database (sum over calls; a batch counts once). */
  sqlMs: number;
}

export interface Tracer {
  client: Client;
  /** Starts recording (clearing what was recorded). */
  start(): void;
  /** Stops recording and returns what was seen since `start`. */
  stop(): Trace;
}

type BatchItem = InStatement | [string, InArgs?];

function normalize(stmt: BatchItem, args?: InArgs): { sql: string; args: InArgs | undefined } {
  if (typeof stmt === 'string') return { sql: stmt, args };
  if (Array.isArray(stmt)) return { sql: stmt[0], args: stmt[1] };
  return { sql: stmt.sql, args: stmt.args };
}

/** Wraps a client so that, between `start()` and `stop()`, every statement sent through it is recorded. */
export function traceClient(inner: Client): Tracer {
  let recording = false;
  let seen: TracedStatement[] = [];
  let sqlMs = 0;
  const record = (statement: TracedStatement) => {
    if (recording) seen.push(statement);
  };
  /** Times one database call while recording. */
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    if (!recording) return call();
    const t0 = performance.now();
    try {
      return await call();
    } finally {
      sqlMs += performance.now() - t0;
    }
  };

  const wrapTransaction = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop === 'execute') {
          return (stmt: InStatement) => {
            record({ ...normalize(stmt), via: 'transaction' });
            return timed(() => target.execute(stmt));
          };
        }
        if (prop === 'batch') {
          return (stmts: InStatement[]) => {
            for (const stmt of stmts) record({ ...normalize(stmt), via: 'transaction' });
            return timed(() => target.batch(stmts));
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

  const client = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return (stmt: InStatement, args?: InArgs) => {
          record({ ...normalize(stmt, args), via: 'execute' });
          return timed(() =>
            args === undefined ? target.execute(stmt) : target.execute(stmt as string, args),
          );
        };
      }
      if (prop === 'batch') {
        return (stmts: BatchItem[], mode?: Parameters<Client['batch']>[1]) => {
          for (const stmt of stmts) record({ ...normalize(stmt), via: 'batch' });
          return timed(() => target.batch(stmts, mode));
        };
      }
      if (prop === 'transaction') {
        return async (mode?: TransactionMode) => wrapTransaction(await target.transaction(mode));
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  return {
    client,
    start() {
      seen = [];
      sqlMs = 0;
      recording = true;
    },
    stop() {
      recording = false;
      return { statements: seen, sqlMs };
    },
  };
}

export interface PlanFinding {
  sql: string;
  /** The `EXPLAIN QUERY PLAN` lines, indented by depth. */
  plan: string[];
  /** Plan lines that read a whole big table (no index used). */
  fullScans: string[];
  /** Plan lines that walk a whole index of a big table (ordering by it), fine only with a small LIMIT. */
  indexScans: string[];
  /** Plan lines that sort in a temporary B-tree. */
  tempSorts: string[];
  /** Scans (of any table, FTS included) inside a correlated subquery: they run once per outer row. */
  perRowScans: string[];
  error?: string;
}

/**
 * Runs `EXPLAIN QUERY PLAN` for a statement with its arguments and classifies the lines against the
 * big tables (those with at least `bigTableRows` rows).
 */
export async function explain(
  client: Client,
  statement: TracedStatement,
  bigTables: Set<string>,
): Promise<PlanFinding> {
  const finding: PlanFinding = {
    sql: statement.sql,
    plan: [],
    fullScans: [],
    indexScans: [],
    tempSorts: [],
    perRowScans: [],
  };
  if (!/^\s*(?:select|with|insert|update|delete)\b/i.test(statement.sql)) return finding;
  try {
    const result = await client.execute({
      sql: `EXPLAIN QUERY PLAN ${statement.sql}`,
      args: statement.args ?? [],
    });
    const depth = new Map<number, number>();
    const correlated = new Set<number>();
    for (const row of result.rows) {
      const id = Number(row.id);
      const parent = Number(row.parent);
      const level = parent === 0 ? 0 : (depth.get(parent) ?? 0) + 1;
      depth.set(id, level);
      const detail = String(row.detail);
      if (detail.startsWith('CORRELATED') || correlated.has(parent)) correlated.add(id);
      if (correlated.has(parent) && detail.startsWith('SCAN ')) finding.perRowScans.push(detail);
      finding.plan.push(`${'  '.repeat(level)}${detail}`);
      const scan = /^SCAN (\S+)(?: AS \S+)?(.*)$/.exec(detail);
      if (scan && bigTables.has(scan[1]!)) {
        if (/VIRTUAL TABLE/.test(scan[2]!)) continue;
        if (/USING (?:COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(scan[2]!))
          finding.indexScans.push(detail);
        else finding.fullScans.push(detail);
      }
      if (/USE TEMP B-TREE/.test(detail)) finding.tempSorts.push(detail);
    }
  } catch (err) {
    finding.error = err instanceof Error ? err.message : String(err);
  }
  return finding;
}

/** Statements run more than once in one request, with their count (an N+1 pattern when a list is involved). */
export function repeatedStatements(statements: TracedStatement[]): { sql: string; times: number }[] {
  const counts = new Map<string, number>();
  for (const s of statements) counts.set(s.sql, (counts.get(s.sql) ?? 0) + 1);
  return [...counts]
    .filter(([, times]) => times > 1)
    .map(([sql, times]) => ({ sql, times }))
    .sort((a, b) => b.times - a.times);
}
