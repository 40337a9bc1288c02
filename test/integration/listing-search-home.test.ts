import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { threads } from '../../src/db/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

const HOUR = 3600_000;
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function home() {
  const res = await t.app.request('/');
  expect(res.status).toBe(200);
  return res.text();
}

/** The four counters of the home page, as shown. */
async function counts() {
  const html = await home();
  const tiles = [
    ...html.matchAll(
      /<span class="fr-h3 fr-mb-0 app-home-count">([\d\u202f ]+)<\/span> (?:<a[^>]*>)?([^<]+)/g,
    ),
  ];
  return Object.fromEntries(tiles.map((m) => [m[2]!.trim(), Number(m[1]!.replace(/\D/g, ''))]));
}

async function thread(listingId: number, owner: number, responder: number, status: string) {
  const at = t.clock.now().toISOString();
  await t.db.insert(threads).values({
    listingId,
    ownerOrganisationId: owner,
    responderOrganisationId: responder,
    status: status as 'open',
    lastMessageAt: at,
    createdAt: at,
    updatedAt: at,
  });
}

describe('home page: live counts and recent listings', () => {
  it('an empty platform shows zeros and no listing', async () => {
    expect(await counts()).toEqual({
      'offre publiée': 0,
      'besoin publié': 0,
      'coopération engagée': 0,
      'coopération conclue': 0,
    });
    expect(await home()).toContain('Aucune annonce publiée pour l’instant.');
  });

  it('counts published, unexpired offers and needs, agreed and concluded cooperations', async () => {
    const a = await createOrganisation(t, { name: 'A' });
    const b = await createOrganisation(t, { name: 'B' });
    const offers = [];
    for (let i = 0; i < 3; i++) offers.push(await createListing(t, a.id, { title: `Offre ${i}` }));
    await createListing(t, a.id, { type: 'need', title: 'Besoin publié' });
    await createListing(t, a.id, { type: 'need', title: 'Besoin brouillon', status: 'draft' });
    const closed = await createListing(t, a.id, { title: 'Offre close' });
    await t.db.run(sql`UPDATE listings SET status = 'closed' WHERE id = ${closed.id}`);
    const expired = await createListing(t, a.id, { title: 'Offre expirée' });
    await t.db.run(sql`UPDATE listings SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ${expired.id}`);
    await thread(offers[0]!.id, a.id, b.id, 'open');
    await thread(offers[1]!.id, a.id, b.id, 'accepted');
    await thread(offers[2]!.id, a.id, b.id, 'concluded');
    const c = await createOrganisation(t, { name: 'C' });
    await thread(offers[2]!.id, a.id, c.id, 'declined');
    expect(await counts()).toEqual({
      'offres publiées': 3,
      'besoin publié': 1,
      'coopérations engagées': 2,
      'coopération conclue': 1,
    });
    // The counts move: one more concluded cooperation.
    await t.db.run(sql`UPDATE threads SET status = 'concluded' WHERE status = 'accepted'`);
    expect((await counts())['coopérations conclues']).toBe(2);
  });

  it('shows the 6 most recently published listings, newest first, as cards', async () => {
    const a = await createOrganisation(t, { name: 'Recyclerie de Voiron' });
    const ids = [];
    for (let i = 1; i <= 8; i++) {
      t.clock.advance(HOUR);
      ids.push((await createListing(t, a.id, { title: `Annonce numéro ${i}` })).id);
    }
    await createListing(t, a.id, { title: 'Annonce brouillon', status: 'draft' });
    const html = await home();
    const shown = [...html.matchAll(/<a href="\/annonces\/(\d+)">/g)].map((m) => Number(m[1]));
    expect(shown).toEqual(ids.slice(2).reverse());
    expect(html).not.toContain('Annonce brouillon');
    expect(html).toContain('Recyclerie de Voiron');
  });

  it('a hostile title is text on the home page', async () => {
    const a = await createOrganisation(t, { name: 'A' });
    await createListing(t, a.id, { title: '<img src=x onerror=alert(1)>' });
    const html = await home();
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('listing cards read a cut description', () => {
  // Cards read the description's first characters from SQLite (which counts characters, not UTF-16
  // units like JavaScript): the excerpt shown must be the one of the whole description.
  it.each([
    ['just at the limit', 'a'.repeat(220)],
    ['one past the limit', 'a'.repeat(221)],
    ['astral characters before the cut', `${'🚐'.repeat(150)} ${'b'.repeat(300)}`],
    ['astral character across the cut', `${'c'.repeat(219)}🚐 suite`],
    ['spaces at the cut', `${'d'.repeat(210)}          ${'e'.repeat(20)}`],
  ])('%s: the search page and the home show the excerpt of the full text', async (_name, description) => {
    const org = await createOrganisation(t, { name: 'Excerpt' });
    await createListing(t, org.id, { description });
    const { excerpt } = await import('../../src/lib/directory/views.tsx');
    // As sent (UTF-8): `excerpt` may cut a surrogate pair, whose half is then U+FFFD on the wire.
    const expected = new TextDecoder().decode(
      new TextEncoder().encode(`<p class="fr-card__desc">${excerpt(description)}</p>`),
    );
    expect(await home()).toContain(expected);
    const search = await t.app.request('/annonces');
    expect(await search.text()).toContain(expected);
  });
});

describe('listing_counts (migration 0014): the home counts kept by triggers', () => {
  /** The counter table and the truth, both as (status, type) → n, and per expiry day. */
  async function countsAndTruth() {
    const kept = await t.db.all<{ status: string; type: string; n: number }>(
      sql`SELECT status, type, sum(n) AS n FROM listing_counts GROUP BY status, type HAVING sum(n) <> 0 ORDER BY status, type`,
    );
    const truth = await t.db.all<{ status: string; type: string; n: number }>(
      sql`SELECT status, type, count(*) AS n FROM listings GROUP BY status, type ORDER BY status, type`,
    );
    const byDay = await t.db.all(
      sql`SELECT status, type, expires_day, n FROM listing_counts ORDER BY 1, 2, 3`,
    );
    const truthByDay = await t.db.all(
      sql`SELECT status, type, substr(expires_at, 1, 10) AS expires_day, count(*) AS n FROM listings GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    // No row is left at zero: deletes and moves remove them.
    expect(byDay).toEqual(truthByDay);
    return { kept, truth };
  }

  it('follows inserts, publication, type changes, closing and deletes', async () => {
    const a = await createOrganisation(t, { name: 'A' });
    const draft = await createListing(t, a.id, { status: 'draft' });
    const offer = await createListing(t, a.id);
    const need = await createListing(t, a.id, { type: 'need' });
    let { kept, truth } = await countsAndTruth();
    expect(kept).toEqual(truth);
    expect(kept).toContainEqual({ status: 'draft', type: 'offer', n: 1 });

    await t.db.run(sql`UPDATE listings SET type = 'need' WHERE id = ${draft.id}`);
    // A renewal moves the listing to another expiry day.
    await t.db.run(sql`UPDATE listings SET expires_at = '2099-06-01T10:00:00.000Z' WHERE id = ${offer.id}`);
    await t.db.run(sql`UPDATE listings SET status = 'closed' WHERE id = ${offer.id}`);
    // An update that touches neither column leaves the counts alone.
    await t.db.run(sql`UPDATE listings SET title = 'Autre titre', status = status WHERE id = ${need.id}`);
    await t.db.run(sql`DELETE FROM listings WHERE id = ${need.id}`);
    ({ kept, truth } = await countsAndTruth());
    expect(kept).toEqual(truth);
    expect(truth).toEqual([
      { status: 'closed', type: 'offer', n: 1 },
      { status: 'draft', type: 'need', n: 1 },
    ]);
    expect(await counts()).toMatchObject({ 'offre publiée': 0, 'besoin publié': 0 });
  });

  it('follows the listings deleted with their organisation (ON DELETE CASCADE fires the triggers)', async () => {
    const a = await createOrganisation(t, { name: 'A' });
    const b = await createOrganisation(t, { name: 'B' });
    await createListing(t, a.id);
    await createListing(t, a.id, { type: 'need' });
    await createListing(t, b.id);
    await t.db.run(sql`DELETE FROM organisations WHERE id = ${a.id}`);
    const { kept, truth } = await countsAndTruth();
    expect(kept).toEqual(truth);
    expect(truth).toEqual([{ status: 'published', type: 'offer', n: 1 }]);
    expect(await counts()).toMatchObject({ 'offre publiée': 1, 'besoin publié': 0 });
  });

  it('stays exact under concurrent publications and closings (interleaved on one connection)', async () => {
    const a = await createOrganisation(t, { name: 'A' });
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        createListing(t, a.id, { type: i % 2 ? 'need' : 'offer', title: `Annonce ${i}` }),
      ),
    );
    await Promise.all(
      created
        .filter((_, i) => i % 3 === 0)
        .map((row) => t.db.run(sql`UPDATE listings SET status = 'closed' WHERE id = ${row.id}`)),
    );
    const { kept, truth } = await countsAndTruth();
    expect(kept).toEqual(truth);
    expect(await counts()).toMatchObject({ 'offres publiées': 8, 'besoins publiés': 8 });
  });

  it('counts a listing expiring later today, not one that expired earlier today', async () => {
    const a = await createOrganisation(t, { name: 'A' });
    const now = t.clock.now().getTime();
    const later = await createListing(t, a.id, { title: 'Plus tard' });
    const earlier = await createListing(t, a.id, { title: 'Plus tôt' });
    const today = new Date(now).toISOString().slice(0, 10);
    const endOfDay = `${today}T23:59:59.999Z`;
    const startOfDay = `${today}T00:00:00.000Z`;
    // Both expire on today's date (UTC), one after the clock's instant and one before it.
    const laterAt = endOfDay > new Date(now).toISOString() ? endOfDay : new Date(now + 1).toISOString();
    await t.db.run(sql`UPDATE listings SET expires_at = ${laterAt} WHERE id = ${later.id}`);
    await t.db.run(sql`UPDATE listings SET expires_at = ${startOfDay} WHERE id = ${earlier.id}`);
    expect(await counts()).toMatchObject({ 'offre publiée': 1 });
    const search = await (await t.app.request('/annonces?type=offer')).text();
    expect(search).toContain('Plus tard');
    expect(search).not.toContain('Plus tôt');
  });

  it('leaves out published listings past their expiry date until the daily job closes them', async () => {
    const a = await createOrganisation(t, { name: 'A' });
    await createListing(t, a.id);
    const expired = await createListing(t, a.id);
    await createListing(t, a.id, { type: 'need' });
    await t.db.run(sql`UPDATE listings SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ${expired.id}`);
    expect(await counts()).toMatchObject({ 'offre publiée': 1, 'besoin publié': 1 });
    await t.db.run(sql`UPDATE listings SET status = 'closed' WHERE id = ${expired.id}`);
    expect(await counts()).toMatchObject({ 'offre publiée': 1, 'besoin publié': 1 });
  });
});
