import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  listingReports,
  listings,
  moderationActions,
  organisationMembers,
  organisations,
  type REPORT_REASONS,
  users,
} from '../../db/schema.ts';
import { Conflict, NotFound } from '../../lib/errors.ts';

export type ReportReason = (typeof REPORT_REASONS)[number];

export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  spam: 'Indésirable ou publicité',
  inappropriate: 'Contenu inapproprié',
  misleading: 'Trompeuse ou frauduleuse',
  not_pooling: 'Sans rapport avec la mutualisation',
  other: 'Autre motif',
};

/** Reports per user: the 21st within an hour is refused (429). */
export const REPORT_RULE = { limit: 20, windowMs: 60 * 60_000 };

export async function createReport(
  db: Db,
  input: { listingId: number; reporterId: number; reason: ReportReason; note?: string | undefined },
  now: Date,
) {
  const [row] = await db
    .insert(listingReports)
    .values({
      listingId: input.listingId,
      reporterId: input.reporterId,
      reason: input.reason,
      note: input.note || null,
      createdAt: now.toISOString(),
    })
    .returning();
  return row!;
}

export async function countOpenReports(db: Db, listingId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(listingReports)
    .where(and(eq(listingReports.listingId, listingId), eq(listingReports.status, 'open')));
  return Number(row?.n ?? 0);
}

export interface ReportGroup {
  listing: { id: number; title: string; status: string; organisationName: string };
  reports: Array<{
    id: number;
    reason: ReportReason;
    note: string | null;
    createdAt: string;
    reporter: string | null;
  }>;
  history: Array<{ action: string; reason: string | null; createdAt: string; actor: string | null }>;
}

/**
 * Listings with open reports, the one reported earliest first, a page of `perPage` listings; each
 * with its open reports (oldest first) and its moderation history (newest first).
 */
export async function listOpenReportGroups(
  db: Db,
  page: number,
  perPage: number,
): Promise<{ groups: ReportGroup[]; total: number }> {
  const first = sql<string>`min(${listingReports.createdAt})`;
  const [ids, [count]] = await Promise.all([
    db
      .select({ listingId: listingReports.listingId, first })
      .from(listingReports)
      .where(eq(listingReports.status, 'open'))
      .groupBy(listingReports.listingId)
      .orderBy(asc(first), asc(listingReports.listingId))
      .limit(perPage)
      .offset((page - 1) * perPage),
    db
      .select({ n: sql<number>`count(DISTINCT ${listingReports.listingId})` })
      .from(listingReports)
      .where(eq(listingReports.status, 'open')),
  ]);
  const listingIds = ids.map((row) => row.listingId);
  if (listingIds.length === 0) return { groups: [], total: Number(count?.n ?? 0) };
  const [heads, reports, history] = await Promise.all([
    db
      .select({
        id: listings.id,
        title: listings.title,
        status: listings.status,
        organisationName: organisations.name,
      })
      .from(listings)
      .innerJoin(organisations, eq(organisations.id, listings.organisationId))
      .where(inArray(listings.id, listingIds)),
    db
      .select({
        id: listingReports.id,
        listingId: listingReports.listingId,
        reason: listingReports.reason,
        note: listingReports.note,
        createdAt: listingReports.createdAt,
        reporter: users.name,
      })
      .from(listingReports)
      .leftJoin(users, eq(users.id, listingReports.reporterId))
      .where(and(inArray(listingReports.listingId, listingIds), eq(listingReports.status, 'open')))
      .orderBy(asc(listingReports.createdAt), asc(listingReports.id)),
    db
      .select({
        listingId: moderationActions.listingId,
        action: moderationActions.action,
        reason: moderationActions.reason,
        createdAt: moderationActions.createdAt,
        actor: users.name,
      })
      .from(moderationActions)
      .leftJoin(users, eq(users.id, moderationActions.actorId))
      .where(inArray(moderationActions.listingId, listingIds))
      .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id)),
  ]);
  const groups = listingIds.flatMap((id) => {
    const head = heads.find((h) => h.id === id);
    if (!head) return [];
    return [
      {
        listing: head,
        reports: reports.filter((r) => r.listingId === id).map(({ listingId: _, ...r }) => r),
        history: history.filter((h) => h.listingId === id).map(({ listingId: _, ...h }) => h),
      },
    ];
  });
  return { groups, total: Number(count?.n ?? 0) };
}

/** Dismisses one open report; recorded. A report already resolved is a 409. */
export async function dismissReport(db: Db, reportId: number, actorId: number, now: Date) {
  const at = now.toISOString();
  const [report] = await db
    .update(listingReports)
    .set({ status: 'dismissed', resolvedAt: at, resolvedBy: actorId })
    .where(and(eq(listingReports.id, reportId), eq(listingReports.status, 'open')))
    .returning();
  if (!report) {
    const [exists] = await db
      .select({ id: listingReports.id })
      .from(listingReports)
      .where(eq(listingReports.id, reportId));
    if (!exists) throw new NotFound('Ce signalement n’existe pas.');
    throw new Conflict('Ce signalement a déjà été traité.');
  }
  await db.insert(moderationActions).values({
    listingId: report.listingId,
    reportId: report.id,
    actorId,
    action: 'dismiss',
    reason: null,
    createdAt: at,
  });
  return report;
}

/**
 * Unpublishes a listing (any status but `unpublished`): its open reports become `actioned`, the
 * action is recorded. Returns the listing's title and its organisation owners' addresses.
 */
export async function unpublishListing(
  db: Db,
  listingId: number,
  actorId: number,
  reason: string,
  now: Date,
): Promise<{ title: string; ownerEmails: string[] }> {
  const at = now.toISOString();
  const [row] = await db
    .update(listings)
    .set({ status: 'unpublished', version: sql`${listings.version} + 1`, updatedAt: at })
    .where(and(eq(listings.id, listingId), ne(listings.status, 'unpublished')))
    .returning({ id: listings.id, title: listings.title, organisationId: listings.organisationId });
  if (!row) {
    const [exists] = await db.select({ id: listings.id }).from(listings).where(eq(listings.id, listingId));
    if (!exists) throw new NotFound('Cette annonce n’existe pas.');
    throw new Conflict('Cette annonce est déjà dépubliée.');
  }
  await db
    .update(listingReports)
    .set({ status: 'actioned', resolvedAt: at, resolvedBy: actorId })
    .where(and(eq(listingReports.listingId, listingId), eq(listingReports.status, 'open')));
  await db
    .insert(moderationActions)
    .values({ listingId, reportId: null, actorId, action: 'unpublish', reason, createdAt: at });
  const owners = await db
    .select({ email: users.email })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(
      and(eq(organisationMembers.organisationId, row.organisationId), eq(organisationMembers.role, 'owner')),
    );
  return { title: row.title, ownerEmails: owners.map((o) => o.email) };
}
