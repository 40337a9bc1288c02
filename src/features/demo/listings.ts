import { and, eq, inArray, min } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  appMeta,
  listings,
  organisationMembers,
  organisations,
  poleMembers,
  poles,
} from '../../db/schema.ts';
import type { FileStorage } from '../../lib/context.ts';
import { checkImage } from '../listings/images.ts';
import { deleteListingPhotoFiles, storePhoto } from '../listings/photos.ts';
import { insertListing, type ListingRow, publishListingRow } from '../listings/queries.ts';
import { listingCreateInput } from '../listings/schemas.ts';
import { closeListing } from '../listings/service.ts';
import { appendMessage, changeStatus, startThread, type ThreadRow } from '../threads/queries.ts';
import { DEMO_LISTINGS, DEMO_THREADS, type DemoListing, type DemoThread } from './demo-listings.ts';
import { demoPhoto } from './photos.ts';

const LISTINGS_KEY = 'demo_listings_loaded_at';
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** The demo organisations, pôles, memberships and members the listings refer to, in one round trip. */
async function demoWorld(db: Db) {
  const [orgRows, poleRows, memberships, members] = await db.batch([
    db
      .select({ id: organisations.id, siret: organisations.siret, communeCode: organisations.communeCode })
      .from(organisations)
      .where(eq(organisations.isDemo, true)),
    db.select({ id: poles.id, slug: poles.slug }).from(poles).where(eq(poles.isDemo, true)),
    db
      .select({
        poleId: poleMembers.poleId,
        organisationId: poleMembers.organisationId,
        role: poleMembers.role,
      })
      .from(poleMembers)
      .innerJoin(poles, eq(poles.id, poleMembers.poleId))
      .where(and(eq(poles.isDemo, true), eq(poleMembers.status, 'active'))),
    db
      .select({ organisationId: organisationMembers.organisationId, userId: min(organisationMembers.userId) })
      .from(organisationMembers)
      .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
      .where(eq(organisations.isDemo, true))
      .groupBy(organisationMembers.organisationId),
  ]);
  const poleIds = new Map(poleRows.map((p) => [p.slug, p.id]));
  const active = new Set(memberships.map((m) => `${m.poleId}:${m.organisationId}`));
  const coordinators = new Map(
    memberships.filter((m) => m.role === 'coordinator').map((m) => [m.poleId, m.organisationId]),
  );
  const memberOf = new Map(members.map((m) => [m.organisationId, m.userId]));
  return {
    organisations: new Map(orgRows.map((o) => [o.siret, o])),
    /** The pôle's id if the organisation is one of its active members. */
    poleOf: (slug: string | undefined, organisationId: number) => {
      const id = slug ? poleIds.get(slug) : undefined;
      return id !== undefined && active.has(`${id}:${organisationId}`) ? id : null;
    },
    coordinatorOf: (poleId: number) => coordinators.get(poleId),
    /** A user of the organisation (the demo account for its organisations), else null. */
    userOf: (organisationId: number | undefined) =>
      organisationId === undefined ? null : (memberOf.get(organisationId) ?? null),
  };
}

type World = Awaited<ReturnType<typeof demoWorld>>;

/** Creates one listing through the listings feature (input schema, insert, publish, photos). */
async function createDemoListing(
  db: Db,
  storage: FileStorage | undefined,
  world: World,
  demo: DemoListing,
  seed: number,
  now: Date,
  written: number[],
): Promise<ListingRow | undefined> {
  const organisation = world.organisations.get(demo.siret);
  if (!organisation) return undefined; // removed since the demo organisations were loaded
  const onBehalfOfPoleId = world.poleOf(demo.onBehalfOf, organisation.id);
  const day = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
  const input = listingCreateInput.parse({
    organisationId: organisation.id,
    type: demo.type,
    category: demo.category,
    title: demo.title,
    description: demo.description,
    communeCode: demo.communeCode ?? organisation.communeCode,
    radiusKm: demo.radiusKm,
    poleId: world.poleOf(demo.pole, organisation.id),
    terms: demo.terms,
    measure: demo.measure,
    availableFrom: demo.available ? day(demo.available.fromDays) : undefined,
    availableUntil: demo.available?.untilDays != null ? day(demo.available.untilDays) : undefined,
  });
  // Written the evening before it was published, at a different hour for each listing.
  const publishedAt = new Date(now.getTime() - demo.daysAgo * DAY_MS - (seed % 9) * HOUR_MS);
  const writtenAt = new Date(publishedAt.getTime() - 15 * HOUR_MS);
  const author =
    onBehalfOfPoleId === null
      ? world.userOf(organisation.id)
      : world.userOf(world.coordinatorOf(onBehalfOfPoleId));
  let row = await insertListing(
    db,
    { ...input, communeCode: input.communeCode ?? organisation.communeCode },
    { userId: author, onBehalfOfPoleId },
    demo.status === 'draft' ? publishedAt : writtenAt,
  );
  written.push(row.id);
  if (demo.status !== 'draft') row = (await publishListingRow(db, row.id, publishedAt)) ?? row;
  if (storage) {
    const count = demo.photos ?? (demo.type === 'offer' ? 1 : 0);
    for (let i = 0; i < count; i++) {
      // Checked as an upload is: the same image rules, stored through the same storage.
      const image = checkImage(demoPhoto(demo.category, seed * 4 + i).body);
      const alt = `Illustration de démonstration (paysage dessiné) : ${demo.title}`;
      await storePhoto({ db, storage }, row.id, image, alt, writtenAt);
    }
  }
  return row;
}

/**
 * One thread through the threads feature: opened a day after the listing's publication, its
 * messages in turn, then agreed, declined or concluded with its outcome, all before `now`.
 */
async function createDemoThread(
  db: Db,
  world: World,
  listing: ListingRow,
  demo: DemoThread,
  index: number,
  now: Date,
) {
  const responder = world.organisations.get(demo.responder);
  if (!responder || responder.id === listing.organisationId) return;
  const start = Date.parse(listing.publishedAt ?? listing.createdAt) + DAY_MS + (index % 5) * 3 * HOUR_MS;
  const steps =
    demo.messages.length - 1 + (demo.status === 'open' ? 0 : 1) + (demo.status === 'concluded' ? 1 : 0);
  const step = Math.min((now.getTime() - 3 * HOUR_MS - start) / Math.max(steps, 1), 2 * DAY_MS);
  let at = start;
  const next = () => {
    const iso = new Date(at).toISOString();
    at += step;
    return iso;
  };
  let { thread } = await startThread(
    db,
    listing,
    responder.id,
    world.userOf(responder.id),
    new Date(at).toISOString(),
  );
  for (const [i, body] of demo.messages.entries()) {
    const organisationId = i % 2 === 0 ? responder.id : listing.organisationId;
    await appendMessage(db, thread, organisationId, null, body, next());
  }
  const move = async (
    change: Omit<Parameters<typeof changeStatus>[2], 'version'>,
    side: 'owner' | 'responder',
  ) => {
    thread = await changeStatus(
      db,
      { thread, side },
      { ...change, version: thread.version },
      new Date(next()),
    );
  };
  if (demo.status === 'declined') {
    await move(
      { status: 'declined', reason: demo.decline?.reason ?? 'other', note: demo.decline?.note },
      'owner',
    );
  }
  if (demo.status === 'accepted' || demo.status === 'concluded') await move({ status: 'accepted' }, 'owner');
  if (demo.status === 'concluded') {
    await move({ status: 'concluded', outcome: demo.outcome, note: demo.note }, 'responder');
  }
  return thread satisfies ThreadRow;
}

/**
 * Loads the demo listings (about 45, all categories, both types, some with photos, one published by
 * a pôle's coordination on a member's behalf, a draft, a fulfilled one) and the threads between
 * demo organisations, once per database: the first statement claims an app_meta key, so a restart
 * or a concurrent loader does nothing. Everything is written through the listings and threads
 * features' own functions, dated before `now`, marked `is_demo`. Should a step fail, what was
 * written is removed (rows and files) and the key released, so the next start tries again.
 * Returns true when it loaded them now.
 */
export async function loadDemoListingsOnce(
  db: Db,
  now: Date,
  storage: FileStorage | undefined,
): Promise<boolean> {
  const claimed = await db
    .insert(appMeta)
    .values({ key: LISTINGS_KEY, value: now.toISOString() })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) return false;
  const created = new Map<string, ListingRow>();
  const written: number[] = [];
  try {
    const world = await demoWorld(db);
    for (const [index, demo] of DEMO_LISTINGS.entries()) {
      const row = await createDemoListing(db, storage, world, demo, index + 1, now, written);
      if (row) created.set(demo.key, row);
    }
    if (written.length > 0)
      await db.update(listings).set({ isDemo: true }).where(inArray(listings.id, written));
    const lastActivity = new Map<number, number>();
    for (const [index, demo] of DEMO_THREADS.entries()) {
      const listing = created.get(demo.listing);
      if (listing?.status !== 'published') continue;
      const thread = await createDemoThread(db, world, listing, demo, index, now);
      if (thread) lastActivity.set(listing.id, Date.parse(thread.updatedAt));
    }
    for (const demo of DEMO_LISTINGS) {
      const listing = created.get(demo.key);
      if (demo.status !== 'closed' || !listing) continue;
      // Fulfilled a day after its last cooperation was recorded.
      const last = lastActivity.get(listing.id) ?? now.getTime() - 2 * DAY_MS;
      const closedAt = new Date(Math.min(last + DAY_MS, now.getTime() - HOUR_MS));
      await closeListing(db, listing.id, 'fulfilled', undefined, closedAt);
    }
  } catch (error) {
    // Threads and photo rows go with their listings (cascade); the photo files are removed first.
    const deps = { db, storage, clock: { now: () => now } };
    for (const id of written) await deleteListingPhotoFiles(deps, id);
    if (written.length > 0) await db.delete(listings).where(inArray(listings.id, written));
    await db.delete(appMeta).where(eq(appMeta.key, LISTINGS_KEY));
    throw error;
  }
  return true;
}
