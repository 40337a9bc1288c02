import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  AMI_CRITERIA,
  amiApplications,
  amiConflicts,
  amiEvents,
  amiNotes,
  amiScores,
  users,
} from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { AppError, Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import { AMI_REFUSALS, type AmiAccess, amiRights, getAmiAccess } from '../ami/access.ts';
import { type MessageDeps, postMessage } from '../ami/messages.ts';
import { applyTransition, DOSSIER_NOT_FOUND } from '../ami/transitions.ts';
import { isStaff, staffForRegion } from './queue.ts';
import type { ScoreInput } from './schemas.ts';

/** The staff member, or 403 (applicants and anonymous never reach the instruction tools). */
export function assertStaff(viewer: SessionUser): void {
  if (!isStaff(viewer)) throw new Forbidden(AMI_REFUSALS.staffOnly);
}

/**
 * A dossier as staff see it: the viewer is staff (else 403), the dossier exists, is submitted and
 * in their scope (else 404: a regional instructor never learns of another région's dossiers).
 */
export async function staffAccess(db: Db, viewer: SessionUser, applicationId: number): Promise<AmiAccess> {
  assertStaff(viewer);
  const access = await getAmiAccess(db, applicationId, viewer);
  if (!access || !amiRights(access, viewer).staff) throw new NotFound(DOSSIER_NOT_FOUND);
  return access;
}

/** As {@link staffAccess}, and without a declared conflict of interest (score, assign, decide): else 403. */
export async function instructorAccess(db: Db, viewer: SessionUser, applicationId: number) {
  const access = await staffAccess(db, viewer, applicationId);
  if (access.conflict) throw new Forbidden(AMI_REFUSALS.conflict);
  return access;
}

// ————————————————————————————————————————— dates

/**
 * A `YYYY-MM-DD` typed in the form as the end of that day in Paris (23:59:59 Europe/Paris), in UTC.
 */
export function parisEndOfDay(day: string): string {
  const guess = new Date(`${day}T23:59:59Z`);
  const wall = new Date(`${guess.toLocaleString('sv-SE', { timeZone: 'Europe/Paris' }).replace(' ', 'T')}Z`);
  return new Date(guess.getTime() - (wall.getTime() - guess.getTime())).toISOString();
}

// ————————————————————————————————————————— notes

export function listNotes(db: Db, applicationId: number) {
  return db
    .select()
    .from(amiNotes)
    .where(eq(amiNotes.applicationId, applicationId))
    .orderBy(asc(amiNotes.id));
}

/** A private note (staff in scope; a conflict does not forbid writing what one knows). */
export async function addNote(db: Db, viewer: SessionUser, applicationId: number, body: string, now: Date) {
  await staffAccess(db, viewer, applicationId);
  const [note] = await db
    .insert(amiNotes)
    .values({
      applicationId,
      authorId: viewer.id,
      authorName: viewer.name,
      body,
      createdAt: now.toISOString(),
    })
    .returning();
  return note!;
}

// ————————————————————————————————————————— scores

export type ScoreGrid = typeof amiScores.$inferSelect & { reviewerName: string | null };

export async function listScores(db: Db, applicationId: number): Promise<ScoreGrid[]> {
  const rows = await db
    .select({ grid: amiScores, reviewerName: users.name })
    .from(amiScores)
    .leftJoin(users, eq(users.id, amiScores.reviewerId))
    .where(eq(amiScores.applicationId, applicationId))
    .orderBy(asc(amiScores.updatedAt));
  return rows.map((r) => ({ ...r.grid, reviewerName: r.reviewerName }));
}

/** Average and spread (max − min) of the grids' totals, and the average per criterion. */
export function scoreSummary(grids: readonly Pick<ScoreGrid, 'total' | (typeof AMI_CRITERIA)[number]>[]) {
  if (grids.length === 0) return null;
  const totals = grids.map((g) => g.total);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    count: grids.length,
    average: mean(totals),
    spread: Math.max(...totals) - Math.min(...totals),
    byCriterion: Object.fromEntries(AMI_CRITERIA.map((k) => [k, mean(grids.map((g) => g[k]))])) as Record<
      (typeof AMI_CRITERIA)[number],
      number
    >,
  };
}

/**
 * Saves the viewer's own grid (one per reviewer: an upsert on the (dossier, reviewer) key, so two
 * parallel saves leave one grid, the last one). Staff in scope without a conflict (else 404/403).
 */
export async function saveScore(
  db: Db,
  viewer: SessionUser,
  applicationId: number,
  input: ScoreInput,
  now: Date,
): Promise<ScoreGrid> {
  await instructorAccess(db, viewer, applicationId);
  const total = AMI_CRITERIA.reduce((sum, k) => sum + input[k], 0) / AMI_CRITERIA.length;
  const values = { ...input, total, updatedAt: now.toISOString() };
  const [grid] = await db
    .insert(amiScores)
    .values({ applicationId, reviewerId: viewer.id, ...values })
    .onConflictDoUpdate({ target: [amiScores.applicationId, amiScores.reviewerId], set: values })
    .returning();
  return { ...grid!, reviewerName: viewer.name };
}

// ————————————————————————————————————————— conflicts of interest

/**
 * Records the viewer's conflict of interest on a dossier (idempotent). From then on they can no
 * longer score, assign or decide it; a grid they saved before is withdrawn (a score given in
 * conflict must not weigh on the average and the waiting list); if it was assigned to them, it is
 * unassigned (a private event says so in the history).
 */
export async function declareConflict(
  db: Db,
  viewer: SessionUser,
  applicationId: number,
  note: string | undefined,
  now: Date,
) {
  const access = await staffAccess(db, viewer, applicationId);
  const a = access.application;
  const at = now.toISOString();
  const statements = [
    db
      .insert(amiConflicts)
      .values({ applicationId, userId: viewer.id, note: note || null, declaredAt: at })
      .onConflictDoNothing(),
    db
      .delete(amiScores)
      .where(and(eq(amiScores.applicationId, applicationId), eq(amiScores.reviewerId, viewer.id))) as never,
  ];
  if (a.assigneeId === viewer.id)
    statements.push(
      db
        .update(amiApplications)
        .set({ assigneeId: null, updatedAt: at })
        .where(
          and(eq(amiApplications.id, applicationId), eq(amiApplications.assigneeId, viewer.id)),
        ) as never,
      assignmentEvent(db, viewer, a.id, a.status, null, null, at) as never,
    );
  await db.batch(statements as unknown as [(typeof statements)[0]]);
  return { declaredAt: at };
}

// ————————————————————————————————————————— assignment

function assignmentEvent(
  db: Db,
  viewer: SessionUser,
  applicationId: number,
  status: (typeof amiApplications.$inferSelect)['status'],
  assigneeId: number | null,
  assigneeName: string | null,
  at: string,
) {
  // An assignment is not a state change: an event from the status to itself, private, with the
  // assignee in its details, so the audit trail says who gave the dossier to whom and when.
  return db.insert(amiEvents).values({
    applicationId,
    actorId: viewer.id,
    actorName: viewer.name,
    fromStatus: status,
    toStatus: status,
    reason: assigneeName ? `Attribué à ${assigneeName}` : 'Attribution retirée',
    visibility: 'private',
    details: { assigneeId },
    at,
  });
}

/**
 * Gives a dossier to a staff member (or to nobody: `null`). The viewer is staff in scope without a
 * conflict (404/403); the assignee is staff whose scope covers the dossier and who declared no
 * conflict on it (else 422 on `assigneeId`). A private audit event records it. Returns whether
 * anything changed (assigning to the current assignee is a no-op without an event).
 */
export async function assignDossier(
  db: Db,
  viewer: SessionUser,
  applicationId: number,
  assigneeId: number | null,
  now: Date,
): Promise<{ assigneeId: number | null; changed: boolean }> {
  const access = await instructorAccess(db, viewer, applicationId);
  const a = access.application;
  let assigneeName: string | null = null;
  if (assigneeId !== null) {
    const candidates = await staffForRegion(db, a.region, a.id);
    const chosen = candidates.find((s) => s.id === assigneeId);
    if (!chosen)
      throw new ValidationError({
        assigneeId:
          'Choisissez un membre de l’équipe d’instruction compétent pour cette région et sans conflit d’intérêts déclaré.',
      });
    assigneeName = chosen.name;
  }
  if (a.assigneeId === assigneeId) return { assigneeId, changed: false };
  const at = now.toISOString();
  await db.batch([
    db.update(amiApplications).set({ assigneeId, updatedAt: at }).where(eq(amiApplications.id, a.id)),
    assignmentEvent(db, viewer, a.id, a.status, assigneeId, assigneeName, at),
  ]);
  return { assigneeId, changed: true };
}

// ————————————————————————————————————————— bulk actions

export type BulkAction = 'assign' | 'take' | 'message';

export interface BulkOutcome {
  id: number;
  reference: string | null;
  projectName: string;
  ok: boolean;
  /** What happened, in French (the refusal's message on failure). */
  message: string;
}

/**
 * Runs one action on each dossier of a selection, one at a time through the same functions as the
 * dossier page (so each gets the same checks and audit events), and reports each outcome: a
 * refusal on one dossier (out of scope, conflict, wrong state, stale) never stops the others.
 */
export async function runBulk(
  deps: MessageDeps,
  viewer: SessionUser,
  ids: readonly number[],
  action: BulkAction,
  options: { assigneeId?: number | null; body?: string },
): Promise<BulkOutcome[]> {
  assertStaff(viewer);
  const outcomes: BulkOutcome[] = [];
  for (const id of ids) {
    const [row] = await deps.db
      .select({
        reference: amiApplications.reference,
        projectName: amiApplications.projectName,
        version: amiApplications.version,
      })
      .from(amiApplications)
      .where(eq(amiApplications.id, id));
    const base = { id, reference: row?.reference ?? null, projectName: row?.projectName ?? '' };
    try {
      if (!row) throw new NotFound(DOSSIER_NOT_FOUND);
      if (action === 'take') {
        await applyTransition(deps, viewer, id, { to: 'under_review', version: row.version });
        outcomes.push({ ...base, ok: true, message: 'Pris en instruction.' });
      } else if (action === 'assign') {
        const { changed } = await assignDossier(
          deps.db,
          viewer,
          id,
          options.assigneeId ?? null,
          deps.clock.now(),
        );
        outcomes.push({
          ...base,
          ok: true,
          message: changed ? 'Attribué.' : 'Déjà attribué à cette personne.',
        });
      } else {
        // A staff message: in scope and without a conflict (declared, or a member of the lead
        // organisation, whose postMessage would otherwise write as the applicant).
        await instructorAccess(deps.db, viewer, id);
        // The dossier page's own message function (wt/files): stored, emailed to the lead's members.
        await postMessage(deps, id, viewer, { body: options.body ?? '' });
        outcomes.push({ ...base, ok: true, message: 'Message envoyé.' });
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const fields = error.fields;
      const detail = fields ? Object.values(fields).join(' ') : '';
      const hidden = error instanceof NotFound;
      outcomes.push({
        ...(hidden ? { id, reference: null, projectName: '' } : base),
        ok: false,
        message: [error.message, detail].filter(Boolean).join(' '),
      });
    }
  }
  return outcomes;
}
