import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../../db/client.ts';
import {
  AMI_STATUSES,
  amiApplications,
  amiConflicts,
  amiScores,
  amiWaves,
  organisations,
} from '../../db/schema.ts';
import type { SessionUser } from '../../lib/context.ts';
import { Conflict, NotFound } from '../../lib/errors.ts';
import { safeText } from '../../lib/text.ts';
import { staffScopeSql } from '../ami/access.ts';
import { type AmiWaveRow, parisDay } from '../ami/dossier.ts';
import type { AmiStatus } from '../ami/workflow.ts';

/**
 * Waves (vagues) of the permanent call: created and edited by admins, each with its dates, its
 * budget envelope and its per-dossier ceiling. Waves may NOT overlap: the wave a dossier is
 * submitted in is the one open on the day of its submit (`openWave`), so two open waves would make
 * that choice arbitrary; an overlapping wave is refused (409, naming the other wave). See
 * docs/decisions/019.
 */

export const WAVE_NOT_FOUND = 'Vague introuvable.';
const MAX_EUROS = 1_000_000_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const isCalendarDay = (value: string) => {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

const day = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .refine(isCalendarDay, 'Indiquez une date valide au format AAAA-MM-JJ.');

const wholeEuros = (label: string) =>
  z
    .number({ error: `Indiquez ${label}, en euros.` })
    .int(`Indiquez ${label} en euros entiers.`)
    .min(1, `Indiquez ${label} (un montant positif).`)
    .max(MAX_EUROS, 'Un milliard d’euros au plus.');

const waveShape = {
  name: safeText({ error: 'Indiquez le nom de la vague.' })
    .min(1, 'Indiquez le nom de la vague.')
    .max(120, 'Le nom est limité à 120 caractères.'),
  opensAt: day('Indiquez la date d’ouverture.'),
  closesAt: day('Indiquez la date de clôture.'),
  envelope: wholeEuros('l’enveloppe'),
  ceiling: wholeEuros('le plafond par dossier'),
};

type WaveShape = z.infer<z.ZodObject<typeof waveShape>>;

const waveRules = (v: WaveShape, ctx: z.RefinementCtx) => {
  if (isCalendarDay(v.opensAt) && isCalendarDay(v.closesAt) && v.closesAt <= v.opensAt)
    ctx.addIssue({
      code: 'custom',
      path: ['closesAt'],
      message: 'La date de clôture doit suivre la date d’ouverture.',
    });
  if (v.ceiling > v.envelope)
    ctx.addIssue({
      code: 'custom',
      path: ['ceiling'],
      message: 'Le plafond par dossier ne peut pas dépasser l’enveloppe de la vague.',
    });
};

/** `POST /api/v1/ami/waves` (and `PATCH`, all fields): euros as whole numbers, dates `YYYY-MM-DD`. */
export const waveInput = z.object(waveShape).strict().superRefine(waveRules).meta({ id: 'AmiWaveInput' });
export type WaveInput = z.output<typeof waveInput>;

/** « 1 500 000 », « 1 500 000 € », « 1500000 » → 1500000; anything else stays a string (refused). */
const eurosFromForm = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const compact = value.replace(/[\s\u00a0\u202f€]/g, '');
  return /^\d{1,12}$/.test(compact) ? Number(compact) : value.trim() === '' ? undefined : value;
};

/** The same fields from the page form (amounts typed with spaces, € allowed). */
export const waveForm = z
  .object({
    ...waveShape,
    envelope: z.preprocess(eurosFromForm, waveShape.envelope),
    ceiling: z.preprocess(eurosFromForm, waveShape.ceiling),
  })
  .superRefine(waveRules);

/** The selection form of a dossier on the wave page. */
export const selectForm = z.object({
  amountGranted: z.preprocess(
    eurosFromForm,
    z
      .number({ error: 'Indiquez le montant accordé, en euros.' })
      .int('Indiquez le montant accordé en euros entiers.')
      .min(1, 'Indiquez le montant accordé, en euros (nombre entier positif).')
      .max(MAX_EUROS, 'Un milliard d’euros au plus.'),
  ),
  version: z.coerce.number().int().min(1),
});

/** The rejection form of a dossier on the wave page (reason shown to the applicant). */
export const rejectForm = z.object({
  reason: safeText({ multiline: true, error: 'Indiquez le motif de la décision.' })
    .min(1, 'Indiquez le motif de la décision.')
    .max(2000, 'Le motif est limité à 2 000 caractères.'),
  version: z.coerce.number().int().min(1),
});

export interface WaveSummary {
  id: number;
  name: string;
  opensOn: string;
  closesOn: string;
  envelope: number;
  ceiling: number;
  /** Sum of the amounts granted to the wave's selected dossiers. */
  granted: number;
  remaining: number;
  selectedCount: number;
  /** Dossiers of the wave (submitted in it or selected in it), drafts excluded. */
  dossierCount: number;
  /** Open on today's Paris day. */
  open: boolean;
}

// Qualified by hand: drizzle writes a single-table select's columns unqualified, so an unqualified
// "id" in these subqueries would be the dossier's own id, not the wave's.
const granted = sql<number>`COALESCE((SELECT SUM(a.amount_granted) FROM ami_applications a
  WHERE a.wave_id = ami_waves.id AND a.status = 'selected'), 0)`;
const selectedCount = sql<number>`(SELECT count(*) FROM ami_applications a
  WHERE a.wave_id = ami_waves.id AND a.status = 'selected')`;
const dossierCount = sql<number>`(SELECT count(*) FROM ami_applications a
  WHERE a.wave_id = ami_waves.id AND a.status <> 'draft')`;

const summaryColumns = {
  id: amiWaves.id,
  name: amiWaves.name,
  opensOn: amiWaves.opensOn,
  closesOn: amiWaves.closesOn,
  envelope: amiWaves.envelope,
  ceiling: amiWaves.ceiling,
  granted,
  selectedCount,
  dossierCount,
};

type SummaryRow = {
  [K in keyof typeof summaryColumns]: K extends 'granted' | 'selectedCount' | 'dossierCount'
    ? number
    : AmiWaveRow[K & keyof AmiWaveRow];
};

function toSummary(row: SummaryRow, now: Date): WaveSummary {
  const today = parisDay(now);
  const g = Number(row.granted);
  return {
    ...row,
    granted: g,
    remaining: row.envelope - g,
    selectedCount: Number(row.selectedCount),
    dossierCount: Number(row.dossierCount),
    open: row.opensOn <= today && today <= row.closesOn,
  };
}

/** Every wave, the latest opening first, with its budget consumed. */
export async function listWaves(db: Db, now: Date): Promise<WaveSummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(amiWaves)
    .orderBy(desc(amiWaves.opensOn), desc(amiWaves.id));
  return rows.map((r) => toSummary(r as SummaryRow, now));
}

/** One wave with its budget consumed; undefined when there is none. */
export async function findWave(db: Db, id: number, now: Date): Promise<WaveSummary | undefined> {
  const [row] = await db.select(summaryColumns).from(amiWaves).where(eq(amiWaves.id, id));
  return row ? toSummary(row as SummaryRow, now) : undefined;
}

/**
 * The wave's dossiers per status in the viewer's scope (drafts excluded; a regional instructor
 * counts their régions' dossiers only, as on the dashboard), every status present (0 when none).
 */
export async function countsByStatus(
  db: Db,
  waveId: number,
  viewer: Pick<SessionUser, 'id' | 'role'>,
): Promise<Record<AmiStatus, number>> {
  const rows = await db
    .select({ status: amiApplications.status, n: sql<number>`count(*)` })
    .from(amiApplications)
    .where(
      and(
        eq(amiApplications.waveId, waveId),
        ne(amiApplications.status, 'draft'),
        sql`${staffScopeSql(viewer.id, viewer.role, amiApplications.region)}`,
      ),
    )
    .groupBy(amiApplications.status);
  const counts = Object.fromEntries(AMI_STATUSES.map((s) => [s, 0])) as Record<AmiStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export interface WaitingEntry {
  id: number;
  reference: string | null;
  projectName: string;
  leadName: string;
  region: string;
  amountRequested: number | null;
  version: number;
  /** Mean of the reviewers' grid means (0–5); null when nobody scored. */
  averageScore: number | null;
  scoreCount: number;
  /** The viewer declared a conflict of interest on it (may not decide). */
  conflict: boolean;
}

/**
 * The waiting list: the wave's eligible dossiers in the viewer's scope, best average score first
 * (unscored last), then the earliest submitted.
 */
export async function waitingList(
  db: Db,
  waveId: number,
  viewer: Pick<SessionUser, 'id' | 'role'>,
): Promise<WaitingEntry[]> {
  const average = sql<
    number | null
  >`(SELECT AVG(${amiScores.total}) FROM ${amiScores} WHERE ${amiScores.applicationId} = ${amiApplications.id})`;
  const rows = await db
    .select({
      id: amiApplications.id,
      reference: amiApplications.reference,
      projectName: amiApplications.projectName,
      leadName: organisations.name,
      region: amiApplications.region,
      amountRequested: amiApplications.amountRequested,
      version: amiApplications.version,
      averageScore: average,
      scoreCount: sql<number>`(SELECT count(*) FROM ${amiScores} WHERE ${amiScores.applicationId} = ${amiApplications.id})`,
      // Declared, or implied by membership of the lead organisation (as getAmiAccess).
      conflict: sql<number>`(EXISTS (SELECT 1 FROM ${amiConflicts} WHERE ${amiConflicts.applicationId} = ${amiApplications.id} AND ${amiConflicts.userId} = ${viewer.id})
        OR EXISTS (SELECT 1 FROM organisation_members om WHERE om.organisation_id = ${amiApplications.leadOrganisationId} AND om.user_id = ${viewer.id}))`,
    })
    .from(amiApplications)
    .innerJoin(organisations, eq(organisations.id, amiApplications.leadOrganisationId))
    .where(
      and(
        eq(amiApplications.waveId, waveId),
        eq(amiApplications.status, 'eligible'),
        sql`${staffScopeSql(viewer.id, viewer.role, amiApplications.region)}`,
      ),
    )
    .orderBy(
      sql`${average} IS NULL`,
      sql`${average} DESC`,
      asc(amiApplications.submittedAt),
      asc(amiApplications.id),
    );
  return rows.map((r) => ({
    ...r,
    averageScore: r.averageScore === null ? null : Number(r.averageScore),
    scoreCount: Number(r.scoreCount),
    conflict: Boolean(r.conflict),
  }));
}

/** The wave whose days overlap [opensOn, closesOn], other than `exceptId`. */
async function overlapping(db: Db, opensOn: string, closesOn: string, exceptId?: number) {
  const [row] = await db
    .select({ id: amiWaves.id, name: amiWaves.name, opensOn: amiWaves.opensOn, closesOn: amiWaves.closesOn })
    .from(amiWaves)
    .where(
      and(
        sql`${amiWaves.opensOn} <= ${closesOn} AND ${amiWaves.closesOn} >= ${opensOn}`,
        exceptId ? ne(amiWaves.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  return row;
}

const frenchDay = (d: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));

function overlapConflict(other: { name: string; opensOn: string; closesOn: string }) {
  const message = `Ces dates chevauchent la vague « ${other.name} » (du ${frenchDay(other.opensOn)} au ${frenchDay(other.closesOn)}) : les vagues ne se chevauchent pas.`;
  return new Conflict(message, { opensAt: message });
}

/** Creates a wave (admin; the route checks the role). 409 when it overlaps another. */
export async function createWave(db: Db, input: WaveInput, userId: number, now: Date): Promise<AmiWaveRow> {
  const other = await overlapping(db, input.opensAt, input.closesAt);
  if (other) throw overlapConflict(other);
  const at = now.toISOString();
  // The overlap check and the insert are one statement, so two admins creating at once cannot overlap.
  const inserted =
    (await db.all(sql`INSERT INTO ${amiWaves} (name, opens_on, closes_on, envelope, ceiling, created_by, created_at, updated_at)
    SELECT ${input.name}, ${input.opensAt}, ${input.closesAt}, ${input.envelope}, ${input.ceiling}, ${userId}, ${at}, ${at}
    WHERE NOT EXISTS (SELECT 1 FROM ${amiWaves} WHERE ${amiWaves.opensOn} <= ${input.closesAt} AND ${amiWaves.closesOn} >= ${input.opensAt})
    RETURNING id`)) as { id: number }[];
  const [row] = inserted.length
    ? await db
        .select()
        .from(amiWaves)
        .where(eq(amiWaves.id, Number(inserted[0]!.id)))
    : [];
  if (!row) {
    const again = await overlapping(db, input.opensAt, input.closesAt);
    throw overlapConflict(again ?? { name: '?', opensOn: input.opensAt, closesOn: input.closesAt });
  }
  return row;
}

/**
 * Changes a wave (admin). 404 unknown; 409 when it would overlap another wave, or when the envelope
 * would fall below what is already granted in it.
 */
export async function updateWave(db: Db, id: number, input: WaveInput, now: Date): Promise<AmiWaveRow> {
  const current = await findWave(db, id, now);
  if (!current) throw new NotFound(WAVE_NOT_FOUND);
  const other = await overlapping(db, input.opensAt, input.closesAt, id);
  if (other) throw overlapConflict(other);
  const [row] = await db
    .update(amiWaves)
    .set({
      name: input.name,
      opensOn: input.opensAt,
      closesOn: input.closesAt,
      envelope: input.envelope,
      ceiling: input.ceiling,
      updatedAt: now.toISOString(),
    })
    .where(
      and(
        eq(amiWaves.id, id),
        // Checked in the statement: a selection or a wave created meanwhile is counted.
        sql`${input.envelope} >= COALESCE((SELECT SUM(a.amount_granted) FROM ami_applications a
          WHERE a.wave_id = ${id} AND a.status = 'selected'), 0)`,
        sql`NOT EXISTS (SELECT 1 FROM ami_waves w WHERE w.id <> ${id} AND w.opens_on <= ${input.closesAt} AND w.closes_on >= ${input.opensAt})`,
      ),
    )
    .returning();
  if (!row) {
    const again = await overlapping(db, input.opensAt, input.closesAt, id);
    if (again) throw overlapConflict(again);
    const fresh = await findWave(db, id, now);
    const message = `L’enveloppe ne peut pas être inférieure au montant déjà accordé dans cette vague (${(fresh?.granted ?? 0).toLocaleString('fr-FR')} €).`;
    throw new Conflict(message, { envelope: message });
  }
  return row;
}

/** The API's view of a wave. */
export function waveJson(w: WaveSummary) {
  return {
    id: w.id,
    name: w.name,
    opensAt: w.opensOn,
    closesAt: w.closesOn,
    envelope: w.envelope,
    ceiling: w.ceiling,
    granted: w.granted,
    remaining: w.remaining,
    selectedCount: w.selectedCount,
    dossierCount: w.dossierCount,
    open: w.open,
  };
}

export const waveOutput = z
  .object({
    id: z.number(),
    name: z.string(),
    opensAt: z.string(),
    closesAt: z.string(),
    envelope: z.number(),
    ceiling: z.number(),
    granted: z.number(),
    remaining: z.number(),
    selectedCount: z.number(),
    dossierCount: z.number(),
    open: z.boolean(),
  })
  .meta({ id: 'AmiWave' });
