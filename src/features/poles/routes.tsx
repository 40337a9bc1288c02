import { Hono, type MiddlewareHandler } from 'hono';
import * as z from 'zod';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { Alert } from '../../lib/dsfr.tsx';
import {
  BadRequest,
  Conflict,
  type FieldErrors,
  Forbidden,
  NotFound,
  ValidationError,
} from '../../lib/errors.ts';
import { type FormRenderer, type FormValues, validForm } from '../../lib/form.ts';
import { renderPage } from '../../lib/render.tsx';
import { safeText } from '../../lib/text.ts';
import { validBody, validQuery } from '../../lib/validation.ts';
import { requireVerifiedUser } from '../auth/session.ts';
import { resolveCommunePicker } from '../geo/form.ts';
import { type Commune, getCommune } from '../geo/queries.ts';
import { poleListingViews } from '../listings/queries.ts';
import { serviceDeps } from '../notifications/deps.ts';
import { findOrganisations, listActingOrganisations } from '../organisations/queries.ts';
import { poleDirectory } from './directory.tsx';
import { poleJson } from './json.ts';
import { memberActions } from './membership.ts';
import {
  createPole,
  getPoleById,
  getPoleBySlug,
  type PoleDetail,
  searchPoles,
  updatePole,
} from './queries.ts';
import {
  poleCreateInput,
  poleMemberInput,
  poleSearchQuery,
  poleUpdateInput,
  UNKNOWN_COMMUNE,
} from './schemas.ts';
import { acceptMembership, addToPole, changePoleRole, poleAccess, removeFromPole } from './service.ts';
import {
  changePoleStatus,
  poleStatusHistory,
  poleStatusInput,
  STATUS_MOVED,
  STATUS_STAFF_ONLY,
} from './status.ts';
import {
  ConfirmRemovalPage,
  type InviteState,
  NoOrganisationPage,
  OrganisationCandidates,
  PoleFormPage,
  type PoleFormValues,
  PolePage,
  type StatusFormState,
} from './views.tsx';

/** Writes need a signed-in user with a confirmed email: checked before the body is even parsed. */
const verifiedUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireVerifiedUser(c);
  await next();
};

function parseId(value: string | undefined, what = 'Pôle introuvable.'): number {
  if (!value || !/^\d{1,12}$/.test(value)) throw new NotFound(what);
  return Number(value);
}

async function poleById(c: AppContext, id: string | undefined): Promise<PoleDetail> {
  const pole = await getPoleById(c.get('db'), parseId(id));
  if (!pole) throw new NotFound('Pôle introuvable.');
  return pole;
}

async function poleBySlug(c: AppContext, slug: string | undefined): Promise<PoleDetail> {
  if (!slug) throw new NotFound('Ce pôle n’existe pas ou a changé d’adresse.');
  const pole = await getPoleBySlug(c.get('db'), slug);
  if (!pole) throw new NotFound('Ce pôle n’existe pas ou a changé d’adresse.');
  return pole;
}

/** What the requester may do on this pôle, and the organisations they act for. */
async function accessTo(c: AppContext, pole: PoleDetail) {
  const viewer = c.get('viewer');
  return { viewer, ...(await poleAccess(c.get('db'), viewer, pole)) };
}

/** The pôle page for this viewer, also re-rendered with a membership form's errors. */
async function renderPolePage(
  c: AppContext,
  pole: PoleDetail,
  status?: 409 | 422,
  invite?: InviteState,
  memberErrors?: FieldErrors,
  statusForm?: StatusFormState,
) {
  const now = c.get('deps').clock.now();
  const [{ viewer, organisations, rights }, listings, history] = await Promise.all([
    accessTo(c, pole),
    poleListingViews(c.get('db'), pole.id, now),
    poleStatusHistory(c.get('db'), pole.id),
  ]);
  return renderPage(
    c,
    { title: pole.name, description: pole.description.slice(0, 160) || undefined, status },
    <PolePage
      pole={pole}
      rights={rights}
      signedIn={!!viewer}
      viewerOrganisations={organisations}
      notice={status ? undefined : c.req.query('message')}
      invite={invite}
      memberErrors={memberErrors}
      listings={listings}
      now={now}
      history={history}
      statusForm={statusForm}
    />,
  );
}

/** The status change form in error: the pôle page with the messages on the form. */
const renderStatusForm: FormRenderer = async (c, { values, errors, status }) =>
  renderPolePage(c, await poleBySlug(c, c.req.param('slug')), status, undefined, undefined, {
    values,
    errors,
  });

/** Staff only, checked before the body is read. */
const staffOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const viewer = requireVerifiedUser(c);
  if (viewer.role !== 'instructor' && viewer.role !== 'admin') throw new Forbidden(STATUS_STAFF_ONLY);
  await next();
};

/** A membership form (join, role) in error: the pôle page with the messages above its members. */
const renderMemberForm: FormRenderer = async (c, { errors, status }) =>
  renderPolePage(c, await poleBySlug(c, c.req.param('slug')), status, undefined, errors);

const formId = z
  .string()
  .trim()
  .regex(/^\d{1,12}$/)
  .transform(Number);
const inviteForm = z.object({
  organisationQuery: safeText().max(100, 'La recherche est limitée à 100 caractères.').default(''),
  organisationId: formId.optional().catch(undefined),
});
const CHOOSE_ORGANISATION = 'Choisissez l’organisation qui demande à rejoindre le pôle.';
const joinForm = z.object({
  organisationId: z.coerce
    .number({ error: CHOOSE_ORGANISATION })
    .int(CHOOSE_ORGANISATION)
    .positive(CHOOSE_ORGANISATION),
});
const roleForm = z.object({
  role: z.enum(['coordinator', 'member'], { error: 'Rôle inconnu : coordination ou membre.' }),
});

async function requireCommune(c: AppContext, code: string): Promise<Commune> {
  const commune = await getCommune(c.get('db'), code);
  if (!commune) throw new ValidationError({ communeCode: UNKNOWN_COMMUNE });
  return commune;
}

// ————————————————————————————————————————— page forms

const text = (value: string | string[] | undefined) =>
  Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
/** "38, 73 2a" → ['38', '73', '2A']; single digits padded ("1" → "01"). */
function departementCodes(value: unknown): string[] {
  return (Array.isArray(value) ? value.join(' ') : String(value ?? ''))
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean)
    .map((code) => (/^\d$/.test(code) ? `0${code}` : code));
}

const blankIsUndefined = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const COORDINATOR_REQUIRED = 'Choisissez l’organisation qui coordonne le pôle.';
const VERSION_REQUIRED = 'La version lue est obligatoire (contrôle des modifications concurrentes).';

/** The pôle form (edit): the API fields as a page sends them; `commune` is the resolved picker. */
const poleEditForm = z.object({
  name: poleCreateInput.shape.name,
  slug: blankIsUndefined(poleCreateInput.shape.slug.unwrap()),
  description: poleCreateInput.shape.description,
  commune: z.string(),
  communeQuery: z.string().optional(),
  departements: z.preprocess(departementCodes, poleCreateInput.shape.departements),
  themes: poleCreateInput.shape.themes,
  status: blankIsUndefined(z.never({ error: STATUS_MOVED })),
  version: z.coerce.number({ error: VERSION_REQUIRED }).int(VERSION_REQUIRED).positive(VERSION_REQUIRED),
});
/** The pôle form (create): the same fields and the coordinating organisation. */
const poleCreateForm = poleEditForm.omit({ version: true }).extend({
  organisationId: z.coerce
    .number({ error: COORDINATOR_REQUIRED })
    .int(COORDINATOR_REQUIRED)
    .positive(COORDINATOR_REQUIRED),
});

/** The fields of the pôle form, in the order it shows them (for the error summary). */
const FORM_FIELDS = [
  'organisationId',
  'name',
  'slug',
  'description',
  'commune',
  'departements',
  'themes',
  'status',
  'version',
] as const;

/** Resolves the commune picker before validation (its message joins the others). */
const resolveSeat = async (c: AppContext, values: FormValues) => {
  const { error } = await resolveCommunePicker(
    c.get('db'),
    values,
    'commune',
    'La commune du siège est obligatoire.',
  );
  return error ? { commune: error } : undefined;
};

/** The form's values as typed, to show them back, with the commune picker. */
async function typedValues(c: AppContext, values: FormValues): Promise<PoleFormValues> {
  const { picker } = await resolveCommunePicker(c.get('db'), { ...values }, 'commune', '');
  const version = Number(text(values.version));
  return {
    name: text(values.name),
    slug: text(values.slug),
    description: text(values.description),
    departements: ([] as string[]).concat(values.departements ?? []).join(' '),
    themes: ([] as string[]).concat(values.themes ?? []),
    status: text(values.status) || undefined,
    organisationId: text(values.organisationId) || undefined,
    version: Number.isInteger(version) && version > 0 ? version : undefined,
    commune: picker.selected,
    communeQuery: picker.query,
    communeCandidates: picker.candidates,
  };
}

async function seatOf(c: AppContext, code: string): Promise<Commune> {
  const commune = await getCommune(c.get('db'), code);
  if (!commune) throw new ValidationError({ commune: UNKNOWN_COMMUNE });
  return commune;
}

const renderCreateForm: FormRenderer = async (c, { values, errors, status }) => {
  const viewer = requireVerifiedUser(c);
  return renderPage(
    c,
    { title: formTitle('create'), status },
    <PoleFormPage
      mode="create"
      values={await typedValues(c, values)}
      errors={errors}
      organisations={await listActingOrganisations(c.get('db'), viewer.id)}
    />,
  );
};

const renderEditForm: FormRenderer = async (c, { values, errors, status }) => {
  const pole = await poleBySlug(c, c.req.param('slug'));
  const { rights } = await accessTo(c, pole);
  // Invalid input from someone who may not edit is still a 403, not the form.
  if (!rights.canEdit) throw new Forbidden('Seule la coordination du pôle peut le modifier.');
  const shown = await typedValues(c, values);
  // A concurrent change (409): the form comes back on the latest version, the typed values kept.
  const conflict = status === 409 ? errors.version : undefined;
  if (conflict) shown.version = pole.version;
  return renderPage(
    c,
    { title: formTitle('edit'), status },
    <PoleFormPage
      mode="edit"
      pole={pole}
      errors={conflict ? {} : errors}
      values={shown}
      alert={
        conflict && (
          <Alert type="warning" title="Modification concurrente">
            {`${conflict} Vos saisies sont conservées ci-dessous : vérifiez-les (ou ouvrez la page du pôle dans un autre onglet) puis enregistrez à nouveau pour remplacer l’autre modification.`}
          </Alert>
        )
      }
    />,
  );
};

const formTitle = (mode: 'create' | 'edit') => (mode === 'create' ? 'Déclarer un pôle' : 'Modifier le pôle');

export const poleRoutes = new Hono<AppEnv>()
  // ——— pages
  .get('/poles', poleDirectory)
  .get('/poles/nouveau', async (c) => {
    const viewer = requireVerifiedUser(c);
    const organisations = await listActingOrganisations(c.get('db'), viewer.id);
    if (organisations.length === 0)
      return renderPage(c, { title: formTitle('create') }, <NoOrganisationPage />);
    return renderPage(
      c,
      { title: formTitle('create') },
      <PoleFormPage mode="create" values={{}} errors={{}} organisations={organisations} />,
    );
  })
  .post(
    '/poles',
    verifiedUser,
    validForm(poleCreateForm, renderCreateForm, { fields: FORM_FIELDS, prepare: resolveSeat }),
    async (c) => {
      const viewer = requireVerifiedUser(c);
      const db = c.get('db');
      const { commune, communeQuery: _, ...input } = c.req.valid('form');
      const organisations = await listActingOrganisations(db, viewer.id);
      if (!organisations.some((o) => o.id === input.organisationId)) {
        throw new Forbidden(
          'Vous ne pouvez déclarer un pôle qu’au nom d’une organisation dont vous êtes membre.',
        );
      }
      const created = await createPole(
        db,
        { ...input, commune: await seatOf(c, commune) },
        c.get('deps').clock.now(),
      );
      return c.redirect(`/poles/${created.slug}?message=cree`, 303);
    },
  )
  .get('/poles/:slug', async (c) => renderPolePage(c, await poleBySlug(c, c.req.param('slug'))))
  .get('/poles/:slug/modifier', async (c) => {
    requireVerifiedUser(c);
    const pole = await poleBySlug(c, c.req.param('slug'));
    const { rights } = await accessTo(c, pole);
    if (!rights.canEdit) throw new Forbidden('Seule la coordination du pôle peut le modifier.');
    const commune = await getCommune(c.get('db'), pole.communeCode);
    return renderPage(
      c,
      { title: formTitle('edit') },
      <PoleFormPage
        mode="edit"
        pole={pole}
        errors={{}}
        values={{
          ...pole,
          departements: pole.departements.join(', '),
          commune,
        }}
      />,
    );
  })
  .post(
    '/poles/:slug/modifier',
    verifiedUser,
    validForm(poleEditForm, renderEditForm, { fields: FORM_FIELDS, prepare: resolveSeat }),
    async (c) => {
      const pole = await poleBySlug(c, c.req.param('slug'));
      const { rights } = await accessTo(c, pole);
      if (!rights.canEdit) throw new Forbidden('Seule la coordination du pôle peut le modifier.');
      const { commune, communeQuery: _, ...input } = c.req.valid('form');
      try {
        const updated = await updatePole(
          c.get('db'),
          pole.id,
          input.version,
          { ...input, commune: await seatOf(c, commune) },
          c.get('deps').clock.now(),
        );
        return c.redirect(`/poles/${updated.slug}?message=modifie`, 303);
      } catch (err) {
        // The form shows a concurrent change as a warning over the typed values (see renderEditForm).
        if (err instanceof Conflict && !err.fields) throw new Conflict(err.message, { version: err.message });
        throw err;
      }
    },
  )
  .post('/poles/:slug/statut', staffOnly, validForm(poleStatusInput, renderStatusForm), async (c) => {
    const pole = await poleBySlug(c, c.req.param('slug'));
    await changePoleStatus(
      c.get('db'),
      requireVerifiedUser(c),
      pole.id,
      c.req.valid('form'),
      c.get('deps').clock.now(),
    );
    return c.redirect(`/poles/${pole.slug}?message=statut#statut`, 303);
  })
  .get('/poles/:slug/organisations-candidates', async (c) => {
    const query = (c.req.query('organisationQuery') ?? '').slice(0, 100);
    const candidates = query.trim() ? await findOrganisations(c.get('db'), query) : [];
    return c.html(<OrganisationCandidates candidates={candidates} query={query.trim()} />);
  })
  .post(
    '/poles/:slug/membres',
    verifiedUser,
    validForm(inviteForm, async (c, { values, errors, status }) => {
      const pole = await poleBySlug(c, c.req.param('slug'));
      const query = text(values.organisationQuery).trim();
      return renderPolePage(c, pole, status, {
        query,
        candidates: query ? await findOrganisations(c.get('db'), query) : [],
        error: Object.values(errors).join(' '),
      });
    }),
    async (c) => {
      const db = c.get('db');
      const pole = await poleBySlug(c, c.req.param('slug'));
      const access = await accessTo(c, pole);
      if (!access.rights.canManageMembers) throw new Forbidden('Seule la coordination du pôle peut inviter.');
      const form = c.req.valid('form');
      let organisationId = form.organisationId;
      if (organisationId === undefined) {
        const query = form.organisationQuery;
        const candidates = query ? await findOrganisations(db, query) : [];
        if (candidates.length === 1) organisationId = candidates[0]!.id;
        else
          return renderPolePage(c, pole, 422, {
            query,
            candidates,
            error: !query
              ? 'Indiquez l’organisation à inviter.'
              : candidates.length === 0
                ? 'Aucune organisation ne correspond : vérifiez le nom, le SIRET ou le numéro.'
                : 'Plusieurs organisations correspondent : choisissez-la dans la liste.',
          });
      }
      const result = await addToPole(serviceDeps(c), requireVerifiedUser(c), pole, organisationId);
      return c.redirect(
        `/poles/${pole.slug}?message=${result.status === 'active' ? 'ajoute' : 'invite'}`,
        303,
      );
    },
  )
  .post('/poles/:slug/rejoindre', verifiedUser, validForm(joinForm, renderMemberForm), async (c) => {
    const pole = await poleBySlug(c, c.req.param('slug'));
    const { organisationId } = c.req.valid('form');
    const { actingIds } = await accessTo(c, pole);
    if (!actingIds.includes(organisationId))
      throw new Forbidden('Vous n’agissez pas pour cette organisation.');
    const result = await addToPole(serviceDeps(c), requireVerifiedUser(c), pole, organisationId);
    return c.redirect(
      `/poles/${pole.slug}?message=${result.status === 'active' ? 'accepte' : 'demande'}`,
      303,
    );
  })
  .post('/poles/:slug/membres/:organisationId/accepter', verifiedUser, async (c) => {
    const pole = await poleBySlug(c, c.req.param('slug'));
    const organisationId = parseId(c.req.param('organisationId'), 'Organisation introuvable.');
    await acceptMembership(serviceDeps(c), requireVerifiedUser(c), pole, organisationId);
    return c.redirect(`/poles/${pole.slug}?message=accepte`, 303);
  })
  .post(
    '/poles/:slug/membres/:organisationId/role',
    verifiedUser,
    validForm(roleForm, renderMemberForm),
    async (c) => {
      const pole = await poleBySlug(c, c.req.param('slug'));
      const organisationId = parseId(c.req.param('organisationId'), 'Organisation introuvable.');
      const { role } = c.req.valid('form');
      await changePoleRole(
        c.get('db'),
        requireVerifiedUser(c),
        pole,
        organisationId,
        role,
        c.get('deps').clock.now(),
      );
      return c.redirect(`/poles/${pole.slug}?message=role`, 303);
    },
  )
  .get('/poles/:slug/membres/:organisationId/retirer', async (c) => {
    const viewer = requireVerifiedUser(c);
    const pole = await poleBySlug(c, c.req.param('slug'));
    const organisationId = parseId(c.req.param('organisationId'), 'Organisation introuvable.');
    const member = pole.members.find((m) => m.organisationId === organisationId);
    if (!member) throw new NotFound('Cette organisation n’est pas membre du pôle.');
    const { rights, actingIds } = await poleAccess(c.get('db'), viewer, pole);
    const actions = memberActions(member, rights, actingIds.includes(organisationId), pole.members);
    if (!actions.remove) throw new Forbidden('Vous ne pouvez pas retirer ce membre.');
    return renderPage(
      c,
      { title: `Confirmer — ${pole.name}` },
      <ConfirmRemovalPage pole={pole} member={member} kind={actions.removeKind!} />,
    );
  })
  .post('/poles/:slug/membres/:organisationId/retirer', verifiedUser, async (c) => {
    const pole = await poleBySlug(c, c.req.param('slug'));
    const organisationId = parseId(c.req.param('organisationId'), 'Organisation introuvable.');
    await removeFromPole(c.get('db'), requireVerifiedUser(c), pole, organisationId);
    return c.redirect(`/poles/${pole.slug}?message=retire`, 303);
  })

  // ——— JSON API
  .get('/api/v1/poles', validQuery(poleSearchQuery), async (c) => {
    const query = c.req.valid('query');
    const db = c.get('db');
    let origin: Commune | undefined;
    if (query.commune) {
      origin = await getCommune(db, query.commune);
      if (!origin) throw new BadRequest('Paramètres de requête invalides.', { commune: UNKNOWN_COMMUNE });
    }
    const results = await searchPoles(db, { ...query, origin });
    return c.json({ ...results, items: results.items.map(poleJson) });
  })
  .post('/api/v1/poles', verifiedUser, validBody('json', poleCreateInput), async (c) => {
    const viewer = requireVerifiedUser(c);
    const input = c.req.valid('json');
    const db = c.get('db');
    const organisations = await listActingOrganisations(db, viewer.id);
    if (!organisations.some((o) => o.id === input.organisationId)) {
      throw new Forbidden(
        'Vous ne pouvez déclarer un pôle qu’au nom d’une organisation dont vous êtes membre.',
      );
    }
    const commune = await requireCommune(c, input.communeCode);
    const created = await createPole(db, { ...input, commune }, c.get('deps').clock.now());
    const pole = (await getPoleById(db, created.id))!;
    c.header('Location', `/api/v1/poles/${pole.id}`);
    return c.json(poleJson(pole), 201);
  })
  .get('/api/v1/poles/:id', async (c) => {
    return c.json(poleJson(await poleById(c, c.req.param('id'))));
  })
  .patch('/api/v1/poles/:id', verifiedUser, validBody('json', poleUpdateInput), async (c) => {
    const input = c.req.valid('json');
    const pole = await poleById(c, c.req.param('id'));
    const { rights } = await accessTo(c, pole);
    if (!rights.canEdit) throw new Forbidden('Seule la coordination du pôle peut le modifier.');
    const commune = input.communeCode ? await requireCommune(c, input.communeCode) : undefined;
    const db = c.get('db');
    await updatePole(db, pole.id, input.version, { ...input, commune }, c.get('deps').clock.now());
    return c.json(poleJson((await getPoleById(db, pole.id))!));
  })
  .post('/api/v1/poles/:id/status', staffOnly, validBody('json', poleStatusInput), async (c) => {
    const pole = await poleById(c, c.req.param('id'));
    const db = c.get('db');
    await changePoleStatus(
      db,
      requireVerifiedUser(c),
      pole.id,
      c.req.valid('json'),
      c.get('deps').clock.now(),
    );
    return c.json(poleJson((await getPoleById(db, pole.id))!));
  })
  .get('/api/v1/poles/:id/status-events', async (c) => {
    const pole = await poleById(c, c.req.param('id'));
    const items = await poleStatusHistory(c.get('db'), pole.id);
    // Who made a change is shown to staff only.
    const staff = c.get('viewer')?.role === 'instructor' || c.get('viewer')?.role === 'admin';
    return c.json({
      items: items.map(({ actorName, ...e }) => ({ ...e, ...(staff ? { actorName } : {}) })),
    });
  })
  .post('/api/v1/poles/:id/members', verifiedUser, validBody('json', poleMemberInput), async (c) => {
    const { organisationId } = c.req.valid('json');
    const pole = await poleById(c, c.req.param('id'));
    // Staff add directly (recorded); a coordinator's addition is an invitation the organisation accepts.
    const result = await addToPole(serviceDeps(c), requireVerifiedUser(c), pole, organisationId, {
      direct: true,
    });
    return c.json(
      { poleId: pole.id, organisationId, role: result.role, status: result.status },
      result.created ? 201 : 200,
    );
  })
  .delete('/api/v1/poles/:id/members/:organisationId', verifiedUser, async (c) => {
    const pole = await poleById(c, c.req.param('id'));
    await removeFromPole(
      c.get('db'),
      requireVerifiedUser(c),
      pole,
      parseId(c.req.param('organisationId'), 'Organisation introuvable.'),
    );
    return c.body(null, 204);
  });
