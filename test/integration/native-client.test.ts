/**
 * The Node file client that prepares statements once (src/db/native.ts, decision 024) answers as
 * @libsql/client's own `file:` client does: same rows (by name, by index, keys, JSON), same result
 * fields, same errors and codes, batches atomic, a transaction holding the only connection.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Client, createClient, type InStatement } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNativeClient } from '../../src/db/native.ts';
import { TMP_DIR } from '../support/paths.ts';

const dir = join(TMP_DIR, `native-client-${process.pid}`);
let reference: Client;
let native: Client;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'n.db');
  reference = createClient({ url: `file:${path}`, concurrency: 1 });
  await reference.executeMultiple(
    "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, b BLOB, r REAL); INSERT INTO t VALUES (1, 'x', x'0102', 1.5), (2, 'y', NULL, NULL);",
  );
  native = createNativeClient(path);
});

afterAll(() => {
  native.close();
  reference.close();
  rmSync(dir, { recursive: true, force: true });
});

const shape = (result: Awaited<ReturnType<Client['execute']>>) => ({
  columns: result.columns,
  columnTypes: result.columnTypes,
  rows: result.rows.map((row) => ({
    keys: Object.keys(row),
    values: Array.prototype.slice.call(row),
    length: row.length,
    json: JSON.stringify(row),
    name: row.name,
    first: row[0],
  })),
  rowsAffected: result.rowsAffected,
  lastInsertRowid: result.lastInsertRowid,
});

const failure = (error: unknown) => {
  const e = error as {
    constructor: { name: string };
    code?: string;
    extendedCode?: string;
    rawCode?: number;
  };
  return `${e.constructor.name} ${e.code} ${e.extendedCode} ${e.rawCode} ${(error as Error).message}`;
};

describe('native file client', () => {
  const reads: InStatement[] = [
    'SELECT * FROM t ORDER BY id',
    // duplicate names: the first wins by name, every value by index
    'SELECT t.id, t2.id, t.name AS name, 1 AS name FROM t JOIN t AS t2 ON t2.id = t.id',
    'SELECT count(*) FROM t',
    { sql: 'SELECT * FROM t WHERE id = ?', args: [1] },
    { sql: 'SELECT * FROM t WHERE id = :id', args: { ':id': 2 } },
    { sql: 'SELECT ? AS yes, ? AS big, ? AS day', args: [true, 5n, new Date(0)] },
  ];
  it.each(reads)('reads as @libsql/client does: %s', async (stmt) => {
    // twice: the second run reuses the prepared statement
    for (let run = 0; run < 2; run++) {
      expect(shape(await native.execute(stmt))).toEqual(shape(await reference.execute(stmt)));
    }
  });

  it('writes report rowsAffected and lastInsertRowid as @libsql/client does', async () => {
    const insert = { sql: 'INSERT INTO t (name) VALUES (?)', args: ['n1'] };
    const native1 = shape(await native.execute(insert));
    const reference1 = shape(
      await reference.execute({ sql: 'INSERT INTO t (name) VALUES (?)', args: ['r1'] }),
    );
    expect(native1).toEqual({ ...reference1, lastInsertRowid: reference1.lastInsertRowid! - 1n });
    // lastInsertRowid is the connection's last insert: each client has its own connection.
    const update = { sql: 'UPDATE t SET r = ? WHERE name LIKE ?', args: [2, '_1'] };
    const { lastInsertRowid: _native, ...updated } = shape(await native.execute(update));
    const { lastInsertRowid: _reference, ...expected } = shape(await reference.execute(update));
    expect(updated).toEqual(expected);
  });

  it.each([
    { sql: 'INSERT INTO t (name) VALUES (?)', args: ['x'] },
    'SELECT nope FROM t',
    'SELECT * FROM t WHERE id = ?',
    'SELECT 9007199254740993 AS big',
  ] as InStatement[])('fails as @libsql/client does: %s', async (stmt) => {
    const expected = failure(await reference.execute(stmt).catch((e: unknown) => e));
    expect(failure(await native.execute(stmt).catch((e: unknown) => e))).toBe(expected);
  });

  it('a failing batch is rolled back and names the failing statement', async () => {
    const stmts = ["INSERT INTO t (name) VALUES ('batch')", "INSERT INTO t (name) VALUES ('x')"];
    const expected = await reference.batch(stmts, 'write').catch((e: unknown) => e);
    const actual = await native.batch(stmts, 'write').catch((e: unknown) => e);
    expect(failure(actual)).toBe(failure(expected));
    expect((actual as { index?: number }).index).toBe((expected as { index?: number }).index);
    expect((await native.execute("SELECT count(*) AS n FROM t WHERE name = 'batch'")).rows[0]!.n).toBe(0);
  });

  it('a transaction holds the connection: other statements wait until it settles', async () => {
    const before = (await native.execute('SELECT count(*) AS n FROM t')).rows[0]!.n;
    const tx = await native.transaction('write');
    await tx.execute("INSERT INTO t (name) VALUES ('tx')");
    let answered = false;
    const outside = native.execute('SELECT count(*) AS n FROM t').then((r) => {
      answered = true;
      return r.rows[0]!.n;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    await tx.rollback();
    expect(await outside).toBe(before);
    expect(tx.closed).toBe(true);
  });

  // On a table of its own: tests run shuffled, and the others compare `SELECT * FROM t` with
  // @libsql/client, which would then read `t`'s new column through its own stale statement.
  it('a statement prepared before a schema change sees the new columns', async () => {
    await native.execute('CREATE TABLE altered (id INTEGER PRIMARY KEY)');
    await native.execute('SELECT * FROM altered');
    await native.execute('ALTER TABLE altered ADD COLUMN extra TEXT');
    expect((await native.execute('SELECT * FROM altered')).columns).toEqual(['id', 'extra']);
  });
});
