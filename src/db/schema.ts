import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** COG communes (and Paris/Lyon/Marseille arrondissements), loaded by a data migration. */
export const communes = sqliteTable(
  'communes',
  {
    code: text('code').primaryKey(),
    type: text('type', { enum: ['COM', 'ARM'] }).notNull(),
    name: text('name').notNull(),
    /** Normalised name (lowercase ASCII, words separated by one space), e.g. `l ile saint denis`. */
    searchName: text('search_name').notNull(),
    /** Normalised name without its leading article, e.g. `ile saint denis`. */
    searchAlt: text('search_alt').notNull(),
    departement: text('departement').notNull(),
    region: text('region').notNull(),
    parent: text('parent'),
    /** `;`-separated La Poste codes, for display. */
    postalCodes: text('postal_codes').notNull(),
    lat: real('lat'),
    lon: real('lon'),
    population: integer('population').notNull().default(0),
  },
  (table) => [
    index('communes_search_name_idx').on(table.searchName),
    index('communes_search_alt_idx').on(table.searchAlt),
    index('communes_departement_idx').on(table.departement),
  ],
);

/** Postal code → commune (many to many), for prefix search by postal code. */
export const communePostalCodes = sqliteTable(
  'commune_postal_codes',
  {
    postalCode: text('postal_code').notNull(),
    communeCode: text('commune_code')
      .notNull()
      .references(() => communes.code),
  },
  (table) => [primaryKey({ columns: [table.postalCode, table.communeCode] })],
);

/** One-row-per-key application metadata (e.g. whether demo data was loaded). */
export const appMeta = sqliteTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
});
