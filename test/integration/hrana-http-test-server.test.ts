import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Client, createClient, LibsqlBatchError, LibsqlError } from '@libsql/client/web';
import { eq, sql } from 'drizzle-orm';
import { blob, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { communes } from '../../src/db/schema.ts';
import { type HranaTestServer, startHranaTestServer } from '../support/hrana-http-test-server.ts';
import { TEMPLATE_PATH, TMP_DIR } from '../support/paths.ts';

const probe = sqliteTable('hrana_probe', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  score: real('score'),
  data: blob('data', { mode: 'buffer' }),
});

let counter = 0;
let path: string;
let server: HranaTestServer;
let client: Client;

// A fresh copy of the template, server and client for every test.
beforeEach(async () => {
  path = join(TMP_DIR, `hrana-${process.pid}-${Date.now()}-${++counter}.db`);
  copyFileSync(TEMPLATE_PATH, path);
  server = await startHranaTestServer({ path, authToken: 'test-token' });
  client = createClient({ url: server.url, authToken: 'test-token' });
  await client.execute(
    'CREATE TABLE hrana_probe (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, score REAL, data BLOB)',
  );
});

afterEach(async () => {
  client?.close();
  await server?.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
});

/** One raw Hrana 2 pipeline request, for what @libsql/client does not expose. */
async function pipeline(body: unknown, token = 'test-token') {
  const res = await fetch(`${server.url}/v2/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Hrana HTTP test server, driven by @libsql/client/web', () => {
  it('answers the version check', async () => {
    const res = await fetch(`${server.url}/v2`, { headers: { authorization: 'Bearer test-token' } });
    expect(res.status).toBe(200);
    // No protocol 3: a client that probes /v3-protobuf falls back to /v2.
    const v3 = await fetch(`${server.url}/v3-protobuf`, { headers: { authorization: 'Bearer test-token' } });
    expect(v3.status).toBe(404);
  });

  it('executes with positional and named arguments and round-trips every value type', async () => {
    const wide = createClient({ url: server.url, authToken: 'test-token', intMode: 'bigint' });
    try {
      const row = (
        await wide.execute({
          sql: 'SELECT ? AS i, ? AS big, ? AS f, ? AS t, ? AS b, ? AS n',
          args: [42n, 9007199254740993n, 1.5, 'énergie', new Uint8Array([0, 1, 254, 255]), null],
        })
      ).rows[0]!;
      expect(row.i).toBe(42n);
      expect(row.big).toBe(9007199254740993n);
      expect(row.f).toBe(1.5);
      expect(row.t).toBe('énergie');
      expect([...new Uint8Array(row.b as ArrayBuffer)]).toEqual([0, 1, 254, 255]);
      expect(row.n).toBeNull();
    } finally {
      wide.close();
    }

    const inserted = await client.execute({
      sql: 'INSERT INTO hrana_probe (name, score) VALUES (:name, @score)',
      args: { name: 'named', score: 2.25 },
    });
    expect(inserted.rowsAffected).toBe(1);
    expect(inserted.lastInsertRowid).toBeTypeOf('bigint');
    const selected = await client.execute({
      sql: 'SELECT id, name, score FROM hrana_probe WHERE name = $name',
      args: { $name: 'named' },
    });
    expect(selected.columns).toEqual(['id', 'name', 'score']);
    expect(selected.columnTypes).toEqual(['INTEGER', 'TEXT', 'REAL']);
    expect(selected.rows[0]).toMatchObject({
      id: Number(inserted.lastInsertRowid),
      name: 'named',
      score: 2.25,
    });
    expect(selected.rowsAffected).toBe(0);
  });

  it('reports rows changed by INSERT … RETURNING', async () => {
    const rs = await client.execute({
      sql: 'INSERT INTO hrana_probe (name) VALUES (?), (?) RETURNING name',
      args: ['ret-1', 'ret-2'],
    });
    expect(rs.rows.map((r) => r.name)).toEqual(['ret-1', 'ret-2']);
    expect(rs.rowsAffected).toBe(2);
  });

  it('runs a batch in one transaction and rolls it back when a statement fails', async () => {
    const results = await client.batch(
      [
        { sql: 'INSERT INTO hrana_probe (name) VALUES (?)', args: ['batch-1'] },
        { sql: 'INSERT INTO hrana_probe (name) VALUES (?)', args: ['batch-2'] },
        "SELECT count(*) AS n FROM hrana_probe WHERE name LIKE 'batch-%'",
      ],
      'write',
    );
    expect(results.map((r) => r.rowsAffected)).toEqual([1, 1, 0]);
    expect(results[2]!.rows[0]!.n).toBe(2);

    const failing = client.batch(
      [
        { sql: 'INSERT INTO hrana_probe (name) VALUES (?)', args: ['batch-3'] },
        { sql: 'INSERT INTO hrana_probe (name) VALUES (?)', args: ['batch-1'] },
      ],
      'write',
    );
    await expect(failing).rejects.toBeInstanceOf(LibsqlBatchError);
    await expect(failing).rejects.toMatchObject({ statementIndex: 1, code: 'SQLITE_CONSTRAINT' });
    const count = await client.execute("SELECT count(*) AS n FROM hrana_probe WHERE name = 'batch-3'");
    expect(count.rows[0]!.n).toBe(0);
  });

  it('turns bad SQL into a LibsqlError with the SQLite code and message', async () => {
    const bad = client.execute('SELEC 1');
    await expect(bad).rejects.toBeInstanceOf(LibsqlError);
    await expect(bad).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
      message: expect.stringContaining('syntax error'),
    });
    await expect(client.execute('SELECT * FROM no_such_table')).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
      message: expect.stringContaining('no such table'),
    });
    await expect(client.execute('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'SQL_MANY_STATEMENTS' });
  });

  it('keeps an interactive transaction on one stream across requests (batons)', async () => {
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'INSERT INTO hrana_probe (name) VALUES (?)', args: ['tx-kept'] });
    const inside = await tx.execute("SELECT count(*) AS n FROM hrana_probe WHERE name = 'tx-kept'");
    expect(inside.rows[0]!.n).toBe(1);
    await tx.commit();

    const dropped = await client.transaction('write');
    await dropped.execute({ sql: 'INSERT INTO hrana_probe (name) VALUES (?)', args: ['tx-dropped'] });
    await dropped.rollback();

    const rs = await client.execute("SELECT name FROM hrana_probe WHERE name LIKE 'tx-%' ORDER BY name");
    expect(rs.rows.map((r) => r.name)).toEqual(['tx-kept']);
    expect(server.openStreams()).toBe(0);
  });

  it('runs several statements with executeMultiple; a trigger body is one statement', async () => {
    await client.executeMultiple(`
      CREATE TABLE hrana_log (name TEXT);
      CREATE TRIGGER hrana_probe_log AFTER INSERT ON hrana_probe BEGIN
        INSERT INTO hrana_log (name) VALUES (new.name);
      END;
    `);
    await client.execute({ sql: 'INSERT INTO hrana_probe (name) VALUES (?)', args: ['logged'] });
    // The same kind of statement through execute, which refuses several statements.
    await client.execute(`CREATE TRIGGER hrana_probe_log_upper AFTER INSERT ON hrana_probe BEGIN
        INSERT INTO hrana_log (name) VALUES (upper(new.name)); -- ;
      END`);
    await client.execute({ sql: 'INSERT INTO hrana_probe (name) VALUES (?)', args: ['twice'] });
    const rs = await client.execute('SELECT name FROM hrana_log ORDER BY name');
    expect(rs.rows.map((r) => r.name)).toEqual(['TWICE', 'logged', 'twice']);
  });

  it('serves drizzle: select, run and batch', async () => {
    const db = createDb(client);
    const [voiron] = await db.select().from(communes).where(eq(communes.code, '38563'));
    expect(voiron?.name).toBe('Voiron');

    await db.run(sql`INSERT INTO hrana_probe (name, score) VALUES (${'drizzle-run'}, ${0.5})`);
    const [inserted, found] = await db.batch([
      db
        .insert(probe)
        .values({ name: 'drizzle-batch', score: 3, data: Buffer.from('ptce') })
        .returning({ id: probe.id }),
      db.select({ name: probe.name, score: probe.score }).from(probe).where(eq(probe.name, 'drizzle-run')),
    ]);
    expect(inserted[0]?.id).toBeTypeOf('number');
    expect(found).toEqual([{ name: 'drizzle-run', score: 0.5 }]);
    const [row] = await db.select().from(probe).where(eq(probe.name, 'drizzle-batch'));
    expect(row?.score).toBe(3);
    expect(Buffer.from(row!.data!).toString()).toBe('ptce');
    expect(server.openStreams()).toBe(0);
  });

  it('refuses a client without the bearer token', async () => {
    const anonymous = createClient({ url: server.url });
    try {
      await expect(anonymous.execute('SELECT 1')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    } finally {
      anonymous.close();
    }
  });
});

describe('Hrana HTTP test server, raw protocol', () => {
  it('stores SQL texts, describes statements and closes the stream', async () => {
    await client.execute({ sql: 'INSERT INTO hrana_probe (name) VALUES (?)', args: ['named'] });
    const { status, body } = await pipeline({
      baton: null,
      requests: [
        { type: 'store_sql', sql_id: 1, sql: 'SELECT name FROM hrana_probe WHERE id = ?1 OR name = :name' },
        {
          type: 'execute',
          stmt: {
            sql_id: 1,
            args: [],
            named_args: [{ name: ':name', value: { type: 'text', value: 'named' } }],
            want_rows: true,
          },
        },
        { type: 'describe', sql_id: 1 },
        { type: 'describe', sql: "UPDATE hrana_probe SET score = 1 WHERE name = 'x' -- ;" },
        { type: 'close_sql', sql_id: 1 },
        { type: 'execute', stmt: { sql_id: 1, want_rows: true } },
      ],
    });
    expect(status).toBe(200);
    expect(typeof body.baton).toBe('string');
    const results = body.results as { type: string; response?: { result?: unknown }; error?: unknown }[];
    expect(results.map((r) => r.type)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'error']);
    expect(results[1]!.response!.result).toMatchObject({
      cols: [{ name: 'name', decltype: 'TEXT' }],
      rows: [[{ type: 'text', value: 'named' }]],
    });
    expect(results[2]!.response!.result).toEqual({
      params: [{ name: '?1' }, { name: ':name' }],
      cols: [{ name: 'name', decltype: 'TEXT' }],
      is_explain: false,
      is_readonly: true,
    });
    expect(results[3]!.response!.result).toMatchObject({ params: [], cols: [], is_readonly: false });
    expect(results[5]!.error).toMatchObject({ code: 'SQL_NOT_FOUND' });

    // The baton continues the stream once, then is spent; closing the stream returns no baton.
    const next = await pipeline({ baton: body.baton, requests: [{ type: 'close' }] });
    expect(next.body).toEqual({
      baton: null,
      base_url: null,
      results: [{ type: 'ok', response: { type: 'close' } }],
    });
    const stale = await pipeline({ baton: body.baton, requests: [{ type: 'close' }] });
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ code: 'STREAM_EXPIRED' });
  });

  it('expires an idle stream and rolls back its open transaction', async () => {
    const quick = await startHranaTestServer({ path, streamIdleMs: 50 });
    try {
      const send = async (body: unknown) => {
        const res = await fetch(`${quick.url}/v2/pipeline`, { method: 'POST', body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const begun = await send({
        requests: [
          { type: 'execute', stmt: { sql: 'BEGIN IMMEDIATE' } },
          { type: 'execute', stmt: { sql: "INSERT INTO hrana_probe (name) VALUES ('expired')" } },
        ],
      });
      expect(begun.status).toBe(200);
      expect(quick.openStreams()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(quick.openStreams()).toBe(0);
      const late = await send({
        baton: begun.body.baton,
        requests: [{ type: 'execute', stmt: { sql: 'COMMIT' } }],
      });
      expect(late.status).toBe(400);
      expect(late.body).toMatchObject({ code: 'STREAM_EXPIRED' });
      const rs = await client.execute("SELECT count(*) AS n FROM hrana_probe WHERE name = 'expired'");
      expect(rs.rows[0]!.n).toBe(0);
    } finally {
      await quick.close();
    }
  });

  it('evaluates batch conditions in order', async () => {
    const { body } = await pipeline({
      requests: [
        {
          type: 'batch',
          batch: {
            steps: [
              { stmt: { sql: 'SELECT 1' } },
              { stmt: { sql: 'SELECT nope' } },
              { condition: { type: 'ok', step: 1 }, stmt: { sql: 'SELECT 2' } },
              { condition: { type: 'error', step: 1 }, stmt: { sql: 'SELECT 3', want_rows: true } },
              {
                condition: {
                  type: 'and',
                  conds: [
                    { type: 'ok', step: 0 },
                    { type: 'not', cond: { type: 'ok', step: 2 } },
                  ],
                },
                stmt: { sql: 'SELECT 4' },
              },
              { condition: { type: 'or', conds: [{ type: 'ok', step: 2 }] }, stmt: { sql: 'SELECT 5' } },
            ],
          },
        },
        { type: 'close' },
      ],
    });
    const result = (
      body.results as { response: { result: { step_results: unknown[]; step_errors: unknown[] } } }[]
    )[0]!.response.result;
    expect(result.step_results.map((r) => r !== null)).toEqual([true, false, false, true, true, false]);
    expect(result.step_errors.map((e) => e !== null)).toEqual([false, true, false, false, false, false]);
    expect(result.step_results[3]).toMatchObject({ rows: [[{ type: 'integer', value: '3' }]] });
  });
});
