import { and, asc, eq, gte, inArray, like, lte, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import {
  communes,
  organisations,
  poleDepartements,
  poleMembers,
  poles,
  poleThemes,
} from '../../db/schema.ts';
import { Conflict, NotFound, ValidationError } from '../../lib/errors.ts';
import { distanceKm } from '../../lib/normalize.ts';
import type { Page } from '../../lib/pagination.tsx';
import { boundingBox, ftsQuery } from '../../lib/search.ts';
import type { Commune } from '../geo/queries.ts';
import { DEFAULT_LIMITS, pageTotal } from '../search/limits.ts';
import { type TextIndex, textCount, textPage } from '../search/text.ts';
import {
  type Composition,
  countKinds,
  type KindCounts,
  poleComposition,
  slugify,
  slugWithSuffix,
} from './composition.ts';
import { type MemberRole, type MemberStatus, type MembershipAction, nextMemberStatus } from './membership.ts';

/** Slugs that would shadow a fixed page under /poles/. */
const RESERVED_SLUGS = new Set(['nouveau']);

type OrganisationKind = (typeof organisations.$inferSelect)['kind'];
type PoleStatus = (typeof poles.$inferSelect)['status'];

/** A pôle with its seat commune's name. */
export interface PoleRecord {
  id: number;
  slug: string;
  name: string;
  description: string;
  communeCode: string;
  communeName: string;
  departement: string;
  region: string;
  lat: number | null;
  lon: number | null;
  departements: string[];
  themes: string[];
  status: PoleStatus;
  isDemo: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PoleMember {
  organisationId: number;
  name: string;
  kind: OrganisationKind;
  communeCode: string;
  communeName: string;
  isDemo: boolean;
  role: MemberRole;
  status: MemberStatus;
}

export interface PoleDetail extends PoleRecord {
  members: PoleMember[];
  composition: Composition;
}

export interface PoleListItem extends PoleRecord {
  composition: Composition;
  distanceKm?: number;
}

const seat = alias(communes, 'seat');
const memberCommune = alias(communes, 'member_commune');

const poleColumns = {
  id: poles.id,
  slug: poles.slug,
  name: poles.name,
  description: poles.description,
  communeCode: poles.communeCode,
  communeName: seat.name,
  departement: poles.departement,
  region: poles.region,
  lat: poles.lat,
  lon: poles.lon,
  departements: poles.departements,
  themes: poles.themes,
  status: poles.status,
  isDemo: poles.isDemo,
  version: poles.version,
  createdAt: poles.createdAt,
  updatedAt: poles.updatedAt,
};

/** Coordinators first, then active members, then pending ones, each by name. */
const memberOrder = [
  sql`CASE ${poleMembers.role} WHEN 'coordinator' THEN 0 ELSE 1 END`,
  sql`CASE ${poleMembers.status} WHEN 'active' THEN 0 WHEN 'invited' THEN 1 ELSE 2 END`,
  asc(organisations.name),
];

/** One pôle with its members (organisation name, kind, commune, role, status), in one query. */
/** A pôle with its members, by id or slug: built and prepared once per database (every pôle page). */
const poleDetailQuery = (db: Db, by: 'id' | 'slug') =>
  prepared(db, `poles.detail.${by}`, () =>
    db
      .select({
        pole: poleColumns,
        member: {
          organisationId: organisations.id,
          name: organisations.name,
          kind: organisations.kind,
          communeCode: organisations.communeCode,
          communeName: memberCommune.name,
          isDemo: organisations.isDemo,
          role: poleMembers.role,
          status: poleMembers.status,
        },
      })
      .from(poles)
      .innerJoin(seat, eq(seat.code, poles.communeCode))
      .leftJoin(poleMembers, eq(poleMembers.poleId, poles.id))
      .leftJoin(organisations, eq(organisations.id, poleMembers.organisationId))
      .leftJoin(memberCommune, eq(memberCommune.code, organisations.communeCode))
      .where(eq(by === 'id' ? poles.id : poles.slug, sql.placeholder('value')))
      .orderBy(...memberOrder)
      .prepare(),
  );

async function getPoleWhere(
  db: Db,
  by: 'id' | 'slug',
  value: number | string,
): Promise<PoleDetail | undefined> {
  const rows = await poleDetailQuery(db, by).all({ value });
  const first = rows[0];
  if (!first) return undefined;
  const members = rows.flatMap((row) => (row.member?.organisationId ? [row.member as PoleMember] : []));
  const activeKinds = members.filter((m) => m.status === 'active').map((m) => m.kind);
  return { ...first.pole, members, composition: poleComposition(countKinds(activeKinds)) };
}

export function getPoleById(db: Db, id: number) {
  return getPoleWhere(db, 'id', id);
}

export function getPoleBySlug(db: Db, slug: string) {
  return getPoleWhere(db, 'slug', slug);
}

/** The first free slug among `base`, `base-2`, `base-3`… (reserved page names excluded). */
async function freeSlug(db: Db, base: string, exceptPoleId?: number): Promise<string> {
  const taken = new Set(
    (
      await db
        .select({ slug: poles.slug, id: poles.id })
        .from(poles)
        .where(or(eq(poles.slug, base), like(poles.slug, `${base}-%`)))
    )
      .filter((row) => row.id !== exceptPoleId)
      .map((row) => row.slug),
  );
  for (let n = 1; ; n++) {
    const candidate = slugWithSuffix(base, n);
    if (!taken.has(candidate) && !RESERVED_SLUGS.has(candidate)) return candidate;
  }
}

async function slugTakenByOther(db: Db, slug: string, poleId?: number): Promise<boolean> {
  if (RESERVED_SLUGS.has(slug)) return true;
  const [row] = await db.select({ id: poles.id }).from(poles).where(eq(poles.slug, slug));
  return !!row && row.id !== poleId;
}

const SLUG_TAKEN = 'Cet identifiant est déjà utilisé par un autre pôle.';

function isUniqueViolation(err: unknown, column: string): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e.message.includes('UNIQUE constraint failed') && e.message.includes(column)) return true;
  }
  return false;
}

export interface NewPole {
  name: string;
  /** Chosen by the author; when absent, derived from the name and made unique. */
  slug?: string | undefined;
  description: string;
  commune: Commune;
  departements: string[];
  themes: string[];
  status?: PoleStatus | undefined;
  /** The coordinating organisation, an active member from the start. */
  organisationId: number;
  isDemo?: boolean;
}

/**
 * Creates a pôle with its themes, covered départements and coordinator in one batch (atomic).
 * Returns its id and slug. An explicitly chosen slug already in use is a 422.
 */
export async function createPole(db: Db, input: NewPole, now: Date): Promise<{ id: number; slug: string }> {
  if (input.slug && (await slugTakenByOther(db, input.slug))) throw new ValidationError({ slug: SLUG_TAKEN });
  const at = now.toISOString();
  for (let attempt = 0; ; attempt++) {
    const slug = input.slug ?? (await freeSlug(db, slugify(input.name)));
    const poleId = sql`(SELECT id FROM poles WHERE slug = ${slug})`;
    try {
      const [[created]] = await db.batch([
        db
          .insert(poles)
          .values({
            slug,
            name: input.name,
            description: input.description,
            communeCode: input.commune.code,
            departement: input.commune.departement,
            region: input.commune.region,
            lat: input.commune.lat,
            lon: input.commune.lon,
            departements: input.departements,
            themes: input.themes,
            status: input.status ?? 'emerging',
            isDemo: input.isDemo ?? false,
            createdAt: at,
            updatedAt: at,
          })
          .returning({ id: poles.id }),
        insertChildren(db, poleThemes, 'theme', poleId, input.themes),
        insertChildren(db, poleDepartements, 'departement', poleId, input.departements),
        db.insert(poleMembers).values({
          poleId,
          organisationId: input.organisationId,
          role: 'coordinator',
          status: 'active',
          createdAt: at,
          updatedAt: at,
        }),
      ]);
      return { id: created!.id, slug };
    } catch (err) {
      // Another pôle took the derived slug between our read and our write: take the next one.
      if (!input.slug && attempt < 3 && isUniqueViolation(err, 'poles.slug')) continue;
      if (isUniqueViolation(err, 'poles.slug')) throw new ValidationError({ slug: SLUG_TAKEN });
      throw err;
    }
  }
}

/**
 * `INSERT INTO <table> (<column>, pole_id) SELECT value, <poleId> FROM json_each(<values>) [WHERE guard]`:
 * one statement for any number of rows (none included), usable inside a batch.
 */
function insertChildren(
  db: Db,
  table: typeof poleThemes | typeof poleDepartements,
  column: 'theme' | 'departement',
  poleId: SQL | number,
  values: string[],
  guard: SQL = sql`1`,
) {
  return db.run(
    sql`INSERT INTO ${table} (${sql.identifier(column)}, pole_id) SELECT value, ${poleId} FROM json_each(${JSON.stringify(values)}) WHERE ${guard}`,
  );
}

export interface PoleChanges {
  name?: string | undefined;
  slug?: string | undefined;
  description?: string | undefined;
  commune?: Commune | undefined;
  departements?: string[] | undefined;
  themes?: string[] | undefined;
}

/**
 * Applies changes when the pôle is still at `expectedVersion` (optimistic concurrency), in one
 * batch: the theme and département rows are replaced only if the version still matches, then the
 * pôle row is updated and its version incremented. Stale version → Conflict (409); unknown → NotFound.
 */
export async function updatePole(
  db: Db,
  id: number,
  expectedVersion: number,
  changes: PoleChanges,
  now: Date,
): Promise<{ slug: string; version: number }> {
  if (changes.slug && (await slugTakenByOther(db, changes.slug, id))) {
    throw new ValidationError({ slug: SLUG_TAKEN });
  }
  const current = sql`EXISTS (SELECT 1 FROM ${poles} WHERE ${poles.id} = ${id} AND ${poles.version} = ${expectedVersion})`;
  const { commune } = changes;
  const fields = {
    name: changes.name,
    slug: changes.slug,
    description: changes.description,
    departements: changes.departements,
    themes: changes.themes,
  };
  const children = [
    ...(changes.themes
      ? [
          db.delete(poleThemes).where(and(eq(poleThemes.poleId, id), current)),
          insertChildren(db, poleThemes, 'theme', id, changes.themes, current),
        ]
      : []),
    ...(changes.departements
      ? [
          db.delete(poleDepartements).where(and(eq(poleDepartements.poleId, id), current)),
          insertChildren(db, poleDepartements, 'departement', id, changes.departements, current),
        ]
      : []),
  ];
  const update = db
    .update(poles)
    .set({
      ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
      ...(commune
        ? {
            communeCode: commune.code,
            departement: commune.departement,
            region: commune.region,
            lat: commune.lat,
            lon: commune.lon,
          }
        : {}),
      version: sql`${poles.version} + 1`,
      updatedAt: now.toISOString(),
    })
    .where(and(eq(poles.id, id), eq(poles.version, expectedVersion)))
    .returning({ slug: poles.slug, version: poles.version });
  let updated: Array<{ slug: string; version: number }>;
  try {
    const results = await db.batch([...children, update] as [typeof update]);
    updated = results[results.length - 1] as typeof updated;
  } catch (err) {
    if (isUniqueViolation(err, 'poles.slug')) throw new ValidationError({ slug: SLUG_TAKEN });
    throw err;
  }
  if (updated[0]) return updated[0];
  const [exists] = await db.select({ version: poles.version }).from(poles).where(eq(poles.id, id));
  if (!exists) throw new NotFound('Pôle introuvable.');
  throw new Conflict(
    `Ce pôle a été modifié entre-temps (version ${exists.version}, vous modifiiez la version ${expectedVersion}) : rechargez-le puis recommencez.`,
  );
}

export const LAST_COORDINATOR =
  'Un pôle garde au moins une organisation coordinatrice : associez d’abord une autre organisation membre à la coordination (depuis la page du pôle).';
const NOT_A_MEMBER = 'Cette organisation n’est pas membre du pôle.';

/** The membership of an organisation in a pôle, if any. */
export async function getMembership(db: Db, poleId: number, organisationId: number) {
  const [row] = await db
    .select({ role: poleMembers.role, status: poleMembers.status })
    .from(poleMembers)
    .where(and(eq(poleMembers.poleId, poleId), eq(poleMembers.organisationId, organisationId)));
  return row;
}

/**
 * Records a membership action (see `nextMemberStatus`): creates the row or moves its status.
 * Returns the resulting status, whether the row is new, and the previous status.
 */
export async function applyMembershipAction(
  db: Db,
  poleId: number,
  organisationId: number,
  action: MembershipAction,
  now: Date,
  /** Who acts: recorded on the row when staff `add` an organisation without its consent. */
  actorId?: number,
): Promise<{ role: MemberRole; status: MemberStatus; previous: MemberStatus | null; created: boolean }> {
  const at = now.toISOString();
  const current = await getMembership(db, poleId, organisationId);
  const status = nextMemberStatus(current?.status ?? null, action);
  // A direct addition (staff only, see `additionAction`) is recorded: who, when.
  const added =
    action === 'add' && status === 'active' && current?.status !== 'active'
      ? { addedBy: actorId ?? null, addedAt: at }
      : {};
  if (!current) {
    const inserted = await db
      .insert(poleMembers)
      .values({ poleId, organisationId, role: 'member', status, createdAt: at, updatedAt: at, ...added })
      .onConflictDoNothing()
      .returning({ status: poleMembers.status });
    // Lost a race with the other side: apply the action to what it wrote.
    if (inserted.length === 0) return applyMembershipAction(db, poleId, organisationId, action, now, actorId);
    return { role: 'member', status, previous: null, created: true };
  }
  if (status !== current.status) {
    await db
      .update(poleMembers)
      .set({ status, updatedAt: at, ...added })
      .where(
        and(
          eq(poleMembers.poleId, poleId),
          eq(poleMembers.organisationId, organisationId),
          eq(poleMembers.status, current.status),
        ),
      );
  }
  return { role: current.role, status, previous: current.status, created: false };
}

/** How many active coordinators the pôle has besides this organisation (a subquery). */
const otherCoordinators = (poleId: number, organisationId: number) =>
  sql`(SELECT count(*) FROM ${poleMembers} AS other WHERE other.pole_id = ${poleId}
    AND other.organisation_id <> ${organisationId} AND other.role = 'coordinator' AND other.status = 'active')`;

/**
 * Removes an organisation from a pôle (leaving, declining, refusing, withdrawing). The last active
 * coordinator cannot go: the statement itself checks it, so two coordinators leaving at once
 * cannot both succeed.
 */
export async function removeMembership(db: Db, poleId: number, organisationId: number): Promise<void> {
  const deleted = await db
    .delete(poleMembers)
    .where(
      and(
        eq(poleMembers.poleId, poleId),
        eq(poleMembers.organisationId, organisationId),
        or(
          sql`${poleMembers.role} <> 'coordinator'`,
          sql`${poleMembers.status} <> 'active'`,
          sql`${otherCoordinators(poleId, organisationId)} > 0`,
        ),
      ),
    )
    .returning({ organisationId: poleMembers.organisationId });
  if (deleted.length > 0) return;
  if (await getMembership(db, poleId, organisationId)) throw new Conflict(LAST_COORDINATOR);
  throw new NotFound(NOT_A_MEMBER);
}

/**
 * Makes an active member a coordinator, or a coordinator a plain member again — never the last
 * active coordinator (checked in the statement itself).
 */
export async function setMemberRole(
  db: Db,
  poleId: number,
  organisationId: number,
  role: MemberRole,
  now: Date,
): Promise<void> {
  const updated = await db
    .update(poleMembers)
    .set({ role, updatedAt: now.toISOString() })
    .where(
      and(
        eq(poleMembers.poleId, poleId),
        eq(poleMembers.organisationId, organisationId),
        eq(poleMembers.status, 'active'),
        role === 'member' ? sql`${otherCoordinators(poleId, organisationId)} > 0` : undefined,
      ),
    )
    .returning({ role: poleMembers.role });
  if (updated.length > 0) return;
  const current = await getMembership(db, poleId, organisationId);
  if (current?.status === 'active') throw new Conflict(LAST_COORDINATOR);
  throw new NotFound('Cette organisation n’est pas membre active du pôle.');
}

export interface PoleSearch {
  q?: string | undefined;
  theme?: string | undefined;
  departement?: string | undefined;
  region?: string | undefined;
  status?: PoleStatus | undefined;
  /** Distances are measured from this commune, and results sorted by them. */
  origin?: Pick<Commune, 'lat' | 'lon'> | undefined;
  /** With an origin: only pôles whose seat lies within this distance. */
  radiusKm?: number | undefined;
  page: number;
  perPage: number;
}

/** Active-member counts by kind, for a page of pôles, in one grouped query. */
async function compositionsOf(db: Db, poleIds: number[]): Promise<Map<number, KindCounts>> {
  if (poleIds.length === 0) return new Map();
  const rows = await db
    .select({
      poleId: poleMembers.poleId,
      members: sql<number>`count(*)`,
      ess: sql<number>`sum(${organisations.kind} = 'ess')`,
      sme: sql<number>`sum(${organisations.kind} = 'sme')`,
      otherActors: sql<number>`sum(${organisations.kind} IN ('local_authority', 'research', 'training'))`,
    })
    .from(poleMembers)
    .innerJoin(organisations, eq(organisations.id, poleMembers.organisationId))
    .where(and(inArray(poleMembers.poleId, poleIds), eq(poleMembers.status, 'active')))
    .groupBy(poleMembers.poleId);
  return new Map(
    rows.map((row) => [
      row.poleId,
      { members: row.members, ess: row.ess ?? 0, sme: row.sme ?? 0, otherActors: row.otherActors ?? 0 },
    ]),
  );
}

/** The pôles as the search module sees them (bm25 with equal weights, as FTS5's default rank). */
const poleText: TextIndex = {
  table: poles,
  id: poles.id,
  sortKey: poles.name,
  fts: 'poles_fts',
  weights: [1, 1],
  firstColumn: 'name',
};

const EMPTY_COUNTS: KindCounts = { members: 0, ess: 0, sme: 0, otherActors: 0 };

/**
 * The pôle directory: words (full text, accent-insensitive), theme, département (the seat's or a
 * covered one), région, status; with an origin commune, distances and nearest first (a bounding
 * box on the indexed lat/lon narrows the candidates before the exact great-circle distance).
 */
export async function searchPoles(db: Db, search: PoleSearch): Promise<Page<PoleListItem>> {
  const conditions: SQL[] = [];
  const match = ftsQuery(search.q);
  if (search.theme) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM ${poleThemes} WHERE ${poleThemes.poleId} = ${poles.id} AND ${poleThemes.theme} = ${search.theme})`,
    );
  }
  if (search.departement) {
    // A UNION of two indexed lookups (seat, covered) rather than an OR that scans every pôle.
    conditions.push(
      sql`${poles.id} IN (SELECT ${poles.id} FROM ${poles} WHERE ${poles.departement} = ${search.departement}
        UNION SELECT ${poleDepartements.poleId} FROM ${poleDepartements} WHERE ${poleDepartements.departement} = ${search.departement})`,
    );
  }
  if (search.region) conditions.push(eq(poles.region, search.region));
  if (search.status) conditions.push(eq(poles.status, search.status));
  const origin = search.origin?.lat != null && search.origin.lon != null ? search.origin : undefined;
  const radius = origin ? search.radiusKm : undefined;
  if (origin && radius) {
    const box = boundingBox(origin.lat!, origin.lon!, radius);
    conditions.push(
      gte(poles.lat, box.minLat),
      lte(poles.lat, box.maxLat),
      gte(poles.lon, box.minLon),
      lte(poles.lon, box.maxLon),
    );
  }
  const filters = conditions.length > 0 ? and(...conditions) : undefined;
  const textFilter = match
    ? sql`${poles.id} IN (SELECT rowid FROM poles_fts WHERE poles_fts MATCH ${match})`
    : undefined;
  const where = textFilter ? and(filters, textFilter) : filters;
  const offset = (search.page - 1) * search.perPage;

  let records: PoleRecord[];
  let total: number;
  let capped = false;
  const distances = new Map<number, number>();
  if (origin) {
    // Candidates are few (a pôle directory, narrowed by the box): measure each, sort, then load one page.
    const candidates = await db
      .select({ id: poles.id, lat: poles.lat, lon: poles.lon, name: poles.name })
      .from(poles)
      .where(where);
    const measured = candidates
      .map((p) => ({
        ...p,
        distance:
          p.lat != null && p.lon != null ? distanceKm(origin.lat!, origin.lon!, p.lat, p.lon) : Infinity,
      }))
      .filter((p) => (radius ? p.distance <= radius : true))
      .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name, 'fr'));
    total = measured.length;
    const pageIds = measured.slice(offset, offset + search.perPage);
    for (const p of pageIds) if (Number.isFinite(p.distance)) distances.set(p.id, p.distance);
    const rows =
      pageIds.length > 0
        ? await db
            .select(poleColumns)
            .from(poles)
            .innerJoin(seat, eq(seat.code, poles.communeCode))
            .where(
              inArray(
                poles.id,
                pageIds.map((p) => p.id),
              ),
            )
        : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    records = pageIds.map((p) => byId.get(p.id)!).filter(Boolean);
  } else if (match) {
    // Ranked and counted by the search module (bounded whatever the word's frequency), one round trip.
    const top = textPage(poleText, match, conditions, { limit: search.perPage, offset }, DEFAULT_LIMITS);
    const [counted, rows] = await db.batch([
      db.all<{ total: number; capped: number }>(textCount(poleText, match, conditions, DEFAULT_LIMITS)),
      db
        .select(poleColumns)
        .from(poles)
        .innerJoin(seat, eq(seat.code, poles.communeCode))
        .innerJoin(sql`(${top}) AS top`, sql`top.id = ${poles.id}`)
        .orderBy(sql`top.k1`, sql`top.k2`, sql`top.k3`),
    ]);
    total = Number(counted[0]?.total ?? 0);
    capped = Boolean(counted[0]?.capped);
    records = rows;
  } else {
    const [counted] = await db.select({ total: sql<number>`count(*)` }).from(poles).where(where);
    total = counted?.total ?? 0;
    records = await db
      .select(poleColumns)
      .from(poles)
      .innerJoin(seat, eq(seat.code, poles.communeCode))
      .where(where)
      .orderBy(asc(poles.name))
      .limit(search.perPage)
      .offset(offset);
  }
  const counts = await compositionsOf(
    db,
    records.map((r) => r.id),
  );
  const items = records.map((record) => {
    const distance = distances.get(record.id);
    return {
      ...record,
      composition: poleComposition(counts.get(record.id) ?? EMPTY_COUNTS),
      ...(distance === undefined ? {} : { distanceKm: Math.round(distance * 10) / 10 }),
    };
  });
  return { items, ...pageTotal({ total, capped }), page: search.page, perPage: search.perPage };
}
