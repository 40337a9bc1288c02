import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OrganisationSearch, searchOrganisations } from '../../src/features/organisations/queries.ts';
import type { SearchLimits } from '../../src/features/search/limits.ts';
import { createTestApp, jsonRequest } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { testSiret } from '../support/fixtures.ts';

// Bounded search (docs/decisions/015-bounded-search.md), with small limits so a few rows exceed them.
let t: Awaited<ReturnType<typeof createTestApp>>;
let owner: TestUser;

beforeEach(async () => {
  t = await createTestApp();
  owner = await createSignedInUser(t);
});
afterEach(() => t.client.close());

const small: SearchLimits = { countLimit: 4, rankLimit: 2, probeLimit: 3 };

/** Creates organisations through the API in this order (ids follow it: the last is the newest). */
async function create(
  seeds: Array<{ name: string; description?: string; kind?: string; communeCode?: string }>,
) {
  const ids: number[] = [];
  for (const seed of seeds) {
    const res = await t.app.request(
      '/api/v1/organisations',
      jsonRequest(
        'POST',
        { legalForm: 'association', kind: 'ess', communeCode: '38563', siret: testSiret(), ...seed },
        { authorization: owner.bearer },
      ),
    );
    expect(res.status).toBe(201);
    ids.push((await res.json()).id);
  }
  return ids;
}

const search = (query: Partial<OrganisationSearch>) =>
  searchOrganisations(t.db, { page: 1, perPage: 20, limits: small, ...query });

/** Every page, `perPage` at a time: the names in order. */
async function walk(query: Partial<OrganisationSearch>, perPage: number) {
  const names: string[] = [];
  for (let page = 1; page <= 20; page++) {
    const result = await search({ ...query, page, perPage });
    if (result.items.length === 0) break;
    names.push(...result.items.map((item) => item.name));
  }
  return names;
}

describe('bounded counts', () => {
  it('are exact up to the limit, then the limit with totalCapped', async () => {
    await create([{ name: 'Un' }, { name: 'Deux' }, { name: 'Trois' }, { name: 'Quatre' }]);
    expect(await search({})).toMatchObject({ total: 4 });
    expect((await search({})).totalCapped).toBeUndefined();
    await create([{ name: 'Cinq' }, { name: 'Six' }]);
    expect(await search({})).toMatchObject({ total: 4, totalCapped: true });
    expect(await search({ kind: 'ess' })).toMatchObject({ total: 4, totalCapped: true });
    expect(await search({ communeCode: '38563' })).toMatchObject({ total: 4, totalCapped: true });
    // A radius count is exact (from the positions), whatever the limit.
    expect(await search({ communeCode: '38563', radiusKm: 10 })).toMatchObject({ total: 6 });
    // Every organisation is still reachable page after page.
    expect(await walk({}, 4)).toHaveLength(6);
  });

  it('count a theme alone from its own index, capped the same way', async () => {
    await create(['A', 'B', 'C', 'D', 'E'].map((name) => ({ name, themes: ['digital'] })));
    await create([{ name: 'Sans thème' }]);
    expect(await search({ theme: 'digital' })).toMatchObject({ total: 4, totalCapped: true });
    expect(await search({ theme: 'digital', limits: { ...small, countLimit: 10 } })).toMatchObject({
      total: 5,
    });
  });

  it('count text matches up to the limit, and with filters among the newest matches', async () => {
    await create([
      { name: 'Atelier solidaire' },
      { name: 'Épicerie solidaire', kind: 'sme' },
      { name: 'Garage solidaire' },
      { name: 'Ressourcerie solidaire' },
      { name: 'Solidaire et local', kind: 'sme' },
      { name: 'Sans rapport' },
    ]);
    expect(await search({ q: 'solidaire' })).toMatchObject({ total: 4, totalCapped: true });
    expect(await search({ q: 'solidaire', limits: { ...small, countLimit: 5 } })).toMatchObject({ total: 5 });
    expect(
      (await search({ q: 'solidaire', limits: { ...small, countLimit: 5 } })).totalCapped,
    ).toBeUndefined();
    // The 4 newest matches (probeLimit + 1) hold one sme: a lower bound, flagged.
    expect(await search({ q: 'solidaire', kind: 'sme' })).toMatchObject({ total: 2, totalCapped: true });
    expect(await search({ q: 'solidaire', kind: 'ess' })).toMatchObject({ total: 2, totalCapped: true });
    const all = { ...small, probeLimit: 10 };
    expect(await search({ q: 'solidaire', kind: 'ess', limits: all })).toMatchObject({ total: 3 });
    expect((await search({ q: 'solidaire', kind: 'ess', limits: all })).totalCapped).toBeUndefined();
  });
});

describe('frequent words', () => {
  it('beyond rankLimit matches: names holding every word first, then the others, newest first, each once', async () => {
    await create([
      { name: 'Alpha', description: 'Un atelier solidaire.' },
      { name: 'Bêta solidaire' },
      { name: 'Gamma', description: 'Épicerie solidaire.' },
      { name: 'Delta solidaire' },
      { name: 'Epsilon solidaire', kind: 'sme' },
      { name: 'Zêta', description: 'Rien à voir.' },
    ]);
    const expected = ['Epsilon solidaire', 'Delta solidaire', 'Bêta solidaire', 'Gamma', 'Alpha'];
    for (const perPage of [1, 2, 3, 20]) {
      expect(await walk({ q: 'solidaire' }, perPage)).toEqual(expected);
    }
    expect(await walk({ q: 'solidaire', kind: 'ess' }, 2)).toEqual(expected.slice(1));
    // Below the limit the same words are ranked by relevance (bm25): every match, each once.
    const ranked = await walk({ q: 'solidaire', limits: { ...small, rankLimit: 10 } }, 2);
    expect([...ranked].sort()).toEqual([...expected].sort());
  });

  it('several words: the name must hold all of them to come first', async () => {
    await create([
      { name: 'Économie solidaire' },
      { name: 'Économie', description: 'Locale et solidaire.' },
      { name: 'Solidaire', description: 'Économie du partage.' },
      { name: 'Économie sociale et solidaire' },
    ]);
    expect(await walk({ q: 'economie solidaire' }, 1)).toEqual([
      'Économie sociale et solidaire',
      'Économie solidaire',
      'Solidaire',
      'Économie',
    ]);
  });
});

describe('organisation positions', () => {
  it('follow creations, moves and deletions (the triggers)', async () => {
    const positions = async () =>
      (
        await t.client.execute('SELECT lat, lon, rows FROM organisation_positions ORDER BY lat, lon')
      ).rows.map((row) => [row.lat, row.lon, row.rows]);
    const grouped = async () =>
      (
        await t.client.execute(
          'SELECT lat, lon, count(*) AS rows FROM organisations WHERE lat IS NOT NULL GROUP BY lat, lon ORDER BY lat, lon',
        )
      ).rows.map((row) => [row.lat, row.lon, row.rows]);
    const [first, second] = await create([
      { name: 'Un' },
      { name: 'Deux' },
      { name: 'Trois', communeCode: '38133' },
    ]);
    expect(await positions()).toEqual(await grouped());
    expect((await positions()).length).toBe(2);
    const before = await (await t.app.request(`/api/v1/organisations/${first}`)).json();
    const moved = await t.app.request(
      `/api/v1/organisations/${first}`,
      jsonRequest(
        'PATCH',
        { version: before.version, communeCode: '38133' },
        { authorization: owner.bearer },
      ),
    );
    expect(moved.status).toBe(200);
    expect(await positions()).toEqual(await grouped());
    const deleted = await t.app.request(
      `/api/v1/organisations/${second}`,
      jsonRequest('DELETE', undefined, { authorization: owner.bearer }),
    );
    expect(deleted.status).toBeLessThan(300);
    expect(await positions()).toEqual(await grouped());
    expect((await positions()).length).toBe(1);
  });
});
