import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listingCreateInput } from '../../src/features/listings/schemas.ts';
import {
  closeListing,
  createListing as createListingAs,
  takeOverListing,
} from '../../src/features/listings/service.ts';
import type { ServiceDeps } from '../../src/features/notifications/deps.ts';
import { createTestApp, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';
import { createPoleViaApi } from '../support/poles.ts';

const HOUR = 3600_000;
const HOSTILE = '<img src=x onerror=alert(1)>';

type Key = 'kitchen' | 'hostile' | 'closed' | 'expired' | 'draft' | 'onBehalf' | 'taken' | 'marc' | 'rita';

interface World {
  camille: TestUser;
  nobody: TestUser;
  ids: Record<Key, number>;
  threads: number[];
}

let seeded: Awaited<ReturnType<typeof seedTemplate<World>>>;
let t: TestApp;
let world: World;

beforeAll(async () => {
  seeded = await seedTemplate(async (s) => {
    // Camille owns two organisations; the first coordinates a pôle whose member is Marc's.
    const camille = await createSignedInUser(s, { name: 'Camille' });
    const marc = await createSignedInUser(s, { name: 'Marc' });
    const rita = await createSignedInUser(s, { name: 'Rita' });
    const sam = await createSignedInUser(s, { name: 'Sam' });
    const nobody = await createSignedInUser(s, { name: 'Sans organisation' });
    const staff = await createSignedInUser(s, { role: 'instructor' });
    const recyclerie = await createOrganisation(s, { name: 'Recyclerie de Voiron', owner: camille });
    const maraichage = await createOrganisation(s, { name: 'Maraîchage de Grenoble', owner: camille });
    const menuiserie = await createOrganisation(s, { name: 'Menuiserie de Marc', kind: 'sme', owner: marc });
    const ritaOrg = await createOrganisation(s, { name: 'Épicerie de Rita', owner: rita });
    const samOrg = await createOrganisation(s, { name: 'Atelier de Sam', owner: sam });
    const pole = await createPoleViaApi(s, camille, recyclerie.id);
    const added = await s.app.request(
      `/api/v1/poles/${pole.id}/members`,
      jsonRequest('POST', { organisationId: menuiserie.id }, { authorization: staff.bearer }),
    );
    expect(added.status).toBeLessThan(300);

    const ids = {} as Record<Key, number>;
    const at = () => {
      s.clock.advance(HOUR);
      return s.clock.now();
    };
    at();
    ids.kitchen = (await createListing(s, recyclerie.id, { title: 'Cuisine partagée' })).id;
    at();
    ids.hostile = (await createListing(s, maraichage.id, { title: HOSTILE, type: 'need' })).id;
    at();
    ids.closed = (await createListing(s, maraichage.id, { title: 'Serre clôturée' })).id;
    await closeListing(s.db, ids.closed, 'fulfilled', undefined, at());
    ids.expired = (await createListing(s, recyclerie.id, { title: 'Broyeur expiré' })).id;
    await s.db.run(sql`UPDATE listings SET expires_at = ${at().toISOString()} WHERE id = ${ids.expired}`);
    at();
    ids.draft = (await createListing(s, maraichage.id, { title: 'Paniers (brouillon)', status: 'draft' })).id;
    // Published by Camille's pôle on the Menuiserie's behalf, through the listings service.
    const deps = {
      db: s.db,
      clock: s.clock,
      log: () => {},
      config: s.config,
      mailer: async () => {},
      origin: 'http://localhost',
    } as unknown as ServiceDeps;
    const onBehalf = (title: string) =>
      createListingAs(
        deps,
        { id: camille.id, name: 'Camille' },
        listingCreateInput.parse({
          organisationId: menuiserie.id,
          type: 'need',
          category: 'premises',
          title,
          terms: 'paid',
        }),
        { publish: true },
      );
    at();
    ids.onBehalf = (await onBehalf('Local de stockage pour la menuiserie')).id;
    at();
    const taken = await onBehalf('Besoin repris par la menuiserie');
    ids.taken = taken.id;
    await takeOverListing(s.db, taken.id, undefined, at());
    // Not Camille's: Marc's own listing, Rita's.
    ids.marc = (await createListing(s, menuiserie.id, { title: 'Annonce de Marc' })).id;
    ids.rita = (await createListing(s, ritaOrg.id, { title: 'Annonce de Rita' })).id;

    // Two answers to the kitchen; Camille reads Rita's thread, not Sam's.
    const threads: number[] = [];
    for (const [user, organisationId] of [
      [rita, ritaOrg.id],
      [sam, samOrg.id],
    ] as const) {
      const res = await s.app.request(
        `/api/v1/listings/${ids.kitchen}/responses`,
        jsonRequest(
          'POST',
          { organisationId, message: 'Bonjour, intéressés !' },
          { authorization: user.bearer },
        ),
      );
      expect(res.status).toBe(201);
      threads.push(((await res.json()) as { thread: { id: number } }).thread.id);
    }
    const read = await s.app.request(`/echanges/${threads[0]}`, { headers: { cookie: camille.cookie } });
    expect(read.status).toBe(200);
    return { camille, nobody, ids, threads };
  });
  world = seeded.world;
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
  t.clock.advance(12 * HOUR);
});
afterEach(() => t.close());

async function espace(user: TestUser) {
  const res = await t.app.request('/mon-espace', { headers: { cookie: user.cookie } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The rows of « Mes annonces »: listing id and the row's text, in table order. */
function rows(html: string) {
  const section = html.slice(html.indexOf('id="annonces"'), html.indexOf('id="echanges"'));
  return [...section.matchAll(/<tr><td><a href="\/annonces\/(\d+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    id: Number(m[1]),
    html: m[2]!,
  }));
}

describe('Mon espace « Mes annonces »', () => {
  it('comes first and lists the listings of both my organisations and my pôle’s on their behalf', async () => {
    const html = await espace(world.camille);
    expect(html.indexOf('Mes annonces')).toBeLessThan(html.indexOf('Mes échanges'));
    const { ids } = world;
    // Drafts first, then published (the most recently changed first), then the others.
    expect(rows(html).map((r) => r.id)).toEqual([
      ids.draft,
      ids.onBehalf,
      ids.expired,
      ids.hostile,
      ids.kitchen,
      ids.closed,
    ]);
    expect(html).toContain('href="/annonces/nouvelle"');
    expect(html).toContain('Publier une annonce');
  });

  it('shows organisation, status badge, expiry, responses, unread and the edit link', async () => {
    const byId = new Map(rows(await espace(world.camille)).map((r) => [r.id, r.html]));
    const { ids } = world;
    const kitchen = byId.get(ids.kitchen)!;
    expect(kitchen).toContain('Recyclerie de Voiron');
    expect(kitchen).toContain('fr-badge--success">Publiée');
    expect(kitchen).toMatch(/<time datetime="[^"]+">\d{1,2} \S+ \d{4}<\/time>/);
    expect(kitchen).toContain('2 réponses');
    expect(kitchen).toContain('1 non lu<');
    expect(kitchen).toContain(`href="/annonces/${ids.kitchen}/modifier"`);
    expect(byId.get(ids.draft)).toContain('Brouillon');
    expect(byId.get(ids.draft)).toContain('Maraîchage de Grenoble');
    expect(byId.get(ids.draft)).toContain('Aucune');
    expect(byId.get(ids.closed)).toContain('Clôturée');
    expect(byId.get(ids.expired)).toContain('fr-badge--warning">Expirée');
    const onBehalf = byId.get(ids.onBehalf)!;
    expect(onBehalf).toContain('Menuiserie de Marc');
    expect(onBehalf).toContain('publiée par votre pôle pour elle');
  });

  it('shows a hostile title as text', async () => {
    const html = await espace(world.camille);
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('leaves out other organisations’ listings and those taken over by the member', async () => {
    const listed = rows(await espace(world.camille)).map((r) => r.id);
    for (const key of ['marc', 'rita', 'taken'] as const) expect(listed).not.toContain(world.ids[key]);
  });

  it('says so when I have no listing', async () => {
    const html = await espace(world.nobody);
    expect(rows(html)).toEqual([]);
    expect(html).toContain('Vos organisations n’ont pas encore d’annonce');
  });
});
