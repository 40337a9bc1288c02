import { Hono, type MiddlewareHandler } from 'hono';
import type * as z from 'zod';
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
import { inFieldOrder, readForm } from '../../lib/forms.tsx';
import { renderPage } from '../../lib/render.tsx';
import { fieldErrors, validBody, validQuery } from '../../lib/validation.ts';
import { publicOrigin, requireVerifiedUser } from '../auth/session.ts';
import { type Commune, getCommune, resolveCommuneInput } from '../geo/queries.ts';
import { sendEmail } from '../notifications/mailer.ts';
import {
  findOrganisations,
  getOrganisationSummary,
  listActingOrganisations,
  organisationContactEmails,
} from '../organisations/queries.ts';
import { poleDirectory } from './directory.tsx';
import { poleJson } from './json.ts';
import { activeCoordinatorIds, type MemberStatus, type MembershipAction, poleRights } from './membership.ts';
import {
  applyMembershipAction,
  createPole,
  getPoleById,
  getPoleBySlug,
  type PoleDetail,
  removeMembership,
  searchPoles,
  setMemberRole,
  updatePole,
} from './queries.ts';
import {
  poleCreateInput,
  poleMemberInput,
  poleSearchQuery,
  poleUpdateInput,
  UNKNOWN_COMMUNE,
} from './schemas.ts';
import {
  type InviteState,
  NoOrganisationPage,
  OrganisationCandidates,
  PoleFormPage,
  type PoleFormValues,
  PolePage,
} from './views.tsx';

/** Writes need a signed-in user with a confirmed email: checked before the body is even parsed. */
const verifiedUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireVerifiedUser(c);
  await next();
};

const STATUS_FORBIDDEN = 'Seule l’équipe d’instruction peut fixer le statut d’un pôle.';
const LAST_COORDINATOR =
  'Un pôle garde au moins une organisation coordinatrice : associez d’abord une autre organisation membre à la coordination (depuis la page du pôle).';

function parseId(value: string | undefined, what = 'Pôle introuvable.'): number {
  if (!value || !/^\d{1,12}$/.test(value)) throw new NotFound(what);
  return Number(value);
}

async function poleById(c: AppContext, id: string | undefined): Promise<PoleDetail> {
  const pole = await getPoleById(c.get('db'), parseId(id));
  if (!pole) throw new NotFound('Pôle introuvable.');
  return pole;
}

async function poleBySlug(c: AppContext, slug: string): Promise<PoleDetail> {
  const pole = await getPoleBySlug(c.get('db'), slug);
  if (!pole) throw new NotFound('Ce pôle n’existe pas ou a changé d’adresse.');
  return pole;
}

/** What the requester may do on this pôle, and the organisations they act for. */
async function accessTo(c: AppContext, pole: PoleDetail) {
  const viewer = c.get('viewer');
  const organisations = viewer ? await listActingOrganisations(c.get('db'), viewer.id) : [];
  const actingIds = organisations.map((o) => o.id);
  return { viewer, organisations, actingIds, rights: poleRights(viewer, pole.members, actingIds) };
}

/** Emails the people acting for these organisations (best effort: failures stay in the outbox). */
async function notifyOrganisations(c: AppContext, organisationIds: number[], subject: string, text: string) {
  const db = c.get('db');
  for (const to of await organisationContactEmails(db, organisationIds)) {
    await sendEmail(db, c.get('deps'), { to, subject, text });
  }
}

/**
 * Tells the other side of a membership change by email: the organisation when the coordination
 * invites or adds it, the coordination when the organisation asks or accepts an invitation.
 */
async function notifyMembership(
  c: AppContext,
  pole: PoleDetail,
  organisation: { id: number; name: string },
  previous: MemberStatus | null,
  status: MemberStatus,
) {
  if (status === previous) return;
  const link = `${publicOrigin(c)}/poles/${pole.slug}`;
  const coordinators = activeCoordinatorIds(pole.members);
  if (status === 'invited') {
    await notifyOrganisations(
      c,
      [organisation.id],
      `Invitation à rejoindre le pôle ${pole.name}`,
      `Bonjour,\n\nLa coordination du pôle « ${pole.name} » invite votre organisation « ${organisation.name} » à le rejoindre.\nPour accepter ou décliner l’invitation : ${link}\n`,
    );
  } else if (status === 'requested') {
    await notifyOrganisations(
      c,
      coordinators,
      `Demande d’adhésion au pôle ${pole.name}`,
      `Bonjour,\n\nL’organisation « ${organisation.name} » demande à rejoindre le pôle « ${pole.name} ».\nPour accepter ou refuser la demande : ${link}\n`,
    );
  } else if (previous === 'invited') {
    await notifyOrganisations(
      c,
      coordinators,
      `${organisation.name} a rejoint le pôle ${pole.name}`,
      `Bonjour,\n\nL’organisation « ${organisation.name} » a accepté l’invitation à rejoindre le pôle « ${pole.name} ».\n${link}\n`,
    );
  } else {
    await notifyOrganisations(
      c,
      [organisation.id],
      `Votre organisation est membre du pôle ${pole.name}`,
      `Bonjour,\n\nVotre organisation « ${organisation.name} » est désormais membre du pôle « ${pole.name} ».\n${link}\n`,
    );
  }
}

/**
 * Adds an organisation to a pôle, or moves its membership forward, as the requester is allowed:
 * the coordination (or staff) adds/invites it (`coordinatorAction`), the organisation's owner or
 * editor asks to join (or accepts an invitation). Anyone else gets 403. Used by the API and pages.
 */
async function joinOrAdd(
  c: AppContext,
  pole: PoleDetail,
  organisationId: number,
  coordinatorAction: Extract<MembershipAction, 'add' | 'invite'>,
) {
  const db = c.get('db');
  const organisation = await getOrganisationSummary(db, organisationId);
  if (!organisation) throw new ValidationError({ organisationId: 'Organisation inconnue.' });
  const { rights, actingIds } = await accessTo(c, pole);
  const action: MembershipAction | null = rights.canManageMembers
    ? coordinatorAction
    : actingIds.includes(organisationId)
      ? 'request'
      : null;
  if (!action) throw new Forbidden('Seule l’organisation coordinatrice peut ajouter des membres à ce pôle.');
  const result = await applyMembershipAction(db, pole.id, organisationId, action, c.get('deps').clock.now());
  await notifyMembership(c, pole, organisation, result.previous, result.status);
  return { organisation, ...result };
}

/** Removes a member: the organisation itself (leave, decline, withdraw) or the coordination/staff. */
async function leaveOrRemove(c: AppContext, pole: PoleDetail, organisationId: number) {
  const { rights, actingIds } = await accessTo(c, pole);
  if (!rights.canManageMembers && !actingIds.includes(organisationId)) {
    throw new Forbidden(
      'Seules l’organisation concernée et la coordination du pôle peuvent retirer ce membre.',
    );
  }
  const outcome = await removeMembership(c.get('db'), pole.id, organisationId);
  if (outcome === 'not_found') throw new NotFound('Cette organisation n’est pas membre du pôle.');
  if (outcome === 'last_coordinator') throw new Conflict(LAST_COORDINATOR);
}

async function requireCommune(c: AppContext, code: string): Promise<Commune> {
  const commune = await getCommune(c.get('db'), code);
  if (!commune) throw new ValidationError({ communeCode: UNKNOWN_COMMUNE });
  return commune;
}

// ————————————————————————————————————————— page forms

const text = (value: string | string[] | undefined) =>
  Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
const list = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value ? [value] : []);

/** "38, 73 2a" → ['38', '73', '2A']; single digits padded ("1" → "01"). */
function departementCodes(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean)
    .map((code) => (/^\d$/.test(code) ? `0${code}` : code));
}

/** Zod paths → form field names (`communeCode` is the commune picker, array items are their list). */
function formFieldErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    const field = key === 'communeCode' ? 'commune' : key.split('.')[0]!;
    out[field] ??= message;
  }
  return out;
}

const formCreate = poleCreateInput.omit({ communeCode: true });
const formUpdate = poleUpdateInput.omit({ communeCode: true }).required({
  name: true,
  description: true,
  departements: true,
  themes: true,
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
] as const;

/**
 * Reads the create/edit form: the values to show back, and either the validated input or the
 * errors per field (commune resolved from the picker or the typed text).
 */
async function readPoleForm<T extends typeof formCreate | typeof formUpdate>(c: AppContext, schema: T) {
  const form = await readForm(c.req);
  const values: PoleFormValues = {
    name: text(form.name),
    slug: text(form.slug),
    description: text(form.description),
    departements: text(form.departements),
    themes: list(form.themes),
    status: text(form.status) || undefined,
    organisationId: text(form.organisationId) || undefined,
    version: Number(text(form.version)) || undefined,
    communeQuery: text(form.communeQuery),
  };
  const resolved = await resolveCommuneInput(c.get('db'), {
    code: text(form.commune) || undefined,
    query: values.communeQuery,
  });
  values.commune = resolved.commune;
  values.communeCandidates = resolved.candidates;
  const parsed = schema.safeParse({
    name: values.name,
    slug: values.slug || undefined,
    description: values.description,
    departements: departementCodes(values.departements ?? ''),
    themes: values.themes,
    status: values.status,
    organisationId: values.organisationId ? Number(values.organisationId) : undefined,
    version: values.version,
  });
  const errors: FieldErrors = parsed.success ? {} : formFieldErrors(fieldErrors(parsed.error));
  if (!resolved.commune) {
    errors.commune =
      resolved.candidates.length > 1
        ? 'Plusieurs communes correspondent : choisissez la vôtre dans la liste.'
        : values.communeQuery
          ? UNKNOWN_COMMUNE
          : 'La commune du siège est obligatoire.';
  }
  const input =
    parsed.success && resolved.commune
      ? { ...(parsed.data as z.output<T>), commune: resolved.commune }
      : null;
  return { values, errors: inFieldOrder(errors, FORM_FIELDS), input };
}

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
      <PoleFormPage
        mode="create"
        values={{}}
        errors={{}}
        organisations={organisations}
        canSetStatus={viewer.role !== 'member'}
      />,
    );
  })
  .post('/poles', async (c) => {
    const viewer = requireVerifiedUser(c);
    const db = c.get('db');
    const organisations = await listActingOrganisations(db, viewer.id);
    const canSetStatus = viewer.role !== 'member';
    const { values, errors, input } = await readPoleForm(c, formCreate);
    if (values.status && !canSetStatus) throw new Forbidden(STATUS_FORBIDDEN);
    if (input && !organisations.some((o) => o.id === input.organisationId)) {
      throw new Forbidden(
        'Vous ne pouvez déclarer un pôle qu’au nom d’une organisation dont vous êtes membre.',
      );
    }
    const render = (fields: FieldErrors) =>
      renderPage(
        c,
        { title: formTitle('create'), status: 422 },
        <PoleFormPage
          mode="create"
          values={values}
          errors={fields}
          organisations={organisations}
          canSetStatus={canSetStatus}
        />,
      );
    if (!input) return render(errors);
    try {
      const created = await createPole(db, input, c.get('deps').clock.now());
      return c.redirect(`/poles/${created.slug}?message=cree`, 303);
    } catch (err) {
      if (err instanceof ValidationError && err.fields) return render(err.fields);
      throw err;
    }
  })
  .get('/poles/:slug', async (c) => {
    const pole = await poleBySlug(c, c.req.param('slug'));
    const { viewer, organisations, rights } = await accessTo(c, pole);
    return renderPage(
      c,
      { title: pole.name, description: pole.description.slice(0, 160) || undefined },
      <PolePage
        pole={pole}
        rights={rights}
        signedIn={!!viewer}
        viewerOrganisations={organisations}
        notice={c.req.query('message')}
      />,
    );
  })
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
        canSetStatus={rights.canSetStatus}
        errors={{}}
        values={{
          ...pole,
          departements: pole.departements.join(', '),
          commune,
        }}
      />,
    );
  })
  .post('/poles/:slug/modifier', async (c) => {
    requireVerifiedUser(c);
    const pole = await poleBySlug(c, c.req.param('slug'));
    const { rights } = await accessTo(c, pole);
    if (!rights.canEdit) throw new Forbidden('Seule la coordination du pôle peut le modifier.');
    const { values, errors, input } = await readPoleForm(c, formUpdate);
    if (values.status && !rights.canSetStatus) throw new Forbidden(STATUS_FORBIDDEN);
    const render = (fields: FieldErrors, status: 409 | 422, alert?: string) =>
      renderPage(
        c,
        { title: formTitle('edit'), status },
        <PoleFormPage
          mode="edit"
          pole={pole}
          canSetStatus={rights.canSetStatus}
          errors={fields}
          values={values}
          alert={
            alert && (
              <Alert type="warning" title="Modification concurrente">
                {alert}
              </Alert>
            )
          }
        />,
      );
    if (!input) return render(errors, 422);
    try {
      const updated = await updatePole(c.get('db'), pole.id, input.version, input, c.get('deps').clock.now());
      return c.redirect(`/poles/${updated.slug}?message=modifie`, 303);
    } catch (err) {
      if (err instanceof ValidationError && err.fields) return render(err.fields, 422);
      if (err instanceof Conflict) {
        // Show the form again on the latest version: saving it now deliberately replaces the other change.
        values.version = (await getPoleById(c.get('db'), pole.id))?.version ?? values.version;
        return render(
          {},
          409,
          `${err.message} Vos saisies sont conservées ci-dessous : vérifiez-les (ou ouvrez la page du pôle dans un autre onglet) puis enregistrez à nouveau pour remplacer l’autre modification.`,
        );
      }
      throw err;
    }
  })
  .get('/poles/:slug/organisations-candidates', async (c) => {
    const query = (c.req.query('organisationQuery') ?? '').slice(0, 100);
    const candidates = query.trim() ? await findOrganisations(c.get('db'), query) : [];
    return c.html(<OrganisationCandidates candidates={candidates} query={query.trim()} />);
  })
  .post('/poles/:slug/membres', async (c) => {
    requireVerifiedUser(c);
    const db = c.get('db');
    const pole = await poleBySlug(c, c.req.param('slug'));
    const access = await accessTo(c, pole);
    if (!access.rights.canManageMembers) throw new Forbidden('Seule la coordination du pôle peut inviter.');
    const form = await readForm(c.req);
    const chosen = text(form.organisationId);
    const query = text(form.organisationQuery).trim().slice(0, 100);
    let organisationId = /^\d{1,12}$/.test(chosen) ? Number(chosen) : undefined;
    let invite: InviteState | undefined;
    if (organisationId === undefined) {
      const candidates = query ? await findOrganisations(db, query) : [];
      if (candidates.length === 1) organisationId = candidates[0]!.id;
      else
        invite = {
          query,
          candidates,
          error: !query
            ? 'Indiquez l’organisation à inviter.'
            : candidates.length === 0
              ? 'Aucune organisation ne correspond : vérifiez le nom, le SIRET ou le numéro.'
              : 'Plusieurs organisations correspondent : choisissez-la dans la liste.',
        };
    }
    if (organisationId === undefined || invite) {
      return renderPage(
        c,
        { title: pole.name, status: 422 },
        <PolePage
          pole={pole}
          rights={access.rights}
          signedIn
          viewerOrganisations={access.organisations}
          invite={invite}
        />,
      );
    }
    const result = await joinOrAdd(c, pole, organisationId, 'invite');
    return c.redirect(`/poles/${pole.slug}?message=${result.status === 'active' ? 'ajoute' : 'invite'}`, 303);
  })
  .post('/poles/:slug/rejoindre', async (c) => {
    requireVerifiedUser(c);
    const pole = await poleBySlug(c, c.req.param('slug'));
    const form = await readForm(c.req);
    const organisationId = Number(text(form.organisationId));
    if (!Number.isInteger(organisationId) || organisationId <= 0) {
      throw new ValidationError({
        organisationId: 'Choisissez l’organisation qui demande à rejoindre le pôle.',
      });
    }
    const { actingIds } = await accessTo(c, pole);
    if (!actingIds.includes(organisationId))
      throw new Forbidden('Vous n’agissez pas pour cette organisation.');
    const result = await joinOrAdd(c, pole, organisationId, 'invite');
    return c.redirect(
      `/poles/${pole.slug}?message=${result.status === 'active' ? 'accepte' : 'demande'}`,
      303,
    );
  })
  .post('/poles/:slug/membres/:organisationId/accepter', async (c) => {
    requireVerifiedUser(c);
    const pole = await poleBySlug(c, c.req.param('slug'));
    const organisationId = parseId(c.req.param('organisationId'), 'Organisation introuvable.');
    const member = pole.members.find((m) => m.organisationId === organisationId);
    if (!member) throw new NotFound('Cette organisation n’est pas membre du pôle.');
    const { rights, actingIds } = await accessTo(c, pole);
    // The side that did not start the process accepts: the coordination a request, the organisation an invitation.
    const action: MembershipAction | null =
      member.status === 'requested' && rights.canManageMembers
        ? 'invite'
        : member.status === 'invited' && actingIds.includes(organisationId)
          ? 'request'
          : null;
    if (!action) throw new Forbidden('Vous ne pouvez pas accepter cette adhésion.');
    const result = await applyMembershipAction(
      c.get('db'),
      pole.id,
      organisationId,
      action,
      c.get('deps').clock.now(),
    );
    await notifyMembership(
      c,
      pole,
      { id: organisationId, name: member.name },
      result.previous,
      result.status,
    );
    return c.redirect(`/poles/${pole.slug}?message=accepte`, 303);
  })
  .post('/poles/:slug/membres/:organisationId/role', async (c) => {
    requireVerifiedUser(c);
    const pole = await poleBySlug(c, c.req.param('slug'));
    const organisationId = parseId(c.req.param('organisationId'), 'Organisation introuvable.');
    const { rights } = await accessTo(c, pole);
    if (!rights.canManageMembers)
      throw new Forbidden('Seule la coordination du pôle peut désigner ses coordinatrices.');
    const role = text((await readForm(c.req)).role);
    if (role !== 'coordinator' && role !== 'member') throw new ValidationError({ role: 'Rôle inconnu.' });
    const outcome = await setMemberRole(
      c.get('db'),
      pole.id,
      organisationId,
      role,
      c.get('deps').clock.now(),
    );
    if (outcome === 'not_found') throw new NotFound('Cette organisation n’est pas membre active du pôle.');
    if (outcome === 'last_coordinator') throw new Conflict(LAST_COORDINATOR);
    return c.redirect(`/poles/${pole.slug}?message=role`, 303);
  })
  .post('/poles/:slug/membres/:organisationId/retirer', async (c) => {
    requireVerifiedUser(c);
    const pole = await poleBySlug(c, c.req.param('slug'));
    await leaveOrRemove(c, pole, parseId(c.req.param('organisationId'), 'Organisation introuvable.'));
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
    if (input.status !== undefined && viewer.role === 'member') throw new Forbidden(STATUS_FORBIDDEN);
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
    if (input.status !== undefined && !rights.canSetStatus) throw new Forbidden(STATUS_FORBIDDEN);
    const commune = input.communeCode ? await requireCommune(c, input.communeCode) : undefined;
    const db = c.get('db');
    await updatePole(db, pole.id, input.version, { ...input, commune }, c.get('deps').clock.now());
    return c.json(poleJson((await getPoleById(db, pole.id))!));
  })
  .post('/api/v1/poles/:id/members', verifiedUser, validBody('json', poleMemberInput), async (c) => {
    const { organisationId } = c.req.valid('json');
    const pole = await poleById(c, c.req.param('id'));
    const result = await joinOrAdd(c, pole, organisationId, 'add');
    return c.json(
      { poleId: pole.id, organisationId, role: result.role, status: result.status },
      result.created ? 201 : 200,
    );
  })
  .delete('/api/v1/poles/:id/members/:organisationId', verifiedUser, async (c) => {
    const pole = await poleById(c, c.req.param('id'));
    await leaveOrRemove(c, pole, parseId(c.req.param('organisationId'), 'Organisation introuvable.'));
    return c.body(null, 204);
  });
