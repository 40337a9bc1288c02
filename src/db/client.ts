import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
// The web flavour's wrapper takes any libSQL client; it is the one that bundles for Workers.
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from './schema.ts';

export type Db = LibSQLDatabase<typeof schema>;

/**
 * Wraps a libSQL client (a file on Node, HTTP on Workers) in drizzle. Runtime-agnostic: the entry
 * creates the client with the right `@libsql/client` flavour.
 */
export function createDb(client: Client): Db {
  return drizzle({ client, schema }) as unknown as Db;
}
