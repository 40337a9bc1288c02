import { and, count, type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.ts';
import type { BoundedTotal, SearchLimits } from './limits.ts';

/**
 * `SELECT count(*) FROM (SELECT 1 FROM table WHERE … LIMIT countLimit + 1)`: reads at most one row
 * past the limit, whatever the table's size. Batchable; read the result with `boundedTotal`.
 */
export function boundedCount(db: Db, table: SQLiteTable, where: SQL[], limits: SearchLimits) {
  const rows = db
    .select({ one: sql`1` })
    .from(table)
    .where(and(...where))
    .limit(limits.countLimit + 1)
    .as('bounded');
  return db.select({ rows: count() }).from(rows);
}

/** The total of a bounded count: exact up to the limit, else the limit and `capped`. */
export function boundedTotal(rows: number, limits: SearchLimits): BoundedTotal {
  return { total: Math.min(rows, limits.countLimit), capped: rows > limits.countLimit };
}
