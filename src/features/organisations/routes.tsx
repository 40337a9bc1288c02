import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Db } from '../../db/client.ts';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { Conflict, Forbidden, NotFound } from '../../lib/errors.ts';
import { type FormRenderer, type FormValues, formText, validForm } from '../../lib/form.ts';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { validBody, validQuery } from '../../lib/validation.ts';
import { requireUser, requireVerifiedUser } from '../auth/session.ts';
import { resolveCommunePicker } from '../geo/form.ts';
import { getCommune } from '../geo/queries.ts';
import { OrganisationMatchesPanel } from '../matching/routes.tsx';
import { serviceDeps } from '../notifications/deps.ts';
import { lastCoordinatorConflict, polesLeftWithoutCoordinator } from '../poles/coordination.ts';
import {
  cancelInvitation,
  decideAccessRequest,
  findOrganisationBySiret,
  listAccessRequests,
  requestAccess,
} from './access-requests.ts';
import { organisationDirectory } from './directory.tsx';
import {
  isAllowed,
  memberRemovable,
  type OrganisationAction,
  organisationRights,
  REFUSALS,
} from './permissions.ts';
import {
  acceptInvitation,
  amiLeadConflict,
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
  organisationsLeadingDossiers,
  removeMember,
  searchOrganisations,
  updateOrganisation,
} from './queries.ts';
import {
  invitationSchema,
  memberRoleSchema,
  organisationCreateSchema,
  organisationEditFormSchema,
  organisationFormSchema,
  organisationListQuery,
  organisationPatchSchema,
} from './schemas.ts';
import { inviteMember } from './service.ts';
import {
  type CommunePickerState,
  ConfirmOrganisationActionPage,
  CreateOrganisationPage,
  EditOrganisationPage,
  formValuesOf,
  InvitationPage,
  type OrganisationFormValues,
  OrganisationPage,
  type OrganisationPageProps,
} from './views.tsx';

const NOTICES: Record<string, string> = {
  creee: 'L’organisation est inscrite.',
  modifiee: 'Les modifications sont enregistrées.',
  supprimee: 'L’organisation a été supprimée.',
  invitation: 'L’invitation a été envoyée.',
  bienvenue: 'Vous faites maintenant partie de l’organisation.',
  retire: 'La personne a été retirée de l’organisation.',
  role: 'Le rôle a été changé.',
  'invitation-annulee': 'L’invitation a été annulée.',
  'acces-demande':
    'Votre demande d’accès est envoyée aux propriétaires de l’organisation : vous recevrez leur réponse par courriel.',
  'acces-accepte': 'La demande d’accès est acceptée : la personne peut maintenant modifier la fiche.',
  'acces-refuse': 'La demande d’accès est refusée.',
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
  'version',
] as const;

/** The form's values as typed, to show them back. */
const typedValues = (form: FormValues): OrganisationFormValues => ({
  siret: formText(form, 'siret'),
  name: formText(form, 'name'),
  kind: formText(form, 'kind'),
  legalForm: formText(form, 'legalForm'),
  nafCode: formText(form, 'nafCode'),
  themes: ([] as string[]).concat(form.themes ?? []),
  description: formText(form, 'description'),
  website: formText(form, 'website'),
  contactEmail: formText(form, 'contactEmail'),
});

/** Resolves the commune picker before validation (its message joins the others). */
const resolveCommune = async (c: AppContext, values: FormValues) => {
  const { error } = await resolveCommunePicker(c.get('db'), values, 'communeCode', 'Indiquez la commune.');
  return error ? { communeCode: error } : undefined;
};

/** The picker as the form shows it back (values already resolved by `resolveCommune`). */
const pickerOf = async (c: AppContext, values: FormValues) =>
  (await resolveCommunePicker(c.get('db'), { ...values }, 'communeCode', '')).picker;

const renderCreateForm: FormRenderer = async (c, { values, errors, status }) => {
  const db = c.get('db');
  // A SIRET already registered is not a dead end: offer to ask its owners for access.
  const existing = errors.siret ? await findOrganisationBySiret(db, formText(values, 'siret')) : undefined;
  return renderPage(
    c,
    { title: 'Inscrire une organisation', status },
    <CreateOrganisationPage
      values={typedValues(values)}
      errors={errors}
      commune={await pickerOf(c, values)}
      existing={existing}
    />,
  );
};

const renderEditForm: FormRenderer = async (c, { values, errors, status }) => {
  const current = await getOrganisation(c.get('db'), idParam(c, 'id'));
  if (!current) throw new NotFound('Organisation introuvable.');
  return renderPage(
    c,
    { title: `Modifier ${current.name}`, status },
    <EditOrganisationPage
      organisation={current}
      values={typedValues(values)}
      errors={errors}
      commune={await pickerOf(c, values)}
      version={Number(formText(values, 'version')) || current.version}
    />,
  );
};

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
  const rights = organisationRights(viewer, role);
  const accessRequests = rights.canManage ? await listAccessRequests(c.get('db'), id) : [];
  const { status, ...rest } = extra;
  return renderPage(
    c,
    { title: details.organisation.name, description: details.organisation.description.slice(0, 160), status },
    <OrganisationPage
      {...details}
      {...rest}
      rights={rights}
      accessRequests={accessRequests}
      matches={await OrganisationMatchesPanel({ c, organisationId: id, member: role !== null })}
    />,
  );
}

export const organisationRoutes = new Hono<AppEnv>()
  // ---------------------------------------------------------------------------------------------
  // Pages
  .get('/organisations', (c) => organisationDirectory(c, NOTICES[c.req.query('info') ?? '']))
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
  .post(
    '/organisations',
    verifiedUser,
    validForm(organisationFormSchema, renderCreateForm, { fields: FORM_FIELDS, prepare: resolveCommune }),
    async (c) => {
      const { communeCodeQuery: _, ...input } = c.req.valid('form');
      const viewer = requireVerifiedUser(c);
      const organisation = await createOrganisation(c.get('db'), input, viewer.id, c.get('deps').clock.now());
      return c.redirect(`/organisations/${organisation.id}?info=creee`, 303);
    },
  )
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
  .post(
    '/organisations/:id{[0-9]+}/modifier',
    verifiedUser,
    validForm(organisationEditFormSchema, renderEditForm, { fields: FORM_FIELDS, prepare: resolveCommune }),
    async (c) => {
      const id = idParam(c, 'id');
      await authorise(c, id, 'edit');
      const db = c.get('db');
      const { communeCodeQuery: _, nafCode, website, contactEmail, ...input } = c.req.valid('form');
      try {
        await updateOrganisation(
          db,
          id,
          {
            ...input,
            nafCode: nafCode ?? null,
            website: website ?? null,
            contactEmail: contactEmail ?? null,
          },
          c.get('deps').clock.now(),
        );
      } catch (err) {
        if (!(err instanceof Conflict) || err.fields) throw err;
        // Someone saved in between: show the current record, so the user re-applies their changes.
        const latest = await getOrganisation(db, id);
        if (!latest) throw new NotFound('Organisation introuvable.');
        return renderPage(
          c,
          { title: `Modifier ${latest.name}`, status: 409 },
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
      return c.redirect(`/organisations/${id}?info=modifiee`, 303);
    },
  )
  .get('/organisations/:id{[0-9]+}/supprimer', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'delete');
    const db = c.get('db');
    const organisation = await getOrganisation(db, id);
    if (!organisation) throw new NotFound('Organisation introuvable.');
    const orphaned = await polesLeftWithoutCoordinator(db, [id]);
    if (orphaned.length > 0) throw lastCoordinatorConflict(orphaned.map((p) => p.name));
    const leading = await organisationsLeadingDossiers(db, [id]);
    if (leading.length > 0) throw amiLeadConflict(leading.map((o) => o.name));
    return renderPage(
      c,
      { title: `Supprimer ${organisation.name}` },
      <ConfirmOrganisationActionPage
        organisation={organisation}
        title={`Supprimer « ${organisation.name} »`}
        explanation="La suppression est définitive : la fiche, ses membres, ses invitations et sa participation aux pôles seront effacés."
        action={`/organisations/${id}/supprimer`}
        label="Supprimer l’organisation"
      />,
    );
  })
  .post('/organisations/:id{[0-9]+}/supprimer', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'delete');
    await deleteOrganisation(c.get('db'), id);
    return c.redirect('/organisations?info=supprimee', 303);
  })
  .get('/organisations/:id{[0-9]+}/membres/:userId{[0-9]+}/supprimer', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'manageMembers');
    const details = await getOrganisationDetails(c.get('db'), id, c.get('deps').clock.now());
    if (!details) throw new NotFound('Organisation introuvable.');
    const userId = idParam(c, 'userId');
    const member = details.members.find((m) => m.userId === userId);
    if (!member) throw new NotFound('Cette personne n’est pas membre de l’organisation.');
    if (!memberRemovable(details.members, userId).remove)
      throw new Conflict('Une organisation garde au moins un propriétaire : nommez-en un autre d’abord.');
    return renderPage(
      c,
      { title: `Retirer ${member.name}` },
      <ConfirmOrganisationActionPage
        organisation={details.organisation}
        title={`Retirer ${member.name}`}
        explanation={`${member.name} (${member.email}) ne pourra plus gérer la fiche de « ${details.organisation.name} ».`}
        action={`/organisations/${id}/membres/${userId}/supprimer`}
        label="Retirer"
      />,
    );
  })
  .get('/organisations/:id{[0-9]+}/invitations/:invitationId{[0-9]+}/annuler', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'manageMembers');
    const details = await getOrganisationDetails(c.get('db'), id, c.get('deps').clock.now());
    if (!details) throw new NotFound('Organisation introuvable.');
    const invitationId = idParam(c, 'invitationId');
    const invitation = details.invitations.find((i) => i.id === invitationId);
    if (!invitation) throw new NotFound('Cette invitation n’existe pas ou a déjà été utilisée.');
    return renderPage(
      c,
      { title: 'Annuler l’invitation' },
      <ConfirmOrganisationActionPage
        organisation={details.organisation}
        title={`Annuler l’invitation de ${invitation.email}`}
        explanation="Le lien envoyé par courriel ne fonctionnera plus. Vous pourrez inviter cette personne à nouveau."
        action={`/organisations/${id}/invitations/${invitationId}/annuler`}
        label="Annuler l’invitation"
      />,
    );
  })
  .post('/organisations/:id{[0-9]+}/invitations/:invitationId{[0-9]+}/annuler', async (c) => {
    const id = idParam(c, 'id');
    await authorise(c, id, 'manageMembers');
    await cancelInvitation(c.get('db'), id, idParam(c, 'invitationId'));
    return c.redirect(`/organisations/${id}?info=invitation-annulee#membres`, 303);
  })
  .post('/organisations/:id{[0-9]+}/acces', verifiedUser, async (c) => {
    const id = idParam(c, 'id');
    await requestAccess(serviceDeps(c), requireVerifiedUser(c), id);
    return c.redirect(`/organisations/${id}?info=acces-demande`, 303);
  })
  .post('/organisations/:id{[0-9]+}/acces/:requestId{[0-9]+}/:decision{accepter|refuser}', async (c) => {
    const id = idParam(c, 'id');
    const { viewer } = await authorise(c, id, 'manageMembers');
    const accept = c.req.param('decision') === 'accepter';
    await decideAccessRequest(serviceDeps(c), viewer.id, id, idParam(c, 'requestId'), accept);
    return c.redirect(`/organisations/${id}?info=${accept ? 'acces-accepte' : 'acces-refuse'}#acces`, 303);
  })
  .post(
    '/organisations/:id{[0-9]+}/invitations',
    verifiedUser,
    validForm(invitationSchema, (c, { values, errors, status }) =>
      renderOrganisationPage(c, idParam(c, 'id'), {
        status,
        invitation: { values: { email: formText(values, 'email'), role: formText(values, 'role') }, errors },
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
