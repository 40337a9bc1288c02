import type {
  Client,
  InArgs,
  InStatement,
  InValue,
  Replicated,
  ResultSet,
  Row,
  Transaction,
  TransactionMode,
} from '@libsql/client';
import { LibsqlBatchError, LibsqlError } from '@libsql/client';
import Database from 'libsql';

type Connection = Database.Database;

/**
 * A `@libsql/client` `Client` over one native `libsql` connection (Node, `file:` databases) that
 * prepares each statement once and reuses it, in a bounded LRU keyed by its SQL text.
 *
 * Why not `@libsql/client`'s own `file:` client: it prepares every statement on every call and asks
 * the statement for its columns twice per call (prepare + columns + raw ≈ 14 % of a listing page's
 * CPU, measured in docs/decisions/024-prepared-statements.md), then builds each row with one
 * `Object.defineProperty` per column and index. This client keeps its observable behaviour — rows
 * readable by column name (enumerable) and by index (not enumerable) with a non-enumerable `length`,
 * integers as numbers (a RangeError beyond 2^53, like `intMode: 'number'`), blobs as ArrayBuffers,
 * `rowsAffected`/`lastInsertRowid` only for statements that return no rows, `LibsqlError`s with the
 * same codes, batches in one transaction, a transaction holding the connection until it settles —
 * with the statement and its column list prepared once. Hand-written because no maintained package
 * offers a statement-caching client for drizzle's libSQL driver.
 */
export function createNativeClient(path: string, maxStatements = 256): Client {
  const client = new NativeClient(path, maxStatements);
  try {
    client.executeSync('SELECT 1 AS checkThatTheDatabaseCanBeOpened');
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

type NativeStatement = Database.Statement<unknown[]>;

interface Prepared {
  stmt: NativeStatement;
  reader: boolean;
  columns: string[];
  columnTypes: string[];
  /** Builds a row from the driver's array of values; undefined for statements returning no rows. */
  row?: (values: unknown[]) => Row;
}

const VALUES = Symbol('values');

/**
 * Rows of one statement share a prototype whose index getters and `length` read the values array:
 * each row then costs one object with its column names as own enumerable properties (what drizzle's
 * `normalizeRow` and `row.name` read), instead of two `defineProperty` calls per column.
 */
function rowBuilder(columns: string[]): (values: unknown[]) => Row {
  const n = columns.length;
  // Column names that would collide with an index or `length`: build the row as @libsql/client does.
  if (columns.some((name) => name === 'length' || /^\d+$/.test(name)))
    return (values) => slowRow(values, columns);
  const proto: Record<PropertyKey, unknown> = {};
  Object.defineProperty(proto, 'length', { value: n });
  for (let i = 0; i < n; i++) {
    Object.defineProperty(proto, i, {
      get(this: { [VALUES]: unknown[] }) {
        return this[VALUES][i];
      },
    });
  }
  // First occurrence of each name wins, as in @libsql/client.
  const names: string[] = [];
  const indexes: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = columns[i]!;
    if (!names.includes(name)) {
      names.push(name);
      indexes.push(i);
    }
  }
  return (values) => {
    const row = Object.create(proto) as Record<PropertyKey, unknown>;
    Object.defineProperty(row, VALUES, { value: values });
    for (let j = 0; j < names.length; j++) row[names[j]!] = values[indexes[j]!];
    return row as unknown as Row;
  };
}

function slowRow(values: unknown[], columns: string[]): Row {
  const row = {};
  Object.defineProperty(row, 'length', { value: values.length });
  for (let i = 0; i < values.length; ++i) {
    const value = values[i];
    Object.defineProperty(row, i, { value });
    const column = columns[i]!;
    if (!Object.hasOwn(row, column)) {
      Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true });
    }
  }
  return row as Row;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_INTEGER = -9223372036854775808n;
const MAX_INTEGER = 9223372036854775807n;

/** In place: integers (read as bigint) to numbers, blobs to ArrayBuffers (intMode 'number'). */
function valuesFromSql(values: unknown[]): unknown[] {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'bigint') {
      if (value < MIN_SAFE || value > MAX_SAFE) {
        throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
      }
      values[i] = Number(value);
    } else if (value instanceof Buffer) {
      values[i] = value.buffer;
    }
  }
  return values;
}

function valueToSql(value: InValue | undefined): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < MIN_INTEGER || value > MAX_INTEGER) {
      throw new RangeError(
        'bigint is too large to be represented as a 64-bit integer and passed as argument',
      );
    }
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

function argsToSql(args: InArgs | undefined): unknown[] | Record<string, unknown> {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(valueToSql);
  const named: Record<string, unknown> = {};
  for (const name in args) {
    const key = name[0] === '@' || name[0] === '$' || name[0] === ':' ? name.substring(1) : name;
    named[key] = valueToSql(args[name]);
  }
  return named;
}

const SQLITE_CODES: Record<number, string> = {
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
  12: 'SQLITE_NOTFOUND',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS',
  23: 'SQLITE_AUTH',
  24: 'SQLITE_FORMAT',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
  27: 'SQLITE_NOTICE',
  28: 'SQLITE_WARNING',
};

/** The driver's SqliteError as @libsql/client reports it (`code` the primary code's name). */
function mapError(error: unknown): unknown {
  if (error instanceof Database.SqliteError) {
    const { code: extendedCode, rawCode } = error as unknown as { code: string; rawCode?: number };
    const code =
      rawCode === undefined
        ? 'SQLITE_UNKNOWN'
        : (SQLITE_CODES[rawCode & 0xff] ?? `SQLITE_UNKNOWN_${rawCode & 0xff}`);
    return new LibsqlError(error.message, code, extendedCode, rawCode, error);
  }
  return error;
}

function toBatchError(error: unknown, index: number): unknown {
  if (error instanceof LibsqlBatchError) return error;
  if (error instanceof LibsqlError) {
    return new LibsqlBatchError(
      error.message,
      index,
      error.code,
      error.extendedCode,
      error.rawCode,
      error.cause instanceof Error ? error.cause : undefined,
    );
  }
  return error;
}

function beginFor(mode: TransactionMode): string {
  if (mode === 'write') return 'BEGIN IMMEDIATE';
  if (mode === 'read') return 'BEGIN TRANSACTION READONLY';
  if (mode === 'deferred') return 'BEGIN DEFERRED';
  throw new RangeError('Unknown transaction mode, supported values are "write", "read" and "deferred"');
}

function normalize(stmt: InStatement | [string, InArgs?]): { sql: string; args?: InArgs } {
  if (typeof stmt === 'string') return { sql: stmt };
  if (Array.isArray(stmt)) return { sql: stmt[0], args: stmt[1] };
  return stmt;
}

/** Statements after which a cached statement's column list may be stale. */
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;

class ResultSetImpl implements ResultSet {
  constructor(
    public columns: string[],
    public columnTypes: string[],
    public rows: Row[],
    public rowsAffected: number,
    public lastInsertRowid: bigint | undefined,
  ) {}

  toJSON() {
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows.map((row) =>
        Array.prototype.map.call(row, (value: unknown) =>
          typeof value === 'bigint'
            ? `${value}`
            : value instanceof ArrayBuffer
              ? Buffer.from(value).toString('base64')
              : value,
        ),
      ),
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid !== undefined ? `${this.lastInsertRowid}` : null,
    };
  }
}

class NativeClient implements Client {
  closed = false;
  protocol = 'file';
  #db: Connection | null;
  #statements = new Map<string, Prepared>();
  /** Settles when the open transaction (if any) gives the connection back. */
  #held: Promise<void> | null = null;

  constructor(
    private readonly path: string,
    private readonly maxStatements: number,
  ) {
    this.#db = new Database(path);
  }

  #connection(): Connection {
    if (this.closed || !this.#db) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
    if (!this.#db.open)
      throw new LibsqlError('The connection was closed while this operation was in flight', 'CLIENT_CLOSED');
    return this.#db;
  }

  /** Waits while a transaction holds the only connection (as @libsql/client's pool of one does). */
  async #acquire(): Promise<Connection> {
    while (this.#held) await this.#held;
    return this.#connection();
  }

  #prepare(db: Connection, sql: string): Prepared {
    const cached = this.#statements.get(sql);
    if (cached) {
      // Most recently used last.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    let stmt: NativeStatement;
    try {
      stmt = db.prepare(sql);
    } catch (error) {
      throw mapError(error);
    }
    stmt.safeIntegers(true);
    const reader = (stmt as unknown as { reader: boolean }).reader;
    let prepared: Prepared;
    if (reader) {
      stmt.raw(true);
      const described = stmt.columns() as { name: string; type: string | null }[];
      const columns = described.map((col) => col.name);
      prepared = {
        stmt,
        reader,
        columns,
        columnTypes: described.map((col) => col.type ?? ''),
        row: rowBuilder(columns),
      };
    } else {
      prepared = { stmt, reader, columns: [], columnTypes: [] };
    }
    if (this.#statements.size >= this.maxStatements) {
      this.#statements.delete(this.#statements.keys().next().value as string);
    }
    this.#statements.set(sql, prepared);
    return prepared;
  }

  /** Runs one statement now, on the connection. */
  executeSync(stmtOrSql: InStatement, args?: InArgs, db: Connection = this.#connection()): ResultSet {
    const { sql, args: stmtArgs } = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args } : stmtOrSql;
    const bound = argsToSql(stmtArgs);
    const prepared = this.#prepare(db, sql);
    try {
      if (prepared.reader) {
        const rows = (prepared.stmt.all(bound) as unknown[][]).map((values) =>
          prepared.row!(valuesFromSql(values)),
        );
        return new ResultSetImpl(prepared.columns, prepared.columnTypes, rows, 0, undefined);
      }
      const info = prepared.stmt.run(bound);
      if (SCHEMA_CHANGE.test(sql)) this.#statements.clear();
      return new ResultSetImpl([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (error) {
      throw mapError(error);
    }
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const db = await this.#acquire();
    return this.executeSync(stmtOrSql as InStatement, args, db);
  }

  /** Statements in one transaction on the connection; rolled back if one fails. */
  #inTransaction(db: Connection, begin: string, stmts: Array<InStatement | [string, InArgs?]>): ResultSet[] {
    this.executeSync(begin, undefined, db);
    try {
      const results: ResultSet[] = [];
      for (let i = 0; i < stmts.length; i++) {
        try {
          if (!db.inTransaction) {
            throw new LibsqlBatchError('The transaction has been rolled back', i, 'TRANSACTION_CLOSED');
          }
          results.push(this.executeSync(normalize(stmts[i]!) as InStatement, undefined, db));
        } catch (error) {
          throw toBatchError(error, i);
        }
      }
      this.executeSync('COMMIT', undefined, db);
      return results;
    } finally {
      if (db.open && db.inTransaction) {
        try {
          this.executeSync('ROLLBACK', undefined, db);
        } catch {
          // the error that brought us here says more
        }
      }
    }
  }

  async batch(
    stmts: Array<InStatement | [string, InArgs?]>,
    mode: TransactionMode = 'deferred',
  ): Promise<ResultSet[]> {
    const db = await this.#acquire();
    return this.#inTransaction(db, beginFor(mode), stmts);
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    const db = await this.#acquire();
    this.executeSync('PRAGMA foreign_keys=off', undefined, db);
    try {
      return this.#inTransaction(db, beginFor('deferred'), stmts);
    } finally {
      this.#statements.clear();
      this.executeSync('PRAGMA foreign_keys=on', undefined, db);
    }
  }

  async transaction(mode: TransactionMode = 'write'): Promise<Transaction> {
    const db = await this.#acquire();
    this.executeSync(beginFor(mode), undefined, db);
    let release!: () => void;
    this.#held = new Promise((resolve) => {
      release = () => {
        this.#held = null;
        resolve();
      };
    });
    return new NativeTransaction(this, db, release);
  }

  async executeMultiple(sql: string): Promise<void> {
    const db = await this.#acquire();
    try {
      db.exec(sql);
    } catch (error) {
      throw mapError(error);
    } finally {
      this.#statements.clear();
      // As @libsql/client's pool does when the connection goes back: no transaction left open.
      if (db.open && db.inTransaction) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // nothing useful to do
        }
      }
    }
  }

  async sync(): Promise<Replicated> {
    throw new LibsqlError('sync is not supported by this local client', 'SYNC_NOT_SUPPORTED');
  }

  reconnect(): void {
    this.close();
    this.closed = false;
    this.#db = new Database(this.path);
  }

  close(): void {
    this.closed = true;
    this.#statements.clear();
    const db = this.#db;
    this.#db = null;
    try {
      if (db?.open) db.close();
    } catch {
      // nothing useful to do while tearing down
    }
  }
}

class NativeTransaction implements Transaction {
  #db: Connection | null;

  constructor(
    private readonly client: NativeClient,
    db: Connection,
    private readonly release: () => void,
  ) {
    this.#db = db;
  }

  #settle(): void {
    if (this.#db === null) return;
    this.#db = null;
    this.release();
  }

  #connection(): Connection {
    if (this.closed) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED');
    return this.#db!;
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.client.executeSync(stmtOrSql as InStatement, args, this.#connection());
  }

  async batch(stmts: Array<InStatement | [string, InArgs?]>): Promise<ResultSet[]> {
    const results: ResultSet[] = [];
    for (let i = 0; i < stmts.length; i++) {
      try {
        results.push(
          this.client.executeSync(normalize(stmts[i]!) as InStatement, undefined, this.#connection()),
        );
      } catch (error) {
        throw toBatchError(error, i);
      }
    }
    return results;
  }

  async executeMultiple(sql: string): Promise<void> {
    try {
      this.#connection().exec(sql);
    } catch (error) {
      throw mapError(error);
    }
  }

  async rollback(): Promise<void> {
    const db = this.#db;
    if (db === null || !db.open) return this.#settle();
    try {
      if (db.inTransaction) this.client.executeSync('ROLLBACK', undefined, db);
    } finally {
      this.#settle();
    }
  }

  async commit(): Promise<void> {
    try {
      this.client.executeSync('COMMIT', undefined, this.#connection());
    } finally {
      this.#settle();
    }
  }

  close(): void {
    const db = this.#db;
    if (db === null) return;
    try {
      if (db.open && db.inTransaction) this.client.executeSync('ROLLBACK', undefined, db);
    } finally {
      this.#settle();
    }
  }

  get closed(): boolean {
    const db = this.#db;
    return db === null || !db.open || !db.inTransaction;
  }
}
