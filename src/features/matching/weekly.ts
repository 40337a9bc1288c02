import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { jobMarks, matchEmailOptOuts, organisationMembers, organisations, users } from '../../db/schema.ts';
import type { ScheduledJob } from '../jobs/scheduled.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { sendEmail } from '../notifications/mailer.ts';
import { createUnsubscribeLink, unsubscribeHeaders } from '../notifications/unsubscribe.ts';
import { type MatchItem, organisationMatches } from './queries.ts';

export const WEEKLY_JOB = 'weekly-matches';
/** A suggestion this good or better is worth an email. */
export const GOOD_MATCH = 0.5;
/** Suggestions looked at per organisation, and named per email. */
const PER_ORGANISATION = 5;

/** Whether a user receives the weekly suggestions email (no opt-out row: yes). */
export async function weeklyEmailOn(db: Db, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: matchEmailOptOuts.userId })
    .from(matchEmailOptOuts)
    .where(eq(matchEmailOptOuts.userId, userId));
  return !row;
}

export async function setWeeklyEmail(db: Db, userId: number, on: boolean, now: Date): Promise<void> {
  if (on) await db.delete(matchEmailOptOuts).where(eq(matchEmailOptOuts.userId, userId));
  else
    await db.insert(matchEmailOptOuts).values({ userId, createdAt: now.toISOString() }).onConflictDoNothing();
}

/** ISO 8601 week of a date, `2026-W49`: one email per user and week. */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The weekly email of new good suggestions, for each member of an organisation who did not opt
 * out: suggestions scoring at least {@link GOOD_MATCH} that were never emailed to that organisation
 * (one `job_marks` row per pair). Runs with the daily jobs; one mark per (user, ISO week) makes it
 * weekly and idempotent — the marks are written before the email is sent, in one batch.
 */
export async function sendWeeklyMatches(deps: ServiceDeps): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  const week = isoWeek(now);
  const recipients = await db
    .select({
      userId: users.id,
      email: users.email,
      organisationId: organisations.id,
      name: organisations.name,
    })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(
      and(
        sql`${users.emailVerifiedAt} IS NOT NULL`,
        sql`NOT EXISTS (SELECT 1 FROM ${matchEmailOptOuts} WHERE ${matchEmailOptOuts.userId} = ${users.id})`,
        sql`NOT EXISTS (SELECT 1 FROM ${jobMarks} WHERE ${jobMarks.job} = ${WEEKLY_JOB}
          AND ${jobMarks.key} = 'user:' || ${users.id} || ':' || ${week})`,
      ),
    )
    .orderBy(users.id, organisations.id);
  const byUser = new Map<number, { email: string; organisations: Array<{ id: number; name: string }> }>();
  for (const row of recipients) {
    const entry = byUser.get(row.userId) ?? { email: row.email, organisations: [] };
    entry.organisations.push({ id: row.organisationId, name: row.name });
    byUser.set(row.userId, entry);
  }
  const fresh = new Map<number, MatchItem[]>();
  let sent = 0;
  for (const [userId, user] of byUser) {
    const sections: string[] = [];
    const pairKeys: string[] = [];
    for (const organisation of user.organisations) {
      let items = fresh.get(organisation.id);
      if (!items) {
        const all = (await organisationMatches(db, organisation.id, { limit: PER_ORGANISATION, now })) ?? [];
        const good = all.filter((item) => item.score >= GOOD_MATCH);
        const keys = good.map((item) => `pair:${organisation.id}:${item.organisation.id}`);
        const known = keys.length
          ? await db
              .select({ key: jobMarks.key })
              .from(jobMarks)
              .where(
                and(
                  eq(jobMarks.job, WEEKLY_JOB),
                  sql`${jobMarks.key} IN (${sql.join(
                    keys.map((k) => sql`${k}`),
                    sql`, `,
                  )})`,
                ),
              )
          : [];
        const done = new Set(known.map((row) => row.key));
        items = good.filter((item) => !done.has(`pair:${organisation.id}:${item.organisation.id}`));
        fresh.set(organisation.id, items);
      }
      if (items.length === 0) continue;
      pairKeys.push(...items.map((item) => `pair:${organisation.id}:${item.organisation.id}`));
      sections.push(
        `Pour ${organisation.name} :\n\n${items
          .map(
            (item) =>
              `• ${item.organisation.name}\n  ${item.reasons.join('\n  ')}\n  ${deps.origin}/organisations/${item.organisation.id}`,
          )
          .join(
            '\n\n',
          )}\n\nToutes les suggestions : ${deps.origin}/organisations/${organisation.id}/partenaires`,
      );
    }
    if (sections.length === 0) continue;
    const at = now.toISOString();
    const marked = await db
      .insert(jobMarks)
      .values({ job: WEEKLY_JOB, key: `user:${userId}:${week}`, createdAt: at })
      .onConflictDoNothing()
      .returning();
    if (marked.length === 0) continue;
    await db
      .insert(jobMarks)
      .values([...new Set(pairKeys)].map((key) => ({ job: WEEKLY_JOB, key, createdAt: at })))
      .onConflictDoNothing();
    const link = await createUnsubscribeLink(db, userId, 'matches', deps.origin, now);
    await sendEmail(db, deps, {
      to: user.email,
      subject: 'De nouveaux partenaires possibles près de chez vous',
      text: `Voici les nouvelles organisations qui pourraient travailler avec vous cette semaine.\n\n${sections.join('\n\n')}\n\n—\nNe plus recevoir ce courriel hebdomadaire : ${link}\n`,
      headers: unsubscribeHeaders(link),
    });
    sent += 1;
  }
  return sent;
}

export const weeklyMatchesJob: ScheduledJob = { name: WEEKLY_JOB, run: sendWeeklyMatches };
