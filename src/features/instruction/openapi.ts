import * as z from 'zod';
import { AMI_STATUSES } from '../../db/schema.ts';
import type { Operation } from '../api-docs/operation.ts';
import {
  assignInput,
  conflictInput,
  exportQuery,
  noteInput,
  queueApiQuery,
  scoreInput,
  transitionInput,
} from './schemas.ts';

const applicationListItem = z.object({
  id: z.number().int(),
  reference: z.string().nullable(),
  status: z.enum(AMI_STATUSES),
  version: z.number().int(),
  projectName: z.string(),
  stage: z.enum(['emerging', 'consolidating']).nullable(),
  region: z.string(),
  departement: z.string(),
  lead: z.object({ name: z.string(), siret: z.string() }),
  waveId: z.number().int().nullable(),
  amountRequested: z.number().int().nullable(),
  amountGranted: z.number().int().nullable(),
  submittedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  changesDueAt: z.string().nullable(),
  assigneeId: z.number().int().nullable().optional().describe('Staff only'),
  score: z
    .object({ average: z.number().nullable(), spread: z.number().nullable(), count: z.number().int() })
    .optional()
    .describe('Staff only'),
});

export const applicationPageOutput = z.object({
  items: z.array(applicationListItem),
  total: z.number().int(),
  page: z.number().int(),
  perPage: z.number().int(),
});

export const transitionOutput = z.object({
  id: z.number().int(),
  status: z.enum(AMI_STATUSES),
  version: z.number().int(),
  reference: z.string().nullable(),
});

const noteOutput = z.object({
  id: z.number().int(),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.string(),
});

const gridOutput = z.object({
  reviewerId: z.number().int(),
  cooperation: z.number().int(),
  pooling: z.number().int(),
  anchoring: z.number().int(),
  innovation: z.number().int(),
  jobs: z.number().int(),
  economicModel: z.number().int(),
  total: z.number(),
  updatedAt: z.string(),
});

export const scoreOutput = z.object({
  grid: gridOutput,
  average: z.number().nullable(),
  spread: z.number().nullable(),
  count: z.number().int(),
});

/** The OpenAPI entries of the instruction routes (queue, exports, staff tools), joined in api-docs/openapi.ts. */
export const instructionOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/ami/applications',
    tag: 'ami',
    auth: 'required',
    summary:
      'AMI dossiers: staff get the queue of their scope (national, or their régions; never drafts) with score average/spread and assignee; anyone else the dossiers of their own organisations. Filters as on /instruction.',
    query: queueApiQuery,
    ok: { 200: '{ items, total, page, perPage }' },
    output: applicationPageOutput,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/ami/applications.csv',
    tag: 'ami',
    auth: 'required',
    summary:
      'Staff: the filtered queue as CSV (UTF-8 with BOM, `;`, CRLF), streamed; `notes=1` adds the private notes column',
    query: exportQuery,
    ok: { 200: 'CSV file (one row per dossier, header row first)' },
    outputFile: 'text/csv',
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/ami/applications/{id}/transitions',
    tag: 'ami',
    auth: 'required',
    summary:
      'Change a dossier’s state through the transition table (staff decisions; the applicant’s submit/resubmit/withdraw); `version` is the dossier’s current version (409 when stale)',
    body: transitionInput,
    ok: { 200: 'The dossier’s new state' },
    output: transitionOutput,
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/ami/applications/{id}/notes',
    tag: 'ami',
    auth: 'required',
    summary: 'Staff: the dossier’s private notes, oldest first',
    ok: { 200: '{ items }' },
    output: z.object({ items: z.array(noteOutput.extend({ authorId: z.number().int().nullable() })) }),
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/ami/applications/{id}/notes',
    tag: 'ami',
    auth: 'required',
    summary: 'Staff: add a private note (never shown to the applicant)',
    body: noteInput,
    ok: { 201: 'Note' },
    output: noteOutput,
    errors: [401, 403, 404, 422],
  },
  {
    method: 'get',
    path: '/api/v1/ami/applications/{id}/scores',
    tag: 'ami',
    auth: 'required',
    summary: 'Staff: every reviewer’s grid, their average and spread (max − min)',
    ok: { 200: '{ items, average, spread, count }' },
    output: z.object({
      items: z.array(gridOutput.extend({ reviewerName: z.string().nullable() })),
      average: z.number().nullable(),
      spread: z.number().nullable(),
      count: z.number().int(),
    }),
    errors: [401, 403, 404],
  },
  {
    method: 'put',
    path: '/api/v1/ami/applications/{id}/score',
    tag: 'ami',
    auth: 'required',
    summary: 'Staff without a conflict: save your own scoring grid (0–5 per criterion); total = mean',
    body: scoreInput,
    ok: { 200: 'Your grid and the dossier’s average and spread' },
    output: scoreOutput,
    errors: [401, 403, 404, 422],
  },
  {
    method: 'post',
    path: '/api/v1/ami/applications/{id}/conflict',
    tag: 'ami',
    auth: 'required',
    summary:
      'Staff: declare a conflict of interest on the dossier (then no scoring, assigning nor deciding it: 403)',
    body: conflictInput,
    ok: { 201: 'Declared' },
    output: z.object({ conflict: z.literal(true), declaredAt: z.string() }),
    errors: [401, 403, 404, 422],
  },
  {
    method: 'post',
    path: '/api/v1/ami/applications/{id}/assign',
    tag: 'ami',
    auth: 'required',
    summary:
      'Staff without a conflict: assign the dossier to a staff member of its région without a conflict (`null` unassigns); a private audit event records it',
    body: assignInput,
    ok: { 200: '{ assigneeId }' },
    output: z.object({ assigneeId: z.number().int().nullable() }),
    errors: [401, 403, 404, 422],
  },
];
