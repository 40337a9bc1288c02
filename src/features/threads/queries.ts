import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  listings,
  organisationMembers,
  organisations,
  threadMessages,
  threadReads,
  threads,
} from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { Conflict, Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import { getListingAccess, isPublic, LISTING_REFUSALS } from '../listings/access.ts';
import type { ListingRow } from '../listings/queries.ts';

export type ThreadRow = typeof threads.$inferSelect;
export type MessageRow = typeof threadMessages.$inferSelect;
export type ThreadSide = 'owner' | 'responder';

export const THREAD_REFUSALS = {
  read: 'Seuls les membres des deux organisations de cet échange peuvent le consulter.',
  respond: LISTING_REFUSALS.respond,
  notPublic: 'Cette annonce n’est plus publiée : on ne peut plus y répondre.',
  notMember: 'Vous ne pouvez répondre qu’au nom d’une organisation dont vous êtes membre.',
  noOrganisation: 'Rejoignez ou créez une organisation pour répondre à une annonce.',
  ownerOnly: 'Seule l’organisation qui a publié l’annonce peut accepter ou décliner.',
} as const;

/** The organisations a user belongs to, by name. */
export async function userOrganisations(db: Db, userId: number) {
  return db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId))
    .orderBy(asc(organisations.sortName));
}

/** Which side of the thread the user is on (null: neither). */
export async function viewerSide(
  db: Db,
  thread: Pick<ThreadRow, 'ownerOrganisationId' | 'responderOrganisationId'>,
  userId: number,
): Promise<ThreadSide | null> {
  const rows = await db
    .select({ organisationId: organisationMembers.organisationId })
    .from(organisationMembers)
    .where(
      and(
        eq(organisationMembers.userId, userId),
        inArray(organisationMembers.organisationId, [
          thread.ownerOrganisationId,
          thread.responderOrganisationId,
        ]),
      ),
    );
  const ids = new Set(rows.map((r) => r.organisationId));
  if (ids.has(thread.ownerOrganisationId)) return 'owner';
  if (ids.has(thread.responderOrganisationId)) return 'responder';
  return null;
}

export interface ThreadAccess {
  thread: ThreadRow;
  side: ThreadSide;
}

/** The thread for one of its two sides' members: 404 unknown, 401 anonymous, 403 anyone else. */
export async function threadForViewer(db: Db, threadId: number, viewer: SessionUser): Promise<ThreadAccess> {
  const [thread] = await db.select().from(threads).where(eq(threads.id, threadId));
  if (!thread) throw new NotFound('Échange introuvable.');
  const side = await viewerSide(db, thread, viewer.id);
  if (!side) throw new Forbidden(THREAD_REFUSALS.read);
  return { thread, side };
}

/** The side's organisation id. */
export function sideOrganisationId(thread: ThreadRow, side: ThreadSide): number {
  return side === 'owner' ? thread.ownerOrganisationId : thread.responderOrganisationId;
}

/**
 * Appends a message from one side and moves the thread's last-message time; its author (none for
 * demo data) has read it. The caller has checked that the author may write for `organisationId`.
 */
export async function appendMessage(
  db: Db,
  thread: Pick<ThreadRow, 'id'>,
  organisationId: number,
  authorId: number | null,
  body: string,
  now: string,
): Promise<MessageRow> {
  const [message] = await db
    .insert(threadMessages)
    .values({ threadId: thread.id, organisationId, authorId, body, createdAt: now })
    .returning();
  await db.update(threads).set({ lastMessageAt: now, updatedAt: now }).where(eq(threads.id, thread.id));
  if (authorId !== null) await markRead(db, thread.id, authorId, message!.id);
  return message!;
}

/**
 * The thread between a listing's organisation and a responding one: created (one per pair,
 * parallel-safe through the unique index) or the existing one. The caller has checked the rights.
 */
export async function startThread(
  db: Db,
  listing: Pick<ListingRow, 'id' | 'organisationId'>,
  responderOrganisationId: number,
  createdBy: number | null,
  at: string,
): Promise<{ thread: ThreadRow; created: boolean }> {
  const inserted = await db
    .insert(threads)
    .values({
      listingId: listing.id,
      ownerOrganisationId: listing.organisationId,
      responderOrganisationId,
      createdBy,
      lastMessageAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { thread: inserted[0], created: true };
  const [existing] = await db
    .select()
    .from(threads)
    .where(
      and(eq(threads.listingId, listing.id), eq(threads.responderOrganisationId, responderOrganisationId)),
    );
  return { thread: existing!, created: false };
}

export interface OpenResult {
  thread: ThreadRow;
  message: MessageRow;
  created: boolean;
}

/**
 * « Je suis intéressé·e »: opens the thread between the listing's organisation and the responder's
 * (one per pair, parallel-safe through the unique index) or reopens the existing one, with a message.
 * The caller has checked that the viewer is verified.
 */
export async function openThread(
  db: Db,
  viewer: SessionUser,
  input: { listingId: number; organisationId?: number; message: string },
  now: Date,
): Promise<OpenResult> {
  const access = await getListingAccess(db, input.listingId, viewer);
  if (!access) throw new NotFound('Annonce introuvable.');
  const { listing } = access;
  const mine = await userOrganisations(db, viewer.id);
  const others = mine.filter((o) => o.id !== listing.organisationId);
  if (access.memberRole !== null && others.length === 0) throw new Forbidden(THREAD_REFUSALS.respond);
  if (!isPublic(listing, now)) {
    if (access.memberRole !== null || access.onBehalfCoordinator)
      throw new Forbidden(THREAD_REFUSALS.respond);
    throw new NotFound('Annonce introuvable.');
  }
  if (mine.length === 0) throw new Forbidden(THREAD_REFUSALS.noOrganisation);
  let organisationId = input.organisationId;
  if (organisationId === undefined) {
    if (others.length !== 1) {
      throw new ValidationError({ organisationId: 'Choisissez l’organisation qui répond.' });
    }
    organisationId = others[0]!.id;
  }
  if (organisationId === listing.organisationId) throw new Forbidden(THREAD_REFUSALS.respond);
  if (!others.some((o) => o.id === organisationId)) throw new Forbidden(THREAD_REFUSALS.notMember);
  const at = now.toISOString();
  const { thread, created } = await startThread(db, listing, organisationId, viewer.id, at);
  const message = await appendMessage(db, thread, organisationId, viewer.id, input.message, at);
  return { thread: { ...thread, lastMessageAt: at, updatedAt: at }, message, created };
}

/** A new message from the viewer's side. */
export async function postMessage(
  db: Db,
  viewer: SessionUser,
  threadId: number,
  body: string,
  now: Date,
): Promise<{ access: ThreadAccess; message: MessageRow }> {
  const access = await threadForViewer(db, threadId, viewer);
  const message = await appendMessage(
    db,
    access.thread,
    sideOrganisationId(access.thread, access.side),
    viewer.id,
    body,
    now.toISOString(),
  );
  return { access, message };
}

/** The user has read the thread up to `messageId` (never backwards). */
export async function markRead(db: Db, threadId: number, userId: number, messageId: number) {
  await db
    .insert(threadReads)
    .values({ threadId, userId, lastReadMessageId: messageId })
    .onConflictDoUpdate({
      target: [threadReads.threadId, threadReads.userId],
      set: { lastReadMessageId: sql`MAX(${threadReads.lastReadMessageId}, excluded.last_read_message_id)` },
    });
}

export async function threadMessagesOf(db: Db, threadId: number) {
  return db
    .select({
      id: threadMessages.id,
      organisationId: threadMessages.organisationId,
      authorId: threadMessages.authorId,
      body: threadMessages.body,
      createdAt: threadMessages.createdAt,
    })
    .from(threadMessages)
    .where(eq(threadMessages.threadId, threadId))
    .orderBy(asc(threadMessages.id));
}

const unreadSql = (userId: number) => sql<number>`(SELECT COUNT(*) FROM ${threadMessages} m
  WHERE m.thread_id = ${threads.id} AND m.id > COALESCE((SELECT r.last_read_message_id FROM ${threadReads} r
    WHERE r.thread_id = ${threads.id} AND r.user_id = ${userId}), 0))`;

const memberOf = (userId: number) =>
  sql`SELECT organisation_id FROM ${organisationMembers} WHERE user_id = ${userId}`;

export interface ThreadSummary {
  id: number;
  listingId: number;
  listingTitle: string;
  ownerOrganisationId: number;
  ownerName: string;
  responderOrganisationId: number;
  responderName: string;
  status: ThreadRow['status'];
  lastMessageAt: string;
  version: number;
  unread: number;
}

/** The user's threads (both sides), unread first, then the most recent. */
export async function listThreads(
  db: Db,
  userId: number,
  filter: { listingId?: number } = {},
): Promise<ThreadSummary[]> {
  const unread = unreadSql(userId);
  const responder = sql<string>`(SELECT name FROM ${organisations} o WHERE o.id = ${threads.responderOrganisationId})`;
  return db
    .select({
      id: threads.id,
      listingId: threads.listingId,
      listingTitle: listings.title,
      ownerOrganisationId: threads.ownerOrganisationId,
      ownerName: organisations.name,
      responderOrganisationId: threads.responderOrganisationId,
      responderName: responder,
      status: threads.status,
      lastMessageAt: threads.lastMessageAt,
      version: threads.version,
      unread,
    })
    .from(threads)
    .innerJoin(listings, eq(listings.id, threads.listingId))
    .innerJoin(organisations, eq(organisations.id, threads.ownerOrganisationId))
    .where(
      and(
        or(
          sql`${threads.ownerOrganisationId} IN (${memberOf(userId)})`,
          sql`${threads.responderOrganisationId} IN (${memberOf(userId)})`,
        ),
        filter.listingId === undefined ? undefined : eq(threads.listingId, filter.listingId),
      ),
    )
    .orderBy(desc(sql`${unread} > 0`), desc(threads.lastMessageAt), desc(threads.id))
    .limit(500);
}

/** Unread messages over all the user's threads (header badge, Mon espace). */
export async function unreadTotal(db: Db, userId: number): Promise<number> {
  const rows = await listThreads(db, userId);
  return rows.reduce((sum, r) => sum + Number(r.unread), 0);
}

/** The user's existing thread on a listing, as one of their organisations (not the listing's). */
export async function viewerThreadsOnListing(db: Db, userId: number, listingId: number) {
  return db
    .select({ id: threads.id, responderOrganisationId: threads.responderOrganisationId })
    .from(threads)
    .where(
      and(eq(threads.listingId, listingId), sql`${threads.responderOrganisationId} IN (${memberOf(userId)})`),
    );
}

// ————————————————————————————————————————— funnel

export interface StatusChange {
  status: 'accepted' | 'declined' | 'concluded';
  version: number;
  reason?: ThreadRow['declineReason'];
  note?: string;
  outcome?: {
    euros?: number;
    fte?: number;
    m2?: number;
    tonnes?: number;
    peopleTrained?: number;
  };
}

/** Which status a thread may move to from which, and who may move it. */
export const TRANSITIONS: Record<StatusChange['status'], { from: ThreadRow['status']; by: ThreadSide[] }> = {
  accepted: { from: 'open', by: ['owner'] },
  declined: { from: 'open', by: ['owner'] },
  concluded: { from: 'accepted', by: ['owner', 'responder'] },
};

/**
 * Moves the thread along its funnel: `open` → `accepted` | `declined` (the listing's side),
 * `accepted` → `concluded` (either side, with an outcome). Invalid transition or stale version: 409.
 */
export async function changeStatus(
  db: Db,
  access: ThreadAccess,
  change: StatusChange,
  now: Date,
): Promise<ThreadRow> {
  const rule = TRANSITIONS[change.status];
  const { thread, side } = access;
  if (!rule.by.includes(side)) throw new Forbidden(THREAD_REFUSALS.ownerOnly);
  if (thread.version !== change.version) {
    throw new Conflict('Cet échange a changé entre-temps : rechargez la page.');
  }
  if (thread.status !== rule.from) {
    throw new Conflict(`Cet échange ne peut pas passer de « ${thread.status} » à « ${change.status} ».`);
  }
  if (change.status === 'declined' && !change.reason) {
    throw new ValidationError({ reason: 'Choisissez un motif.' });
  }
  const at = now.toISOString();
  const set: Partial<typeof threads.$inferInsert> = {
    status: change.status,
    version: thread.version + 1,
    updatedAt: at,
  };
  if (change.status === 'accepted') set.acceptedAt = at;
  if (change.status === 'declined') {
    set.declinedAt = at;
    set.declineReason = change.reason ?? null;
    set.declineNote = change.note || null;
  }
  if (change.status === 'concluded') {
    const o = change.outcome ?? {};
    set.concludedAt = at;
    set.outcomeEuros = o.euros ?? null;
    set.outcomeFte = o.fte ?? null;
    set.outcomeM2 = o.m2 ?? null;
    set.outcomeTonnes = o.tonnes ?? null;
    set.outcomePeopleTrained = o.peopleTrained ?? null;
    set.outcomeNote = change.note || null;
  }
  const [updated] = await db
    .update(threads)
    .set(set)
    .where(and(eq(threads.id, thread.id), eq(threads.version, change.version), eq(threads.status, rule.from)))
    .returning();
  if (!updated) throw new Conflict('Cet échange a changé entre-temps : rechargez la page.');
  return updated;
}

/** JSON of a thread (API). */
export function threadJson(thread: ThreadRow, extra: { unread?: number; messages?: unknown[] } = {}) {
  return {
    id: thread.id,
    listingId: thread.listingId,
    ownerOrganisationId: thread.ownerOrganisationId,
    responderOrganisationId: thread.responderOrganisationId,
    status: thread.status,
    declineReason: thread.declineReason,
    declineNote: thread.declineNote,
    outcome:
      thread.status === 'concluded'
        ? {
            euros: thread.outcomeEuros,
            fte: thread.outcomeFte,
            m2: thread.outcomeM2,
            tonnes: thread.outcomeTonnes,
            peopleTrained: thread.outcomePeopleTrained,
            note: thread.outcomeNote,
          }
        : null,
    acceptedAt: thread.acceptedAt,
    declinedAt: thread.declinedAt,
    concludedAt: thread.concludedAt,
    lastMessageAt: thread.lastMessageAt,
    createdAt: thread.createdAt,
    version: thread.version,
    ...extra,
  };
}
