/**
 * `npm run bench:matching [-- --seed S] [--speed-db <file>] [--no-speed] [--no-quality] [--dump <file>]` — partner matching, measured.
 *
 * 1. Quality: a generated labelled set in a fresh database. SMEs and collectivités in four
 *    départements each have one need (a thing of a category, written in French in varied ways);
 *    ESS structures offer one to three things, each with a service radius. The ground truth comes
 *    from the generator's own intent, never from the scorer: a structure is relevant to a seeker
 *    when it offers the very thing (gain 2) or another thing of the same category (gain 1) AND both
 *    can reach each other (distance within both radii). 15 % of offers are filed under « Autre »
 *    (a realistic filing mistake the ground truth ignores). Three rankings, same run: the scoring
 *    (src/features/matching), distance-only (nearest ESS structures with an offer within 50 km) and
 *    text-only (BM25 of the need's words over every published offer, listings_fts). Precision@5 and
 *    nDCG@10, averaged over the seekers.
 * 2. Speed: suggestions for organisations of the bench database (bench/.data, 100k organisations,
 *    300k listings; generated with the bench generator when missing, ~2 min), p50/p95 in-process, then
 *    the same organisations through the API route with a member's token (the same suggestions).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Client } from '@libsql/client';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.ts';
import { openDatabase } from '../src/db/local.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { createApiToken, createUser } from '../src/features/auth/queries.ts';
import type { ListingCategory } from '../src/features/listings/labels.ts';
import { insertListing, publishListingRow } from '../src/features/listings/queries.ts';
import { stemWord, wordsOf } from '../src/features/listings/search-text.ts';
import { organisationMatches } from '../src/features/matching/queries.ts';
import { createOrganisation } from '../src/features/organisations/queries.ts';
import { withLuhnKey } from '../src/features/organisations/siret.ts';
import { distanceKm } from '../src/lib/normalize.ts';
import { benchApp } from './app.ts';
import { fillDatabase, seededRandom } from './generate.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '20261207' },
    'speed-db': { type: 'string', default: 'bench/.data/matching-o100000.db' },
    'no-speed': { type: 'boolean', default: false },
    'no-quality': { type: 'boolean', default: false },
    /** Writes every measured suggestion list (ids and scores) to this file: to compare two versions. */
    dump: { type: 'string' },
    /** The clock of the speed run (ISO), fixed to compare two dumps. */
    now: { type: 'string' },
    runs: { type: 'string', default: '200' },
  },
});
const random = seededRandom(Number(values.seed));
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const NOW = new Date('2026-12-07T09:00:00Z');

// ————————————————————————————————————————— the generator's intent

/** Things one needs or offers, by category (what the ground truth is made of). */
const THINGS: Partial<Record<ListingCategory, string[]>> = {
  premises: [
    'chambre froide',
    'local de stockage',
    'salle de réunion',
    'atelier de menuiserie',
    'cuisine professionnelle',
    'bureau partagé',
  ],
  equipment: [
    'véhicule utilitaire',
    'vélo cargo',
    'camion frigorifique',
    'broyeur de végétaux',
    'machine à coudre',
  ],
  skills: ['comptabilité', 'accompagnement juridique', 'développement web', 'graphisme', 'électricité'],
  shared_jobs: ['comptable à temps partagé', 'chauffeur-livreur', 'agent d’entretien', 'cuisinier'],
  services: ['service de paie', 'ménage des locaux', 'maintenance informatique', 'service de traiteur'],
  logistics: ['tournée de livraison', 'stockage de palettes', 'transport de marchandises'],
};
const CATEGORIES = Object.keys(THINGS) as ListingCategory[];

const NEED_TITLES = [
  (t: string) => `Recherche ${t}`,
  (t: string) => `Besoin : ${t}`,
  (t: string) => `Nous cherchons ${t}`,
  (t: string) => `${t[0]!.toUpperCase()}${t.slice(1)} recherché`,
];
const OFFER_TITLES = [
  (t: string) => `Propose ${t}`,
  (t: string) => `${t[0]!.toUpperCase()}${t.slice(1)} à partager`,
  (t: string) => `Mise à disposition : ${t}`,
  (t: string) => `${t[0]!.toUpperCase()}${t.slice(1)} disponible`,
];
const FILLERS = [
  'pour notre activité',
  'plusieurs jours par semaine',
  'à des conditions solidaires',
  'dès que possible',
  'dans le cadre d’un projet de territoire',
  'contactez-nous pour en discuter',
];
const describe = (thing: string, commune: string) =>
  `${pick(FILLERS)[0]!.toUpperCase()}${pick(FILLERS).slice(1)} : ${thing} près de ${commune}. ${pick(FILLERS)}.`;

interface Place {
  code: string;
  name: string;
  lat: number;
  lon: number;
}
interface Seeker {
  id: number;
  place: Place;
  category: ListingCategory;
  thing: string;
  radiusKm: number;
}
interface Provider {
  id: number;
  place: Place;
  offers: Array<{ category: ListingCategory; thing: string }>;
  radiusKm: number;
}

let siret = 0;
const nextSiret = () => withLuhnKey(`${withLuhnKey(String(50_000_000 + ++siret * 7919))}0001`);

async function labelledSet(db: Db) {
  const userId = (await createUser(
    db,
    { email: 'bench@example.org', name: 'Bench', password: 'un mot de passe solide', verified: true },
    NOW,
  ))!;
  const places = await db.all<Place>(sql`SELECT code, name, lat, lon FROM communes
    WHERE departement IN ('38', '69', '33', '13') AND type = 'COM' AND lat IS NOT NULL AND population > 2000
    ORDER BY code`);
  const organisation = async (name: string, kind: 'ess' | 'sme' | 'local_authority', place: Place) =>
    (
      await createOrganisation(
        db,
        {
          siret: nextSiret(),
          name,
          kind,
          legalForm: kind === 'ess' ? 'association' : kind === 'sme' ? 'company' : 'public_body',
          communeCode: place.code,
          themes: [],
          description: '',
        } as unknown as Parameters<typeof createOrganisation>[1],
        userId,
        NOW,
      )
    ).id;
  const publish = async (
    organisationId: number,
    type: 'offer' | 'need',
    category: ListingCategory,
    thing: string,
    place: Place,
    radiusKm: number,
  ) => {
    const title = pick(type === 'need' ? NEED_TITLES : OFFER_TITLES)(thing);
    const row = await insertListing(
      db,
      {
        organisationId,
        type,
        category,
        title,
        description: describe(thing, place.name),
        communeCode: place.code,
        radiusKm,
        terms: 'cost_sharing',
        poleId: null,
        availableFrom: null,
        availableUntil: null,
        measure: null,
      } as unknown as Parameters<typeof insertListing>[1],
      { userId },
      NOW,
    );
    await publishListingRow(db, row.id, NOW);
  };
  const providers: Provider[] = [];
  for (let i = 0; i < 900; i++) {
    const place = pick(places);
    const radiusKm = pick([20, 30, 30, 50]);
    const offers = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const category = pick(CATEGORIES);
      return { category, thing: pick(THINGS[category]!) };
    });
    const id = await organisation(`Structure ESS ${i + 1} de ${place.name}`, 'ess', place);
    // Some people file their offer under « Autre »: the intent (and the ground truth) is unchanged.
    for (const offer of offers)
      await publish(id, 'offer', random() < 0.15 ? 'other' : offer.category, offer.thing, place, radiusKm);
    providers.push({ id, place, offers, radiusKm });
  }
  const seekers: Seeker[] = [];
  for (let i = 0; i < 150; i++) {
    const place = pick(places);
    const category = pick(CATEGORIES);
    const thing = pick(THINGS[category]!);
    const radiusKm = pick([20, 30, 50]);
    const id = await organisation(
      `Entreprise ${i + 1} de ${place.name}`,
      random() < 0.8 ? 'sme' : 'local_authority',
      place,
    );
    await publish(id, 'need', category, thing, place, radiusKm);
    seekers.push({ id, place, category, thing, radiusKm });
  }
  // One account created everything: as members of every organisation, it would make them all « the
  // same user's » (never suggested to each other). Real organisations have their own members.
  await db.run(sql`DELETE FROM organisation_members`);
  return { seekers, providers };
}

/** Intent: the very thing (2), the same kind of thing (1), reachable by both sides; else 0. */
function gain(seeker: Seeker, provider: Provider): number {
  const km = distanceKm(seeker.place.lat, seeker.place.lon, provider.place.lat, provider.place.lon);
  if (km > Math.min(seeker.radiusKm, provider.radiusKm)) return 0;
  if (provider.offers.some((o) => o.thing === seeker.thing)) return 2;
  if (provider.offers.some((o) => o.category === seeker.category)) return 1;
  return 0;
}

// ————————————————————————————————————————— measures

const precisionAt = (ranked: number[], gains: Map<number, number>, k: number) =>
  ranked.slice(0, k).filter((id) => (gains.get(id) ?? 0) > 0).length / k;

function ndcgAt(ranked: number[], gains: Map<number, number>, k: number): number {
  const dcg = (list: number[]) =>
    list.slice(0, k).reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...gains.values()].sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(ranked.map((id) => gains.get(id) ?? 0)) / ideal;
}

async function distanceOnly(db: Db, seeker: Seeker): Promise<number[]> {
  const rows = await db.all<{ id: number; lat: number; lon: number }>(sql`SELECT DISTINCT o.id, o.lat, o.lon
    FROM organisations o JOIN listings l ON l.organisation_id = o.id AND l.status = 'published' AND l.type = 'offer'
    WHERE o.kind = 'ess' AND o.id != ${seeker.id}`);
  return rows
    .map((row) => ({ id: row.id, km: distanceKm(seeker.place.lat, seeker.place.lon, row.lat, row.lon) }))
    .filter((row) => row.km <= 50)
    .sort((a, b) => a.km - b.km || a.id - b.id)
    .slice(0, 10)
    .map((row) => row.id);
}

async function textOnly(db: Db, seeker: Seeker, title: string): Promise<number[]> {
  const terms = [...new Set(wordsOf(title).map(stemWord))].map((t) => `"${t.replaceAll('"', '""')}"`);
  const rows = await db.all<{ id: number }>(sql`WITH hits AS MATERIALIZED (
      SELECT l.organisation_id AS id, bm25(listings_fts, 10, 1) AS rank
      FROM listings_fts JOIN listings l ON l.id = listings_fts.rowid
      WHERE listings_fts MATCH ${terms.join(' OR ')} AND l.status = 'published' AND l.type = 'offer'
        AND l.organisation_id != ${seeker.id})
    SELECT id, min(rank) AS best FROM hits GROUP BY id ORDER BY best, id LIMIT 10`);
  return rows.map((row) => row.id);
}

async function quality() {
  const file = `bench/.data/matching-quality-${values.seed}.db`;
  rmSync(file, { force: true });
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  const { client, db } = await openDatabase(`file:${file}`);
  await applyMigrations(db);
  const started = performance.now();
  const { seekers, providers } = await labelledSet(db);
  console.log(
    `labelled set: ${seekers.length} seekers, ${providers.length} ESS structures in 4 départements (${Math.round(performance.now() - started)} ms)`,
  );
  const totals = { scoring: [0, 0], distance: [0, 0], text: [0, 0] } as Record<string, [number, number]>;
  let withRelevant = 0;
  for (const seeker of seekers) {
    const gains = new Map(
      providers.map((p) => [p.id, gain(seeker, p)]).filter(([, g]) => g! > 0) as [number, number][],
    );
    if (gains.size === 0) continue;
    withRelevant += 1;
    const [title] = await db.all<{ title: string }>(
      sql`SELECT title FROM listings WHERE organisation_id = ${seeker.id}`,
    );
    const rankings = {
      scoring: ((await organisationMatches(db, seeker.id, { limit: 10, now: NOW })) ?? []).map(
        (i) => i.organisation.id,
      ),
      distance: await distanceOnly(db, seeker),
      text: await textOnly(db, seeker, title!.title),
    };
    for (const [name, ranked] of Object.entries(rankings)) {
      totals[name]![0] += precisionAt(ranked, gains, 5);
      totals[name]![1] += ndcgAt(ranked, gains, 10);
    }
  }
  client.close();
  console.log(`\nquality over ${withRelevant} seekers with at least one relevant structure:`);
  console.log('| ranking | precision@5 | nDCG@10 |\n|---|---:|---:|');
  const results: Record<string, { p5: number; ndcg: number }> = {};
  for (const [name, [p, n]] of Object.entries(totals)) {
    results[name] = { p5: p / withRelevant, ndcg: n / withRelevant };
    console.log(`| ${name} | ${(p / withRelevant).toFixed(3)} | ${(n / withRelevant).toFixed(3)} |`);
  }
  const wins =
    results.scoring!.p5 > Math.max(results.distance!.p5, results.text!.p5) &&
    results.scoring!.ndcg > Math.max(results.distance!.ndcg, results.text!.ndcg);
  console.log(
    wins
      ? '\nthe scoring beats both baselines on both measures ✓'
      : '\nthe scoring does NOT beat both baselines ✗',
  );
  return wins;
}

async function speed() {
  const url = `file:${values['speed-db']}`;
  const { client } = await openDatabase(url);
  const [exists] = (
    await client.execute("SELECT count(*) AS n FROM sqlite_master WHERE name = 'organisations'")
  ).rows;
  const hasRows =
    Number(exists?.n) > 0 &&
    Number((await client.execute('SELECT count(*) AS n FROM organisations')).rows[0]?.n) > 0;
  client.close();
  if (!hasRows) {
    console.log(`generating ${url} (100,000 organisations, 300,000 listings)…`);
    await fillDatabase(url, { organisations: 100_000, poles: 3000, listings: 300_000, seed: 20261122 });
  }
  const opened = await openDatabase(url);
  await applyMigrations(opened.db);
  const counts = await sizes(opened.client);
  const runs = Number(values.runs);
  const ids = (
    await opened.client.execute(
      `SELECT DISTINCT organisation_id AS id FROM listings WHERE status = 'published' ORDER BY (organisation_id * 2654435761) % 1000003 LIMIT ${runs + 20}`,
    )
  ).rows.map((row) => Number(row.id));
  const now = values.now ? new Date(values.now) : new Date();
  const times: number[] = [];
  /** CPU time of this process per call (user + system): less inflated than wall time on a busy machine. */
  const cpu: number[] = [];
  const dump: string[] = [];
  for (const [index, id] of ids.entries()) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const items = await organisationMatches(opened.db, id, { limit: 10, now });
    const used = process.cpuUsage(c0);
    if (index >= 20) {
      // the first 20 warm the page cache
      times.push(performance.now() - t0);
      cpu.push((used.user + used.system) / 1000);
    }
    dump.push(`${id}: ${(items ?? []).map((i) => `${i.organisation.id}=${i.score}`).join(' ')}`);
  }
  if (values.dump) writeFileSync(values.dump, `${dump.join('\n')}\n`);
  const api = await throughTheApi(url, ids, now, dump);
  opened.client.close();
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  api.sort((a, b) => a - b);
  const at = (q: number, list = times) =>
    list[Math.min(list.length - 1, Math.floor(q * list.length))]!.toFixed(1);
  console.log(
    `\nspeed: ${counts}; ${times.length} organisations with published listings, one after another, in-process`,
  );
  console.log(
    `p50 ${at(0.5)} ms · p95 ${at(0.95)} ms · max ${times.at(-1)!.toFixed(1)} ms (goal p95 ≤ 30 ms)`,
  );
  console.log(
    `through the API (GET /api/v1/organisations/:id/matches?limit=10, a member's API token, app.request): ` +
      `p50 ${at(0.5, api)} ms · p95 ${at(0.95, api)} ms · max ${api.at(-1)!.toFixed(1)} ms (goal p95 ≤ 30 ms)`,
  );
  console.log(
    `CPU time of the process per call: p50 ${at(0.5, cpu)} ms · p95 ${at(0.95, cpu)} ms; load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
}

/**
 * The same organisations through the real route, as a member calls it, on a connection of its own
 * (cold caches, the first 20 calls left out as for the in-process pass): one bench account per
 * organisation (`bench-matching-<id>@bench.invalid`, no password that can sign in, a member of that
 * organisation only, so no exclusion changes) with a personal API token, created once in the bench
 * database. Each answer must be a 200 with the very suggestions of the in-process call.
 */
async function throughTheApi(url: string, ids: number[], now: Date, expected: string[]): Promise<number[]> {
  // A connection of its own: its statement cache and the per-database caches of the matching
  // queries (document counts) start cold, as for the in-process pass.
  const { client, db } = await openDatabase(url);
  const at = now.toISOString();
  const tokens = new Map<number, string>();
  for (const id of ids) {
    const email = `bench-matching-${id}@bench.invalid`;
    await db.run(
      sql`INSERT OR IGNORE INTO users (email, name, password_hash, role, email_verified_at, created_at, updated_at)
          VALUES (${email}, ${`Banc d’essai ${id}`}, '!', 'member', ${at}, ${at}, ${at})`,
    );
    const [user] = await db.all<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`);
    await db.run(
      sql`INSERT OR IGNORE INTO organisation_members (organisation_id, user_id, role, created_at)
          VALUES (${id}, ${user!.id}, 'editor', ${at})`,
    );
    await db.run(sql`DELETE FROM api_tokens WHERE user_id = ${user!.id}`);
    tokens.set(id, (await createApiToken(db, user!.id, 'bench:matching', now)).token);
  }
  const app = benchApp(db, { clock: { now: () => now } });
  const times: number[] = [];
  for (const [index, id] of ids.entries()) {
    const t0 = performance.now();
    const res = await app.request(`/api/v1/organisations/${id}/matches?limit=10`, {
      headers: { authorization: `Bearer ${tokens.get(id)}`, accept: 'application/json' },
    });
    const body = (await res.json()) as { items?: Array<{ organisation: { id: number }; score: number }> };
    const elapsed = performance.now() - t0;
    if (res.status !== 200) throw new Error(`matches of ${id}: ${res.status} ${JSON.stringify(body)}`);
    const got = `${id}: ${(body.items ?? []).map((i) => `${i.organisation.id}=${i.score}`).join(' ')}`;
    if (got !== expected[index])
      throw new Error(`matches of ${id} differ through the API:\n${got}\n${expected[index]}`);
    if (index >= 20) times.push(elapsed);
  }
  client.close();
  return times;
}

async function sizes(client: Client) {
  const row = (
    await client.execute(
      "SELECT (SELECT count(*) FROM organisations) AS o, (SELECT count(*) FROM listings) AS l, (SELECT count(*) FROM listings WHERE status = 'published') AS p",
    )
  ).rows[0]!;
  return `${Number(row.o).toLocaleString('en')} organisations, ${Number(row.l).toLocaleString('en')} listings (${Number(row.p).toLocaleString('en')} published)`;
}

const wins = values['no-quality'] ? true : await quality();
if (!values['no-speed']) await speed();
process.exit(wins ? 0 : 1);
