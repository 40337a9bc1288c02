import { and, eq, gt, ne, sql } from 'drizzle-orm';
import {
  jobMarks,
  listings,
  notificationSettings,
  organisationMembers,
  organisations,
  threadMessages,
  threads,
  users,
} from '../../db/schema.ts';
import type { ScheduledJob } from '../jobs/scheduled.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { sendEmail } from '../notifications/mailer.ts';
import { createUnsubscribeLink, unsubscribeHeaders } from '../notifications/unsubscribe.ts';
import type { MessageRow, ThreadRow } from './queries.ts';

const footer = (link: string, origin: string) =>
  `\n\n—\nRégler vos notifications : ${origin}/mon-espace/notifications\nNe plus recevoir ces courriels : ${link}\n`;

/**
 * Emails the other side's members about a new message, each as their setting says: `immediate`
 * (or no setting) now; `daily` waits for the digest job; `never` nothing. Plain text: a hostile
 * title stays text.
 */
export async function notifyNewMessage(deps: ServiceDeps, thread: ThreadRow, message: MessageRow) {
  const { db } = deps;
  const otherOrganisationId =
    message.organisationId === thread.ownerOrganisationId
      ? thread.responderOrganisationId
      : thread.ownerOrganisationId;
  const recipients = await db
    .select({ id: users.id, email: users.email, frequency: notificationSettings.messages })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
    .where(
      and(eq(organisationMembers.organisationId, otherOrganisationId), ne(users.id, message.authorId ?? 0)),
    );
  const immediate = recipients.filter((r) => (r.frequency ?? 'immediate') === 'immediate');
  if (immediate.length === 0) return;
  const [context] = await db
    .select({ title: listings.title, author: organisations.name })
    .from(listings)
    .innerJoin(organisations, eq(organisations.id, message.organisationId))
    .where(eq(listings.id, thread.listingId));
  const url = `${deps.origin}/echanges/${thread.id}`;
  for (const r of immediate) {
    const link = await createUnsubscribeLink(db, r.id, 'messages', deps.origin, deps.clock.now());
    await sendEmail(db, deps, {
      to: r.email,
      subject: `Nouveau message de ${context?.author ?? 'une organisation'} : ${context?.title ?? 'annonce'}`,
      text: `${context?.author} vous a écrit à propos de l’annonce « ${context?.title} » :\n\n${message.body}\n\nRépondre : ${url}${footer(link, deps.origin)}`,
      headers: unsubscribeHeaders(link),
    });
  }
}

const DIGEST_JOB = 'thread-messages-digest';

/**
 * The daily digest of new messages for members whose setting is `daily`: the messages of the last
 * 24 hours written by the other side. One mark per (user, day) in `job_marks`: a second run that
 * day sends nothing.
 */
export async function sendMessageDigests(deps: ServiceDeps): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  const day = now.toISOString().slice(0, 10);
  const since = new Date(now.getTime() - 24 * 3600_000).toISOString();
  const daily = await db
    .select({ id: users.id, email: users.email })
    .from(notificationSettings)
    .innerJoin(users, eq(users.id, notificationSettings.userId))
    .where(eq(notificationSettings.messages, 'daily'));
  let sent = 0;
  for (const user of daily) {
    const mine = sql`SELECT organisation_id FROM ${organisationMembers} WHERE user_id = ${user.id}`;
    const rows = await db
      .select({
        threadId: threads.id,
        title: listings.title,
        author: organisations.name,
        body: threadMessages.body,
      })
      .from(threadMessages)
      .innerJoin(threads, eq(threads.id, threadMessages.threadId))
      .innerJoin(listings, eq(listings.id, threads.listingId))
      .innerJoin(organisations, eq(organisations.id, threadMessages.organisationId))
      .where(
        and(
          gt(threadMessages.createdAt, since),
          sql`(${threads.ownerOrganisationId} IN (${mine}) OR ${threads.responderOrganisationId} IN (${mine}))`,
          sql`${threadMessages.organisationId} NOT IN (${mine})`,
        ),
      )
      .orderBy(threadMessages.id)
      .limit(200);
    if (rows.length === 0) continue;
    const marked = await db
      .insert(jobMarks)
      .values({ job: DIGEST_JOB, key: `${user.id}:${day}`, createdAt: now.toISOString() })
      .onConflictDoNothing()
      .returning();
    if (marked.length === 0) continue;
    const link = await createUnsubscribeLink(db, user.id, 'messages', deps.origin, now);
    const lines = rows.map(
      (r) => `• ${r.author}, « ${r.title} » :\n${r.body}\n${deps.origin}/echanges/${r.threadId}\n`,
    );
    await sendEmail(db, deps, {
      to: user.email,
      subject: `Vos échanges : ${rows.length} nouveau${rows.length > 1 ? 'x' : ''} message${rows.length > 1 ? 's' : ''}`,
      text: `Les nouveaux messages de vos échanges depuis hier :\n\n${lines.join('\n')}${footer(link, deps.origin)}`,
      headers: unsubscribeHeaders(link),
    });
    sent += 1;
  }
  return sent;
}

export const messageDigestJob: ScheduledJob = { name: DIGEST_JOB, run: sendMessageDigests };
