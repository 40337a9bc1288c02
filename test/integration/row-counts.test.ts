import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createOrganisation } from '../support/fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function directoryTotal(): Promise<{ total: number; totalCapped?: boolean }> {
  const res = await t.app.request('/api/v1/organisations');
  expect(res.status).toBe(200);
  return (await res.json()) as { total: number; totalCapped?: boolean };
}

const kept = async () =>
  (await t.db.all<{ n: number }>(sql`SELECT n FROM row_counts WHERE name = 'organisations'`))[0]?.n;
const truth = async () => (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM organisations`))[0]?.n;

describe('row_counts (migration 0015): the directory total without filters', () => {
  it('follows creations and deletions, and the directory shows it exactly', async () => {
    const before = await truth();
    expect(await kept()).toBe(before);
    const created = [];
    for (const name of ['Ressourcerie', 'Recyclerie', 'Garage solidaire'])
      created.push(await createOrganisation(t, { name }));
    expect(await kept()).toBe((before ?? 0) + 3);
    await t.db.run(sql`DELETE FROM organisations WHERE id = ${created[1]!.id}`);
    expect(await kept()).toBe(await truth());
    const page = await directoryTotal();
    expect(page.total).toBe((before ?? 0) + 2);
    expect(page.totalCapped).toBeFalsy();
  });

  it('an ignored insert (INSERT OR IGNORE of a known SIRET) counts nothing', async () => {
    const a = await createOrganisation(t, { name: 'Ressourcerie' });
    const [row] = await t.db.all<{ siret: string }>(sql`SELECT siret FROM organisations WHERE id = ${a.id}`);
    await t.db.run(
      sql`INSERT OR IGNORE INTO organisations (siret, name, sort_name, kind, legal_form, naf_code, themes,
          commune_code, departement, region, description, created_at, updated_at)
        SELECT siret, name, sort_name, kind, legal_form, naf_code, themes, commune_code, departement, region,
          description, created_at, updated_at FROM organisations WHERE siret = ${row!.siret}`,
    );
    expect(await kept()).toBe(await truth());
  });
});
