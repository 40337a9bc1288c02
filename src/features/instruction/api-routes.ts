import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { idParam } from '../../lib/params.ts';
import { validBody, validQuery } from '../../lib/validation.ts';
import { applyTransition } from '../ami/transitions.ts';
import { requireUser, requireVerifiedUser } from '../auth/session.ts';
import { serviceDeps } from '../notifications/deps.ts';
import { csvResponse } from './export.ts';
import { listQueue, type QueueRow } from './queue.ts';
import {
  assignInput,
  conflictInput,
  exportQuery,
  noteInput,
  queueApiQuery,
  scoreInput,
  transitionInput,
} from './schemas.ts';
import {
  addNote,
  assertStaff,
  assignDossier,
  declareConflict,
  listNotes,
  listScores,
  parisEndOfDay,
  saveScore,
  scoreSummary,
  staffAccess,
} from './tools.ts';

/** A queue row in the JSON API; the scores and the assignee only for staff. */
export function applicationListJson(row: QueueRow, staff: boolean) {
  const base = {
    id: row.id,
    reference: row.reference,
    status: row.status,
    version: row.version,
    projectName: row.projectName,
    stage: row.stage,
    region: row.region,
    departement: row.departement,
    lead: { name: row.leadName, siret: row.leadSiret },
    waveId: row.waveId,
    amountRequested: row.amountRequested,
    amountGranted: row.amountGranted,
    submittedAt: row.submittedAt,
    decidedAt: row.decidedAt,
    changesDueAt: row.changesDueAt,
  };
  if (!staff) return base;
  return {
    ...base,
    assigneeId: row.assigneeId,
    score: { average: row.scoreAverage, spread: row.scoreSpread, count: row.scoreCount },
  };
}

const staffRole = (role: string) => role === 'instructor' || role === 'admin';

export const instructionApiRoutes = new Hono<AppEnv>()
  .get('/api/v1/ami/applications', validQuery(queueApiQuery), async (c) => {
    const viewer = requireUser(c);
    const { page, perPage, ...filters } = c.req.valid('query');
    const staff = staffRole(viewer.role);
    // Applicants list their organisations' dossiers; the staff-only filters mean nothing to them,
    // and a sort by score would reveal the staff's hidden scores through the order.
    const usable = staff
      ? filters
      : {
          ...filters,
          assignee: undefined,
          mine: undefined,
          ...(filters.sort === 'score' ? { sort: undefined, order: undefined } : {}),
        };
    const result = await listQueue(c.get('db'), viewer, usable, { page, perPage }, c.get('deps').clock.now());
    return c.json({ ...result, items: result.items.map((r) => applicationListJson(r, staff)) });
  })
  .get('/api/v1/ami/applications.csv', validQuery(exportQuery), (c) => {
    const viewer = requireUser(c);
    assertStaff(viewer);
    return csvResponse(c, viewer, c.req.valid('query'));
  })
  .post('/api/v1/ami/applications/:id/transitions', validBody('json', transitionInput), async (c) => {
    const viewer = requireVerifiedUser(c);
    const { dueAt, ...input } = c.req.valid('json');
    const result = await applyTransition(serviceDeps(c), viewer, idParam(c), {
      ...input,
      // A bare date is the end of that day in Paris, as on the page.
      dueAt: dueAt && dueAt.length === 10 ? parisEndOfDay(dueAt) : dueAt,
    });
    return c.json(result);
  })
  .get('/api/v1/ami/applications/:id/notes', async (c) => {
    const viewer = requireUser(c);
    const access = await staffAccess(c.get('db'), viewer, idParam(c));
    const notes = await listNotes(c.get('db'), access.application.id);
    return c.json({
      items: notes.map((n) => ({
        id: n.id,
        authorId: n.authorId,
        authorName: n.authorName,
        body: n.body,
        createdAt: n.createdAt,
      })),
    });
  })
  .post('/api/v1/ami/applications/:id/notes', validBody('json', noteInput), async (c) => {
    const viewer = requireVerifiedUser(c);
    const note = await addNote(
      c.get('db'),
      viewer,
      idParam(c),
      c.req.valid('json').body,
      c.get('deps').clock.now(),
    );
    return c.json(
      { id: note.id, authorName: note.authorName, body: note.body, createdAt: note.createdAt },
      201,
    );
  })
  .get('/api/v1/ami/applications/:id/scores', async (c) => {
    const viewer = requireUser(c);
    const access = await staffAccess(c.get('db'), viewer, idParam(c));
    const grids = await listScores(c.get('db'), access.application.id);
    const summary = scoreSummary(grids);
    return c.json({
      items: grids.map(({ applicationId: _, ...g }) => g),
      average: summary?.average ?? null,
      spread: summary?.spread ?? null,
      count: grids.length,
    });
  })
  .put('/api/v1/ami/applications/:id/score', validBody('json', scoreInput), async (c) => {
    const viewer = requireVerifiedUser(c);
    const id = idParam(c);
    const grid = await saveScore(c.get('db'), viewer, id, c.req.valid('json'), c.get('deps').clock.now());
    const summary = scoreSummary(await listScores(c.get('db'), id));
    const { applicationId: _, reviewerName: __, ...own } = grid;
    return c.json({
      grid: own,
      average: summary?.average ?? null,
      spread: summary?.spread ?? null,
      count: summary?.count ?? 0,
    });
  })
  .post('/api/v1/ami/applications/:id/conflict', validBody('json', conflictInput), async (c) => {
    const viewer = requireVerifiedUser(c);
    const result = await declareConflict(
      c.get('db'),
      viewer,
      idParam(c),
      c.req.valid('json').note,
      c.get('deps').clock.now(),
    );
    return c.json({ conflict: true, ...result }, 201);
  })
  .post('/api/v1/ami/applications/:id/assign', validBody('json', assignInput), async (c) => {
    const viewer = requireVerifiedUser(c);
    const result = await assignDossier(
      c.get('db'),
      viewer,
      idParam(c),
      c.req.valid('json').assigneeId,
      c.get('deps').clock.now(),
    );
    return c.json({ assigneeId: result.assigneeId });
  });
