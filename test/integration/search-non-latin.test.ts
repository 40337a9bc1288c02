import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { createOrganisation } from '../support/fixtures.ts';

// Defect 14: a search made only of non-Latin characters returned the whole directory.
let t: Awaited<ReturnType<typeof createTestApp>>;

beforeEach(async () => {
  t = await createTestApp();
  await createOrganisation(t, { name: 'Atelier solidaire' });
  await createOrganisation(t, { name: 'Maison du Japon 日本' });
});
afterEach(() => t.client.close());

async function total(url: string) {
  const res = await t.app.request(url);
  expect(res.status).toBe(200);
  return ((await res.json()) as { total: number }).total;
}

describe('search made of non-Latin characters', () => {
  it('matches nothing for emoji, literally for other scripts, in the organisations API', async () => {
    expect(await total('/api/v1/organisations')).toBe(2);
    expect(await total(`/api/v1/organisations?q=${encodeURIComponent('🙂🚀')}`)).toBe(0);
    expect(await total(`/api/v1/organisations?q=${encodeURIComponent('日本')}`)).toBe(1);
    expect(await total(`/api/v1/organisations?q=${encodeURIComponent('中国')}`)).toBe(0);
  });

  it('shows no organisation on the directory page for an emoji', async () => {
    const res = await t.app.request(`/organisations?q=${encodeURIComponent('🙂')}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('Atelier solidaire');
  });
});
