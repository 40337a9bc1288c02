/**
 * A test-only libSQL server: the Hrana protocol over HTTP (version 2, JSON encoding), backed by a
 * SQLite file through the native `libsql` binding. It stands in for `sqld` / Turso so that the
 * Workers entry (`@libsql/client/web`) can be exercised end to end; it is not a production server.
 *
 * What `@libsql/client/web` 0.18 (hrana-client 0.10) uses, and so what is implemented:
 * - `GET /v2` (version check), `POST /v2/pipeline` with `{ baton, requests }` →
 *   `{ baton, base_url, results }`. The web client pins protocol 2: it never probes `/v3*`, never
 *   opens cursors and never sends `get_autocommit` or `is_autocommit` conditions, so those answer 404
 *   or an error result.
 * - Stream requests `execute`, `batch` (conditions `ok`, `error`, `not`, `and`, `or`), `sequence`,
 *   `describe`, `store_sql`, `close_sql`, `close`. Each request of a pipeline gets its own result;
 *   a failing statement does not stop the pipeline.
 * - Streams: a pipeline without a baton opens a stream (one SQLite connection, foreign keys on);
 *   every response hands out a fresh baton until the stream is closed; idle streams expire (their
 *   open transaction is rolled back). Unknown or stale batons are refused with HTTP 400.
 * - Values: integers as decimal strings, floats as JSON numbers, text, blobs in base64, null.
 * - Errors: `{ message, code }` with the SQLite base code (e.g. `SQLITE_CONSTRAINT`), like the local
 *   client's `LibsqlError.code`.
 * - Optional bearer token (`authToken`), to check that the caller sends LIBSQL_AUTH_TOKEN.
 *
 * Limits: one Node thread runs every statement synchronously, so a write while another stream holds
 * a write transaction fails at once with SQLITE_BUSY instead of waiting.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'libsql';

type Connection = InstanceType<typeof Database>;

// ——— Protocol types (JSON encoding of Hrana 2) ———

type ProtoValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

interface ProtoStmt {
  sql?: string;
  sql_id?: number;
  args?: ProtoValue[];
  named_args?: { name: string; value: ProtoValue }[];
  want_rows?: boolean;
}

type ProtoCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: ProtoCond }
  | { type: 'and' | 'or'; conds: ProtoCond[] }
  | { type: string };

interface ProtoBatch {
  steps: { condition?: ProtoCond | null; stmt: ProtoStmt }[];
}

type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: ProtoStmt }
  | { type: 'batch'; batch: ProtoBatch }
  | { type: 'sequence' | 'describe'; sql?: string; sql_id?: number }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number }
  | { type: string };

interface ProtoError {
  message: string;
  code: string;
}

interface StmtResult {
  cols: { name: string; decltype: string | null }[];
  rows: ProtoValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}

type StreamResult =
  | { type: 'ok'; response: { type: string } & Record<string, unknown> }
  | { type: 'error'; error: ProtoError };

/** An error reported to the client as `{ message, code }`. */
class HranaError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

// ——— SQL text scanning (statement boundaries and parameters) ———

interface Token {
  kind: 'word' | 'semi' | 'param' | 'other';
  text: string;
}

/** Tokens of SQL text, skipping whitespace, comments, string literals and quoted identifiers. */
function* tokens(sql: string): Generator<Token> {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        const end = sql.indexOf(close, j);
        if (end < 0) {
          j = sql.length;
          break;
        }
        // Doubled quotes escape themselves inside '…', "…" and `…`.
        if (close !== ']' && sql[end + 1] === close) j = end + 2;
        else {
          j = end + 1;
          break;
        }
      }
      yield { kind: 'other', text: sql.slice(i, j) };
      i = j;
    } else if (c === ';') {
      yield { kind: 'semi', text: c };
      i++;
    } else if (c === '?') {
      const m = /^\?\d*/.exec(sql.slice(i))!;
      yield { kind: 'param', text: m[0] };
      i += m[0].length;
    } else if ((c === ':' || c === '@' || c === '$') && /[\p{L}\p{N}_]/u.test(sql[i + 1] ?? '')) {
      const m = /^[:@$][\p{L}\p{N}_$]+/u.exec(sql.slice(i))!;
      yield { kind: 'param', text: m[0] };
      i += m[0].length;
    } else if (/[\p{L}_]/u.test(c)) {
      const m = /^[\p{L}\p{N}_$]+/u.exec(sql.slice(i))!;
      yield { kind: 'word', text: m[0] };
      i += m[0].length;
    } else {
      yield { kind: 'other', text: c };
      i++;
    }
  }
}

/**
 * Number of SQL statements in the text, `;` inside `CREATE TRIGGER … BEGIN … END` included (the
 * rule of sqlite3_complete()). `execute` and `describe` accept exactly one.
 */
function countStatements(sql: string): number {
  let count = 0;
  let words: string[] = [];
  let inTriggerBody = false;
  let pendingEnd = false;
  for (const token of tokens(sql)) {
    if (token.kind === 'semi') {
      if (inTriggerBody && !pendingEnd) continue;
      if (words.length > 0) count++;
      words = [];
      inTriggerBody = false;
      pendingEnd = false;
      continue;
    }
    const word = token.kind === 'word' ? token.text.toUpperCase() : '';
    words.push(word);
    if (!inTriggerBody && word === 'BEGIN') {
      const head = words.filter((w) => w !== 'EXPLAIN' && w !== 'QUERY' && w !== 'PLAN');
      if (head[0] === 'CREATE' && (head[1] === 'TRIGGER' || head[2] === 'TRIGGER')) inTriggerBody = true;
    }
    pendingEnd = inTriggerBody && word === 'END';
  }
  return count + (words.length > 0 ? 1 : 0);
}

/** Parameters of one statement in SQLite's order: `?` takes the next index, `?N` index N, names keep theirs. */
function describeParams(sql: string): { name: string | null }[] {
  const names: (string | null)[] = [];
  const indexOfName = new Map<string, number>();
  for (const token of tokens(sql)) {
    if (token.kind !== 'param') continue;
    if (token.text === '?') names.push(null);
    else if (token.text.startsWith('?')) {
      const index = Number(token.text.slice(1));
      while (names.length < index) names.push(null);
      names[index - 1] = token.text;
    } else if (!indexOfName.has(token.text)) {
      indexOfName.set(token.text, names.length);
      names.push(token.text);
    }
  }
  return names.map((name) => ({ name }));
}

// ——— Values ———

function decodeValue(value: ProtoValue): unknown {
  switch (value.type) {
    case 'null':
      return null;
    case 'integer':
      return BigInt(value.value);
    case 'float':
      return Number(value.value);
    case 'text':
      return value.value;
    case 'blob':
      return Buffer.from(value.base64, 'base64');
    default:
      throw new HranaError(
        `Unknown value type ${JSON.stringify((value as { type: unknown }).type)}`,
        'ARGS_INVALID',
      );
  }
}

function encodeValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') {
    // With safe integers on, SQLite integers arrive as bigint: a number is always a REAL.
    if (!Number.isFinite(value))
      throw new HranaError('Cannot encode a non-finite float in JSON', 'VALUE_INVALID');
    return { type: 'float', value };
  }
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) return { type: 'blob', base64: Buffer.from(value).toString('base64') };
  throw new HranaError(`Cannot encode value of type ${typeof value}`, 'VALUE_INVALID');
}

const SQLITE_BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  23: 'SQLITE_AUTH',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
};

function toProtoError(err: unknown): ProtoError {
  if (err instanceof HranaError) return { message: err.message, code: err.code };
  if (err instanceof Database.SqliteError) {
    const raw = (err as { rawCode?: number }).rawCode;
    const code = raw === undefined ? err.code : (SQLITE_BASE_CODES[raw & 0xff] ?? err.code);
    return { message: err.message, code };
  }
  return { message: err instanceof Error ? err.message : String(err), code: 'INTERNAL_ERROR' };
}

// ——— Streams ———

interface Stream {
  id: number;
  baton: string | null;
  conn: Connection;
  sqls: Map<number, string>;
  closed: boolean;
  timer?: ReturnType<typeof setTimeout>;
  /** Prepared `SELECT changes(), total_changes(), last_insert_rowid()` for this connection. */
  meta: { all(): unknown[] };
}

function readMeta(stream: Stream): { changes: bigint; total: bigint; rowid: bigint } {
  const [changes, total, rowid] = stream.meta.all()[0] as [bigint, bigint, bigint];
  return { changes, total, rowid };
}

function stmtSql(stream: Stream, stmt: { sql?: string; sql_id?: number }): string {
  if (stmt.sql !== undefined && stmt.sql_id !== undefined)
    throw new HranaError('Both sql and sql_id are given', 'SQL_CONFLICT');
  if (stmt.sql !== undefined) return stmt.sql;
  if (stmt.sql_id === undefined) throw new HranaError('Neither sql nor sql_id is given', 'SQL_NOT_GIVEN');
  const sql = stream.sqls.get(stmt.sql_id);
  if (sql === undefined) throw new HranaError(`SQL text ${stmt.sql_id} is not stored`, 'SQL_NOT_FOUND');
  return sql;
}

function prepareOne(stream: Stream, sql: string) {
  const count = countStatements(sql);
  if (count === 0) throw new HranaError('SQL string does not contain any statement', 'SQL_NO_STATEMENT');
  if (count > 1) throw new HranaError('SQL string contains more than one statement', 'SQL_MANY_STATEMENTS');
  const prepared = stream.conn.prepare(sql);
  prepared.safeIntegers(true);
  return prepared;
}

function execute(stream: Stream, stmt: ProtoStmt): StmtResult {
  const prepared = prepareOne(stream, stmtSql(stream, stmt));
  const positional = (stmt.args ?? []).map(decodeValue);
  const named = stmt.named_args ?? [];
  if (positional.length > 0 && named.length > 0)
    throw new HranaError('This server does not mix positional and named arguments', 'ARGS_INVALID');
  // The binding takes names without their prefix (`:id` → `id`), like better-sqlite3.
  const args: unknown =
    named.length > 0
      ? Object.fromEntries(named.map(({ name, value }) => [name.replace(/^[:@$]/, ''), decodeValue(value)]))
      : positional;
  if (prepared.reader) {
    prepared.raw(true);
    const cols = prepared.columns().map((col) => ({ name: col.name, decltype: col.type }));
    const before = readMeta(stream);
    const rows = prepared.all(args) as unknown[][];
    const after = readMeta(stream);
    return {
      cols,
      rows: stmt.want_rows === false ? [] : rows.map((row) => row.map(encodeValue)),
      // A reader changes rows only when it is an INSERT/UPDATE/DELETE … RETURNING.
      affected_row_count: after.total === before.total ? 0 : Number(after.changes),
      last_insert_rowid: after.rowid.toString(),
    };
  }
  const info = prepared.run(args);
  return {
    cols: [],
    rows: [],
    affected_row_count: info.changes,
    last_insert_rowid: readMeta(stream).rowid.toString(),
  };
}

function batch(stream: Stream, { steps }: ProtoBatch) {
  const results: (StmtResult | null)[] = [];
  const errors: (ProtoError | null)[] = [];
  const holds = (cond: ProtoCond, current: number): boolean => {
    switch (cond.type) {
      case 'ok':
      case 'error': {
        const { step } = cond as { step: number };
        if (!(step >= 0 && step < current))
          throw new HranaError(`Condition refers to step ${step}, not an earlier one`, 'BATCH_COND_INVALID');
        return cond.type === 'ok' ? results[step] !== null : errors[step] !== null;
      }
      case 'not':
        return !holds((cond as { cond: ProtoCond }).cond, current);
      case 'and':
        return (cond as { conds: ProtoCond[] }).conds.every((c) => holds(c, current));
      case 'or':
        return (cond as { conds: ProtoCond[] }).conds.some((c) => holds(c, current));
      default:
        throw new HranaError(
          `Unsupported batch condition ${JSON.stringify(cond.type)}`,
          'BATCH_COND_INVALID',
        );
    }
  };
  steps.forEach((step, index) => {
    if (step.condition && !holds(step.condition, index)) {
      results.push(null);
      errors.push(null);
      return;
    }
    try {
      results.push(execute(stream, step.stmt));
      errors.push(null);
    } catch (err) {
      results.push(null);
      errors.push(toProtoError(err));
    }
  });
  return { step_results: results, step_errors: errors };
}

function describe(stream: Stream, sql: string) {
  const prepared = prepareOne(stream, sql);
  const isExplain = /^\s*explain\b/i.test(sql);
  let isReadonly = isExplain;
  if (!isExplain) {
    // A statement writes when its program opens a write transaction (what sqlite3_stmt_readonly sees).
    const program = stream.conn.prepare(`EXPLAIN ${sql}`).all() as { opcode: string; p2: number }[];
    isReadonly = !program.some((op) => op.opcode === 'Transaction' && op.p2 !== 0);
  }
  return {
    params: describeParams(sql),
    cols: prepared.reader ? prepared.columns().map((col) => ({ name: col.name, decltype: col.type })) : [],
    is_explain: isExplain,
    is_readonly: isReadonly,
  };
}

function handleRequest(stream: Stream, request: StreamRequest): StreamResult {
  if (stream.closed)
    return { type: 'error', error: { message: 'The stream is closed', code: 'STREAM_CLOSED' } };
  try {
    switch (request.type) {
      case 'close':
        return { type: 'ok', response: { type: 'close' } };
      case 'execute':
        return {
          type: 'ok',
          response: { type: 'execute', result: execute(stream, (request as { stmt: ProtoStmt }).stmt) },
        };
      case 'batch':
        return {
          type: 'ok',
          response: { type: 'batch', result: batch(stream, (request as { batch: ProtoBatch }).batch) },
        };
      case 'sequence': {
        const sql = stmtSql(stream, request as { sql?: string; sql_id?: number });
        stream.conn.exec(sql);
        return { type: 'ok', response: { type: 'sequence' } };
      }
      case 'describe': {
        const sql = stmtSql(stream, request as { sql?: string; sql_id?: number });
        return { type: 'ok', response: { type: 'describe', result: describe(stream, sql) } };
      }
      case 'store_sql': {
        const { sql_id, sql } = request as { sql_id: number; sql: string };
        if (stream.sqls.has(sql_id))
          throw new HranaError(`SQL text ${sql_id} is already stored`, 'SQL_ID_IN_USE');
        stream.sqls.set(sql_id, sql);
        return { type: 'ok', response: { type: 'store_sql' } };
      }
      case 'close_sql':
        stream.sqls.delete((request as { sql_id: number }).sql_id);
        return { type: 'ok', response: { type: 'close_sql' } };
      default:
        throw new HranaError(
          `Request type ${JSON.stringify(request.type)} is not supported by this Hrana 2 server`,
          'REQUEST_UNSUPPORTED',
        );
    }
  } catch (err) {
    return { type: 'error', error: toProtoError(err) };
  }
}

// ——— HTTP ———

export interface HranaTestServerOptions {
  /** SQLite file served (every stream opens its own connection to it). */
  path: string;
  /** When set, requests must carry `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** An idle stream is closed (and its transaction rolled back) after this delay; default 10 s like sqld. */
  streamIdleMs?: number;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface HranaTestServer {
  /** Base URL for `createClient({ url })`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Streams currently open (a well-behaved client closes each one it opens). */
  openStreams(): number;
  /** Pipeline requests served so far. */
  pipelineCount(): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HranaError('Request body too large', 'BODY_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers an HTTP-level error the way the client decodes it (`application/json`, exactly). */
function sendError(res: ServerResponse, status: number, message: string, code: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message, code }));
}

/** Starts the server on `host` (default 127.0.0.1) and a free port; resolves once it listens. */
export async function startHranaTestServer(options: HranaTestServerOptions): Promise<HranaTestServer> {
  const idleMs = options.streamIdleMs ?? 10_000;
  const streams = new Map<string, Stream>();
  const open = new Set<Stream>();
  let nextStreamId = 1;
  let pipelines = 0;

  // WAL once for the file, so that readers on other streams never wait for a writer.
  const setup = new Database(options.path);
  setup.exec('PRAGMA journal_mode = WAL');
  setup.close();

  const closeStream = (stream: Stream) => {
    if (stream.closed) return;
    stream.closed = true;
    clearTimeout(stream.timer);
    if (stream.baton) streams.delete(stream.baton);
    stream.baton = null;
    open.delete(stream);
    stream.conn.close();
  };

  const openStream = (): Stream => {
    const conn = new Database(options.path);
    conn.exec('PRAGMA foreign_keys = ON');
    const meta = conn.prepare('SELECT changes(), total_changes(), last_insert_rowid()');
    meta.safeIntegers(true);
    meta.raw(true);
    const stream: Stream = { id: nextStreamId++, baton: null, conn, sqls: new Map(), closed: false, meta };
    open.add(stream);
    return stream;
  };

  const pipeline = (body: { baton?: string | null; requests?: StreamRequest[] }) => {
    if (!Array.isArray(body.requests)) throw new HranaError('`requests` must be an array', 'PROTO_ERROR');
    let stream: Stream;
    if (body.baton) {
      const found = streams.get(body.baton);
      if (!found) throw new HranaError('Unknown or expired baton', 'STREAM_EXPIRED');
      streams.delete(body.baton);
      clearTimeout(found.timer);
      stream = found;
    } else stream = openStream();

    const results = body.requests.map((request) => {
      const result = handleRequest(stream, request);
      if (request.type === 'close') closeStream(stream);
      return result;
    });

    if (!stream.closed) {
      stream.baton = `${stream.id}.${randomBytes(12).toString('base64url')}`;
      streams.set(stream.baton, stream);
      stream.timer = setTimeout(() => closeStream(stream), idleMs);
      stream.timer.unref();
    }
    return { baton: stream.closed ? null : stream.baton, base_url: null, results };
  };

  const server = createServer(async (req, res) => {
    try {
      if (options.authToken !== undefined && req.headers.authorization !== `Bearer ${options.authToken}`) {
        sendError(res, 401, 'Authentication required: missing or wrong bearer token', 'AUTH_FAILED');
        return;
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method === 'GET' && (path === '/v2' || path === '/health')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      if (path === '/v2/pipeline') {
        if (req.method !== 'POST') {
          sendError(res, 405, 'Use POST', 'METHOD_NOT_ALLOWED');
          return;
        }
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch (err) {
          if (err instanceof HranaError) throw err;
          throw new HranaError('Request body is not valid JSON', 'PROTO_ERROR');
        }
        pipelines++;
        const response = pipeline(body as { baton?: string | null; requests?: StreamRequest[] });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(response));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
    } catch (err) {
      const { message, code } = toProtoError(err);
      sendError(res, err instanceof HranaError ? 400 : 500, message, code);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    port,
    openStreams: () => open.size,
    pipelineCount: () => pipelines,
    close: async () => {
      for (const stream of [...open]) closeStream(stream);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
