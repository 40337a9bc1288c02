import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

/** A fresh app (database copy and clock) for every test. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function search(q: string) {
  const res = await t.app.request(`/api/v1/communes?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<Record<string, unknown>> }).items;
}

describe('GET /api/v1/communes', () => {
  it('lists Voiron first for "voiron", with every field', async () => {
    const [first] = await search('voiron');
    expect(first).toEqual({
      code: '38563',
      name: 'Voiron',
      departement: '38',
      region: '84',
      postalCodes: ['38500'],
      lat: expect.closeTo(45.38, 1),
      lon: expect.closeTo(5.587, 1),
    });
  });

  it('finds communes by postal code', async () => {
    const items = await search('38500');
    expect(items.map((c) => c.code)).toContain('38563');
    expect(items.every((c) => (c.postalCodes as string[]).includes('38500') || c.code === '38500')).toBe(
      true,
    );
  });

  it('ignores accents, case, hyphens and the leading article', async () => {
    expect((await search('ile saint denis')).map((c) => c.code)).toContain('93039');
    expect((await search('L’ÎLE-SAINT-DENIS'))[0]?.code).toBe('93039');
    expect((await search('Saint-Étienne'))[0]?.code).toBe('42218');
  });

  it('ranks exact names first, then larger communes', async () => {
    const items = await search('paris');
    expect(items[0]?.code).toBe('75056');
  });

  it('finds a commune by its INSEE code, Corsica included', async () => {
    expect((await search('2A004'))[0]?.name).toBe('Ajaccio');
  });

  it.each(['a', 'é', '%', "'; DROP TABLE communes; --", '   ', '*'])(
    'answers a bounded list for %j',
    async (q) => {
      const items = await search(q);
      expect(items.length).toBeLessThanOrEqual(10);
    },
  );

  it('bounds the limit and rejects an absurd query with 400', async () => {
    expect((await t.app.request('/api/v1/communes?q=a&limit=500')).status).toBe(400);
    const res = await t.app.request(`/api/v1/communes?q=${'x'.repeat(101)}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields.q).toMatch(/100 caractères/);
  });
});

describe('GET /communes/suggestions', () => {
  it('renders radio options for the commune field', async () => {
    const res = await t.app.request('/communes/suggestions?champ=commune&communeQuery=voir');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="commune" value="38563"');
    expect(html).toContain('Voiron');
  });

  it('says when nothing matches', async () => {
    const res = await t.app.request('/communes/suggestions?champ=commune&communeQuery=zzzzqq');
    expect(await res.text()).toContain('Aucune commune ne correspond');
  });

  it('refuses a field name that is not a plain word', async () => {
    const res = await t.app.request('/communes/suggestions?champ=%22%3E%3Cscript%3E');
    expect(res.status).toBe(400);
  });
});
