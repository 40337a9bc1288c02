import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import * as z from 'zod';
import type { Db } from '../../db/client.ts';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import {
  AppError,
  Conflict,
  type FieldErrors,
  Forbidden,
  NotFound,
  ValidationError,
} from '../../lib/errors.ts';
import { validForm } from '../../lib/form.ts';
import { inFieldOrder, readForm } from '../../lib/forms.tsx';
import { isPartialRequest, renderPage } from '../../lib/render.tsx';
import { fieldErrors, validBody, validQuery } from '../../lib/validation.ts';
import { requireUser, requireVerifiedUser } from '../auth/session.ts';
import { getCommune, resolveCommuneInput } from '../geo/queries.ts';
import { serviceDeps } from '../notifications/deps.ts';
import { isAllowed, type OrganisationAction, REFUSALS } from './permissions.ts';
import {
  acceptInvitation,
  assertInvitationUsable,
  changeMemberRole,
  createOrganisation,
  deleteOrganisation,
  getInvitation,
  getOrganisation,
  getOrganisationAccess,
  getOrganisationDetails,
  type Organisation,
  type OrganisationListItem,
  removeMember,
  searchOrganisations,
  updateOrganisation,
} from './queries.ts';
import {
  directoryPageQuery,
  invitationSchema,
  memberRoleSchema,
  type OrganisationCreate,
  organisationCreateSchema,
  organisationListQuery,
  organisationPatchSchema,
} from './schemas.ts';
import { inviteMember } from './service.ts';
import {
  type CommunePickerState,
  CreateOrganisationPage,
  type DirectoryFilters,
  DirectoryPage,
  DirectoryResults,
  EditOrganisationPage,
  formValuesOf,
  InvitationPage,
  type OrganisationFormValues,
  OrganisationPage,
  type OrganisationPageProps,
} from './views.tsx';

const DIRECTORY_PER_PAGE = 20;

const NOTICES: Record<string, string> = {
  creee: 'L’organisation est inscrite.',
  modifiee: 'Les modifications sont enregistrées.',
  supprimee: 'L’organisation a été supprimée.',
  invitation: 'L’invitation a été envoyée.',
  bienvenue: 'Vous faites maintenant partie de l’organisation.',
  retire: 'La personne a été retirée de l’organisation.',
  role: 'Le rôle a été changé.',
};

/** The organisation JSON of the API; the contact address only for signed-in requesters. */
function organisationJson(o: OrganisationListItem, signedIn: boolean) {
  return {
    id: o.id,
    siret: o.siret,
    name: o.name,
    kind: o.kind,
    legalForm: o.legalForm,
    nafCode: o.nafCode,
    themes: o.themes,
    communeCode: o.communeCode,
    commune: o.commune,
    departement: o.departement,
    region: o.region,
    lat: o.lat,
    lon: o.lon,
    description: o.description,
    website: o.website,
    ...(signedIn ? { contactEmail: o.contactEmail } : {}),
    version: o.version,
    isDemo: o.isDemo,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    ...(o.distanceKm !== undefined ? { distanceKm: o.distanceKm } : {}),
  };
}

/** A numeric path parameter; anything else is a 404. */
function idParam(c: AppContext, name: string): number {
  const id = Number(c.req.param(name));
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFound();
  return id;
}

/** Signed in with a confirmed email (401/403), and allowed to do `action` on the organisation (404/403). */
async function authorise(c: AppContext, id: number, action: OrganisationAction) {
  const viewer = requireVerifiedUser(c);
  const access = await getOrganisationAccess(c.get('db'), id, viewer.id);
  if (!access) throw new NotFound('Organisation introuvable.');
  if (!isAllowed(action, viewer.role, access.role)) throw new Forbidden(REFUSALS[action]);
  return { viewer, role: access.role };
}

/** Writes need a signed-in account with a confirmed email — checked before the body is validated. */
const verifiedUser = createMiddleware<AppEnv>(async (c, next) => {
  requireVerifiedUser(c);
  await next();
});

const text = (form: Record<string, string | string[]>, key: string) => {
  const value = form[key];
  return typeof value === 'string' ? value : (value?.[0] ?? '');
};

/** The fields of the organisation form, in the order it shows them (for the error summary). */
const FORM_FIELDS = [
  'name',
  'siret',
  'kind',
  'legalForm',
  'nafCode',
  'communeCode',
  'themes',
  'description',
  'website',
  'contactEmail',
] as const;

/**
 * Reads the creation/edit form: the values as typed (to show them back), the commune picker
 * resolved from its code or typed text, and either the valid input or a French message per field.
 */
async function readOrganisationForm(db: Db, form: Record<string, string | string[]>) {
  const values: OrganisationFormValues = {
    siret: text(form, 'siret'),
    name: text(form, 'name'),
    kind: text(form, 'kind'),
    legalForm: text(form, 'legalForm'),
    nafCode: text(form, 'nafCode'),
    themes: ([] as string[]).concat(form.themes ?? []),
    description: text(form, 'description').replace(/\r\n/g, '\n'),
    website: text(form, 'website').trim(),
    contactEmail: text(form, 'contactEmail').trim(),
  };
  const query = text(form, 'communeCodeQuery').slice(0, 100);
  const resolved = await resolveCommuneInput(db, {
    code: text(form, 'communeCode') || undefined,
    query,
  });
  const commune: CommunePickerState = {
    selected: resolved.commune,
    query: resolved.commune ? resolved.commune.name : query,
    candidates: resolved.candidates,
  };
  const parsed = organisationCreateSchema.safeParse({
    ...values,
    nafCode: values.nafCode.trim() || null,
    website: values.website || null,
    contactEmail: values.contactEmail || null,
    communeCode: resolved.commune?.code,
  });
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
  if (!resolved.commune) {
    errors.communeCode = !query.trim()
      ? 'Indiquez la commune.'
      : resolved.candidates.length > 0
        ? 'Plusieurs communes correspondent : choisissez la vôtre dans la liste.'
        : 'Commune inconnue.';
  }
  const data: OrganisationCreate | undefined =
    parsed.success && Object.keys(errors).length === 0 ? parsed.data : undefined;
  return { values, commune, errors: inFieldOrder(errors, FORM_FIELDS), data };
}

const versionField = z.coerce.number().int().min(1);

async function pickerFor(db: Db, organisation: Organisation): Promise<CommunePickerState> {
  return { selected: await getCommune(db, organisation.communeCode), candidates: [] };
}

/** The organisation page for this viewer (also re-rendered with a form's errors). */
async function renderOrganisationPage(
  c: AppContext,
  id: number,
  extra: Partial<Pick<OrganisationPageProps, 'notice' | 'invitation' | 'memberError'>> & {
    status?: 409 | 422;
  } = {},
) {
  const details = await getOrganisationDetails(c.get('db'), id, c.get('deps').clock.now());
  if (!details) throw new NotFound('Organisation introuvable.');
  const viewer = c.get('viewer');
  const role = viewer ? (details.members.find((m) => m.userId === viewer.id)?.role ?? null) : null;
  const verified = !!viewer?.emailVerified;
  const { status, ...rest } = extra;
  return renderPage(
    c,
    { title: details.organisation.name, description: details.organisation.description.slice(0, 160), status },
    <OrganisationPage
      {...details}
      {...rest}
      signedIn={!!viewer}
      canEdit={verified && isAllowed('edit', viewer!.role, role)}
      canManage={verified && isAllowed('manageMembers', viewer!.role, role)}
      canSeeMembers={role !== null || viewer?.role === 'admin'}
    />,
  );
}

export const organisationRoutes = new Hono<AppEnv>()
  // ---------------------------------------------------------------------------------------------
  // Pages
  .get('/organisations', async (c) => {
    // One URL answers a full page or, to htmx, the results fragment: caches must keep both.
    c.header('Vary', 'HX-Request', { append: true });
    const query = directoryPageQuery.parse(c.req.query());
    const db = c.get('db');
    const resolved = await resolveCommuneInput(db, { code: query.commune, query: query.communeQuery });
    let commune = resolved.commune;
    let communeError: string | undefined;
    if (!commune && query.communeQuery?.trim()) {
      communeError =
        resolved.candidates.length > 0
          ? 'Plusieurs communes correspondent : choisissez la vôtre dans la liste.'
          : 'Aucune commune ne correspond : vérifiez le nom ou le code postal.';
    } else if (commune && (commune.lat === null || commune.lon === null)) {
      communeError = 'La position de cette commune est inconnue : la recherche par distance est impossible.';
      commune = undefined;
    }
    const filters: DirectoryFilters = {
      q: query.q,
      kind: query.kind,
      theme: query.theme,
      departement: query.departement,
      region: query.region,
      radiusKm: query.radiusKm,
      commune,
      communeQuery: commune?.name ?? query.communeQuery,
      communeCandidates: resolved.candidates,
      communeError,
    };
    const results = await searchOrganisations(db, {
      q: query.q,
      kind: query.kind,
      theme: query.theme,
      departement: query.departement,
      region: query.region,
      // Already resolved (and its position checked) above: not looked up again.
      commune,
      radiusKm: commune ? query.radiusKm : undefined,
      page: query.page,
      perPage: DIRECTORY_PER_PAGE,
    });
    if (isPartialRequest(c)) return c.html(<DirectoryResults results={results} filters={filters} />);
    return renderPage(
      c,
      {
        title:
          query.page > 1 ? `Annuaire des organisations — page ${query.page}` : 'Annuaire des organisations',
      },
      <DirectoryPage
        results={results}
        filters={filters}
        notice={NOTICES[c.req.query('info') ?? '']}
        canCreate={!!c.get('viewer')}
      />,
    );
  })
  .get('/organisations/nouvelle', (c) => {
    requireVerifiedUser(c);
    const values: OrganisationFormValues = {
      siret: '',
      name: '',
      kind: '',
      legalForm: '',
      nafCode: '',
      themes: [],
      description: '',
      website: '',
      contactEmail: '',
    };
    return renderPage(
      c,
      { title: 'Inscrire une organisation' },
      <CreateOrganisationPage values={values} errors={{}} commune={{ candidates: [] }} />,
    );
  })
  .post('/organisations', async (c) => {
    const viewer = requireVerifiedUser(c);
    const db = c.get('db');
    const form = await readOrganisationForm(db, await readForm(c.req));
    let errors = form.errors;
    let status: 409 | 422 = 422;
    if (form.data) {
      try {
        const organisation = await createOrganisation(db, form.data, viewer.id, c.get('deps').clock.now());
        return c.redirect(`/organisations/${organisation.id}?info=creee`, 303);
      } catch (err) {
        if (!(err instanceof AppError && err.fields && (err.status === 409 || err.status === 422))) throw err;
        errors = err.fields;
        status = err.status;
      }
    }
    return renderPage(
      c,
      { title: 'Erreur — Inscrire une organisation', status },
      <CreateOrganisationPage values={form.values} errors={errors} commune={form.commune} />,
    );
  })
  .get('/organisations/:id{[0-9]+}', (c) =>
    renderOrganisationPage(c, idParam(c, 'id'), { notice: NOTICES[c.req.query('info') ?? ''] }),
  )
  .get('/organisations/:id{[0-9]+}/modifier', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'edit');
    const db = c.get('db');
    const organisation = await getOrganisation(db, id);
    if (!organisation) throw new NotFound('Organisation introuvable.');
    return renderPage(
      c,
      { title: `Modifier ${organisation.name}` },
      <EditOrganisationPage
        organisation={organisation}
        values={formValuesOf(organisation)}
        errors={{}}
        commune={await pickerFor(db, organisation)}
        version={organisation.version}
      />,
    );
  })
  .post('/organisations/:id{[0-9]+}/modifier', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'edit');
    const db = c.get('db');
    const raw = await readForm(c.req);
    const version = versionField.safeParse(text(raw, 'version'));
    if (!version.success)
      throw new ValidationError({ version: 'Version du formulaire manquante : rechargez la page.' });
    const form = await readOrganisationForm(db, raw);
    const current = await getOrganisation(db, id);
    if (!current) throw new NotFound('Organisation introuvable.');
    let errors = form.errors;
    let status: 409 | 422 = 422;
    if (form.data) {
      const { nafCode, website, contactEmail } = form.data;
      try {
        await updateOrganisation(
          db,
          id,
          {
            ...form.data,
            nafCode: nafCode ?? null,
            website: website ?? null,
            contactEmail: contactEmail ?? null,
            version: version.data,
          },
          c.get('deps').clock.now(),
        );
        return c.redirect(`/organisations/${id}?info=modifiee`, 303);
      } catch (err) {
        if (err instanceof Conflict && !err.fields) {
          // Someone saved in between: show the current record, so the user re-applies their changes.
          const latest = (await getOrganisation(db, id))!;
          return renderPage(
            c,
            { title: `Conflit — Modifier ${latest.name}`, status: 409 },
            <EditOrganisationPage
              organisation={latest}
              values={formValuesOf(latest)}
              errors={{}}
              commune={await pickerFor(db, latest)}
              version={latest.version}
              conflict="Cette organisation a été modifiée par quelqu’un d’autre depuis que vous avez ouvert le formulaire : vos modifications n’ont pas été enregistrées."
            />,
          );
        }
        if (!(err instanceof AppError && err.fields && (err.status === 409 || err.status === 422))) throw err;
        errors = err.fields;
        status = err.status;
      }
    }
    return renderPage(
      c,
      { title: `Erreur — Modifier ${current.name}`, status },
      <EditOrganisationPage
        organisation={current}
        values={form.values}
        errors={errors}
        commune={form.commune}
        version={version.data}
      />,
    );
  })
  .post('/organisations/:id{[0-9]+}/supprimer', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'delete');
    await deleteOrganisation(c.get('db'), id);
    return c.redirect('/organisations?info=supprimee', 303);
  })
  .post(
    '/organisations/:id{[0-9]+}/invitations',
    verifiedUser,
    validForm(invitationSchema, (c, { values, errors, status }) =>
      renderOrganisationPage(c, idParam(c, 'id'), {
        status,
        invitation: { values: { email: text(values, 'email'), role: text(values, 'role') }, errors },
      }),
    ),
    async (c) => {
      const id = idParam(c, 'id');
      const { viewer } = await authorise(c, id, 'manageMembers');
      await inviteMember(serviceDeps(c), viewer, id, c.req.valid('form'));
      return c.redirect(`/organisations/${id}?info=invitation#membres`, 303);
    },
  )
  .post('/organisations/:id{[0-9]+}/membres/:userId{[0-9]+}/supprimer', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'manageMembers');
    try {
      await removeMember(c.get('db'), id, idParam(c, 'userId'));
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      return renderOrganisationPage(c, id, { status: 409, memberError: err.message });
    }
    return c.redirect(`/organisations/${id}?info=retire#membres`, 303);
  })
  .post(
    '/organisations/:id{[0-9]+}/membres/:userId{[0-9]+}/role',
    verifiedUser,
    validForm(memberRoleSchema, (c, { errors, status }) =>
      renderOrganisationPage(c, idParam(c, 'id'), { status, memberError: Object.values(errors).join(' ') }),
    ),
    async (c) => {
      const id = idParam(c, 'id');
      await authorise(c, id, 'manageMembers');
      try {
        await changeMemberRole(c.get('db'), id, idParam(c, 'userId'), c.req.valid('form').role);
      } catch (err) {
        if (!(err instanceof Conflict)) throw err;
        return renderOrganisationPage(c, id, { status: 409, memberError: err.message });
      }
      return c.redirect(`/organisations/${id}?info=role#membres`, 303);
    },
  )
  .get('/invitations/organisation/:token', async (c) => {
    const viewer = requireUser(c);
    const token = c.req.param('token');
    const invitation = await getInvitation(c.get('db'), token);
    try {
      assertInvitationUsable(invitation, viewer, c.get('deps').clock.now());
    } catch (err) {
      if (!(err instanceof Forbidden && invitation)) throw err;
      return renderPage(
        c,
        { title: 'Invitation', status: 403 },
        <InvitationPage token={token} invitation={invitation} problem={err.message} />,
      );
    }
    return renderPage(c, { title: 'Invitation' }, <InvitationPage token={token} invitation={invitation} />);
  })
  .post('/invitations/organisation/:token', async (c) => {
    const viewer = requireVerifiedUser(c);
    const organisationId = await acceptInvitation(
      c.get('db'),
      c.req.param('token'),
      viewer,
      c.get('deps').clock.now(),
    );
    return c.redirect(`/organisations/${organisationId}?info=bienvenue`, 303);
  })
  // ---------------------------------------------------------------------------------------------
  // JSON API
  .get('/api/v1/organisations', validQuery(organisationListQuery), async (c) => {
    const { commune, ...query } = c.req.valid('query');
    const page = await searchOrganisations(c.get('db'), { ...query, communeCode: commune });
    const signedIn = !!c.get('viewer');
    return c.json({ ...page, items: page.items.map((item) => organisationJson(item, signedIn)) });
  })
  .post('/api/v1/organisations', verifiedUser, validBody('json', organisationCreateSchema), async (c) => {
    const organisation = await createOrganisation(
      c.get('db'),
      c.req.valid('json'),
      requireVerifiedUser(c).id,
      c.get('deps').clock.now(),
    );
    c.header('Location', `/api/v1/organisations/${organisation.id}`);
    return c.json(organisationJson(organisation, true), 201);
  })
  .get('/api/v1/organisations/:id{[0-9]+}', async (c) => {
    const organisation = await getOrganisation(c.get('db'), idParam(c, 'id'));
    if (!organisation) throw new NotFound('Organisation introuvable.');
    return c.json(organisationJson(organisation, !!c.get('viewer')));
  })
  .patch(
    '/api/v1/organisations/:id{[0-9]+}',
    verifiedUser,
    validBody('json', organisationPatchSchema),
    async (c) => {
      const id = idParam(c, 'id');
      await authorise(c, id, 'edit');
      const organisation = await updateOrganisation(
        c.get('db'),
        id,
        c.req.valid('json'),
        c.get('deps').clock.now(),
      );
      return c.json(organisationJson(organisation, true));
    },
  )
  .delete('/api/v1/organisations/:id{[0-9]+}', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'delete');
    await deleteOrganisation(c.get('db'), id);
    return c.body(null, 204);
  })
  .post(
    '/api/v1/organisations/:id{[0-9]+}/invitations',
    verifiedUser,
    validBody('json', invitationSchema),
    async (c) => {
      const id = idParam(c, 'id');
      const { viewer } = await authorise(c, id, 'manageMembers');
      const invitation = await inviteMember(serviceDeps(c), viewer, id, c.req.valid('json'));
      return c.json(
        {
          id: invitation.id,
          email: invitation.email,
          role: invitation.role,
          expiresAt: invitation.expiresAt,
        },
        201,
      );
    },
  );
