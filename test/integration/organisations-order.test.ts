import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/db/migrate.ts';
import { loadDemoDataOnce } from '../../src/features/demo/demo.ts';
import { normalizeName } from '../../src/lib/normalize.ts';
import { createTestApp, jsonRequest } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation, testSiret } from '../support/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let owner: TestUser;

beforeEach(async () => {
  t = await createTestApp();
  owner = await createSignedInUser(t);
});
afterEach(() => t.close());

/** Creates organisations through the API, in this order (their ids follow it). */
async function create(seeds: Array<{ name: string; communeCode?: string; description?: string }>) {
  const ids: number[] = [];
  for (const seed of seeds) {
    const res = await t.app.request(
      '/api/v1/organisations',
      jsonRequest(
        'POST',
        {
          legalForm: 'association',
          kind: 'ess',
          communeCode: '38563',
          siret: testSiret(),
          ...seed,
        },
        { authorization: owner.bearer },
      ),
    );
    expect(res.status).toBe(201);
    ids.push((await res.json()).id);
  }
  return ids;
}

async function list(query: string) {
  const res = await t.app.request(`/api/v1/organisations?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    items: Array<{ id: number; name: string; version: number; distanceKm?: number }>;
    total: number;
  };
}
const names = (page: { items: Array<{ name: string }> }) => page.items.map((item) => item.name);

/** Every page of a listing, `perPage` at a time, joined. */
async function allPages(query: string, perPage: number, total: number) {
  const pages: string[] = [];
  for (let page = 1; (page - 1) * perPage < total; page++) {
    const result = await list(`${query}&perPage=${perPage}&page=${page}`);
    expect(result.total).toBe(total);
    pages.push(...names(result));
  }
  return pages;
}

describe('directory order by name (sort_name)', () => {
  it('sorts accented and lower-case initials with their letter, and follows a rename', async () => {
    const [zebre] = await create([
      { name: 'Zèbre' },
      { name: 'Économie solidaire' },
      { name: 'atelier du vélo' },
      { name: 'Œuvre commune' },
      { name: 'Bois & Cie' },
    ]);
    const expected = ['atelier du vélo', 'Bois & Cie', 'Économie solidaire', 'Œuvre commune', 'Zèbre'];
    expect(names(await list('perPage=100'))).toEqual(expected);
    expect(await allPages('kind=ess', 2, 5)).toEqual(expected);

    const before = (await list('perPage=100')).items.find((item) => item.id === zebre)!;
    const res = await t.app.request(
      `/api/v1/organisations/${zebre}`,
      jsonRequest('PATCH', { version: before.version, name: 'Abeille' }, { authorization: owner.bearer }),
    );
    expect(res.status).toBe(200);
    expect(names(await list('perPage=100'))[0]).toBe('Abeille');
  });

  it('walks the name order with the theme filter, page after page', async () => {
    await create([{ name: 'Zèbre' }, { name: 'Écureuil' }, { name: 'atelier' }, { name: 'Bois' }]);
    for (const name of ['Cèdre', 'Ébène', 'Arbre']) {
      const res = await t.app.request(
        '/api/v1/organisations',
        jsonRequest(
          'POST',
          {
            name,
            legalForm: 'association',
            kind: 'ess',
            communeCode: '38563',
            siret: testSiret(),
            themes: ['digital'],
          },
          { authorization: owner.bearer },
        ),
      );
      expect(res.status).toBe(201);
    }
    expect(await allPages('theme=digital', 2, 3)).toEqual(['Arbre', 'Cèdre', 'Ébène']);
  });
});

describe('directory order by relevance', () => {
  it('ranks by relevance, then by name among equally relevant organisations, on every page', async () => {
    // Names and descriptions of the same length (bm25 weighs by length): the others tie.
    const description = 'Épicerie de quartier.';
    await create([
      { name: 'Zèbre solidaire', description },
      { name: 'atelier solidaire', description },
      // The word in its description too: more relevant than the others, whatever its name.
      { name: 'Zinc solidaire', description: 'Épicerie très solidaire.' },
      { name: 'Ébène solidaire', description },
      { name: 'Sans rapport' },
    ]);
    const expected = ['Zinc solidaire', 'atelier solidaire', 'Ébène solidaire', 'Zèbre solidaire'];
    expect(names(await list('q=solidaire'))).toEqual(expected);
    expect(await allPages('q=solidaire', 1, 4)).toEqual(expected);
    expect(await allPages('q=solidaire&kind=ess', 3, 4)).toEqual(expected);
  });
});

describe('directory order around a commune', () => {
  it('sorts organisations of one commune (same distance) by name, even across page boundaries', async () => {
    // Created in an order unrelated to the names: the ids do not give the expected order.
    await create([
      { name: 'Abeille', communeCode: '38133' }, // Coublevie, a few km from Voiron
      { name: 'Zèbre' },
      { name: 'Élan' },
      { name: 'atelier' },
      { name: 'Économie' },
      { name: 'Cèdre' },
      { name: 'Bois' },
      { name: 'Ébène' },
    ]);
    const expected = ['atelier', 'Bois', 'Cèdre', 'Ébène', 'Économie', 'Élan', 'Zèbre', 'Abeille'];
    expect(names(await list('commune=38563&radiusKm=10&perPage=100'))).toEqual(expected);
    for (const perPage of [1, 2, 3, 5]) {
      expect(await allPages('commune=38563&radiusKm=10', perPage, 8)).toEqual(expected);
      expect(await allPages('commune=38563', perPage, 8)).toEqual(expected);
    }
    const page = await list('commune=38563&radiusKm=10&perPage=3&page=3');
    expect(page.items.map((item) => [item.name, item.distanceKm])).toEqual([
      ['Zèbre', 0],
      ['Abeille', expect.any(Number)],
    ]);
    expect(page.items[1]!.distanceKm).toBeGreaterThan(0);
  });

  it('sorts the directory page (htmx fragment) around the commune it resolved', async () => {
    await create([{ name: 'Zèbre' }, { name: 'atelier' }]);
    const res = await t.app.request('/organisations?commune=38563&radiusKm=10', {
      headers: { 'HX-Request': 'true' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.indexOf('atelier')).toBeGreaterThan(-1);
    expect(html.indexOf('atelier')).toBeLessThan(html.indexOf('Zèbre'));
  });
});

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
