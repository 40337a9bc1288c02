import { sql } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newestPoleListingsQuery, POLE_PAGE_LISTINGS } from '../../src/features/listings/queries.ts';
import { closeListing } from '../../src/features/listings/service.ts';
import { createTestApp, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';
import { createPoleViaApi } from '../support/poles.ts';

const HOUR = 3600_000;
const HOSTILE = '<img src=x onerror=alert(1)>';

interface World {
  pole: { id: number; slug: string };
  emptyPole: { id: number; slug: string };
  memberOrg: number;
}

let seeded: Awaited<ReturnType<typeof seedTemplate<World>>>;
let t: TestApp;
let world: World;

beforeAll(async () => {
  seeded = await seedTemplate(async (s) => {
    const coordinator = await createSignedInUser(s);
    const staff = await createSignedInUser(s, { role: 'instructor' });
    const coordOrg = await createOrganisation(s, { name: 'Régie de Voiron', owner: coordinator });
    const member = await createOrganisation(s, { name: 'Menuiserie du Guiers', kind: 'sme' });
    const invited = await createOrganisation(s, { name: 'Garage invité', kind: 'sme' });
    const outsider = await createOrganisation(s, { name: 'Ferme voisine', kind: 'sme' });
    const pole = await createPoleViaApi(s, coordinator, coordOrg.id);
    const quiet = await createOrganisation(s, { name: 'Association discrète', owner: coordinator });
    const emptyPole = await createPoleViaApi(s, coordinator, quiet.id, 'Pôle sans annonces');
    // Staff add the member at once (active); the coordination only invites.
    const add = (organisationId: number, bearer: string) =>
      s.app.request(
        `/api/v1/poles/${pole.id}/members`,
        jsonRequest('POST', { organisationId }, { authorization: bearer }),
      );
    expect((await add(member.id, staff.bearer)).status).toBeLessThan(300);
    expect((await add(invited.id, coordinator.bearer)).status).toBeLessThan(300);

    const publish = async (organisationId: number, title: string, fields: Record<string, unknown> = {}) => {
      s.clock.advance(HOUR);
      return createListing(s, organisationId, { title, ...fields });
    };
    // Shown: the coordination's and a member's listings (with or without the pôle), an outsider's
    // listing shown on the pôle.
    await publish(coordOrg.id, 'Salle de réunion de la régie');
    await publish(member.id, 'Chutes de bois à donner', { poleId: pole.id, type: 'offer' });
    const onPole = await publish(outsider.id, 'Légumes pour la cantine du pôle');
    await s.db.run(sql`UPDATE listings SET pole_id = ${pole.id} WHERE id = ${onPole.id}`);
    await publish(member.id, HOSTILE);
    // Never shown: an outsider's own listing, an invited organisation's, a draft, a closed and an
    // expired listing of the member.
    await publish(outsider.id, 'Annonce de la ferme hors pôle');
    await publish(invited.id, 'Annonce du garage invité');
    await publish(member.id, 'Brouillon de la menuiserie', { status: 'draft' });
    const closed = await publish(member.id, 'Établi clôturé');
    await closeListing(s.db, closed.id, 'fulfilled', undefined, s.clock.now());
    const expired = await publish(member.id, 'Rabot expiré');
    await s.db.run(sql`UPDATE listings SET expires_at = '2026-01-01T00:00:00.000Z' WHERE id = ${expired.id}`);
    return { pole, emptyPole, memberOrg: member.id };
  });
  world = seeded.world;
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
  t.clock.advance(20 * HOUR);
});
afterEach(() => t.close());

async function polePage(slug = world.pole.slug) {
  const res = await t.app.request(`/poles/${slug}`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The card titles of the « Annonces des membres » section, in page order. */
function cardTitles(html: string): string[] {
  const section = html.slice(html.indexOf('id="annonces-du-pole"'));
  return [...section.matchAll(/<h3 class="fr-card__title"><a href="\/annonces\/\d+">([^<]*)<\/a>/g)].map(
    (m) => m[1]!,
  );
}

describe('GET /poles/:slug — members’ listings', () => {
  it('shows the published, unexpired listings of its members and those shown on it, newest first', async () => {
    const html = await polePage();
    expect(html).toContain('Annonces des membres');
    expect(cardTitles(html)).toEqual([
      '&lt;img src=x onerror=alert(1)&gt;',
      'Légumes pour la cantine du pôle',
      'Chutes de bois à donner',
      'Salle de réunion de la régie',
    ]);
    // A hostile title is text.
    expect(html).not.toContain(HOSTILE);
    // No more than it shows: no link to the rest.
    expect(html).not.toContain('Voir toutes les annonces des membres');
  });

  it('says so when its members have published nothing', async () => {
    const html = await polePage(world.emptyPole.slug);
    expect(cardTitles(html)).toEqual([]);
    expect(html).toContain('Aucune annonce publiée par les membres de ce pôle pour l’instant.');
  });

  it('shows the 12 newest, then links to the search, which lists them all in the same order', async () => {
    for (let i = 1; i <= 10; i++) {
      t.clock.advance(HOUR);
      await createListing(t, world.memberOrg, { title: `Annonce en série ${i}` });
    }
    const html = await polePage();
    const titles = cardTitles(html);
    expect(titles).toHaveLength(12);
    expect(titles[0]).toBe('Annonce en série 10');
    const link = `/annonces?pole=${world.pole.slug}&amp;sort=recent`;
    expect(html).toContain(`href="${link}"`);
    const all = await (
      await t.app.request(`/api/v1/listings?pole=${world.pole.slug}&sort=recent&perPage=50`)
    ).json();
    expect(all.total).toBe(14);
    expect(all.items.slice(0, 12).map((item: { title: string }) => item.title)).toEqual(
      titles.map((title) => title.replace('&lt;', '<').replace('&gt;', '>')),
    );
  });

  it('reads the pôle’s listings through indexes, never a scan of all listings', async () => {
    const query = new SQLiteSyncDialect().sqlToQuery(
      newestPoleListingsQuery(world.pole.id, t.clock.now(), POLE_PAGE_LISTINGS + 1),
    );
    const plan = await t.client.execute({
      sql: `EXPLAIN QUERY PLAN ${query.sql}`,
      args: query.params as Array<string | number>,
    });
    const details = plan.rows.map((row) => String(row.detail));
    expect(details.filter((d) => /^SCAN (listings|l)\b/.test(d))).toEqual([]);
    expect(details.join('\n')).toContain('listings_pole_idx');
    expect(details.join('\n')).toContain('listings_organisation_idx');
  });
});
