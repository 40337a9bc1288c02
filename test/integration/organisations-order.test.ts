import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoDataOnce } from '../../src/db/demo.ts';
import { migrationsFolder } from '../../src/db/migrate.ts';
import { normalizeName } from '../../src/features/geo/normalize.ts';
import { createTestApp } from '../support/app.ts';
import { createOrganisation } from '../support/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.client.close());

describe('migration 0004: sort_name of existing organisations', () => {
  /** The migration's UPDATE statements (the backfill), as drizzle's migrator splits them. */
  const backfill = readFileSync(join(migrationsFolder, '0004_organisations_sort_name.sql'), 'utf8')
    .split('--> statement-breakpoint')
    .map((statement) => statement.replace(/^\s*(--[^\n]*\n\s*)*/, ''))
    .filter((statement) => statement.startsWith('UPDATE'));

  it('gives normalizeName() of the names of the demo data and of French names', async () => {
    expect(backfill.length).toBeGreaterThan(5);
    await loadDemoDataOnce(t.db, t.clock.now(), { accounts: false });
    for (const name of [
      'L’Atelier « Vélo » (Ville-d’Avray)',
      'Cœur de Bourgogne — Économie solidaire',
      'ÆSOP & Cie : Ça roule !',
      'Noël à l’Île, Zoë…  São Tomé',
      'E\u0301conomie de\u00a0proximite\u0301',
      "Crèche parentale l'Îlot 12",
    ]) {
      await createOrganisation(t, { name });
    }
    await t.client.execute(`UPDATE organisations SET sort_name = ''`);
    for (const statement of backfill) await t.client.execute(statement);
    const rows = (await t.client.execute('SELECT name, sort_name FROM organisations')).rows;
    expect(rows.length).toBeGreaterThan(300);
    expect(rows.map((row) => [row.name, row.sort_name])).toEqual(
      rows.map((row) => [row.name, normalizeName(String(row.name))]),
    );
  });
});
