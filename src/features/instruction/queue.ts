import { and, asc, desc, eq, gt, gte, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.ts';
import {
  amiApplications,
  amiNotes,
  amiScores,
  amiWaves,
  communes,
  organisationMembers,
  organisations,
  users,
} from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { normalizeName } from '../../lib/normalize.ts';
import type { Page } from '../../lib/pagination.tsx';
import { staffScopeSql } from '../ami/access.ts';
import type { AmiStatus } from '../ami/workflow.ts';
import type { QueueFilters, QueueSort } from './schemas.ts';

/** Who reads the queue: staff (their scope, never drafts) or an applicant (their organisations' dossiers). */
export type QueueViewer = Pick<SessionUser, 'id' | 'role'>;

export const isStaff = (viewer: Pick<SessionUser, 'role'> | null | undefined) =>
  viewer?.role === 'instructor' || viewer?.role === 'admin';

/** One row of the queue (and of its exports and JSON). */
export interface QueueRow {
  id: number;
  reference: string | null;
  status: AmiStatus;
  version: number;
  projectName: string;
  stage: 'emerging' | 'consolidating' | null;
  region: string;
  departement: string;
  leadName: string;
  leadSiret: string;
  waveId: number | null;
  waveName: string | null;
  amountRequested: number | null;
  amountGranted: number | null;
  assigneeId: number | null;
  assigneeName: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  changesDueAt: string | null;
  /** Mean of the reviewers' grid totals (0–5), null without a grid. */
  scoreAverage: number | null;
  /** max − min of the grid totals (how much reviewers disagree), null without a grid. */
  scoreSpread: number | null;
  scoreCount: number;
}

const assignee = alias(users, 'assignee');

const scoreAverage = sql<
  number | null
>`(SELECT AVG(${amiScores.total}) FROM ${amiScores} WHERE ${amiScores.applicationId} = ${amiApplications.id})`;
const scoreSpread = sql<
  number | null
>`(SELECT MAX(${amiScores.total}) - MIN(${amiScores.total}) FROM ${amiScores} WHERE ${amiScores.applicationId} = ${amiApplications.id})`;
const scoreCount = sql<number>`(SELECT COUNT(*) FROM ${amiScores} WHERE ${amiScores.applicationId} = ${amiApplications.id})`;

const rowColumns = {
  id: amiApplications.id,
  reference: amiApplications.reference,
  status: amiApplications.status,
  version: amiApplications.version,
  projectName: amiApplications.projectName,
  stage: amiApplications.stage,
  region: amiApplications.region,
  departement: amiApplications.departement,
  leadName: organisations.name,
  leadSiret: organisations.siret,
  waveId: amiApplications.waveId,
  waveName: amiWaves.name,
  amountRequested: amiApplications.amountRequested,
  amountGranted: amiApplications.amountGranted,
  assigneeId: amiApplications.assigneeId,
  assigneeName: assignee.name,
  submittedAt: amiApplications.submittedAt,
  decidedAt: amiApplications.decidedAt,
  changesDueAt: amiApplications.changesDueAt,
  scoreAverage: scoreAverage.mapWith((v) => (v === null ? null : Number(v))),
  scoreSpread: scoreSpread.mapWith((v) => (v === null ? null : Number(v))),
  scoreCount: scoreCount.mapWith(Number),
};

/**
 * The WHERE of the queue for a viewer and filters. Staff: their scope (national, or their régions
 * through `staffScopeSql`), never a draft; anyone else: the dossiers of the organisations they are a
 * member of (the applicant's own list, same handler). Words: each normalised word must appear in
 * `search_text` (project and porteur names, normalised like the query) — a LIKE scan, not FTS: the
 * queue is at most a few thousand dossiers per scope, a scan of one short column over 10,000 rows
 * takes a few milliseconds (measured in test/integration/instruction-export.test.ts), it matches
 * inside words (« coop » finds « Pôle Coopératif ») and it needs no FTS table to keep in sync.
 */
export function queueWhere(viewer: QueueViewer, filters: Partial<QueueFilters>, now: Date): SQL {
  const conditions: SQL[] = [];
  if (isStaff(viewer)) {
    // Submitted once (a draft withdrawn before any submit stays the applicant's alone, as in amiRights).
    conditions.push(sql`${amiApplications.status} <> 'draft' AND ${amiApplications.submittedAt} IS NOT NULL`);
    conditions.push(staffScopeSql(viewer.id, viewer.role, amiApplications.region));
  } else {
    conditions.push(
      inArray(
        amiApplications.leadOrganisationId,
        sql`(SELECT ${organisationMembers.organisationId} FROM ${organisationMembers} WHERE ${organisationMembers.userId} = ${viewer.id})`,
      ),
    );
  }
  if (filters.status) conditions.push(eq(amiApplications.status, filters.status));
  if (filters.waveId) conditions.push(eq(amiApplications.waveId, filters.waveId));
  if (filters.region) conditions.push(eq(amiApplications.region, filters.region));
  if (filters.departement) conditions.push(eq(amiApplications.departement, filters.departement));
  if (filters.mine) conditions.push(eq(amiApplications.assigneeId, viewer.id));
  else if (filters.assignee === 'none') conditions.push(sql`${amiApplications.assigneeId} IS NULL`);
  else if (filters.assignee) conditions.push(eq(amiApplications.assigneeId, filters.assignee));
  if (filters.stage) conditions.push(eq(amiApplications.stage, filters.stage));
  if (filters.amountMin !== undefined)
    conditions.push(gte(amiApplications.amountRequested, filters.amountMin));
  if (filters.amountMax !== undefined)
    conditions.push(lte(amiApplications.amountRequested, filters.amountMax));
  if (filters.overdue)
    conditions.push(
      and(
        eq(amiApplications.status, 'changes_requested'),
        lt(amiApplications.changesDueAt, now.toISOString()),
      )!,
    );
  for (const word of normalizeName(filters.q ?? '')
    .split(' ')
    .filter(Boolean)
    .slice(0, 8))
    conditions.push(sql`${amiApplications.searchText} LIKE ${`%${word}%`}`);
  return and(...conditions)!;
}

const STATUS_ORDER = sql`CASE ${amiApplications.status} WHEN 'submitted' THEN 1 WHEN 'under_review' THEN 2
  WHEN 'changes_requested' THEN 3 WHEN 'eligible' THEN 4 WHEN 'selected' THEN 5 WHEN 'rejected' THEN 6
  WHEN 'ineligible' THEN 7 WHEN 'withdrawn' THEN 8 ELSE 0 END`;

const SORT_COLUMNS: Record<QueueSort, SQL | typeof amiApplications.id> = {
  reference: sql`${amiApplications.reference}`,
  submitted: sql`${amiApplications.submittedAt}`,
  amount: sql`${amiApplications.amountRequested}`,
  score: scoreAverage,
  status: STATUS_ORDER,
};

/** The default order: the most recently submitted first. */
export const DEFAULT_SORT: { sort: QueueSort; order: 'asc' | 'desc' } = { sort: 'submitted', order: 'desc' };

function orderOf(filters: Partial<QueueFilters>) {
  const sort = filters.sort ?? DEFAULT_SORT.sort;
  const order = filters.order ?? (filters.sort ? 'asc' : DEFAULT_SORT.order);
  const column = SORT_COLUMNS[sort];
  // NULLs (no score, no amount) last whatever the direction; the id breaks ties (stable pages).
  return order === 'asc'
    ? [sql`${column} IS NULL`, asc(column), asc(amiApplications.id)]
    : [sql`${column} IS NULL`, desc(column), desc(amiApplications.id)];
}

function baseSelect(db: Db) {
  return db
    .select(rowColumns)
    .from(amiApplications)
    .innerJoin(organisations, eq(organisations.id, amiApplications.leadOrganisationId))
    .leftJoin(amiWaves, eq(amiWaves.id, amiApplications.waveId))
    .leftJoin(assignee, eq(assignee.id, amiApplications.assigneeId));
}

/** One page of the queue and its total, in one round trip. */
export async function listQueue(
  db: Db,
  viewer: QueueViewer,
  filters: Partial<QueueFilters>,
  page: { page: number; perPage: number },
  now: Date,
): Promise<Page<QueueRow>> {
  const where = queueWhere(viewer, filters, now);
  const [items, [count]] = await db.batch([
    baseSelect(db)
      .where(where)
      .orderBy(...orderOf(filters))
      .limit(page.perPage)
      .offset((page.page - 1) * page.perPage),
    db.select({ n: sql<number>`count(*)` }).from(amiApplications).where(where),
  ]);
  return { items: items as QueueRow[], total: Number(count?.n ?? 0), ...page };
}

/** The ids of the whole filtered queue (« tout le filtre »), at most `limit`. */
export async function queueIds(
  db: Db,
  viewer: QueueViewer,
  filters: Partial<QueueFilters>,
  now: Date,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .select({ id: amiApplications.id })
    .from(amiApplications)
    .where(queueWhere(viewer, filters, now))
    .orderBy(asc(amiApplications.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** A row of the export, with the staff's private notes when asked for. */
export type ExportRow = QueueRow & { notes?: string };

/**
 * One chunk of the filtered queue after `afterId`, in id order (keyset pagination: each chunk is an
 * index range on the primary key, so the 200th chunk costs what the first did).
 */
export async function queueChunk(
  db: Db,
  viewer: QueueViewer,
  filters: Partial<QueueFilters>,
  now: Date,
  afterId: number,
  size: number,
  withNotes: boolean,
): Promise<ExportRow[]> {
  const rows = (await baseSelect(db)
    .where(and(queueWhere(viewer, filters, now), gt(amiApplications.id, afterId)))
    .orderBy(asc(amiApplications.id))
    .limit(size)) as QueueRow[];
  if (!withNotes || rows.length === 0) return rows;
  const notes = await db
    .select({
      applicationId: amiNotes.applicationId,
      authorName: amiNotes.authorName,
      body: amiNotes.body,
      createdAt: amiNotes.createdAt,
    })
    .from(amiNotes)
    .where(
      inArray(
        amiNotes.applicationId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(amiNotes.id));
  const byDossier = new Map<number, string[]>();
  for (const n of notes) {
    const list = byDossier.get(n.applicationId) ?? [];
    list.push(`[${n.createdAt.slice(0, 10)} ${n.authorName}] ${n.body}`);
    byDossier.set(n.applicationId, list);
  }
  return rows.map((r) => ({ ...r, notes: (byDossier.get(r.id) ?? []).join('\n\n') }));
}

/** Staff who may be given a dossier of `region`: instructors and admins whose scope covers it. */
export async function staffForRegion(db: Db, region: string, applicationId?: number) {
  const rows = await db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(
      and(
        inArray(users.role, ['instructor', 'admin']),
        sql`(${users.role} = 'admin' OR NOT EXISTS (SELECT 1 FROM staff_regions sr WHERE sr.user_id = ${users.id})
          OR EXISTS (SELECT 1 FROM staff_regions sr WHERE sr.user_id = ${users.id} AND sr.region = ${region}))`,
        // Neither a declared conflict nor membership of the lead organisation (an implied one).
        applicationId
          ? sql`NOT EXISTS (SELECT 1 FROM ami_conflicts c WHERE c.application_id = ${applicationId} AND c.user_id = ${users.id})
            AND NOT EXISTS (SELECT 1 FROM organisation_members om JOIN ami_applications a ON a.lead_organisation_id = om.organisation_id
              WHERE a.id = ${applicationId} AND om.user_id = ${users.id})`
          : sql`1`,
      ),
    )
    .orderBy(asc(users.name), asc(users.id));
  return rows;
}

/** Staff a viewer may filter the queue by (everyone staff; a short list). */
export function listStaff(db: Db) {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.role, ['instructor', 'admin']))
    .orderBy(asc(users.name), asc(users.id));
}

/** Waves, newest first (filters and forms). */
export function listWaveOptions(db: Db) {
  return db
    .select({ id: amiWaves.id, name: amiWaves.name })
    .from(amiWaves)
    .orderBy(desc(amiWaves.opensOn), desc(amiWaves.id));
}

/** The départements of some régions (a regional instructor's filter offers only those). */
export async function departementsOf(db: Db, regions: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectDistinct({ code: communes.departement })
    .from(communes)
    .where(inArray(communes.region, [...regions]))
    .orderBy(asc(communes.departement));
  return rows.map((r) => r.code);
}
