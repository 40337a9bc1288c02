import { and, asc, between, count, desc, eq, gte, isNotNull, lt, type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.ts';
import { distanceKm } from '../../lib/normalize.ts';
import { boundingBox } from '../../lib/search.ts';
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
  /** Name of that (lat, lon, sortKey, id) index: filtered counts walk the box through it. */
  positionIndex: string;
  /**
   * An index that filtered counts walk instead, when one covers the usual filters (e.g. the
   * listings' (status, lat, lon, expires_at)): the rows of a box counted without reading them.
   */
  countIndex?: string;
  /**
   * A table of positions with how many rows sit at each (kept by triggers): unfiltered searches
   * rank its rows instead of counting the rows in the box.
   */
  positions?: { table: SQLiteTable; lat: AnySQLiteColumn; lon: AnySQLiteColumn; rows: AnySQLiteColumn };
}

/** Filters of a distance search, in two forms (they may be the same list). */
export interface PlacedFilters {
  /** Evaluated once for the whole box (e.g. `id IN (…)`): counting rows per position. */
  counting: SQL[];
  /** Checked row by row (e.g. `EXISTS (…)`): reading the rows of one position in order. */
  probing: SQL[];
}

/** A position on the page: its distance, its matching rows, and how many rows come before it. */
export interface RankedPosition {
  lat: number;
  lon: number;
  km: number;
  rows: number;
  /** Rows at this position and at every closer one (in the page order). */
  upTo: number;
}

/** One row of a page and its distance. */
export interface Placed {
  id: number;
  km: number;
}

/**
 * What a page `[offset, offset + limit)` takes from each position: how many of its rows to skip
 * (rows of one position are ordered by sortKey, then id) and how many to take.
 */
export function pageSlices(positions: RankedPosition[], offset: number, limit: number) {
  const end = offset + limit;
  return positions.flatMap((position) => {
    const before = position.upTo - position.rows;
    const skip = Math.max(0, offset - before);
    const take = Math.min(position.upTo, end) - before - skip;
    return take > 0 ? [{ position, skip, take }] : [];
  });
}

/** Half the Earth's circumference: a box this wide holds every point. */
const WHOLE_EARTH_KM = 20_040;
const RADIANS = Math.PI / 180;

const EARTH_RADIUS_KM = 6371.0088;

/**
 * The haversine term of the distance from the centre, in SQL (SQLite's math functions, built into
 * libSQL): `a` in distanceKm()'s formula, where the distance is 2R·asin(√a) — increasing with `a`, so
 * positions are ordered and filtered by `a` and only the page's distances are computed in JavaScript.
 */
export const haversineTerm = (lat: SQL, lon: SQL, centre: { lat: number; lon: number }) =>
  sql`power(sin((${lat} - ${centre.lat}) * ${RADIANS / 2}), 2)
    + ${Math.cos(centre.lat * RADIANS)} * cos(${lat} * ${RADIANS}) * power(sin((${lon} - ${centre.lon}) * ${RADIANS / 2}), 2)`;

/** The haversine term of a distance: positions within `km` have a term at most this. */
export const termWithin = (km: number) => Math.sin(Math.min(km / (2 * EARTH_RADIUS_KM), Math.PI / 2)) ** 2;

/**
 * The positions within `km` of the centre (all when null) that the page `[offset, end)` takes rows
 * from, and how many rows are within `km`. Everything happens in SQL: the rows per position come from
 * the positions table without filters, else are counted from the (lat, lon…) index; positions are
 * ordered by (distance, lat, lon) — a total order — the nearest `end` of them only (a bounded sort)
 * with a running sum, and only the page's few positions reach JavaScript.
 */
async function positionsOnPage(
  db: Db,
  placed: PlacedTable,
  filters: SQL[],
  centre: { lat: number; lon: number },
  km: number | null,
  offset: number,
  end: number,
): Promise<{ positions: RankedPosition[]; within: number }> {
  const box = km === null ? null : boundingBox(centre.lat, centre.lon, km);
  const inBox = (lat: AnySQLiteColumn, lon: AnySQLiteColumn) =>
    box ? and(between(lat, box.minLat, box.maxLat), between(lon, box.minLon, box.maxLon)) : isNotNull(lat);
  const { positions } = placed;
  const source =
    positions && filters.length === 0
      ? sql`SELECT ${positions.lat} AS lat, ${positions.lon} AS lon, ${positions.rows} AS rows
          FROM ${positions.table} WHERE ${inBox(positions.lat, positions.lon)}`
      : sql`SELECT ${placed.lat} AS lat, ${placed.lon} AS lon, count(*) AS rows
          FROM ${placed.table} INDEXED BY ${sql.identifier(placed.countIndex ?? placed.positionIndex)} WHERE ${and(inBox(placed.lat, placed.lon), ...filters)} GROUP BY ${placed.lat}, ${placed.lon}`;
  // Each position holds at least one row: the `end` nearest ones hold the page (a bounded sort).
  // `measured` is read twice (the page, the total): MATERIALIZED counts the box once.
  const near = km === null ? sql`1` : sql`term <= ${termWithin(km)}`;
  const rows = await db.all<Omit<RankedPosition, 'km'> & { within: number }>(sql`
    WITH measured AS MATERIALIZED (SELECT lat, lon, rows, ${haversineTerm(sql`lat`, sql`lon`, centre)} AS term FROM (${source}))
    SELECT lat, lon, rows, upTo, NULL AS within FROM (
      SELECT lat, lon, rows, sum(rows) OVER (ORDER BY term, lat, lon ROWS UNBOUNDED PRECEDING) AS upTo
      FROM (SELECT * FROM measured WHERE ${near} ORDER BY term, lat, lon LIMIT ${end}))
    WHERE upTo > ${offset} AND upTo - rows < ${end}
    UNION ALL SELECT NULL, NULL, 0, NULL, (SELECT coalesce(sum(rows), 0) FROM measured WHERE ${near})
    ORDER BY upTo NULLS LAST`);
  const within = Number(rows.at(-1)?.within ?? 0);
  const onPage = rows.flatMap((row) =>
    row.lat === null ? [] : [{ ...row, km: distanceKm(centre.lat, centre.lon, row.lat, row.lon) }],
  );
  return { positions: onPage, within };
}

/**
 * The positions that hold the page `[offset, offset + limit)` around the centre, and the total. With
 * a radius: within it (the total is exact). Without: the box grows (×4) until it holds the page's
 * rows closer than its half-width — nothing outside can be closer — or everything; the total is the
 * bounded count of located rows.
 */
export async function positionsAround(
  db: Db,
  placed: PlacedTable,
  filters: PlacedFilters,
  centre: { lat: number; lon: number },
  radiusKm: number | undefined,
  page: { offset: number; limit: number },
  limits: SearchLimits,
): Promise<{ positions: RankedPosition[] } & BoundedTotal> {
  const end = page.offset + page.limit;
  if (radiusKm !== undefined) {
    const { positions, within } = await positionsOnPage(
      db,
      placed,
      filters.counting,
      centre,
      radiusKm,
      page.offset,
      end,
    );
    return { positions, total: within, capped: false };
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
    const found = await positionsOnPage(
      db,
      placed,
      filters.counting,
      centre,
      wholeEarth ? null : km,
      page.offset,
      end,
    );
    if (wholeEarth || found.within >= end) return { positions: found.positions, ...total };
  }
}

const KM_PER_DEGREE = (EARTH_RADIUS_KM * Math.PI) / 180;

/**
 * `lat, lon` within `km` of the centre, row by row: rows in a square inside the circle (half-side
 * 0.6 × km, so its corners are at most 0.85 × km away, a margin far above the flat-Earth error
 * under 200 km) pass without the haversine term (its eight SQL function calls per row cost about
 * 0.14 µs each: 1.4 ms for a count of 10,000 rows).
 */
function withinRadius(placed: PlacedTable, centre: { lat: number; lon: number }, km: number): SQL {
  const exact = sql`${haversineTerm(sql`${placed.lat}`, sql`${placed.lon}`, centre)} <= ${termWithin(km)}`;
  if (km > 200) return exact;
  const dLat = (0.6 * km) / KM_PER_DEGREE;
  // Longitude degrees are longest in km at the latitude nearest the equator: bound them there.
  const nearestEquator = Math.max(0, Math.abs(centre.lat) - dLat);
  const dLon = (0.6 * km) / (KM_PER_DEGREE * Math.cos(nearestEquator * RADIANS));
  return sql`((${placed.lat} BETWEEN ${centre.lat - dLat} AND ${centre.lat + dLat}
    AND ${placed.lon} BETWEEN ${centre.lon - dLon} AND ${centre.lon + dLon}) OR ${exact})`;
}

/**
 * `positionsAround` within a radius for a table whose radius total may be bounded (listings,
 * docs/decisions/015): the page's positions come from the smallest ring (radius / 8, doubled up to
 * the radius) holding the page's rows — nothing outside a ring is closer than anything inside it, so
 * the ring's order and running sums are the whole radius' own — and the total is counted up to
 * `countLimit` + 1 over the whole radius (exact below, capped above), so a dense box (36,000 listings
 * within 50 km of Paris) is neither grouped nor summed in full.
 */
export async function positionsWithin(
  db: Db,
  placed: PlacedTable,
  filters: SQL[],
  centre: { lat: number; lon: number },
  radiusKm: number,
  page: { offset: number; limit: number },
  limits: SearchLimits,
): Promise<{ positions: RankedPosition[] } & BoundedTotal> {
  const end = page.offset + page.limit;
  for (let km = radiusKm / 8; ; km *= 2) {
    const whole = km >= radiusKm;
    const ring = await positionsOnPage(db, placed, filters, centre, whole ? radiusKm : km, page.offset, end);
    if (whole) {
      // Bounded like the rings' totals, so every page of one search says the same.
      const capped = ring.within > limits.countLimit;
      return { positions: ring.positions, total: capped ? limits.countLimit : ring.within, capped };
    }
    if (ring.within < end) continue;
    if (ring.within > limits.countLimit) {
      return { positions: ring.positions, total: limits.countLimit, capped: true };
    }
    // Counted from the centre's latitude outwards (north, then south), so a dense centre fills the
    // count within the first rows read.
    const box = boundingBox(centre.lat, centre.lon, radiusKm);
    const bounded = (minLat: number, maxLat: number, northwards: boolean, limit: number) =>
      db.select({ rows: count() }).from(
        db
          .select({ one: sql`1` })
          .from(sql`${placed.table} INDEXED BY ${sql.identifier(placed.countIndex ?? placed.positionIndex)}`)
          .where(
            and(
              ...filters,
              northwards
                ? between(placed.lat, minLat, maxLat)
                : and(gte(placed.lat, minLat), lt(placed.lat, maxLat)),
              between(placed.lon, box.minLon, box.maxLon),
              withinRadius(placed, centre, radiusKm),
            ),
          )
          .orderBy(northwards ? asc(placed.lat) : desc(placed.lat))
          .limit(limit)
          .as('bounded'),
      );
    const [north] = await bounded(centre.lat, box.maxLat, true, limits.countLimit + 1);
    let within = north?.rows ?? 0;
    if (within <= limits.countLimit) {
      const [south] = await bounded(box.minLat, centre.lat, false, limits.countLimit + 1 - within);
      within += south?.rows ?? 0;
    }
    return {
      positions: ring.positions,
      total: Math.min(within, limits.countLimit),
      capped: within > limits.countLimit,
    };
  }
}

/**
 * A page within a radius when the filters keep few rows (words: at most `countLimit` matches), in
 * one statement: the matching rows of the box, read from the count index, are measured once; the
 * page is the bounded sort of those within the radius by (distance, lat, lon, sortKey, id) — the
 * order of `positionsAround` + `placedPage` — and the total is their exact count. The table's
 * `sortKey` must be a column of the count index (the listings' is the id).
 */
export async function placedWithin(
  db: Db,
  placed: PlacedTable,
  filters: SQL[],
  centre: { lat: number; lon: number },
  radiusKm: number,
  page: { offset: number; limit: number },
): Promise<{ rows: Placed[]; total: number }> {
  const box = boundingBox(centre.lat, centre.lon, radiusKm);
  const near = termWithin(radiusKm);
  const found = await db.all<{ id: number | null; lat: number; lon: number; total: number | null }>(sql`
    WITH matched AS MATERIALIZED (
      SELECT ${placed.id} AS id, ${placed.sortKey} AS k, ${placed.lat} AS lat, ${placed.lon} AS lon,
        ${haversineTerm(sql`${placed.lat}`, sql`${placed.lon}`, centre)} AS term
      FROM ${placed.table} INDEXED BY ${sql.identifier(placed.countIndex ?? placed.positionIndex)}
      WHERE ${and(between(placed.lat, box.minLat, box.maxLat), between(placed.lon, box.minLon, box.maxLon), ...filters)})
    SELECT * FROM (SELECT id, lat, lon, NULL AS total FROM matched WHERE term <= ${near}
      ORDER BY term, lat, lon, k, id LIMIT ${page.limit} OFFSET ${page.offset})
    UNION ALL SELECT NULL, NULL, NULL, (SELECT count(*) FROM matched WHERE term <= ${near})`);
  const total = Number(found.at(-1)?.total ?? 0);
  const rows = found.flatMap((row) =>
    row.id === null ? [] : [{ id: row.id, km: distanceKm(centre.lat, centre.lon, row.lat, row.lon) }],
  );
  return { rows, total };
}

/**
 * The ids of the page `[offset, offset + limit)` in the order (distance, position, sortKey, id):
 * one statement, a UNION ALL of one indexed range per position on the page (LIMIT/OFFSET inside
 * the position), so a page at a position with thousands of rows reads only its own rows. The position
 * index is named: without statistics SQLite may prefer another index matching the filters (the
 * listings' (status, expires_at)) and read every public row once per position.
 */
export async function placedPage(
  db: Db,
  placed: PlacedTable,
  filters: SQL[],
  positions: RankedPosition[],
  page: { offset: number; limit: number },
): Promise<Placed[]> {
  const slices = pageSlices(positions, page.offset, page.limit);
  if (slices.length === 0) return [];
  const parts = slices.map(
    ({ position, skip, take }, slice) =>
      sql`SELECT * FROM (SELECT ${slice} AS slice, ${placed.id} AS id
        FROM ${placed.table} INDEXED BY ${sql.identifier(placed.positionIndex)}
        WHERE ${and(eq(placed.lat, position.lat), eq(placed.lon, position.lon), ...filters)}
        ORDER BY ${placed.sortKey}, ${placed.id} LIMIT ${take} OFFSET ${skip})`,
  );
  const rows = await db.all<{ slice: number; id: number }>(sql.join(parts, sql` UNION ALL `));
  return rows.map((row) => ({ id: row.id, km: slices[row.slice]!.position.km }));
}
