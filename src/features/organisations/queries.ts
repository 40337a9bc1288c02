import { and, asc, between, count, eq, gt, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import {
  communes,
  organisationInvitations,
  organisationMembers,
  organisations,
  organisationThemes,
  poleMembers,
  poles,
  users,
} from '../../db/schema.ts';
import { BadRequest, Conflict, Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import type { Page } from '../../lib/pagination.tsx';
import { boundingBox, ftsQuery } from '../../lib/search.ts';
import { randomToken, sha256Hex } from '../auth/crypto.ts';
import { distanceKm, normalizeName } from '../geo/normalize.ts';
import { type Commune, getCommune } from '../geo/queries.ts';
import { assertPolesKeepCoordinator, coordinatesNoPoleAlone } from '../poles/coordination.ts';
import type { MemberRole } from './permissions.ts';
import type { InvitationInput, OrganisationCreate, OrganisationPatch } from './schemas.ts';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

/** A row as the app reads it (`sort_name` only serves the directory's order). */
type OrganisationRow = Omit<typeof organisations.$inferSelect, 'sortName'>;

/** An organisation as the API and the views show it. */
export type Organisation = OrganisationRow & {
  commune: { code: string; name: string; departement: string };
};

/** A directory entry: the organisation, and its distance when the search is around a commune. */
export type OrganisationListItem = Organisation & { distanceKm?: number };

export interface OrganisationMember {
  userId: number;
  name: string;
  email: string;
  role: MemberRole;
  createdAt: string;
}

export interface OrganisationPole {
  id: number;
  slug: string;
  name: string;
  role: 'coordinator' | 'member';
}

export interface PendingInvitation {
  id: number;
  email: string;
  role: MemberRole;
  expiresAt: string;
}

const columns = {
  id: organisations.id,
  siret: organisations.siret,
  name: organisations.name,
  kind: organisations.kind,
  legalForm: organisations.legalForm,
  nafCode: organisations.nafCode,
  themes: organisations.themes,
  communeCode: organisations.communeCode,
  communeName: communes.name,
  departement: organisations.departement,
  region: organisations.region,
  lat: organisations.lat,
  lon: organisations.lon,
  description: organisations.description,
  website: organisations.website,
  contactEmail: organisations.contactEmail,
  isDemo: organisations.isDemo,
  version: organisations.version,
  createdAt: organisations.createdAt,
  updatedAt: organisations.updatedAt,
};

type SelectedRow = OrganisationRow & { communeName: string };

function toOrganisation({ communeName, ...row }: SelectedRow): Organisation {
  return {
    ...row,
    themes: row.themes ?? [],
    commune: { code: row.communeCode, name: communeName, departement: row.departement },
  };
}

const selectOrganisations = (db: Db) =>
  db.select(columns).from(organisations).innerJoin(communes, eq(communes.code, organisations.communeCode));

const byId = (db: Db) =>
  selectOrganisations(db)
    .where(eq(organisations.id, sql.placeholder('id')))
    .prepare();

/** The organisation with this id, or undefined. */
export async function getOrganisation(db: Db, id: number): Promise<Organisation | undefined> {
  const [row] = await prepared(db, 'organisations.byId', byId).execute({ id });
  return row ? toOrganisation(row) : undefined;
}

const accessById = (db: Db) =>
  db
    .select({ id: organisations.id, role: organisationMembers.role })
    .from(organisations)
    .leftJoin(
      organisationMembers,
      and(
        eq(organisationMembers.organisationId, organisations.id),
        eq(organisationMembers.userId, sql.placeholder('userId')),
      ),
    )
    .where(eq(organisations.id, sql.placeholder('id')))
    .prepare();

/**
 * Whether the organisation exists and the user's role in it (null when not a member), in one
 * primary-key lookup; undefined when there is no such organisation.
 */
export async function getOrganisationAccess(
  db: Db,
  organisationId: number,
  userId: number,
): Promise<{ role: MemberRole | null } | undefined> {
  const [row] = await prepared(db, 'organisations.access', accessById).execute({
    id: organisationId,
    userId,
  });
  return row ? { role: row.role ?? null } : undefined;
}

/** The user's role in the organisation, or null. */
export async function getMemberRole(db: Db, organisationId: number, userId: number) {
  return (await getOrganisationAccess(db, organisationId, userId))?.role ?? null;
}

/**
 * The organisation with its members, the pôles it is an active member of and its pending
 * invitations, in one round trip (a batch of four indexed reads).
 */
export async function getOrganisationDetails(db: Db, id: number, now: Date) {
  const [rows, members, memberPoles, invitations] = await db.batch([
    selectOrganisations(db).where(eq(organisations.id, id)),
    listMembers(db, id),
    db
      .select({ id: poles.id, slug: poles.slug, name: poles.name, role: poleMembers.role })
      .from(poleMembers)
      .innerJoin(poles, eq(poles.id, poleMembers.poleId))
      .where(and(eq(poleMembers.organisationId, id), eq(poleMembers.status, 'active')))
      .orderBy(asc(poles.name)),
    db
      .select({
        id: organisationInvitations.id,
        email: organisationInvitations.email,
        role: organisationInvitations.role,
        expiresAt: organisationInvitations.expiresAt,
      })
      .from(organisationInvitations)
      .where(
        and(
          eq(organisationInvitations.organisationId, id),
          isNull(organisationInvitations.acceptedAt),
          gt(organisationInvitations.expiresAt, now.toISOString()),
        ),
      )
      .orderBy(asc(organisationInvitations.id)),
  ]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    organisation: toOrganisation(row),
    members: members as OrganisationMember[],
    poles: memberPoles as OrganisationPole[],
    invitations: invitations as PendingInvitation[],
  };
}

/** The commune of an organisation, or a 422 on `communeCode`. */
async function requireCommune(db: Db, code: string): Promise<Commune> {
  const commune = await getCommune(db, code);
  if (!commune) throw new ValidationError({ communeCode: 'Commune inconnue.' });
  return commune;
}

const DUPLICATE_SIRET = 'Une organisation avec ce numéro SIRET est déjà inscrite.';

async function assertSiretFree(db: Db, siret: string, exceptId?: number) {
  const [row] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.siret, siret));
  if (row && row.id !== exceptId) throw new Conflict(DUPLICATE_SIRET, { siret: DUPLICATE_SIRET });
}

/** True when a write failed on the unique SIRET (two concurrent creations of one organisation). */
function isDuplicateSiret(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error && current.message.includes('organisations.siret')) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

type Batch = [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];

/**
 * Creates an organisation placed at its commune's centre, its creator as owner, in one atomic batch.
 * 422 on an unknown commune, 409 when the SIRET is taken.
 */
export async function createOrganisation(
  db: Db,
  input: OrganisationCreate,
  creatorId: number,
  now: Date,
): Promise<Organisation> {
  const commune = await requireCommune(db, input.communeCode);
  await assertSiretFree(db, input.siret);
  const at = now.toISOString();
  try {
    // The batch is one transaction; the follow-up rows find the new id by its (unique) SIRET.
    const [inserted] = await db.batch([
      db
        .insert(organisations)
        .values({
          siret: input.siret,
          name: input.name,
          sortName: normalizeName(input.name),
          kind: input.kind,
          legalForm: input.legalForm,
          nafCode: input.nafCode ?? null,
          themes: input.themes,
          communeCode: commune.code,
          departement: commune.departement,
          region: commune.region,
          lat: commune.lat,
          lon: commune.lon,
          description: input.description,
          website: input.website ?? null,
          contactEmail: input.contactEmail ?? null,
          createdAt: at,
          updatedAt: at,
        })
        .returning({ id: organisations.id }),
      db.run(sql`INSERT INTO organisation_members (organisation_id, user_id, role, created_at)
        SELECT id, ${creatorId}, 'owner', ${at} FROM organisations WHERE siret = ${input.siret}`),
      db.run(sql`INSERT INTO organisation_themes (theme, organisation_id)
        SELECT t.value, o.id FROM organisations o, json_each(${JSON.stringify(input.themes)}) t
        WHERE o.siret = ${input.siret}`),
    ]);
    return (await getOrganisation(db, inserted[0]!.id))!;
  } catch (err) {
    if (isDuplicateSiret(err)) throw new Conflict(DUPLICATE_SIRET, { siret: DUPLICATE_SIRET });
    throw err;
  }
}

/**
 * Applies the given fields if the organisation is still at `patch.version` (optimistic concurrency):
 * the version goes up by one; a stale version is a 409, an unknown organisation a 404.
 */
export async function updateOrganisation(
  db: Db,
  id: number,
  patch: OrganisationPatch,
  now: Date,
): Promise<Organisation> {
  const { version, themes, communeCode, ...fields } = patch;
  const set: Partial<typeof organisations.$inferInsert> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (set as Record<string, unknown>)[key] = value;
  }
  if (fields.name !== undefined) set.sortName = normalizeName(fields.name);
  if (communeCode !== undefined) {
    const commune = await requireCommune(db, communeCode);
    Object.assign(set, {
      communeCode: commune.code,
      departement: commune.departement,
      region: commune.region,
      lat: commune.lat,
      lon: commune.lon,
    });
  }
  if (patch.siret !== undefined) await assertSiretFree(db, patch.siret, id);
  if (themes !== undefined) set.themes = themes;

  const statements: BatchItem<'sqlite'>[] = [];
  if (themes !== undefined) {
    // Guarded by the expected version, so a stale write leaves the themes as they were.
    statements.push(
      db.run(sql`DELETE FROM organisation_themes WHERE organisation_id = ${id}
        AND EXISTS (SELECT 1 FROM organisations WHERE id = ${id} AND version = ${version})`),
      db.run(sql`INSERT INTO organisation_themes (theme, organisation_id)
        SELECT t.value, o.id FROM organisations o, json_each(${JSON.stringify(themes)}) t
        WHERE o.id = ${id} AND o.version = ${version}`),
    );
  }
  statements.push(
    db
      .update(organisations)
      .set({ ...set, version: sql`${organisations.version} + 1`, updatedAt: now.toISOString() })
      .where(and(eq(organisations.id, id), eq(organisations.version, version)))
      .returning({ id: organisations.id }),
  );
  let results: unknown[];
  try {
    results = await db.batch(statements as Batch);
  } catch (err) {
    if (isDuplicateSiret(err)) throw new Conflict(DUPLICATE_SIRET, { siret: DUPLICATE_SIRET });
    throw err;
  }
  const updated = results.at(-1) as Array<{ id: number }>;
  const current = await getOrganisation(db, id);
  if (!current) throw new NotFound('Organisation introuvable.');
  if (updated.length === 0) {
    throw new Conflict(
      `Cette organisation a été modifiée entre-temps (version actuelle : ${current.version}, version envoyée : ${version}). Rechargez-la, puis reportez vos modifications.`,
    );
  }
  return current;
}

/**
 * Deletes an organisation (memberships, themes, invitations and pôle memberships cascade). Refused
 * (`Conflict` naming the pôle) when it is the only active coordinator of a pôle (defect 8); `NotFound`
 * when there is no such organisation.
 */
export async function deleteOrganisation(db: Db, id: number): Promise<void> {
  const rows = await db
    .delete(organisations)
    .where(and(eq(organisations.id, id), coordinatesNoPoleAlone(sql`${id}`)))
    .returning({ id: organisations.id });
  if (rows.length > 0) return;
  if (!(await getOrganisation(db, id))) throw new NotFound('Organisation introuvable.');
  await assertPolesKeepCoordinator(db, [id]);
  throw new Conflict('L’organisation n’a pas pu être supprimée : réessayez.');
}

export interface OrganisationSearch {
  q?: string | undefined;
  kind?: OrganisationRow['kind'] | undefined;
  theme?: string | undefined;
  departement?: string | undefined;
  region?: string | undefined;
  /** Sort by distance from this commune's centre (and, with `radiusKm`, keep only those within). */
  communeCode?: string | undefined;
  /** That commune, when the caller has already read it (then `communeCode` is not looked up). */
  commune?: Commune | undefined;
  radiusKm?: number | undefined;
  page: number;
  perPage: number;
}

/**
 * SQL conditions of the filters, each served by an index (kind, département, région, theme), in two
 * forms for the theme: `matching` lists the theme's organisations from the organisation_themes
 * primary key (IN: counts, distance and text searches); `inNameOrder` probes that key for each
 * organisation the name index walks through, so a page stops at its last row (EXISTS).
 */
function filterConditions(db: Db, search: OrganisationSearch): { matching: SQL[]; inNameOrder: SQL[] } {
  const where: SQL[] = [];
  if (search.kind) where.push(eq(organisations.kind, search.kind));
  if (search.departement) where.push(eq(organisations.departement, search.departement));
  if (search.region) where.push(eq(organisations.region, search.region));
  if (!search.theme) return { matching: where, inNameOrder: where };
  return {
    matching: [
      ...where,
      inArray(
        organisations.id,
        db
          .select({ id: organisationThemes.organisationId })
          .from(organisationThemes)
          .where(eq(organisationThemes.theme, search.theme)),
      ),
    ],
    inNameOrder: [
      ...where,
      sql`EXISTS (SELECT 1 FROM ${organisationThemes} WHERE ${organisationThemes.theme} = ${search.theme}
        AND ${organisationThemes.organisationId} = ${organisations.id})`,
    ],
  };
}

/**
 * The organisations whose name or description match the words: listed once from the FTS index, then
 * filtered by the other conditions (a join could probe the index once per organisation instead).
 */
const matchingWords = (match: string) =>
  sql`${organisations.id} IN (SELECT rowid FROM organisations_fts WHERE organisations_fts MATCH ${match})`;

/** Relevance of a text match: bm25, a word of the name weighing ten times one of the description. */
const RELEVANCE = sql`bm25(organisations_fts, 10.0, 1.0)`;

const rounded = (km: number) => Math.round(km * 10) / 10;

/** Organisations at one position (a commune's centre, where they are placed). */
type Position = { lat: number | null; lon: number | null; ids: number[] };

/**
 * The organisations in the bounding box around the centre (all those with a position when `km` is
 * null), one row per position with the ids there: organisations sit at their commune's centre, so
 * a few hundred rows for a thousand organisations, read from the (lat, lon) index alone when no
 * other filter applies.
 */
async function locatedWithin(
  db: Db,
  where: SQL[],
  lat: number,
  lon: number,
  km: number | null,
): Promise<Position[]> {
  const box = km === null ? null : boundingBox(lat, lon, km);
  const rows = await db
    .select({
      lat: organisations.lat,
      lon: organisations.lon,
      ids: sql<string>`json_group_array(${organisations.id})`,
    })
    .from(organisations)
    .where(
      and(
        ...where,
        box
          ? and(
              between(organisations.lat, box.minLat, box.maxLat),
              between(organisations.lon, box.minLon, box.maxLon),
            )
          : isNotNull(organisations.lat),
      ),
    )
    .groupBy(organisations.lat, organisations.lon);
  return rows.map((row) => ({ lat: row.lat, lon: row.lon, ids: JSON.parse(row.ids) as number[] }));
}

type Ranked = { id: number; km: number };

/**
 * By distance (computed once per position), then id; the name, which comes before the id in the
 * directory, is read by distancePage.
 */
function rank(positions: Position[], lat: number, lon: number) {
  const ranked: Ranked[] = [];
  for (const position of positions) {
    if (position.lat === null || position.lon === null) continue;
    const km = distanceKm(lat, lon, position.lat, position.lon);
    for (const id of position.ids) ranked.push({ id, km });
  }
  return ranked.sort((a, b) => a.km - b.km || a.id - b.id);
}

/** Half the Earth's circumference: a box this wide holds every point. */
const WHOLE_EARTH_KM = 20_040;

/**
 * Organisations ranked by distance from a point, enough of them to fill `needed` places. With a
 * radius: exactly those within it. Without: the box grows (×4) until it holds `needed` organisations
 * closer than its half-width — nothing outside can be closer — or everything.
 */
async function rankByDistance(
  db: Db,
  where: SQL[],
  center: { lat: number; lon: number },
  radiusKm: number | undefined,
  needed: number,
): Promise<{ ranked: Ranked[]; total: number }> {
  const { lat, lon } = center;
  if (radiusKm !== undefined) {
    const ranked = rank(await locatedWithin(db, where, lat, lon, radiusKm), lat, lon).filter(
      (r) => r.km <= radiusKm,
    );
    return { ranked, total: ranked.length };
  }
  const [counted] = await db
    .select({ total: count() })
    .from(organisations)
    .where(and(...where, isNotNull(organisations.lat)));
  const total = counted?.total ?? 0;
  for (let km = 30; ; km *= 4) {
    const wholeEarth = km >= WHOLE_EARTH_KM;
    const positions = await locatedWithin(db, where, lat, lon, wholeEarth ? null : km);
    const ranked = rank(positions, lat, lon);
    const inBox = positions.reduce((sum, position) => sum + position.ids.length, 0);
    if (wholeEarth || inBox >= total) return { ranked, total };
    const within = ranked.filter((r) => r.km <= km);
    if (within.length >= needed) return { ranked: within, total };
  }
}

const frenchCollator = new Intl.Collator('fr');

/** The directory's order around a commune: distance, then name (French collation), then id. */
const byDistanceThenName = (a: Ranked & { name: string }, b: Ranked & { name: string }) =>
  a.km - b.km || frenchCollator.compare(a.name, b.name) || a.id - b.id;

/**
 * The page `[offset, offset + perPage)` of the organisations ranked by distance, in the directory's
 * order. The organisations of a commune share its centre, so distances often tie and the name
 * decides: when a group of ties straddles a page boundary, its members' names are read (one indexed
 * query) to know which of them are on this page. Then the page's rows are read.
 */
async function distancePage(
  db: Db,
  ranked: Ranked[],
  offset: number,
  perPage: number,
): Promise<OrganisationListItem[]> {
  const end = Math.min(offset + perPage, ranked.length);
  if (offset >= end) return [];
  let from = offset;
  while (from > 0 && ranked[from - 1]!.km === ranked[offset]!.km) from--;
  let to = end;
  while (to < ranked.length && ranked[to]!.km === ranked[end - 1]!.km) to++;
  let onPage = ranked.slice(offset, end);
  if (to - from > end - offset) {
    const tied = ranked.slice(from, to);
    const rows = await db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(
        inArray(
          organisations.id,
          tied.map((r) => r.id),
        ),
      );
    const names = new Map(rows.map((row) => [row.id, row.name]));
    onPage = tied
      .map((r) => ({ ...r, name: names.get(r.id) ?? '' }))
      .sort(byDistanceThenName)
      .slice(offset - from, end - from);
  }
  const found = await organisationsByIds(
    db,
    onPage.map((r) => r.id),
  );
  return onPage
    .flatMap((r) => {
      const organisation = found.get(r.id);
      return organisation ? [{ ...r, name: organisation.name, organisation }] : [];
    })
    .sort(byDistanceThenName)
    .map(({ km, organisation }) => ({ ...organisation, distanceKm: rounded(km) }));
}

async function organisationsByIds(db: Db, ids: number[]): Promise<Map<number, Organisation>> {
  if (ids.length === 0) return new Map();
  const rows = await selectOrganisations(db).where(inArray(organisations.id, ids));
  return new Map(rows.map((row) => [row.id, toOrganisation(row)]));
}

/** The centre of the search's commune, if any: 400 when the commune is unknown or has no position. */
async function searchCentre(db: Db, search: OrganisationSearch) {
  if (!search.commune && !search.communeCode) return undefined;
  const commune = search.commune ?? (await getCommune(db, search.communeCode!));
  if (!commune) throw new BadRequest('Commune inconnue.', { commune: 'Commune inconnue.' });
  if (commune.lat === null || commune.lon === null) {
    throw new BadRequest('La position de cette commune est inconnue.', {
      commune: 'La position de cette commune est inconnue : la recherche par distance est impossible.',
    });
  }
  return { lat: commune.lat, lon: commune.lon };
}

/**
 * The organisations directory: words (accent-insensitive full text on name and description), kind,
 * theme, département, région; around a commune, sorted by great-circle distance between commune
 * centres (organisations with a known position only) with `distanceKm`, and within `radiusKm` if given.
 * Text searches rank by relevance, others by name; ties go by name (`sort_name`), then id.
 */
export async function searchOrganisations(
  db: Db,
  search: OrganisationSearch,
): Promise<Page<OrganisationListItem>> {
  const { page, perPage } = search;
  const offset = (page - 1) * perPage;
  const filters = filterConditions(db, search);
  const match = ftsQuery(search.q);

  const centre = await searchCentre(db, search);
  if (centre) {
    const where = match ? [...filters.matching, matchingWords(match)] : filters.matching;
    const { ranked, total } = await rankByDistance(db, where, centre, search.radiusKm, offset + perPage);
    return { items: await distancePage(db, ranked, offset, perPage), total, page, perPage };
  }

  if (match) {
    // The page's ids by relevance, then name: the FTS index drives (CROSS JOIN keeps it the outer
    // loop), with each match's sort_name; the columns and the commune are read for the page's rows.
    const top = sql`(SELECT ${organisations.id} AS id, ${RELEVANCE} AS relevance, ${organisations.sortName} AS sort_name
      FROM organisations_fts CROSS JOIN ${organisations} ON ${organisations.id} = organisations_fts.rowid
      WHERE ${and(sql`organisations_fts MATCH ${match}`, ...filters.matching)}
      ORDER BY relevance, sort_name, id LIMIT ${perPage} OFFSET ${offset}) AS top`;
    // Every row of the (external content) FTS index is an organisation: without other filters, the
    // index alone counts the matches.
    const counting =
      filters.matching.length === 0
        ? db
            .select({ total: count() })
            .from(sql`organisations_fts`)
            .where(sql`organisations_fts MATCH ${match}`)
        : db
            .select({ total: count() })
            .from(organisations)
            .where(and(...filters.matching, matchingWords(match)));
    const [[counted], rows] = await db.batch([
      counting,
      selectOrganisations(db)
        .innerJoin(top, sql`top.id = ${organisations.id}`)
        .orderBy(sql`top.relevance`, sql`top.sort_name`, sql`top.id`),
    ]);
    return { items: rows.map(toOrganisation), total: counted?.total ?? 0, page, perPage };
  }

  const [[counted], rows] = await db.batch([
    db
      .select({ total: count() })
      .from(organisations)
      .where(and(...filters.matching)),
    selectOrganisations(db)
      .where(and(...filters.inNameOrder))
      .orderBy(asc(organisations.sortName), asc(organisations.id))
      .limit(perPage)
      .offset(offset),
  ]);
  return { items: rows.map(toOrganisation), total: counted?.total ?? 0, page, perPage };
}

/** Lists the memberships of an organisation (for the API and the members section). */
export function listMembers(db: Db, organisationId: number) {
  return db
    .select({
      userId: organisationMembers.userId,
      name: users.name,
      email: users.email,
      role: organisationMembers.role,
      createdAt: organisationMembers.createdAt,
    })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(asc(organisationMembers.createdAt), asc(organisationMembers.userId));
}

/**
 * Invites someone by email to join the organisation with a role: stores the token's hash with a
 * 7-day expiry and returns the clear token for the emailed link. 422 if that address is already a member.
 */
export async function createInvitation(
  db: Db,
  organisationId: number,
  input: InvitationInput,
  invitedBy: number,
  now: Date,
): Promise<{ id: number; token: string; email: string; role: MemberRole; expiresAt: string }> {
  const email = input.email.trim().toLowerCase();
  const [member] = await db
    .select({ userId: organisationMembers.userId })
    .from(users)
    .innerJoin(
      organisationMembers,
      and(eq(organisationMembers.userId, users.id), eq(organisationMembers.organisationId, organisationId)),
    )
    .where(eq(users.email, email));
  if (member) throw new ValidationError({ email: 'Cette personne est déjà membre de l’organisation.' });
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS).toISOString();
  const [row] = await db
    .insert(organisationInvitations)
    .values({
      organisationId,
      email,
      role: input.role,
      tokenHash: await sha256Hex(token),
      invitedBy,
      createdAt: now.toISOString(),
      expiresAt,
    })
    .returning({ id: organisationInvitations.id });
  return { id: row!.id, token, email, role: input.role, expiresAt };
}

export interface InvitationView {
  organisationId: number;
  organisationName: string;
  email: string;
  role: MemberRole;
  expiresAt: string;
  acceptedAt: string | null;
  invitedByName: string | null;
}

/** An invitation by its emailed token, or by id (« Mon compte » lists the account's own by id). */
export type InvitationKey = string | { id: number };

async function invitationIs(key: InvitationKey) {
  return typeof key === 'string'
    ? eq(organisationInvitations.tokenHash, await sha256Hex(key))
    : eq(organisationInvitations.id, key.id);
}

/** The invitation behind an emailed token or an id (used or not), or undefined. */
export async function getInvitation(db: Db, key: InvitationKey): Promise<InvitationView | undefined> {
  const [row] = await db
    .select({
      organisationId: organisationInvitations.organisationId,
      organisationName: organisations.name,
      email: organisationInvitations.email,
      role: organisationInvitations.role,
      expiresAt: organisationInvitations.expiresAt,
      acceptedAt: organisationInvitations.acceptedAt,
      invitedByName: users.name,
    })
    .from(organisationInvitations)
    .innerJoin(organisations, eq(organisations.id, organisationInvitations.organisationId))
    .leftJoin(users, eq(users.id, organisationInvitations.invitedBy))
    .where(await invitationIs(key));
  return row;
}

/** Checks an invitation can be used by this account now; throws the reason otherwise. */
export function assertInvitationUsable(
  invitation: InvitationView | undefined,
  user: { email: string },
  now: Date,
): asserts invitation is InvitationView {
  if (!invitation) throw new NotFound('Cette invitation n’existe pas.');
  if (invitation.acceptedAt) throw new NotFound('Cette invitation a déjà été utilisée.');
  if (invitation.expiresAt <= now.toISOString()) {
    throw new NotFound('Cette invitation a expiré : demandez-en une nouvelle à l’organisation.');
  }
  if (invitation.email !== user.email.toLowerCase()) {
    throw new Forbidden(
      `Cette invitation a été envoyée à une autre adresse électronique. Connectez-vous avec le compte ${invitation.email} pour l’accepter.`,
    );
  }
}

/**
 * Accepts an invitation for the signed-in account whose email it was sent to: the account becomes a
 * member (an editor invited as owner is promoted; nobody is demoted). Single use, even when two
 * acceptances race: both statements are guarded by `accepted_at IS NULL` in one transaction.
 */
export async function acceptInvitation(
  db: Db,
  key: InvitationKey,
  user: { id: number; email: string },
  now: Date,
): Promise<number> {
  const invitation = await getInvitation(db, key);
  assertInvitationUsable(invitation, user, now);
  const which = await invitationIs(key);
  const at = now.toISOString();
  const email = user.email.toLowerCase();
  const [, accepted] = await db.batch([
    db.run(sql`INSERT INTO organisation_members (organisation_id, user_id, role, created_at)
      SELECT organisation_id, ${user.id}, role, ${at} FROM organisation_invitations
      WHERE ${which} AND accepted_at IS NULL AND expires_at > ${at} AND email = ${email}
      ON CONFLICT (organisation_id, user_id) DO UPDATE SET role = 'owner' WHERE excluded.role = 'owner'`),
    db
      .update(organisationInvitations)
      .set({ acceptedAt: at })
      .where(
        and(
          which,
          isNull(organisationInvitations.acceptedAt),
          gt(organisationInvitations.expiresAt, at),
          eq(organisationInvitations.email, email),
        ),
      )
      .returning({ organisationId: organisationInvitations.organisationId }),
  ]);
  if (accepted.length === 0) throw new NotFound('Cette invitation a déjà été utilisée.');
  return accepted[0]!.organisationId;
}

const LAST_OWNER = 'Une organisation garde au moins un propriétaire : nommez-en un autre d’abord.';

const otherOwnersExist = (organisationId: number) =>
  sql`(SELECT count(*) FROM organisation_members WHERE organisation_id = ${organisationId} AND role = 'owner') > 1`;

/** Removes a member; never the last owner (409). 404 when the user is not a member. */
export async function removeMember(db: Db, organisationId: number, userId: number): Promise<void> {
  const rows = await db
    .delete(organisationMembers)
    .where(
      and(
        eq(organisationMembers.organisationId, organisationId),
        eq(organisationMembers.userId, userId),
        sql`(${organisationMembers.role} <> 'owner' OR ${otherOwnersExist(organisationId)})`,
      ),
    )
    .returning({ userId: organisationMembers.userId });
  if (rows.length > 0) return;
  if (await getMemberRole(db, organisationId, userId)) throw new Conflict(LAST_OWNER);
  throw new NotFound('Cette personne n’est pas membre de l’organisation.');
}

/** Changes a member's role; the last owner cannot become an editor (409). */
export async function changeMemberRole(
  db: Db,
  organisationId: number,
  userId: number,
  role: MemberRole,
): Promise<void> {
  const rows = await db
    .update(organisationMembers)
    .set({ role })
    .where(
      and(
        eq(organisationMembers.organisationId, organisationId),
        eq(organisationMembers.userId, userId),
        role === 'owner'
          ? undefined
          : sql`(${organisationMembers.role} <> 'owner' OR ${otherOwnersExist(organisationId)})`,
      ),
    )
    .returning({ userId: organisationMembers.userId });
  if (rows.length > 0) return;
  if (await getMemberRole(db, organisationId, userId)) throw new Conflict(LAST_OWNER);
  throw new NotFound('Cette personne n’est pas membre de l’organisation.');
}
