import { and, eq, gte, lt, or, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import { communePostalCodes, communes } from '../../db/schema.ts';
import { normalizeName } from '../../lib/normalize.ts';

/** A commune as the API and views show it. */
export interface Commune {
  code: string;
  name: string;
  departement: string;
  region: string;
  postalCodes: string[];
  lat: number | null;
  lon: number | null;
}

const columns = {
  code: communes.code,
  name: communes.name,
  departement: communes.departement,
  region: communes.region,
  postalCodes: communes.postalCodes,
  lat: communes.lat,
  lon: communes.lon,
};

type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | null };

function toCommune(row: Row): Commune {
  return {
    code: row.code!,
    name: row.name!,
    departement: row.departement!,
    region: row.region!,
    postalCodes: row.postalCodes ? row.postalCodes.split(';') : [],
    lat: row.lat,
    lon: row.lon,
  };
}

/** Upper bound of a prefix range on normalised text: every `[a-z0-9 ]` string starting with p sorts below p + '~'. */
const prefixEnd = (prefix: string) => `${prefix}~`;

const byName = (db: Db) =>
  db
    .select(columns)
    .from(communes)
    .where(
      or(
        and(gte(communes.searchName, sql.placeholder('q')), lt(communes.searchName, sql.placeholder('end'))),
        and(gte(communes.searchAlt, sql.placeholder('q')), lt(communes.searchAlt, sql.placeholder('end'))),
      ),
    )
    .orderBy(
      sql`(${communes.searchName} = ${sql.placeholder('q')} OR ${communes.searchAlt} = ${sql.placeholder('q')}) DESC`,
      sql`${communes.population} DESC`,
      communes.name,
    )
    .limit(sql.placeholder('limit'))
    .prepare();

/** Prefixes this short match thousands of communes: they are read from the prefix indexes (0005). */
const SHORT_PREFIX = 3;

/**
 * A short prefix: exact names first, then the most populous names and names without their article
 * starting with it, each read in population order from its `substr(…, 1, n)` index (no sort).
 */
const byShortPrefix = (length: number) => (db: Db) => {
  const population = { ...columns, population: communes.population };
  const prefixOf = (column: AnySQLiteColumn) => sql`substr(${column}, 1, ${sql.raw(String(length))})`;
  const exact = db
    .select({ ...population, exact: sql<number>`1`.as('exact') })
    .from(communes)
    .where(or(eq(communes.searchName, sql.placeholder('q')), eq(communes.searchAlt, sql.placeholder('q'))))
    .limit(sql.placeholder('limit'));
  const starting = (column: AnySQLiteColumn) =>
    db
      .select({ ...population, exact: sql<number>`0`.as('exact') })
      .from(communes)
      .where(eq(prefixOf(column), sql.placeholder('q')))
      .orderBy(sql`${communes.population} DESC`)
      .limit(sql.placeholder('limit'));
  // Each walk in a subquery of its own: a compound SELECT takes LIMIT and ORDER BY only at its end.
  return db
    .select()
    .from(exact.as('exact_names'))
    .unionAll(db.select().from(starting(communes.searchName).as('names')))
    .unionAll(db.select().from(starting(communes.searchAlt).as('without_article')))
    .prepare();
};

const shortPrefixQueries = [1, 2, 3].map((length) => ({
  key: `communes.prefix${length}`,
  build: byShortPrefix(length),
}));

/** Best first: exact names, then by population, then name (binary, as SQLite sorts); each commune once. */
function mergeShortPrefix(
  rows: Array<Row & { population: number; exact: number }>,
  limit: number,
): Commune[] {
  const seen = new Set<string>();
  return rows
    .sort(
      (a, b) =>
        b.exact - a.exact ||
        b.population - a.population ||
        (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0),
    )
    .filter((row) => !seen.has(row.code!) && seen.add(row.code!))
    .slice(0, limit)
    .map(toCommune);
}

const byPostalCode = (db: Db) =>
  db
    .select(columns)
    .from(communePostalCodes)
    .innerJoin(communes, eq(communes.code, communePostalCodes.communeCode))
    .where(
      and(
        gte(communePostalCodes.postalCode, sql.placeholder('q')),
        lt(communePostalCodes.postalCode, sql.placeholder('end')),
      ),
    )
    .groupBy(communes.code)
    .orderBy(
      sql`max(${communePostalCodes.postalCode} = ${sql.placeholder('q')}) DESC`,
      sql`${communes.population} DESC`,
    )
    .limit(sql.placeholder('limit'))
    .prepare();

const byCode = (db: Db) =>
  db
    .select(columns)
    .from(communes)
    .where(eq(communes.code, sql.placeholder('code')))
    .prepare();

const INSEE_CODE = /^(?:\d{5}|2[AB]\d{3})$/i;

/**
 * Finds communes by the start of their name (accents, case, hyphens and a leading article ignored)
 * or of a postal code, best matches first: exact names, then the most populous.
 * @example searchCommunes(db, 'ile saint denis') // [L'Île-Saint-Denis (93039), …]
 */
export async function searchCommunes(db: Db, query: string, limit = 10): Promise<Commune[]> {
  const trimmed = query.trim();
  if (/^\d{1,5}$/.test(trimmed) || INSEE_CODE.test(trimmed)) {
    // Postal codes first (what people type), then the commune whose INSEE code this is.
    const results: Commune[] = [];
    if (/^\d+$/.test(trimmed)) {
      const rows = await prepared(db, 'communes.byPostalCode', byPostalCode).execute({
        q: trimmed,
        end: prefixEnd(trimmed),
        limit,
      });
      results.push(...rows.map(toCommune));
    }
    const byInsee = INSEE_CODE.test(trimmed) ? await getCommune(db, trimmed.toUpperCase()) : undefined;
    if (byInsee && !results.some((c) => c.code === byInsee.code)) {
      results.splice(Math.min(results.length, limit - 1), 0, byInsee);
    }
    return results.slice(0, limit);
  }
  const normalized = normalizeName(trimmed);
  if (!normalized) return [];
  if (normalized.length <= SHORT_PREFIX) {
    const { key, build } = shortPrefixQueries[normalized.length - 1]!;
    const rows = await prepared(db, key, build).execute({ q: normalized, limit });
    return mergeShortPrefix(rows as Array<Row & { population: number; exact: number }>, limit);
  }
  const rows = await prepared(db, 'communes.byName', byName).execute({
    q: normalized,
    end: prefixEnd(normalized),
    limit,
  });
  return rows.map(toCommune);
}

/** The commune with this INSEE code, or undefined. */
export async function getCommune(db: Db, code: string): Promise<Commune | undefined> {
  const [row] = await prepared(db, 'communes.byCode', byCode).execute({ code });
  return row ? toCommune(row) : undefined;
}

/**
 * Resolves what a commune form field sent: the chosen code when there is one, otherwise the typed
 * text when it designates a single commune (an exact name, a postal code of one commune, an INSEE code).
 * Returns the candidates when the text is ambiguous, so the form can offer them.
 */
export async function resolveCommuneInput(
  db: Db,
  input: { code?: string | undefined; query?: string | undefined },
): Promise<{ commune?: Commune; candidates: Commune[] }> {
  if (input.code) {
    const commune = await getCommune(db, input.code);
    if (commune) return { commune, candidates: [] };
  }
  const query = input.query?.trim();
  if (!query) return { candidates: [] };
  const candidates = await searchCommunes(db, query, 10);
  const normalized = normalizeName(query);
  const exact = candidates.filter(
    (c) =>
      c.code === query.toUpperCase() || normalizeName(c.name) === normalized || c.postalCodes.includes(query),
  );
  if (exact.length === 1) return { commune: exact[0]!, candidates };
  if (candidates.length === 1) return { commune: candidates[0]!, candidates };
  return { candidates };
}
