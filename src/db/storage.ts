import type { Client, InStatement, ResultSet, Transaction } from '@libsql/client';
import type { Db } from './client.ts';

/**
 * SQLite result codes that mean "the storage cannot take writes right now" (read-only file or
 * folder, full disk, I/O error, file that cannot be opened), as opposed to a bug in a query.
 */
const STORAGE_CODES = ['SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN'];

/**
 * The SQLite code of a storage fault anywhere in an error's cause chain (drizzle wraps the driver's
 * `LibsqlError`, whose `code` is e.g. `SQLITE_READONLY`; extended codes such as `SQLITE_IOERR_WRITE`
 * count too), or undefined for any other error.
 */
export function storageFaultCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, rawCode, message, cause } = current as Record<string, unknown>;
    if (typeof code === 'string' && STORAGE_CODES.some((prefix) => code.startsWith(prefix))) return code;
    // Opening a file can fail before a code is known: `ConnectionFailed("Unable to open connection to
    // local database <path>: 14")`, with SQLite's primary result code at the end.
    const opening =
      typeof message === 'string' ? /Unable to open connection .*: (\d+)"?\)?$/m.exec(message) : null;
    const numeric = typeof rawCode === 'number' ? rawCode : opening ? Number(opening[1]) : undefined;
    if (numeric !== undefined && PRIMARY_CODES[numeric & 0xff]) return PRIMARY_CODES[numeric & 0xff];
    current = cause;
  }
  return undefined;
}

/** SQLite's primary result codes of the faults above. */
const PRIMARY_CODES: Record<number, string> = {
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
};

export interface StorageFault {
  code: string;
  message: string;
  /** When the fault was first seen, and last seen (ms since the epoch). */
  since: number;
  lastSeen: number;
}

/**
 * The storage state of one database as its statements report it: the last storage fault, cleared by
 * the next write that succeeds. Costs nothing while the storage is healthy (no probe).
 */
export class StorageHealth {
  fault: StorageFault | null = null;
  private lastProbe = 0;

  constructor(
    private readonly client: Client,
    private readonly now: () => number = Date.now,
  ) {}

  failed(error: unknown): void {
    const code = storageFaultCode(error);
    if (!code) return;
    const at = this.now();
    const cause = (error as { message?: unknown }).message;
    this.fault = { code, message: String(cause ?? code), since: this.fault?.since ?? at, lastSeen: at };
  }

  succeeded(): void {
    this.fault = null;
  }

  /**
   * The current fault, if any. While one is recorded, tries a write at most every `probeEveryMs`
   * (a table created in a transaction rolled back), so the fault clears once the storage is fixed
   * even if no user writes meanwhile. A healthy database is never probed.
   */
  async check(probeEveryMs = 5000): Promise<StorageFault | null> {
    if (!this.fault || this.now() - this.lastProbe < probeEveryMs) return this.fault;
    return this.probe();
  }

  /** Tries a write now (nothing is kept): clears the fault if it succeeds, records it if not. */
  async probe(): Promise<StorageFault | null> {
    this.lastProbe = this.now();
    try {
      // One connection, synchronously: nothing else runs in between, and the pool rolls back a
      // transaction the script left open when a statement fails (a `transaction()` would hold the
      // client's only connection).
      await this.client.executeMultiple('BEGIN IMMEDIATE; CREATE TABLE ptce_write_probe (x); ROLLBACK;');
      this.succeeded();
    } catch (error) {
      this.failed(error);
    }
    return this.fault;
  }
}

/** Statements that change data: their success proves the storage takes writes again. */
const WRITE = /^\s*(insert|update|delete|replace)\b/i;
const sqlOf = (stmt: InStatement | [string, unknown?] | string) =>
  typeof stmt === 'string' ? stmt : Array.isArray(stmt) ? stmt[0] : stmt.sql;

const healthByClient = new WeakMap<object, StorageHealth>();

/**
 * Wraps a libSQL client so that every statement reports to a `StorageHealth`: a storage fault is
 * recorded, a successful write clears it. Errors still propagate unchanged.
 */
export function watchStorage(client: Client, now?: () => number): { client: Client; health: StorageHealth } {
  const health = new StorageHealth(client, now);
  const observe = async <T>(isWrite: boolean, run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      if (isWrite) health.succeeded();
      return result;
    } catch (error) {
      health.failed(error);
      throw error;
    }
  };
  const watchTransaction = (tx: Transaction): Transaction => {
    let wrote = false;
    return new Proxy(tx, {
      get(target, key, receiver) {
        if (key === 'execute')
          return (stmt: InStatement) =>
            observe(false, () => {
              wrote ||= WRITE.test(sqlOf(stmt));
              return target.execute(stmt);
            });
        if (key === 'batch')
          return (stmts: InStatement[]) =>
            observe(false, () => {
              wrote ||= stmts.some((s) => WRITE.test(sqlOf(s)));
              return target.batch(stmts);
            });
        if (key === 'commit') return () => observe(wrote, () => target.commit());
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  const watched = new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'execute')
        return (stmt: InStatement | string, args?: never): Promise<ResultSet> =>
          observe(WRITE.test(sqlOf(stmt)), () =>
            typeof stmt === 'string' ? target.execute(stmt, args) : target.execute(stmt),
          );
      if (key === 'batch' || key === 'migrate')
        return (stmts: InStatement[], mode?: never) =>
          observe(
            stmts.some((s) => WRITE.test(sqlOf(s))),
            () => (key === 'batch' ? target.batch(stmts, mode) : target.migrate(stmts)),
          );
      if (key === 'transaction')
        return (mode?: never) => observe(false, async () => watchTransaction(await target.transaction(mode)));
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  healthByClient.set(watched, health);
  return { client: watched, health };
}

/** The storage health of a database opened by `openDatabase` (Node), or undefined (Workers). */
export function storageHealth(db: Db): StorageHealth | undefined {
  return healthByClient.get((db as unknown as { $client: object }).$client);
}

/**
 * Runs a write that a read can do without (e.g. a session's "last seen" time): a storage fault is
 * recorded and swallowed, so reads keep working on a read-only or full disk. Other errors propagate.
 */
export async function unlessStorageFault(write: PromiseLike<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!storageFaultCode(error)) throw error;
  }
}
