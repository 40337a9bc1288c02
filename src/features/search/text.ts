import { and, type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.ts';
import type { SearchLimits } from './limits.ts';

/** A table searched by words through an external-content FTS5 table (rowid = the table's id). */
export interface TextIndex {
  table: SQLiteTable;
  id: AnySQLiteColumn;
  /** Orders equally relevant rows, then the id: the table must have an index on (sortKey, id). */
  sortKey: AnySQLiteColumn;
  /** Name of the FTS5 table. */
  fts: string;
  /** bm25 weight of each FTS column, in the FTS table's order. */
  weights: number[];
  /** The FTS column whose matches come first when a word is too frequent to rank by relevance. */
  firstColumn: string;
}

/** Conditions on the table's columns, checked row by row as the FTS index yields matches. */
export type RowFilters = SQL[];

const ftsTable = (index: TextIndex) => sql.identifier(index.fts);
const matches = (index: TextIndex, match: string) => sql`${ftsTable(index)} MATCH ${match}`;

/** How many rows match the words, read from the FTS index and stopped after `limit`. */
const hitsUpTo = (index: TextIndex, match: string, limit: number) =>
  sql`(SELECT count(*) FROM (SELECT 1 FROM ${ftsTable(index)} WHERE ${matches(index, match)} LIMIT ${limit}))`;

/**
 * The rows matching the words, newest first (FTS rowid order, no scoring), one probe of the table
 * per match for the filters, `tail` (ORDER BY, LIMIT…) after the WHERE.
 */
const matchingRows = (index: TextIndex, columns: SQL, match: string, filters: RowFilters, tail: SQL) =>
  sql`SELECT ${columns} FROM ${ftsTable(index)} CROSS JOIN ${index.table} ON ${index.id} = ${ftsTable(index)}.rowid
    WHERE ${and(matches(index, match), ...filters)} ${tail}`;

/**
 * The bounded count of a text search, `{ total, capped }`, in one pass: without filters, the
 * matches read from the FTS index up to `countLimit`; with filters, those among the `probeLimit`
 * newest matches (one row lookup each; a lower bound when more match). A statement for `db.all`.
 */
export function textCount(index: TextIndex, match: string, filters: RowFilters, limits: SearchLimits): SQL {
  if (filters.length === 0) {
    const { countLimit } = limits;
    return sql`SELECT min(hits, ${countLimit}) AS total, hits > ${countLimit} AS capped
      FROM (SELECT ${hitsUpTo(index, match, countLimit + 1)} AS hits)`;
  }
  const { probeLimit } = limits;
  const newest = sql`SELECT rowid AS id FROM ${ftsTable(index)} WHERE ${matches(index, match)}
    ORDER BY rowid DESC LIMIT ${probeLimit + 1}`;
  // Every row counted matches (a true lower bound), even the one past the limit.
  return sql`SELECT coalesce(sum(CASE WHEN ${and(...filters)} THEN 1 ELSE 0 END), 0) AS total,
      count(*) > ${probeLimit} AS capped
    FROM (${newest}) AS newest CROSS JOIN ${index.table} ON ${index.id} = newest.id`;
}

/** The FTS expression of the rows whose `column` holds every word, and of the other matches. */
export function splitByColumn(match: string, column: string) {
  return { first: `${column} : (${match})`, rest: `(${match}) NOT ${column} : (${match})` };
}

/**
 * A subquery `(id, k1, k2, k3)` of one page of a text search, in order of (k1, k2, k3):
 * - words matching at most `rankLimit` rows: by relevance (bm25 with the index's weights), then
 *   sortKey, then id — at most `rankLimit` rows are scored and sorted;
 * - more frequent words: the rows whose first column (the name) holds every word, then the others,
 *   newest first in each group — read in FTS index order, nothing scored or sorted, so a page
 *   costs its offset plus its length whatever the word's frequency.
 * Both orders are total (they end on the id), so pages never repeat or skip a row. Both branches
 * are in the statement, the frequency test (evaluated once) setting the other's LIMIT to 0 — SQLite
 * then skips its loop — so the page takes one round trip.
 */
export function textPage(
  index: TextIndex,
  match: string,
  filters: RowFilters,
  page: { limit: number; offset: number },
  limits: SearchLimits,
): SQL {
  const { rankLimit } = limits;
  const frequent = sql`${hitsUpTo(index, match, rankLimit + 1)} > ${rankLimit}`;
  const weights = sql.join(
    index.weights.map((weight) => sql.raw(String(Number(weight)))),
    sql`, `,
  );
  const ranked = matchingRows(
    index,
    sql`${ftsTable(index)}.rowid AS id, bm25(${ftsTable(index)}, ${weights}) AS k1, ${index.sortKey} AS k2, ${index.id} AS k3`,
    match,
    filters,
    sql`ORDER BY k1, k2, k3 LIMIT (CASE WHEN ${frequent} THEN 0 ELSE ${page.limit} END) OFFSET ${page.offset}`,
  );
  const { first, rest } = splitByColumn(match, index.firstColumn);
  const group = (expression: string, rank: number) =>
    matchingRows(
      index,
      sql`${ftsTable(index)}.rowid AS id, ${rank} AS k1, -${ftsTable(index)}.rowid AS k2, 0 AS k3`,
      expression,
      filters,
      sql`ORDER BY ${ftsTable(index)}.rowid DESC`,
    );
  return sql`SELECT id, k1, k2, k3 FROM (${ranked})
    UNION ALL
    SELECT id, k1, k2, k3 FROM (SELECT * FROM (${group(first, 0)}) UNION ALL SELECT * FROM (${group(rest, 1)})
      LIMIT (CASE WHEN ${frequent} THEN ${page.limit} ELSE 0 END) OFFSET ${page.offset})`;
}

/**
 * The rows that match the words among the `countLimit` newest matches (for searches ordered by
 * something else, such as distance): bounded whatever the word's frequency. One query reads the
 * rowid of the `countLimit`-th newest match (`threshold`) and whether more match (`capped`); the
 * set is then given as two equivalent conditions:
 * - `counting`: `id IN (matches from the threshold on)`, a list SQLite builds once per statement
 *   part — for conditions evaluated over a whole box of rows;
 * - `probing`: `id ≥ threshold` and one FTS lookup of the row's id — for the few rows of a page
 *   (one list per position of the page would read up to `countLimit` matches each time).
 */
export async function newestMatches(db: Db, index: TextIndex, match: string, limits: SearchLimits) {
  const fts = ftsTable(index);
  const edge = await db.all<{ id: number }>(
    sql`SELECT rowid AS id FROM ${fts} WHERE ${matches(index, match)}
      ORDER BY rowid DESC LIMIT 2 OFFSET ${limits.countLimit - 1}`,
  );
  const threshold = edge[0]?.id;
  const matchesRow = sql`EXISTS (SELECT 1 FROM ${fts} WHERE ${matches(index, match)} AND ${fts}.rowid = ${index.id})`;
  if (threshold === undefined) {
    return {
      counting: sql`${index.id} IN (SELECT rowid FROM ${fts} WHERE ${matches(index, match)})`,
      probing: matchesRow,
      capped: false,
    };
  }
  // The driver binds a JavaScript number as a REAL, and FTS5 only seeks its doclists for an
  // INTEGER rowid bound: uncast, it decoded every match (≈ 5 ms for a frequent prefix at 300k rows).
  const from = sql`CAST(${threshold} AS INTEGER)`;
  return {
    counting: sql`${index.id} IN (SELECT rowid FROM ${fts} WHERE ${matches(index, match)} AND rowid >= ${from})`,
    probing: sql`${index.id} >= ${threshold} AND ${matchesRow}`,
    capped: edge.length > 1,
  };
}
