import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';

// Short prefixes are read from the prefix indexes in population order (migration 0005) instead
// of sorting every commune that starts with them: the answer must stay the one the sort gave.
let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.client.close());

/** The communes the sort over every match returns: exact names first, then population, then name. */
async function bySorting(q: string, limit: number) {
  const { rows } = await t.client.execute({
    sql: `SELECT code FROM communes
      WHERE (search_name >= ?1 AND search_name < ?1 || '~') OR (search_alt >= ?1 AND search_alt < ?1 || '~')
      ORDER BY (search_name = ?1 OR search_alt = ?1) DESC, population DESC, name LIMIT ?2`,
    args: [q, limit],
  });
  return rows.map((row) => row.code);
}

describe('GET /api/v1/communes with a short prefix', () => {
  it.each(['y', 'a', 'sa', 'eu', 'le', 'ile', 'str'])('answers %j as the full sort did', async (q) => {
    for (const limit of [3, 10]) {
      const res = await t.app.request(`/api/v1/communes?q=${q}&limit=${limit}`);
      expect(res.status).toBe(200);
      const { items } = (await res.json()) as { items: Array<{ code: string }> };
      const expected = await bySorting(q, limit);
      expect(expected.length).toBeGreaterThan(0);
      expect(items.map((item) => item.code)).toEqual(expected);
    }
  });

  it('puts the commune named exactly like the prefix first', async () => {
    const res = await t.app.request('/api/v1/communes?q=y');
    const { items } = (await res.json()) as { items: Array<{ code: string; name: string }> };
    expect(items[0]).toMatchObject({ code: '80829', name: 'Y' });
  });
});
