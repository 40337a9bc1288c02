import { and, between, count, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.ts';
import { boundingBox } from '../../lib/search.ts';
import { distanceKm } from '../geo/normalize.ts';
import type { BoundedTotal, SearchLimits } from './limits.ts';

/**
 * A table whose rows sit at positions (a commune's centre: many rows share one), with an index on
 * (lat, lon, sortKey, id) so the rows of one position are read in order from the index.
 */
export interface PlacedTable {
  table: SQLiteTable;
  id: AnySQLiteColumn;
  lat: AnySQLiteColumn;
  lon: AnySQLiteColumn;
  sortKey: AnySQLiteColumn;
}

/** Filters of a distance search, in two forms (they may be the same list). */
export interface PlacedFilters {
  /** Evaluated once for the whole box (e.g. `id IN (…)`): counting rows per position. */
  counting: SQL[];
  /** Checked row by row (e.g. `EXISTS (…)`): reading the rows of one position in order. */
  probing: SQL[];
}

/** A position, its distance from the centre and how many matching rows it holds. */
export interface RankedPosition {
  lat: number;
  lon: number;
  km: number;
  rows: number;
}

/** One row of a page and its distance. */
export interface Placed {
  id: number;
  km: number;
}

/**
 * Positions by distance from the centre, then latitude, then longitude (a total order: two positions
 * at the same distance never swap between pages).
 */
export function rankPositions(
  positions: Array<{ lat: number | null; lon: number | null; rows: number }>,
  centre: { lat: number; lon: number },
  radiusKm?: number,
): RankedPosition[] {
  const ranked: RankedPosition[] = [];
  for (const { lat, lon, rows } of positions) {
    if (lat === null || lon === null) continue;
    const km = distanceKm(centre.lat, centre.lon, lat, lon);
    if (radiusKm === undefined || km <= radiusKm) ranked.push({ lat, lon, km, rows });
  }
  return ranked.sort((a, b) => a.km - b.km || a.lat - b.lat || a.lon - b.lon);
}

/**
 * Which positions a page `[offset, offset + limit)` takes rows from: for each, how many rows to skip
 * there and how many to take (rows of one position are ordered by sortKey, then id).
 */
export function pageSlices(positions: RankedPosition[], offset: number, limit: number) {
  const slices: Array<{ position: RankedPosition; skip: number; take: number }> = [];
  let before = 0;
  const end = offset + limit;
  for (const position of positions) {
    const after = before + position.rows;
    if (after > offset && before < end) {
      const skip = Math.max(0, offset - before);
      slices.push({ position, skip, take: Math.min(after, end) - before - skip });
    }
    if (after >= end) break;
    before = after;
  }
  return slices;
}

/** Half the Earth's circumference: a box this wide holds every point. */
const WHOLE_EARTH_KM = 20_040;

/**
 * Rows per position in the box (every located row when `km` is null): one row per position, counted
 * in SQL from the (lat, lon…) index — nothing per row reaches JavaScript.
 */
async function positionsWithin(
  db: Db,
  placed: PlacedTable,
  filters: SQL[],
  centre: { lat: number; lon: number },
  km: number | null,
) {
  const box = km === null ? null : boundingBox(centre.lat, centre.lon, km);
  return db
    .select({ lat: placed.lat, lon: placed.lon, rows: count() })
    .from(placed.table)
    .where(
      and(
        ...filters,
        box
          ? and(between(placed.lat, box.minLat, box.maxLat), between(placed.lon, box.minLon, box.maxLon))
          : isNotNull(placed.lat),
      ),
    )
    .groupBy(placed.lat, placed.lon) as Promise<
    Array<{ lat: number | null; lon: number | null; rows: number }>
  >;
}

/**
 * The ranked positions that hold the first `needed` rows around the centre. With a radius: every
 * position within it (the total is exact). Without: the box grows (×4) until it holds `needed` rows
 * closer than its half-width — nothing outside can be closer — or everything; the total is the
 * bounded count of located rows.
 */
export async function positionsAround(
  db: Db,
  placed: PlacedTable,
  filters: PlacedFilters,
  centre: { lat: number; lon: number },
  radiusKm: number | undefined,
  needed: number,
  limits: SearchLimits,
): Promise<{ positions: RankedPosition[] } & BoundedTotal> {
  if (radiusKm !== undefined) {
    const positions = rankPositions(
      await positionsWithin(db, placed, filters.counting, centre, radiusKm),
      centre,
      radiusKm,
    );
    return { positions, total: positions.reduce((sum, p) => sum + p.rows, 0), capped: false };
  }
  const bounded = db
    .select({ id: placed.id })
    .from(placed.table)
    .where(and(...filters.counting, isNotNull(placed.lat)))
    .limit(limits.countLimit + 1)
    .as('bounded');
  const [counted] = await db.select({ rows: count() }).from(bounded);
  const located = counted?.rows ?? 0;
  const total = { total: Math.min(located, limits.countLimit), capped: located > limits.countLimit };
  for (let km = 30; ; km *= 4) {
    const wholeEarth = km >= WHOLE_EARTH_KM;
    const positions = rankPositions(
      await positionsWithin(db, placed, filters.counting, centre, wholeEarth ? null : km),
      centre,
    );
    const inBox = positions.reduce((sum, p) => sum + p.rows, 0);
    if (wholeEarth || (!total.capped && inBox >= located)) return { positions, ...total };
    const within = positions.filter((p) => p.km <= km);
    if (within.reduce((sum, p) => sum + p.rows, 0) >= needed) return { positions: within, ...total };
  }
}

/**
 * The ids of the page `[offset, offset + limit)` in the order (distance, position, sortKey, id):
 * one statement, a UNION ALL of one indexed range per position on the page (LIMIT/OFFSET inside
 * the position), so a page at a position with thousands of rows reads only its own rows.
 */
export async function placedPage(
  db: Db,
  placed: PlacedTable,
  filters: SQL[],
  positions: RankedPosition[],
  offset: number,
  limit: number,
): Promise<Placed[]> {
  const slices = pageSlices(positions, offset, limit);
  if (slices.length === 0) return [];
  const parts = slices.map(
    ({ position, skip, take }, slice) =>
      sql`SELECT * FROM (SELECT ${slice} AS slice, ${placed.id} AS id FROM ${placed.table}
        WHERE ${and(eq(placed.lat, position.lat), eq(placed.lon, position.lon), ...filters)}
        ORDER BY ${placed.sortKey}, ${placed.id} LIMIT ${take} OFFSET ${skip})`,
  );
  const rows = await db.all<{ slice: number; id: number }>(sql.join(parts, sql` UNION ALL `));
  return rows.map((row) => ({ id: row.id, km: slices[row.slice]!.position.km }));
}
