import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { staffRegions, users } from '../../db/schema.ts';
import type { AppContext, AppEnv, SessionUser } from '../../lib/context.ts';
import { readDirectoryQuery } from '../../lib/directory/query.ts';
import { respondDirectory } from '../../lib/directory/respond.tsx';
import { ValidationError } from '../../lib/errors.ts';
import { type FormRenderer, validForm } from '../../lib/form.ts';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { validQuery } from '../../lib/validation.ts';
import { parisDay } from '../ami/dossier.ts';
import { listDossierMessages } from '../ami/messages.ts';
import { DossierMessages } from '../ami/messages-panel.tsx';
import { listEvents, loadDossier } from '../ami/queries.ts';
import { applyTransition } from '../ami/transitions.ts';
import { availableTransitions, CHANGES_DUE_DAYS } from '../ami/workflow.ts';
import { requireUser, requireVerifiedUser } from '../auth/session.ts';
import { serviceDeps } from '../notifications/deps.ts';
import { loadDashboard } from './dashboard.ts';
import { csvResponse } from './export.ts';
import { departementsOf, listQueue, listStaff, listWaveOptions, queueIds, staffForRegion } from './queue.ts';
import {
  assignForm,
  bulkForm,
  conflictForm,
  exportQuery,
  noteInput,
  queueFilterShape,
  queuePageShape,
  scoreForm,
  transitionForm,
} from './schemas.ts';
import {
  addNote,
  assertStaff,
  assignDossier,
  declareConflict,
  listNotes,
  listScores,
  parisEndOfDay,
  runBulk,
  saveScore,
  scoreSummary,
  staffAccess,
} from './tools.ts';
import {
  BulkResultPage,
  DashboardPage,
  type FailedForm,
  QUEUE_PATH,
  QueuePage,
  QueueResults,
  type QueueViewModel,
  StaffDossierPage,
} from './views.tsx';

/** Staff only: anonymous → sign-in (GET), others 403. */
function requireStaff(c: AppContext): SessionUser {
  const viewer = requireUser(c);
  assertStaff(viewer);
  return viewer;
}

/** The viewer's régions (null: national). */
async function regionsOf(c: AppContext, viewer: SessionUser): Promise<string[] | null> {
  if (viewer.role === 'admin') return null;
  const rows = await c
    .get('db')
    .select({ region: staffRegions.region })
    .from(staffRegions)
    .where(eq(staffRegions.userId, viewer.id));
  return rows.length ? rows.map((r) => r.region).sort() : null;
}

const NOTICES: Record<string, string> = {
  transition: 'Décision enregistrée.',
  attribution: 'Attribution enregistrée.',
  note: 'Note ajoutée.',
  evaluation: 'Grille enregistrée.',
  conflit: 'Conflit d’intérêts déclaré.',
};

async function renderDossier(c: AppContext, id: number, failed?: FailedForm, status?: 409 | 422) {
  const viewer = requireStaff(c);
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const access = await staffAccess(db, viewer, id);
  const a = access.application;
  const [dossier, events, notes, grids, candidates, waves, assignee, messages] = await Promise.all([
    loadDossier(db, a),
    listEvents(db, a.id, false),
    listNotes(db, a.id),
    listScores(db, a.id),
    staffForRegion(db, a.region, a.id),
    listWaveOptions(db),
    a.assigneeId
      ? db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(eq(users.id, a.assigneeId))
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
    listDossierMessages(db, a.id),
  ]);
  const actor = viewer.role === 'admin' ? 'admin' : 'instructor';
  const fait = c.req.query('fait');
  return renderPage(
    c,
    { title: `${a.reference ?? `Dossier ${a.id}`} — instruction`, status },
    <StaffDossierPage
      m={{
        dossier,
        events,
        transitions: availableTransitions(a.status, actor),
        canInstruct: !access.conflict,
        conflict: access.conflict,
        viewerId: viewer.id,
        isAdmin: viewer.role === 'admin',
        assignee,
        candidates,
        notes,
        grids,
        summary: scoreSummary(grids),
        waves,
        defaultDueOn: parisDay(new Date(now.getTime() + CHANGES_DUE_DAYS * 86_400_000)),
        failed,
        notice: failed ? undefined : fait ? NOTICES[fait] : undefined,
        messages: (
          <DossierMessages applicationId={a.id} messages={messages} side={access.conflict ? null : 'staff'} />
        ),
      }}
    />,
  );
}

const dossierForm =
  (form: string | ((values: Record<string, unknown>) => string)): FormRenderer =>
  (c, { values, errors, status }) =>
    renderDossier(
      c,
      idParam(c),
      { form: typeof form === 'string' ? form : form(values), values, errors },
      status,
    );

const done = (c: AppContext, id: number, what: string) =>
  c.redirect(`/instruction/dossiers/${id}?fait=${what}`, 303);

export const instructionPageRoutes = new Hono<AppEnv>();

// ————————————————————————————————————————— queue
instructionPageRoutes.get(QUEUE_PATH, async (c) => {
  const viewer = requireStaff(c);
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const { values, ignored } = readDirectoryQuery(queuePageShape, c.req.query());
  const { page, ...filters } = values;
  const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
  const [results, waves, staff, regions] = await Promise.all([
    listQueue(db, viewer, clean, { page: page ?? 1, perPage: 25 }, now),
    listWaveOptions(db),
    listStaff(db),
    regionsOf(c, viewer),
  ]);
  const departements = regions ? await departementsOf(db, regions) : null;
  const m: QueueViewModel = { filters: clean, ignored, results, waves, staff, regions, departements, now };
  return respondDirectory(
    c,
    {
      title: 'Instruction des dossiers AMI',
      description: 'La file des dossiers de l’AMI PTCE à instruire.',
    },
    <QueueResults m={m} />,
    (fragment) => <QueuePage m={m} results={fragment} />,
  );
});

// ————————————————————————————————————————— export (CSV, streamed)
instructionPageRoutes.get('/instruction/export.csv', validQuery(exportQuery), (c) => {
  const viewer = requireStaff(c);
  return csvResponse(c, viewer, c.req.valid('query'));
});

// ————————————————————————————————————————— dashboard
instructionPageRoutes.get('/instruction/tableau-de-bord', async (c) => {
  const viewer = requireStaff(c);
  const now = c.get('deps').clock.now();
  const [d, regions] = await Promise.all([loadDashboard(c.get('db'), viewer, now), regionsOf(c, viewer)]);
  return renderPage(c, { title: 'Tableau de bord de l’AMI' }, <DashboardPage d={d} regions={regions} />);
});

// ————————————————————————————————————————— bulk actions
const renderBulkErrors: FormRenderer = (c, { values, errors, status }) => {
  const filters = typeof values.filters === 'string' ? values.filters : '';
  return renderPage(
    c,
    { title: 'Actions groupées', status },
    <BulkResultPage
      outcomes={[]}
      errors={errors}
      backHref={`${QUEUE_PATH}${filters ? `?${filters}` : ''}`}
    />,
  );
};

const BULK_LIMIT = 2_000;
const BULK_LABELS = { take: 'prise en instruction', assign: 'attribution', message: 'message' } as const;

instructionPageRoutes.post(
  '/instruction/actions-groupees',
  validForm(bulkForm, renderBulkErrors),
  async (c) => {
    const viewer = requireVerifiedUser(c);
    assertStaff(viewer);
    const input = c.req.valid('form');
    const deps = { ...serviceDeps(c), storage: c.get('deps').storage };
    const raw = Object.fromEntries(new URLSearchParams(input.filters ?? ''));
    const { values } = readDirectoryQuery(queueFilterShape, raw);
    const filters = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    const ids = input.all
      ? await queueIds(deps.db, viewer, filters, deps.clock.now(), BULK_LIMIT)
      : input.ids;
    const fields: Record<string, string> = {};
    if (ids.length === 0) fields.ids = 'Cochez au moins un dossier, ou « tout le filtre ».';
    if (input.action === 'message' && !input.body) fields.body = 'Écrivez le message à envoyer.';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    const outcomes = await runBulk(deps, viewer, [...new Set(ids)], input.action, {
      assigneeId: input.assigneeId ? input.assigneeId : null,
      body: input.body ?? '',
    });
    return renderPage(
      c,
      { title: 'Actions groupées — résultat' },
      <BulkResultPage
        action={BULK_LABELS[input.action]}
        outcomes={outcomes}
        backHref={`${QUEUE_PATH}${input.filters ? `?${input.filters}` : ''}`}
      />,
    );
  },
);

// ————————————————————————————————————————— staff dossier page
instructionPageRoutes.get('/instruction/dossiers/:id', (c) => renderDossier(c, idParam(c)));

instructionPageRoutes.post(
  '/instruction/dossiers/:id/transition',
  validForm(
    transitionForm,
    dossierForm((values) => `transition-${actionOf(String(values.to ?? ''))}`),
    {
      mapErrors: (e) => {
        const { dueAt, ...rest } = e;
        return dueAt ? { ...rest, dueOn: dueAt } : rest;
      },
    },
  ),
  async (c) => {
    const viewer = requireVerifiedUser(c);
    const id = idParam(c);
    const input = c.req.valid('form');
    await applyTransition(serviceDeps(c), viewer, id, {
      to: input.to,
      version: input.version,
      reason: input.reason,
      sections: input.sections,
      dueAt: input.dueOn ? parisEndOfDay(input.dueOn) : undefined,
      waveId: input.waveId === '' ? undefined : input.waveId,
      amountGranted: input.amountGranted === '' ? undefined : input.amountGranted,
    });
    return done(c, id, 'transition');
  },
);

/** The action whose form targets `to` (the staff page has one form per transition). */
function actionOf(to: string): string {
  const map: Record<string, string> = {
    under_review: 'take',
    changes_requested: 'request_changes',
    ineligible: 'declare_ineligible',
    eligible: 'declare_eligible',
    selected: 'select',
    rejected: 'reject',
  };
  return map[to] ?? 'take';
}

instructionPageRoutes.post(
  '/instruction/dossiers/:id/attribution',
  validForm(assignForm, dossierForm('assign')),
  async (c) => {
    const viewer = requireVerifiedUser(c);
    const id = idParam(c);
    await assignDossier(c.get('db'), viewer, id, c.req.valid('form').assigneeId, c.get('deps').clock.now());
    return done(c, id, 'attribution');
  },
);

instructionPageRoutes.post(
  '/instruction/dossiers/:id/notes',
  validForm(noteInput, dossierForm('note')),
  async (c) => {
    const viewer = requireVerifiedUser(c);
    const id = idParam(c);
    await addNote(c.get('db'), viewer, id, c.req.valid('form').body, c.get('deps').clock.now());
    return done(c, id, 'note');
  },
);

instructionPageRoutes.post(
  '/instruction/dossiers/:id/evaluation',
  validForm(scoreForm, dossierForm('score')),
  async (c) => {
    const viewer = requireVerifiedUser(c);
    const id = idParam(c);
    await saveScore(c.get('db'), viewer, id, c.req.valid('form'), c.get('deps').clock.now());
    return done(c, id, 'evaluation');
  },
);

instructionPageRoutes.post(
  '/instruction/dossiers/:id/conflit',
  validForm(conflictForm, dossierForm('conflict')),
  async (c) => {
    const viewer = requireVerifiedUser(c);
    const id = idParam(c);
    await declareConflict(c.get('db'), viewer, id, c.req.valid('form').note, c.get('deps').clock.now());
    return done(c, id, 'conflit');
  },
);
