import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emails, listings, savedSearches } from '../../src/db/schema.ts';
import { SAVED_SEARCH_DIGEST_JOB } from '../../src/features/alerts/digest.ts';
import { runScheduledJobs } from '../../src/features/jobs/scheduled.ts';
import { closeListing } from '../../src/features/listings/service.ts';
import type { ServiceDeps } from '../../src/features/notifications/deps.ts';
import { createTestApp, formPost, jsonRequest, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation, type OrganisationFixture } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

const MINUTE = 60_000;
/** Beyond the digest's settle time: what was published a STEP ago is in the next run. */
const STEP = 10 * MINUTE;
const HOSTILE = '<img src=x onerror=alert(1)>';

interface World {
  reader: TestUser;
  readerOrg: OrganisationFixture;
  publisher: OrganisationFixture;
  backlogId: number;
}

let file: Awaited<ReturnType<typeof seedTemplate<World>>>;
let t: TestApp;
let w: World;

beforeAll(async () => {
  file = await seedTemplate(async (seed) => {
    const reader = await createSignedInUser(seed, { name: 'Rémi Lecteur' });
    const readerOrg = await createOrganisation(seed, { name: 'Atelier du lecteur', owner: reader });
    const publisher = await createOrganisation(seed, { name: 'Ressourcerie du Voironnais' });
    // Published before any search is saved: the backlog a new search must not receive.
    const backlog = await createListing(seed, publisher.id, { title: 'Cuisine partagée ancienne' });
    return { reader, readerOrg, publisher, backlogId: backlog.id };
  });
  w = file.world;
});
afterAll(() => file.remove());
beforeEach(async () => {
  t = await createTestApp({ template: file.template });
});
afterEach(() => t.close());

function deps(): ServiceDeps {
  return {
    db: t.db,
    clock: t.clock,
    log: () => {},
    config: t.config,
    mailer: async () => {},
    origin: 'http://localhost',
  };
}

const digest = async () => (await runScheduledJobs(deps()))[SAVED_SEARCH_DIGEST_JOB];
const inbox = () => t.db.select().from(emails).where(eq(emails.to, w.reader.email)).orderBy(emails.id);

async function saveSearch(name: string, query: string): Promise<number> {
  const res = await t.app.request(
    '/api/v1/saved-searches',
    jsonRequest('POST', { name, query }, { authorization: w.reader.bearer }),
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** The RFC 8058 one-click POST a mail provider sends: no Origin, no Referer, no cookie. */
const oneClick = (path: string) =>
  t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });

const pathOf = (url: string) => new URL(url).pathname;

describe('saved-search digest', () => {
  it('sends the new matching listings once, with links and unsubscribe headers; nothing else', async () => {
    await saveSearch('Cuisines à Voiron', 'q=cuisine&commune=38563&radiusKm=20');
    t.clock.advance(STEP);
    const match = await createListing(t, w.publisher.id, { title: 'Cuisine professionnelle partagée' });
    await createListing(t, w.publisher.id, { title: 'Camion frigorifique' }); // other words
    await createListing(t, w.publisher.id, { title: 'Cuisine en brouillon', status: 'draft' });
    const closed = await createListing(t, w.publisher.id, { title: 'Cuisine déjà prêtée' });
    await closeListing(t.db, closed.id, 'fulfilled', undefined, t.clock.now());
    const expired = await createListing(t, w.publisher.id, { title: 'Cuisine expirée' });
    await t.db
      .update(listings)
      .set({ expiresAt: new Date(t.clock.now().getTime() - MINUTE).toISOString() })
      .where(eq(listings.id, expired.id));
    await createListing(t, w.readerOrg.id, { title: 'Cuisine de mon atelier' }); // the reader's own
    await createListing(t, w.publisher.id, { title: 'Cuisine à Marseille', communeCode: '13055' }); // too far
    t.clock.advance(STEP);

    expect(await digest()).toBe(1);
    const sent = await inbox();
    expect(sent).toHaveLength(1);
    const email = sent[0]!;
    expect(email.subject).toBe('« Cuisines à Voiron » : 1 nouvelle annonce');
    expect(email.text).toContain('Cuisine professionnelle partagée');
    expect(email.text).toContain('Ressourcerie du Voironnais, Voiron');
    expect(email.text).toContain(`http://localhost/annonces/${match.id}\n`);
    expect(email.text).toContain('http://localhost/recherches');
    for (const title of [
      'Camion',
      'brouillon',
      'prêtée',
      'expirée',
      'mon atelier',
      'Marseille',
      'ancienne',
    ]) {
      expect(email.text).not.toContain(title);
    }
    expect(email.text).not.toContain(`/annonces/${w.backlogId}\n`);
    expect(email.html).toContain(
      `<a href="http://localhost/annonces/${match.id}">Cuisine professionnelle partagée</a>`,
    );
    expect(email.html).toContain('<a href="http://localhost/recherches">');
    const header = /^<(http:\/\/localhost\/desabonnement\/[\w-]+)>$/.exec(
      email.headers!['List-Unsubscribe']!,
    );
    expect(header).not.toBeNull();
    expect(email.headers!['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(email.text).toContain(header![1]);

    expect(await digest()).toBe(0);
    expect(await inbox()).toHaveLength(1);

    // The next run brings only what was published since.
    const later = await createListing(t, w.publisher.id, { title: 'Cuisine mobile' });
    t.clock.advance(STEP);
    expect(await digest()).toBe(1);
    const next = (await inbox())[1]!;
    expect(next.text).toContain(`/annonces/${later.id}\n`);
    expect(next.text).not.toContain(`/annonces/${match.id}\n`);
  });

  it('sends nothing to a search saved after the listings were published (no backlog)', async () => {
    await createListing(t, w.publisher.id, { title: 'Cuisine partagée récente' });
    t.clock.advance(STEP);
    await saveSearch('Cuisines', 'q=cuisine');
    t.clock.advance(STEP);
    expect(await digest()).toBe(0);
    expect(await inbox()).toHaveLength(0);
  });

  it('sends each alert once when two runs go in parallel', async () => {
    await saveSearch('Cuisines', 'q=cuisine');
    await saveSearch('Locaux', 'category=premises');
    t.clock.advance(STEP);
    await createListing(t, w.publisher.id, { title: 'Cuisine partagée' });
    t.clock.advance(STEP);
    const counts = await Promise.all([digest(), digest(), digest()]);
    expect(counts.sort()).toEqual([0, 0, 1]);
    const sent = await inbox();
    expect(sent).toHaveLength(1);
    // One email per user, grouping the searches with news.
    expect(sent[0]!.subject).toBe('Vos recherches enregistrées : 2 nouvelles annonces');
    expect(sent[0]!.text).toContain('« Cuisines » : 1 nouvelle annonce');
    expect(sent[0]!.text).toContain('« Locaux » : 1 nouvelle annonce');
  });

  it('keeps a hostile title raw in the text part and escaped in the HTML part', async () => {
    await saveSearch(`Recherche ${HOSTILE}`, 'type=offer');
    t.clock.advance(STEP);
    await createListing(t, w.publisher.id, { title: HOSTILE });
    t.clock.advance(STEP);
    expect(await digest()).toBe(1);
    const [email] = await inbox();
    expect(email!.text).toContain(`• ${HOSTILE} (offre)`);
    expect(email!.text).toContain(`« Recherche ${HOSTILE} »`);
    expect(email!.html).not.toContain('<img');
    expect(email!.html).toContain('&lt;img src=x onerror=alert(1)&gt;</a>');
    expect(email!.html).toContain('« Recherche &lt;img src=x onerror=alert(1)&gt; »');
  });

  it('stops a search’s alerts from its unsubscribe link (page and one-click POST), the others go on', async () => {
    const cuisines = await saveSearch('Cuisines', 'q=cuisine');
    await saveSearch('Offres', 'type=offer');
    t.clock.advance(STEP);
    await createListing(t, w.publisher.id, { title: 'Cuisine partagée' });
    t.clock.advance(STEP);
    expect(await digest()).toBe(1);
    const [email] = await inbox();
    const link = /« Cuisines » :[\s\S]*?Ne plus recevoir les alertes de cette recherche : (\S+)/.exec(
      email!.text,
    )![1]!;

    const page = await t.app.request(pathOf(link));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('les alertes de la recherche enregistrée « Cuisines »');
    const res = await oneClick(pathOf(link));
    expect(res.status).toBe(200);
    const [row] = await t.db.select().from(savedSearches).where(eq(savedSearches.id, cuisines));
    expect(row!.alerts).toBe(false);

    await createListing(t, w.publisher.id, { title: 'Cuisine mobile' });
    t.clock.advance(STEP);
    expect(await digest()).toBe(1);
    const last = (await inbox())[1]!;
    expect(last.text).toContain('« Offres »');
    expect(last.text).not.toContain('« Cuisines »');
  });

  it('stops every search’s alerts from the List-Unsubscribe one-click POST', async () => {
    await saveSearch('Cuisines', 'q=cuisine');
    await saveSearch('Offres', 'type=offer');
    t.clock.advance(STEP);
    await createListing(t, w.publisher.id, { title: 'Cuisine partagée' });
    t.clock.advance(STEP);
    expect(await digest()).toBe(1);
    const [email] = await inbox();
    const link = email!.headers!['List-Unsubscribe']!.slice(1, -1);
    expect((await oneClick(pathOf(link))).status).toBe(200);
    expect((await oneClick(pathOf(link))).status).toBe(200); // idempotent

    await createListing(t, w.publisher.id, { title: 'Cuisine mobile' });
    t.clock.advance(STEP);
    expect(await digest()).toBe(0);
    const rows = await t.db.select().from(savedSearches).where(eq(savedSearches.userId, w.reader.id));
    expect(rows.map((r) => r.alerts)).toEqual([false, false]);
  });

  it('turning alerts back on starts from then (no digest of the meantime)', async () => {
    const id = await saveSearch('Cuisines', 'q=cuisine');
    const toggle = (alerts: 'on' | 'off') =>
      t.app.request(`/recherches/${id}/alertes`, formPost({ alerts }, { cookie: w.reader.cookie }));
    expect((await toggle('off')).status).toBe(303);
    t.clock.advance(STEP);
    await createListing(t, w.publisher.id, { title: 'Cuisine partagée' });
    t.clock.advance(STEP);
    expect(await digest()).toBe(0);
    expect((await toggle('on')).status).toBe(303);
    t.clock.advance(STEP);
    expect(await digest()).toBe(0);
  });
});

describe('« Enregistrer cette recherche » on /annonces', () => {
  const QUERY = 'q=cuisine&type=offer&commune=38563&radiusKm=20';
  const hiddenQuery = (html: string) =>
    /<form method="post" action="\/recherches">\s*<input type="hidden" name="query" value="([^"]*)"/.exec(
      html,
    )?.[1];

  it('offers a signed-in user to save the current search, and saving it keeps that query', async () => {
    const res = await t.app.request(`/annonces?${QUERY}&sort=recent`, {
      headers: { cookie: w.reader.cookie },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Enregistrer cette recherche');
    const query = hiddenQuery(html)!.replaceAll('&amp;', '&');
    expect(query).toBe('commune=38563&q=cuisine&radiusKm=20&type=offer');

    const saved = await t.app.request(
      '/recherches',
      formPost({ name: 'Cuisines près de Voiron', query }, { cookie: w.reader.cookie }),
    );
    expect(saved.status).toBe(303);
    const [row] = await t.db.select().from(savedSearches).where(eq(savedSearches.userId, w.reader.id));
    expect([row!.name, row!.query, row!.alerts]).toEqual(['Cuisines près de Voiron', query, true]);
  });

  it('follows the live search: the htmx results fragment carries the form with the new query', async () => {
    const res = await t.app.request('/annonces?category=premises', {
      headers: { cookie: w.reader.cookie, 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    });
    const fragment = await res.text();
    expect(fragment).not.toContain('<html');
    expect(hiddenQuery(fragment)).toBe('category=premises');
  });

  it('shows anonymous visitors a sign-in link that comes back to the search, and no form', async () => {
    const html = await (await t.app.request(`/annonces?${QUERY}`)).text();
    expect(hiddenQuery(html)).toBeUndefined();
    expect(html).not.toContain('Enregistrer cette recherche');
    expect(html).toContain(
      `href="/connexion?retour=${encodeURIComponent('/annonces?q=cuisine&type=offer&commune=38563&radiusKm=20')}"`,
    );
  });
});
