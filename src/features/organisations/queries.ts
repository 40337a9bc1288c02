import { and, asc, eq, gt, inArray, isNull, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import {
  amiApplications,
  communes,
  organisationInvitations,
  organisationMembers,
  organisationPositions,
  organisations,
  organisationThemes,
  poleMembers,
  poles,
  rowCounts,
  users,
} from '../../db/schema.ts';
import { BadRequest, Conflict, Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import { normalizeName } from '../../lib/normalize.ts';
import type { Page } from '../../lib/pagination.tsx';
import { ftsQuery } from '../../lib/search.ts';
import { randomToken, sha256Hex } from '../auth/crypto.ts';
import { type Commune, getCommune } from '../geo/queries.ts';
import { assertPolesKeepCoordinator, coordinatesNoPoleAlone } from '../poles/coordination.ts';
import { boundedCount, boundedTotal } from '../search/count.ts';
import { type PlacedTable, placedPage, positionsAround } from '../search/distance.ts';
import { DEFAULT_LIMITS, pageTotal, type SearchLimits } from '../search/limits.ts';
import { newestMatches, type TextIndex, textCount, textPage } from '../search/text.ts';
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

/** The four indexed reads of `getOrganisationDetails`, built and prepared once per database. */
const detailQueries = (db: Db) =>
  prepared(db, 'organisations.details', () => {
    const id = sql.placeholder('id');
    return {
      organisation: selectOrganisations(db).where(eq(organisations.id, id)).prepare(),
      members: listMembers(db, id).prepare(),
      poles: db
        .select({ id: poles.id, slug: poles.slug, name: poles.name, role: poleMembers.role })
        .from(poleMembers)
        .innerJoin(poles, eq(poles.id, poleMembers.poleId))
        .where(and(eq(poleMembers.organisationId, id), eq(poleMembers.status, 'active')))
        .orderBy(asc(poles.name))
        .prepare(),
      invitations: db
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
            gt(organisationInvitations.expiresAt, sql.placeholder('now')),
          ),
        )
        .orderBy(asc(organisationInvitations.id))
        .prepare(),
    };
  });

/**
 * The organisation with its members, the pôles it is an active member of and its pending
 * invitations: four indexed reads.
 */
export async function getOrganisationDetails(db: Db, id: number, now: Date) {
  const queries = detailQueries(db);
  const [rows, members, memberPoles, invitations] = await Promise.all([
    queries.organisation.all({ id }),
    queries.members.all({ id }),
    queries.poles.all({ id }),
    queries.invitations.all({ id, now: now.toISOString() }),
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

/** The organisations among `ids` that lead an AMI dossier (a dossier keeps its lead organisation). */
export async function organisationsLeadingDossiers(
  db: Db,
  ids: readonly number[],
): Promise<Array<{ id: number; name: string }>> {
  if (ids.length === 0) return [];
  return db
    .selectDistinct({ id: organisations.id, name: organisations.name })
    .from(amiApplications)
    .innerJoin(organisations, eq(organisations.id, amiApplications.leadOrganisationId))
    .where(inArray(amiApplications.leadOrganisationId, [...ids]));
}

/** Why an organisation leading AMI dossiers cannot be deleted (409, instead of the foreign key's 500). */
export function amiLeadConflict(names: readonly string[]): Conflict {
  return new Conflict(
    `${names.length > 1 ? `Les organisations ${names.map((n) => `« ${n} »`).join(', ')} portent` : `L’organisation « ${names[0]} » porte`} un dossier à l’AMI PTCE : elle ne peut pas être supprimée tant qu’il existe. Un brouillon peut être supprimé depuis sa page (Mes dossiers AMI) ; un dossier déposé est conservé avec son organisation porteuse.`,
  );
}

/**
 * Deletes an organisation (memberships, themes, invitations and pôle memberships cascade). Refused
 * (`Conflict` naming the pôle) when it is the only active coordinator of a pôle (defect 8); `NotFound`
 * when there is no such organisation; refused too while it leads an AMI dossier ({@link amiLeadConflict}).
 */
export async function deleteOrganisation(db: Db, id: number): Promise<void> {
  const leading = await organisationsLeadingDossiers(db, [id]);
  if (leading.length > 0) throw amiLeadConflict(leading.map((o) => o.name));
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
  /** Work bounds (tests pass small ones); DEFAULT_LIMITS otherwise. */
  limits?: SearchLimits | undefined;
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

/** The organisations as the search module sees them (full text, and positions). */
const textIndex: TextIndex = {
  table: organisations,
  id: organisations.id,
  sortKey: organisations.sortName,
  fts: 'organisations_fts',
  // A word of the name weighs ten times one of the description.
  weights: [10, 1],
  firstColumn: 'name',
};

const placed: PlacedTable = {
  table: organisations,
  id: organisations.id,
  lat: organisations.lat,
  lon: organisations.lon,
  sortKey: organisations.sortName,
  positionIndex: 'organisations_position_idx',
  positions: {
    table: organisationPositions,
    lat: organisationPositions.lat,
    lon: organisationPositions.lon,
    rows: organisationPositions.rows,
  },
};

const rounded = (km: number) => Math.round(km * 10) / 10;

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

/** The count of the directory's filters, bounded; a theme alone is counted from its own index. */
function directoryCount(db: Db, search: OrganisationSearch, filters: SQL[], limits: SearchLimits) {
  if (search.theme && !search.kind && !search.departement && !search.region) {
    return boundedCount(db, organisationThemes, [eq(organisationThemes.theme, search.theme)], limits);
  }
  return boundedCount(db, organisations, filters, limits);
}

const firstPage = (db: Db) =>
  selectOrganisations(db)
    .orderBy(asc(organisations.sortName), asc(organisations.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare();

/** Every organisation, exactly: one row kept by triggers (migration 0015), not an index walk. */
const countAll = (db: Db) =>
  db.select({ n: rowCounts.n }).from(rowCounts).where(eq(rowCounts.name, 'organisations')).prepare();

/**
 * The organisations directory: words (accent-insensitive full text on name and description), kind,
 * theme, département, région; around a commune, sorted by great-circle distance between commune
 * centres (organisations with a known position only) with `distanceKm`, and within `radiusKm` if given.
 * Text searches rank by relevance (frequent words: names first, newest first), others by name;
 * ties go by name (`sort_name`), then id. Counts stop at `limits.countLimit` (`totalCapped`); see
 * docs/decisions/015-bounded-search.md.
 */
export async function searchOrganisations(
  db: Db,
  search: OrganisationSearch,
): Promise<Page<OrganisationListItem>> {
  const { page, perPage } = search;
  const limits = search.limits ?? DEFAULT_LIMITS;
  const offset = (page - 1) * perPage;
  const filters = filterConditions(db, search);
  const match = ftsQuery(search.q);

  const centre = await searchCentre(db, search);
  if (centre) {
    const words = match ? await newestMatches(db, textIndex, match, limits) : undefined;
    const probing = words ? [...filters.inNameOrder, words.probing] : filters.inNameOrder;
    const around = await positionsAround(
      db,
      placed,
      { counting: words ? [...filters.matching, words.counting] : filters.matching, probing },
      centre,
      search.radiusKm,
      { offset, limit: perPage },
      limits,
    );
    const onPage = await placedPage(db, placed, probing, around.positions, {
      offset,
      limit: perPage,
    });
    const found = await organisationsByIds(
      db,
      onPage.map((r) => r.id),
    );
    const items = onPage.flatMap(({ id, km }) => {
      const organisation = found.get(id);
      return organisation ? [{ ...organisation, distanceKm: rounded(km) }] : [];
    });
    return {
      items,
      ...pageTotal({ ...around, capped: around.capped || Boolean(words?.capped) }),
      page,
      perPage,
    };
  }

  if (match) {
    // One statement for the page: the ranked ids (search module), then their columns and commune.
    const top = textPage(textIndex, match, filters.inNameOrder, { limit: perPage, offset }, limits);
    const [counted, rows] = await db.batch([
      db.all<{ total: number; capped: number }>(textCount(textIndex, match, filters.inNameOrder, limits)),
      selectOrganisations(db)
        .innerJoin(sql`(${top}) AS top`, sql`top.id = ${organisations.id}`)
        .orderBy(sql`top.k1`, sql`top.k2`, sql`top.k3`),
    ]);
    const { total = 0, capped = 0 } = counted[0] ?? {};
    return {
      items: rows.map(toOrganisation),
      ...pageTotal({ total: Number(total), capped: Boolean(capped) }),
      page,
      perPage,
    };
  }

  if (filters.matching.length === 0 && limits === DEFAULT_LIMITS) {
    // The directory's default view: both statements prepared once per database.
    const [[counted], rows] = await Promise.all([
      prepared(db, 'organisations.countAll', countAll).execute(),
      prepared(db, 'organisations.firstPage', firstPage).execute({ limit: perPage, offset }),
    ]);
    return {
      items: rows.map(toOrganisation),
      ...pageTotal({ total: counted?.n ?? 0, capped: false }),
      page,
      perPage,
    };
  }

  const [[counted], rows] = await db.batch([
    directoryCount(db, search, filters.matching, limits),
    selectOrganisations(db)
      .where(and(...filters.inNameOrder))
      .orderBy(asc(organisations.sortName), asc(organisations.id))
      .limit(perPage)
      .offset(offset),
  ]);
  return {
    items: rows.map(toOrganisation),
    ...pageTotal(boundedTotal(counted?.rows ?? 0, limits)),
    page,
    perPage,
  };
}

/** Lists the memberships of an organisation (for the API and the members section). */
export function listMembers(db: Db, organisationId: number | Placeholder) {
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

export interface OrganisationSummary {
  id: number;
  name: string;
  kind: OrganisationRow['kind'];
  communeName: string;
  siret: string;
}

const organisationSummary = {
  id: organisations.id,
  name: organisations.name,
  kind: organisations.kind,
  communeName: communes.name,
  siret: organisations.siret,
};

/** The organisations a user acts for (owner or editor), by name. */
export function listActingOrganisations(db: Db, userId: number): Promise<OrganisationSummary[]> {
  return db
    .select(organisationSummary)
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .innerJoin(communes, eq(communes.code, organisations.communeCode))
    .where(eq(organisationMembers.userId, userId))
    .orderBy(asc(organisations.name));
}

export async function getOrganisationSummary(db: Db, id: number): Promise<OrganisationSummary | undefined> {
  const [row] = await db
    .select(organisationSummary)
    .from(organisations)
    .innerJoin(communes, eq(communes.code, organisations.communeCode))
    .where(eq(organisations.id, id));
  return row;
}

/**
 * Organisations matching what a coordinator typed to invite one: its number on the platform, its
 * SIRET, or words of its name (accent-insensitive full-text search).
 */
export async function findOrganisations(db: Db, query: string, limit = 8): Promise<OrganisationSummary[]> {
  const text = query.trim();
  const compact = text.replace(/\s/g, '');
  const conditions: SQL[] = [];
  if (/^\d{1,9}$/.test(compact)) conditions.push(eq(organisations.id, Number(compact)));
  if (/^\d{14}$/.test(compact)) conditions.push(eq(organisations.siret, compact));
  const match = ftsQuery(text);
  if (match) {
    conditions.push(
      sql`${organisations.id} IN (SELECT rowid FROM organisations_fts WHERE organisations_fts MATCH ${match})`,
    );
  }
  if (conditions.length === 0) return [];
  return db
    .select(organisationSummary)
    .from(organisations)
    .innerJoin(communes, eq(communes.code, organisations.communeCode))
    .where(or(...conditions))
    .orderBy(asc(organisations.name))
    .limit(limit);
}

/** Email addresses of the people acting for these organisations (to notify them). */
export async function organisationContactEmails(db: Db, organisationIds: number[]): Promise<string[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ email: users.email })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(inArray(organisationMembers.organisationId, organisationIds));
  return rows.map((row) => row.email);
}
