import type { Db } from './client.ts';

const cache = new WeakMap<Db, Map<string, unknown>>();

/**
 * Returns a statement prepared once per database instance (drizzle's prepared queries cost about
 * a third of ad-hoc ones on hot paths). On Workers a db lives for one request, so the cache is a
 * WeakMap keyed by it and goes away with it.
 */
export function prepared<T>(db: Db, key: string, build: (db: Db) => T): T {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build(db);
    statements.set(key, statement);
  }
  return statement;
}
