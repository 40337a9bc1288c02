import { Hono, type MiddlewareHandler } from 'hono';
import type { AppContext, AppEnv, SessionUser } from '../../lib/context.ts';
import { Forbidden, NotFound } from '../../lib/errors.ts';
import { type FormRenderer, validForm } from '../../lib/form.ts';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { validBody } from '../../lib/validation.ts';
import { applyTransition } from '../ami/transitions.ts';
import { requireVerifiedUser } from '../auth/session.ts';
import { serviceDeps } from '../notifications/deps.ts';
import {
  countsByStatus,
  createWave,
  findWave,
  listWaves,
  rejectForm,
  selectForm,
  updateWave,
  WAVE_NOT_FOUND,
  waitingList,
  waveForm,
  waveInput,
  waveJson,
} from './waves.ts';
import { type DecisionFailure, WAVE_MESSAGES, WaveFormPage, WavePage, WavesPage } from './waves-views.tsx';

const STAFF_ONLY = 'Réservé à l’équipe d’instruction.';
const ADMIN_ONLY =
  'Les vagues et les décisions de sélection sont nationales : elles reviennent à un administrateur.';

/** Instructors and admins see the waves pages. */
function requireStaff(c: AppContext): SessionUser {
  const viewer = requireVerifiedUser(c);
  if (viewer.role !== 'instructor' && viewer.role !== 'admin') throw new Forbidden(STAFF_ONLY);
  return viewer;
}

/** Only admins create and change waves, select and reject dossiers. */
function requireAdmin(c: AppContext): SessionUser {
  const viewer = requireVerifiedUser(c);
  if (viewer.role !== 'admin') throw new Forbidden(ADMIN_ONLY);
  return viewer;
}

/** Checks the role before the body is read: a member's invalid body is a 403, not a 422. */
const adminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireAdmin(c);
  await next();
};

async function waveOr404(c: AppContext, id: number) {
  const wave = await findWave(c.get('db'), id, c.get('deps').clock.now());
  if (!wave) throw new NotFound(WAVE_NOT_FOUND);
  return wave;
}

async function wavePage(c: AppContext, options: { failure?: DecisionFailure; status?: 409 | 422 } = {}) {
  const viewer = requireStaff(c);
  const db = c.get('db');
  const wave = await waveOr404(c, idParam(c));
  const [counts, waiting] = await Promise.all([
    countsByStatus(db, wave.id, viewer),
    waitingList(db, wave.id, viewer),
  ]);
  const message = options.failure ? undefined : WAVE_MESSAGES[c.req.query('message') ?? ''];
  return renderPage(
    c,
    { title: `Vague « ${wave.name} »`, status: options.status },
    <WavePage
      wave={wave}
      counts={counts}
      waiting={waiting}
      canDecide={viewer.role === 'admin'}
      message={message}
      failure={options.failure}
    />,
  );
}

const decisionRenderer =
  (action: DecisionFailure['action']): FormRenderer =>
  (c, { values, errors, status }) =>
    wavePage(c, { failure: { applicationId: idParam(c, 'applicationId'), action, values, errors }, status });

const renderCreate: FormRenderer = (c, { values, errors, status }) => {
  requireAdmin(c);
  return renderPage(
    c,
    { title: 'Créer une vague', status },
    <WaveFormPage values={values} errors={errors} />,
  );
};

const renderEdit: FormRenderer = async (c, { values, errors, status }) => {
  requireAdmin(c);
  const wave = await waveOr404(c, idParam(c));
  return renderPage(
    c,
    { title: `Modifier la vague « ${wave.name} »`, status },
    <WaveFormPage wave={wave} values={values} errors={errors} />,
  );
};

/** Waves: staff pages under /instruction/vagues and the JSON API under /api/v1/ami/waves. */
export const waveRoutes = new Hono<AppEnv>()
  .get('/instruction/vagues', async (c) => {
    const viewer = requireStaff(c);
    const waves = await listWaves(c.get('db'), c.get('deps').clock.now());
    return renderPage(
      c,
      { title: 'Vagues de l’AMI' },
      <WavesPage
        waves={waves}
        canManage={viewer.role === 'admin'}
        message={WAVE_MESSAGES[c.req.query('message') ?? '']}
      />,
    );
  })
  .get('/instruction/vagues/nouvelle', (c) => {
    requireAdmin(c);
    return renderPage(c, { title: 'Créer une vague' }, <WaveFormPage />);
  })
  .post('/instruction/vagues', adminOnly, validForm(waveForm, renderCreate), async (c) => {
    const viewer = requireAdmin(c);
    const wave = await createWave(c.get('db'), c.req.valid('form'), viewer.id, c.get('deps').clock.now());
    return c.redirect(`/instruction/vagues/${wave.id}?message=cree`, 303);
  })
  .get('/instruction/vagues/:id', (c) => wavePage(c))
  .get('/instruction/vagues/:id/modifier', async (c) => {
    requireAdmin(c);
    const wave = await waveOr404(c, idParam(c));
    const values = {
      name: wave.name,
      opensAt: wave.opensOn,
      closesAt: wave.closesOn,
      envelope: wave.envelope.toLocaleString('fr-FR'),
      ceiling: wave.ceiling.toLocaleString('fr-FR'),
    };
    return renderPage(
      c,
      { title: `Modifier la vague « ${wave.name} »` },
      <WaveFormPage wave={wave} values={values} />,
    );
  })
  .post('/instruction/vagues/:id/modifier', adminOnly, validForm(waveForm, renderEdit), async (c) => {
    requireAdmin(c);
    const id = idParam(c);
    await updateWave(c.get('db'), id, c.req.valid('form'), c.get('deps').clock.now());
    return c.redirect(`/instruction/vagues/${id}?message=modifie`, 303);
  })
  .post(
    '/instruction/vagues/:id/dossiers/:applicationId/retenir',
    adminOnly,
    validForm(selectForm, decisionRenderer('select')),
    async (c) => {
      const viewer = requireAdmin(c);
      const wave = await waveOr404(c, idParam(c));
      const { amountGranted, version } = c.req.valid('form');
      await applyTransition(serviceDeps(c), viewer, idParam(c, 'applicationId'), {
        to: 'selected',
        waveId: wave.id,
        amountGranted,
        version,
      });
      return c.redirect(`/instruction/vagues/${wave.id}?message=retenu`, 303);
    },
  )
  .post(
    '/instruction/vagues/:id/dossiers/:applicationId/rejeter',
    adminOnly,
    validForm(rejectForm, decisionRenderer('reject')),
    async (c) => {
      const viewer = requireAdmin(c);
      const wave = await waveOr404(c, idParam(c));
      const { reason, version } = c.req.valid('form');
      await applyTransition(serviceDeps(c), viewer, idParam(c, 'applicationId'), {
        to: 'rejected',
        reason,
        version,
      });
      return c.redirect(`/instruction/vagues/${wave.id}?message=rejete`, 303);
    },
  )
  // --- JSON API: waves are public (the call's calendar and budget); creating and changing them is for admins.
  .get('/api/v1/ami/waves', async (c) => {
    const waves = await listWaves(c.get('db'), c.get('deps').clock.now());
    return c.json({ items: waves.map(waveJson) });
  })
  .post('/api/v1/ami/waves', adminOnly, validBody('json', waveInput), async (c) => {
    const viewer = requireAdmin(c);
    const now = c.get('deps').clock.now();
    const row = await createWave(c.get('db'), c.req.valid('json'), viewer.id, now);
    return c.json(waveJson((await findWave(c.get('db'), row.id, now))!), 201);
  })
  .get('/api/v1/ami/waves/:id', async (c) => c.json(waveJson(await waveOr404(c, idParam(c)))))
  .patch('/api/v1/ami/waves/:id', adminOnly, validBody('json', waveInput), async (c) => {
    requireAdmin(c);
    const id = idParam(c);
    const now = c.get('deps').clock.now();
    await updateWave(c.get('db'), id, c.req.valid('json'), now);
    return c.json(waveJson((await findWave(c.get('db'), id, now))!));
  });
