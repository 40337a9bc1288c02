import { asc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import { POLE_STATUSES, poleStatusEvents, poles, users } from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { Conflict, Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import { safeText } from '../../lib/text.ts';
import { POLE_STATUS_LABELS } from './labels.ts';

/**
 * A pôle's status (`emerging` → `established` → `laureate`) is no longer a free field: staff
 * (instructors, admins) change it with a reason, recorded in `pole_status_events` with the change in
 * one transaction; `laureate` comes only from the selection of the lead organisation's AMI dossier
 * (`applyTransition` writes that event). The history is shown on the pôle's page.
 */

export type PoleStatus = (typeof POLE_STATUSES)[number];

export const STATUS_STAFF_ONLY = 'Seule l’équipe d’instruction peut changer le statut d’un pôle.';
export const LAUREATE_BY_SELECTION =
  'Le statut « Lauréat » est donné par la sélection d’un dossier de l’AMI, pas à la main.';
/** Sent with `status` in a pôle's create or update body: the field moved. */
export const STATUS_MOVED =
  'Le statut ne se modifie plus avec le pôle : utilisez le changement de statut motivé (POST /api/v1/poles/{id}/status).';

export const poleStatusInput = z
  .object({
    status: z
      .enum(POLE_STATUSES, { error: 'Choisissez le nouveau statut.' })
      .refine((s) => s !== 'laureate', LAUREATE_BY_SELECTION),
    reason: safeText({ multiline: true, error: 'Indiquez le motif du changement.' })
      .min(1, 'Indiquez le motif du changement.')
      .max(1000, 'Le motif est limité à 1 000 caractères.'),
    version: z.coerce
      .number({ error: 'La version lue est obligatoire (contrôle des modifications concurrentes).' })
      .int()
      .positive('La version lue est obligatoire (contrôle des modifications concurrentes).'),
  })
  .meta({ id: 'PoleStatusChange' });
export type PoleStatusInput = z.output<typeof poleStatusInput>;

export interface PoleStatusEvent {
  id: number;
  fromStatus: PoleStatus;
  toStatus: PoleStatus;
  reason: string;
  actorName: string | null;
  applicationId: number | null;
  at: string;
}

/** A pôle's status history, oldest first. */
export async function poleStatusHistory(db: Db, poleId: number): Promise<PoleStatusEvent[]> {
  return historyQuery(db).all({ poleId });
}

/** Every pôle page reads it: built and prepared once per database. */
const historyQuery = (db: Db) =>
  prepared(db, 'pole-status-history', () =>
    db
      .select({
        id: poleStatusEvents.id,
        fromStatus: poleStatusEvents.fromStatus,
        toStatus: poleStatusEvents.toStatus,
        reason: poleStatusEvents.reason,
        actorName: users.name,
        applicationId: poleStatusEvents.applicationId,
        at: poleStatusEvents.at,
      })
      .from(poleStatusEvents)
      .leftJoin(users, eq(users.id, poleStatusEvents.actorId))
      .where(eq(poleStatusEvents.poleId, sql.placeholder('poleId')))
      .orderBy(asc(poleStatusEvents.id))
      .prepare(),
  );

/**
 * Changes a pôle's status with a reason (staff only, else 403): at the `version` read (409 when
 * stale), never to the same status (422) nor to `laureate` (422: selection only). The update and
 * its history row are one transaction; the row is written only if the update applied.
 */
export async function changePoleStatus(
  db: Db,
  viewer: Pick<SessionUser, 'id' | 'role'>,
  poleId: number,
  input: PoleStatusInput,
  now: Date,
): Promise<{ status: PoleStatus; version: number }> {
  if (viewer.role !== 'instructor' && viewer.role !== 'admin') throw new Forbidden(STATUS_STAFF_ONLY);
  if ((input.status as PoleStatus) === 'laureate')
    throw new ValidationError({ status: LAUREATE_BY_SELECTION });
  const [pole] = await db
    .select({ status: poles.status, version: poles.version })
    .from(poles)
    .where(eq(poles.id, poleId));
  if (!pole) throw new NotFound('Pôle introuvable.');
  const stale = () =>
    new Conflict('Ce pôle a été modifié entre-temps : rechargez la page puis recommencez.', {
      version: 'Version périmée : rechargez la page du pôle.',
    });
  if (pole.version !== input.version) throw stale();
  if (pole.status === input.status)
    throw new ValidationError({
      status: `Le pôle a déjà le statut « ${POLE_STATUS_LABELS[input.status]} ».`,
    });
  const at = now.toISOString();
  const [updated] = await db.batch([
    db
      .update(poles)
      .set({ status: input.status, version: sql`${poles.version} + 1`, updatedAt: at })
      .where(
        sql`${poles.id} = ${poleId} AND ${poles.version} = ${input.version} AND ${poles.status} = ${pole.status}`,
      )
      .returning({ status: poles.status, version: poles.version }),
    // Only if the update just above changed the row (`changes()`: the previous statement's count).
    db.run(sql`INSERT INTO ${poleStatusEvents} (pole_id, from_status, to_status, reason, actor_id, at)
      SELECT ${poleId}, ${pole.status}, ${input.status}, ${input.reason}, ${viewer.id}, ${at} WHERE changes() > 0`),
  ]);
  const [row] = updated;
  if (!row) throw stale();
  return row;
}

export const poleStatusEventsOutput = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      fromStatus: z.enum(POLE_STATUSES),
      toStatus: z.enum(POLE_STATUSES),
      reason: z.string(),
      actorName: z.string().nullable().optional(),
      applicationId: z.number().nullable(),
      at: z.string(),
    }),
  ),
});
