import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  amiApplications,
  amiAttachments,
  amiEvents,
  amiMembers,
  amiReferenceCounters,
  amiWaves,
  poleMembers,
  poleStatusEvents,
  poles,
} from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { Conflict, Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { AMI_REFUSALS, actorFor, DOSSIER_NOT_FOUND, visibleDossier } from './access.ts';
import { type AmiApplicationRow, type DossierContent, openWave, submitErrors } from './dossier.ts';
import { notifyTransition } from './notify.ts';
import {
  type AmiStatus,
  checkTransition,
  DECISIONS,
  findTransition,
  type TransitionInput,
} from './workflow.ts';

export { DOSSIER_NOT_FOUND };

/** The content completeness and eligibility read: the row, its members' kinds, its dossier attachments. */
export async function loadDossierContent(db: Db, application: AmiApplicationRow): Promise<DossierContent> {
  const [members, [files]] = await db.batch([
    db.select({ kind: amiMembers.kind }).from(amiMembers).where(eq(amiMembers.applicationId, application.id)),
    db
      .select({ n: sql<number>`count(*)` })
      .from(amiAttachments)
      .where(and(eq(amiAttachments.applicationId, application.id), sql`${amiAttachments.messageId} IS NULL`)),
  ]);
  return { ...application, members, attachmentCount: Number(files?.n ?? 0) };
}

export interface TransitionResult {
  id: number;
  status: AmiStatus;
  version: number;
  reference: string | null;
}

/**
 * Applies a state change to a dossier: visible to the viewer (else 404), allowed by the table
 * (422) and to this viewer (403; a declared conflict of interest also forbids staff decisions),
 * at the `version` read (409), with what it requires (422: reason, sections and due date, wave and
 * amount; the submit's completeness and eligibility). The row update and its audit event are one
 * transaction, conditional on the version, so two concurrent requests make one change. Submit
 * gives the reference (`AMI-YYYY-NNNN`, a per-year counter incremented in the same transaction:
 * no gap, no duplicate); select checks the wave's envelope in the same statement as the update
 * (never exceeded under concurrent selections) and makes the lead organisation's pôle a lauréat.
 */
export async function applyTransition(
  deps: ServiceDeps,
  viewer: SessionUser,
  applicationId: number,
  input: TransitionInput & { version: number },
): Promise<TransitionResult> {
  const { db, clock } = deps;
  const now = clock.now();
  const { access, rights } = await visibleDossier(db, applicationId, viewer);
  const a = access.application;
  const wanted = findTransition(a.status, input.to);
  const actor = actorFor(rights, viewer, wanted?.by ?? []);
  if (!actor) throw new NotFound(DOSSIER_NOT_FOUND);
  // A stale version first: the loser of two concurrent decisions is told the dossier changed
  // (409, reload), not that its decision is illegal from a state it never saw (422).
  if (a.version !== input.version) throw staleVersion(a.version, input.version);
  const { transition, sections, dueAt } = checkTransition(a.status, actor, input, now);
  if (actor === 'applicant' && !viewer.emailVerified) throw new Forbidden(AMI_REFUSALS.edit);
  if (actor !== 'applicant' && access.conflict) throw new Forbidden(AMI_REFUSALS.conflict);

  const reason = input.reason?.trim() || null;
  const set: Record<string, unknown> = {
    status: transition.to,
    version: sql`${amiApplications.version} + 1`,
    updatedAt: now.toISOString(),
  };
  const details: Record<string, unknown> = {};
  const before = [];
  const after = [];
  const guard = and(
    eq(amiApplications.id, a.id),
    eq(amiApplications.version, input.version),
    eq(amiApplications.status, a.status),
  );

  if (transition.action === 'submit' || transition.action === 'resubmit') {
    const waves = await db.select().from(amiWaves);
    const wave =
      transition.action === 'submit' ? openWave(waves, now) : (waves.find((w) => w.id === a.waveId) ?? null);
    const errors = submitErrors(await loadDossierContent(db, a), wave);
    if (Object.keys(errors).length > 0)
      throw new ValidationError(
        errors,
        'Le dossier ne peut pas être déposé : complétez ou corrigez les champs indiqués.',
      );
    if (transition.action === 'submit') {
      const year = Number(now.toISOString().slice(0, 4));
      // The counter moves only if this submit will apply (same guard), inside the same transaction.
      before.push(
        db.run(sql`INSERT INTO ${amiReferenceCounters} (year, last)
          SELECT ${year}, 1 WHERE EXISTS (SELECT 1 FROM ${amiApplications} WHERE ${guard})
          ON CONFLICT (year) DO UPDATE SET last = last + 1`),
      );
      // The year is bound as text: a JS number binds as REAL in libSQL (« 2026.0 »).
      set.reference = sql`'AMI-' || ${String(year)} || '-' || printf('%04d', (SELECT last FROM ${amiReferenceCounters} WHERE year = ${year}))`;
      set.waveId = wave?.id ?? null;
      set.submittedAt = now.toISOString();
    } else {
      set.reopenedSections = [];
      set.changesDueAt = null;
    }
  }
  if (transition.action === 'take') {
    if (a.assigneeId === null) set.assigneeId = viewer.id;
    details.assigneeId = a.assigneeId ?? viewer.id;
  }
  if (transition.action === 'request_changes') {
    set.reopenedSections = sections;
    set.changesDueAt = dueAt;
    Object.assign(details, { sections, dueAt });
  }
  let budgetGuard = sql`1`;
  let wave: typeof amiWaves.$inferSelect | undefined;
  if (transition.action === 'select') {
    const amount = input.amountGranted as number;
    [wave] = await db
      .select()
      .from(amiWaves)
      .where(eq(amiWaves.id, input.waveId as number));
    if (!wave) throw new ValidationError({ waveId: 'Vague inconnue.' });
    if (amount > wave.ceiling)
      throw new ValidationError({
        amountGranted: `Le montant accordé dépasse le plafond par dossier de la vague (${euros(wave.ceiling)}).`,
      });
    if (a.amountRequested !== null && amount > a.amountRequested)
      throw new ValidationError({
        amountGranted: `Le montant accordé dépasse le montant demandé par le porteur (${euros(a.amountRequested)}).`,
      });
    set.waveId = wave.id;
    set.amountGranted = amount;
    Object.assign(details, { waveId: wave.id, amountGranted: amount });
    // Envelope check and update in one statement: SQLite serialises writers, so two concurrent
    // selections see each other's amounts and the sum never exceeds the envelope.
    budgetGuard = sql`(SELECT COALESCE(SUM(${amiApplications.amountGranted}), 0) FROM ${amiApplications}
      WHERE ${amiApplications.waveId} = ${wave.id} AND ${amiApplications.status} = 'selected') + ${amount}
      <= (SELECT ${amiWaves.envelope} FROM ${amiWaves} WHERE ${amiWaves.id} = ${wave.id})`;
  }
  if (DECISIONS.includes(transition.to)) set.decidedAt = now.toISOString();

  // Each statement after the update runs only if the one before it wrote: `changes()` is the row
  // count of the previous statement of this transaction (the update, then the event insert). A
  // lost race (same version, another request applied first) thus writes no event; checking the
  // row's new version and state instead would see the winner's update and write a second event.
  const applied = sql`changes() > 0`;
  after.push(
    db.run(sql`INSERT INTO ${amiEvents} (application_id, actor_id, actor_name, from_status, to_status, reason, visibility, details, at)
      SELECT ${a.id}, ${viewer.id}, ${viewer.name}, ${a.status}, ${transition.to}, ${reason}, ${transition.visibility},
        ${Object.keys(details).length ? JSON.stringify(details) : null}, ${now.toISOString()} WHERE ${applied}`),
  );
  if (transition.action === 'select') {
    // The pôles the lead organisation coordinates become lauréats, with the reason in their history.
    const coordinated = sql`SELECT ${poleMembers.poleId} FROM ${poleMembers} WHERE ${poleMembers.organisationId} = ${a.leadOrganisationId}
      AND ${poleMembers.role} = 'coordinator' AND ${poleMembers.status} = 'active'`;
    after.push(
      db.run(sql`INSERT INTO ${poleStatusEvents} (pole_id, from_status, to_status, reason, actor_id, application_id, at)
        SELECT ${poles.id}, ${poles.status}, 'laureate', ${`Dossier retenu : vague « ${wave?.name} »`}, ${viewer.id}, ${a.id}, ${now.toISOString()}
        FROM ${poles} WHERE ${poles.id} IN (${coordinated}) AND ${poles.status} <> 'laureate' AND ${applied}`),
      db.run(sql`UPDATE ${poles} SET status = 'laureate', version = version + 1, updated_at = ${now.toISOString()}
        WHERE ${poles.id} IN (${coordinated}) AND ${poles.status} <> 'laureate' AND ${applied}`),
    );
  }
  const update = db.update(amiApplications).set(set).where(and(guard, budgetGuard)).returning({
    id: amiApplications.id,
    status: amiApplications.status,
    version: amiApplications.version,
    reference: amiApplications.reference,
  });
  const results = await db.batch([...before, update, ...after] as unknown as [typeof update]);
  const [done] = results[before.length] as unknown as TransitionResult[];
  if (!done) {
    const [current] = await db
      .select({ version: amiApplications.version })
      .from(amiApplications)
      .where(eq(amiApplications.id, a.id));
    if (!current) throw new NotFound(DOSSIER_NOT_FOUND);
    if (current.version !== input.version) throw staleVersion(current.version, input.version);
    if (wave) {
      const remaining = await remainingBudget(db, wave.id);
      throw new Conflict(
        `Le montant accordé dépasse l’enveloppe restante de la vague « ${wave.name} » : il reste ${euros(remaining)}.`,
        { amountGranted: `Il reste ${euros(remaining)} dans l’enveloppe de la vague.` },
      );
    }
    throw staleVersion(current.version, input.version);
  }
  await notifyTransition(deps, { application: { ...a, ...done }, transition, reason, actor: viewer, dueAt });
  return done;
}

/** The envelope left in a wave: envelope − the amounts granted to its selected dossiers. */
export async function remainingBudget(db: Db, waveId: number): Promise<number> {
  const [row] = await db
    .select({
      // Qualified by hand: drizzle writes a single-table select's columns unqualified, and an
      // unqualified "id" in the subquery would be the dossier's id, not the wave's.
      remaining: sql<number>`ami_waves.envelope - (SELECT COALESCE(SUM(a.amount_granted), 0) FROM ami_applications a
        WHERE a.wave_id = ami_waves.id AND a.status = 'selected')`,
    })
    .from(amiWaves)
    .where(eq(amiWaves.id, waveId));
  return Number(row?.remaining ?? 0);
}

function staleVersion(current: number, given: number) {
  return new Conflict(
    `Ce dossier a été modifié entre-temps (version ${current}, vous partiez de la version ${given}) : rechargez-le puis recommencez.`,
    { version: 'Version périmée : rechargez le dossier.' },
  );
}

/** « 100 000 € ». */
export function euros(amount: number): string {
  return `${amount.toLocaleString('fr-FR')} €`;
}
