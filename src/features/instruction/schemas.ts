import * as z from 'zod';
import { AMI_CRITERIA, AMI_SECTIONS, AMI_STAGES, AMI_STATUSES } from '../../db/schema.ts';
import { paginationQuery } from '../../lib/pagination.tsx';
import { safeText } from '../../lib/text.ts';
import { MESSAGE_MAX_LENGTH } from '../ami/messages.ts';
import { departementCode, regionCode } from '../geo/schemas.ts';

/** The statuses staff see in the queue (drafts are the applicant's alone). */
export const QUEUE_STATUSES = AMI_STATUSES.filter((s) => s !== 'draft');
export const QUEUE_SORTS = ['reference', 'submitted', 'amount', 'score', 'status'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

const id = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const euros = z.coerce
  .number({ error: 'Indiquez un montant en euros.' })
  .int('Indiquez un montant entier en euros.')
  .min(0, 'Le montant ne peut pas être négatif.')
  .max(1_000_000_000, 'Montant trop élevé.');
const flag = z.enum(['1'], { error: 'Valeur attendue : 1.' });

/**
 * The queue's filters, one schema per parameter: the pages read them leniently (an invalid one is
 * dropped and reported, docs/decisions/014), the JSON API and the exports strictly (400).
 */
export const queueFilterShape = {
  q: safeText().max(200, 'La recherche est limitée à 200 caractères.'),
  status: z.enum(AMI_STATUSES, { error: 'Statut inconnu.' }),
  waveId: id,
  region: regionCode,
  departement: departementCode,
  assignee: z.union([z.literal('none'), id], { error: 'Instructeur inconnu.' }),
  mine: flag,
  stage: z.enum(AMI_STAGES, { error: 'Stade inconnu.' }),
  amountMin: euros,
  amountMax: euros,
  overdue: flag,
  sort: z.enum(QUEUE_SORTS, { error: 'Tri inconnu.' }),
  order: z.enum(['asc', 'desc'], { error: 'Ordre : asc ou desc.' }),
};

export const queuePageShape = { ...queueFilterShape, page: paginationQuery.page };

/** The JSON API's list query (strict). */
export const queueApiQuery = z.object({
  ...Object.fromEntries(Object.entries(queueFilterShape).map(([k, s]) => [k, s.optional()])),
  ...paginationQuery,
}) as unknown as z.ZodType<Partial<QueueFilters> & { page: number; perPage: number }>;

/** The export's query: the queue's filters plus `notes=1` (the explicit staff export). */
export const exportQuery = z.object({
  ...Object.fromEntries(Object.entries(queueFilterShape).map(([k, s]) => [k, s.optional()])),
  notes: flag.optional(),
}) as unknown as z.ZodType<Partial<QueueFilters> & { notes?: '1' }>;

export interface QueueFilters {
  q: string;
  status: (typeof AMI_STATUSES)[number];
  waveId: number;
  region: string;
  departement: string;
  assignee: number | 'none';
  mine: '1';
  stage: (typeof AMI_STAGES)[number];
  amountMin: number;
  amountMax: number;
  overdue: '1';
  sort: QueueSort;
  order: 'asc' | 'desc';
}

const score = z
  .number({ error: 'Une note de 0 à 5.' })
  .int('Une note entière de 0 à 5.')
  .min(0, 'Une note de 0 à 5.')
  .max(5, 'Une note de 0 à 5.');
// The page form's criterion: typed digits. Not z.coerce: it read a blank field (and JSON null,
// true, [3]) as a number, so a criterion left empty was saved as 0.
const scoreField = z
  .string({ error: 'Une note de 0 à 5.' })
  .trim()
  .regex(/^\d{1,2}$/, 'Une note de 0 à 5.')
  .transform(Number)
  .pipe(score);

/** One reviewer's scoring grid (0–5 per criterion), as the JSON API takes it (numbers). */
export const scoreInput = z.object(
  Object.fromEntries(AMI_CRITERIA.map((k) => [k, score])) as Record<
    (typeof AMI_CRITERIA)[number],
    typeof score
  >,
);
/** The same grid from the staff page's form (text fields). */
export const scoreForm = z.object(
  Object.fromEntries(AMI_CRITERIA.map((k) => [k, scoreField])) as Record<
    (typeof AMI_CRITERIA)[number],
    typeof scoreField
  >,
);
export type ScoreInput = z.output<typeof scoreInput>;

export const noteInput = z.object({
  body: safeText({ multiline: true, error: 'Écrivez la note.' })
    .min(1, 'Écrivez la note.')
    .max(10_000, '10 000 caractères au plus.'),
});

export const conflictInput = z.object({
  note: safeText({ multiline: true }).max(2_000, '2 000 caractères au plus.').optional(),
});
export const conflictForm = conflictInput.extend({
  confirm: z.literal('1', { error: 'Cochez la case pour confirmer la déclaration.' }),
});

export const assignInput = z.object({
  assigneeId: z.union([id, z.null()], { error: 'Choisissez un membre de l’équipe d’instruction.' }),
});
export const assignForm = z.object({
  assigneeId: z.union([z.literal('').transform(() => null), id], {
    error: 'Choisissez un membre de l’équipe d’instruction.',
  }),
});

const reason = safeText({ multiline: true }).max(5_000, '5 000 caractères au plus.');

/** `POST …/:id/transitions` (JSON). */
export const transitionInput = z.object({
  to: z.enum(AMI_STATUSES, { error: 'État inconnu.' }),
  reason: reason.optional(),
  sections: z
    .array(z.string().max(40))
    .max(AMI_SECTIONS.length * 2)
    .optional(),
  dueAt: z.iso
    .datetime({ offset: true, error: 'Date limite : une date ISO 8601.' })
    .or(z.iso.date({ error: 'Date limite : une date ISO 8601.' }))
    .optional(),
  waveId: id.optional(),
  amountGranted: z.number().int().min(1).max(1_000_000_000).optional(),
  version: z.number({ error: 'Indiquez la version du dossier.' }).int().min(1),
});

/** The staff page's transition form (one form per transition; a date field for the due date). */
export const transitionForm = z.object({
  to: z.enum(AMI_STATUSES, { error: 'État inconnu.' }),
  version: z.coerce.number().int().min(1),
  reason: reason.optional(),
  sections: z
    .array(z.string().max(40))
    .max(AMI_SECTIONS.length * 2)
    .default([]),
  dueOn: z.union([z.literal(''), z.iso.date({ error: 'Indiquez une date valide.' })]).optional(),
  waveId: z.union([z.literal(''), id]).optional(),
  amountGranted: z.union([z.literal(''), euros]).optional(),
});

/** Bulk actions on a selection of the queue (ticked dossiers, or the whole filter). */
export const BULK_ACTIONS = ['assign', 'take', 'message'] as const;
export const bulkForm = z.object({
  action: z.enum(BULK_ACTIONS, { error: 'Choisissez une action.' }),
  ids: z.array(id).max(500, '500 dossiers au plus à la fois (ou « tout le filtre »).').default([]),
  all: z.literal('1').optional(),
  assigneeId: z.union([z.literal(''), id]).optional(),
  body: safeText({ multiline: true })
    .max(MESSAGE_MAX_LENGTH, `${MESSAGE_MAX_LENGTH.toLocaleString('fr-FR')} caractères au plus.`)
    .optional(),
  // The filters of « tout le filtre », as the queue form sent them (read leniently).
  filters: z.string().max(2_000).optional(),
});
