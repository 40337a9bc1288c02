import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type * as z from 'zod';
import { organisations } from '../../db/schema.ts';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { excerpt } from '../../lib/directory/views.tsx';
import { Conflict, type FieldErrors, Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import { type FormRenderer, type FormValues, formText, validForm } from '../../lib/form.ts';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { fieldErrors, validBody } from '../../lib/validation.ts';
import { requireVerifiedUser } from '../auth/session.ts';
import { type CommunePicker, resolveCommunePicker } from '../geo/form.ts';
import { getCommune } from '../geo/queries.ts';
import { ListingMatchesPanel } from '../matching/routes.tsx';
import { ReportPanel } from '../moderation/report-panel.tsx';
import { serviceDeps } from '../notifications/deps.ts';
import { ListingResponsePanel } from '../threads/listing-panel.tsx';
import { getListingAccess, listingRights } from './access.ts';
import { getListingView, type ListingView, listingJson, loadListingViews } from './output.ts';
import { ListingPhotoGallery, PhotoManager } from './photo-views.tsx';
import { editableListing, type PhotoDeps } from './photos.ts';
import type { ListingRow } from './queries.ts';
import {
  type ListingCreate,
  type ListingFormInput,
  listingCloseFormSchema,
  listingCloseInput,
  listingCreateInput,
  listingEditFormSchema,
  listingFormSchema,
  listingPatchInput,
  listingPublishInput,
  listingVersionFormSchema,
  MEASURE_UNITS,
  measureOf,
} from './schemas.ts';
import {
  closeListing,
  createListing,
  deleteListing,
  hasResponses,
  publishingChoices,
  publishListing,
  relatedListingIds,
  takeOverListing,
  updateListing,
} from './service.ts';
import {
  CreateListingPage,
  DeleteListingPage,
  EditListingPage,
  type ListingActions,
  ListingPage,
  listingFormValues,
  uniquePoles,
} from './views.tsx';

const NOT_FOUND = 'Annonce introuvable.';

/** `?avis=` notices of the listing pages (the photo routes redirect with theirs). */
const NOTICES: Record<string, string> = {
  publiee: 'L’annonce est publiée : elle apparaît dans la recherche pendant 90 jours.',
  brouillon: 'Le brouillon est enregistré : publiez-le quand il est prêt.',
  modifiee: 'Les modifications sont enregistrées.',
  renouvelee: 'L’annonce est renouvelée pour 90 jours.',
  cloturee: 'L’annonce est clôturée : elle n’apparaît plus dans la recherche.',
  reprise: 'Votre organisation gère maintenant seule cette annonce : le pôle ne peut plus la modifier.',
  'photo-ajoutee': 'La photo est ajoutée.',
  'photo-retiree': 'La photo est retirée.',
};

const TAKE_OVER_REFUSAL =
  'Seuls les membres de l’organisation pour laquelle le pôle a publié l’annonce peuvent la reprendre.';

const photoDeps = (c: AppContext): PhotoDeps => {
  const { storage, clock } = c.get('deps');
  return { db: c.get('db'), storage, clock };
};

/** The listing and the viewer's rights on it; 404 when it does not exist or the viewer may not see it. */
async function visibleListing(c: AppContext, id: number) {
  const viewer = c.get('viewer');
  const now = c.get('deps').clock.now();
  const access = await getListingAccess(c.get('db'), id, viewer);
  if (!access) throw new NotFound(NOT_FOUND);
  const rights = listingRights(access, viewer, now);
  if (!rights.canView) throw new NotFound(NOT_FOUND);
  return { access, rights, now };
}

/** The listing a verified viewer may edit (401, 403 unverified, 404 hidden or unknown, 403 otherwise). */
function editable(c: AppContext, id: number): Promise<ListingRow> {
  const viewer = requireVerifiedUser(c);
  return editableListing(c.get('db'), id, viewer, c.get('deps').clock.now());
}

/** Writes need a signed-in account with a confirmed email — checked before the body is validated. */
const verifiedUser = createMiddleware<AppEnv>(async (c, next) => {
  requireVerifiedUser(c);
  await next();
});

/** The fields of the listing form in the order it shows them (for the error summary). */
const FORM_FIELDS = [
  'organisationId',
  'type',
  'category',
  'title',
  'description',
  'communeCode',
  'radiusKm',
  'poleId',
  'availableFrom',
  'availableUntil',
  'terms',
  'measureValue',
  'measureUnit',
  'version',
] as const;

/** The commune is optional (blank: the organisation's); when typed, it must name one commune. */
const resolveCommune = async (c: AppContext, values: FormValues) => {
  if (!formText(values, 'communeCode').trim() && !formText(values, 'communeCodeQuery').trim()) {
    values.communeCode = '';
    return undefined;
  }
  const { error } = await resolveCommunePicker(c.get('db'), values, 'communeCode', 'Indiquez la commune.');
  return error ? { communeCode: error } : undefined;
};

const pickerOf = async (c: AppContext, values: FormValues): Promise<CommunePicker> =>
  (await resolveCommunePicker(c.get('db'), { ...values }, 'communeCode', '')).picker;

/** The measure of a body, with the category's own unit where it has one (m², ETP, heures). */
function fixedMeasure(
  category: ListingCreate['category'],
  measure: { value: number; unit: string } | null | undefined,
) {
  if (!measure) return measure;
  const unit = MEASURE_UNITS[category];
  return unit ? { value: measure.value, unit } : measure;
}

/** The form's values as the service takes them (a quantity needs its unit, a unit its quantity). */
function formInput(form: ListingFormInput) {
  const measure = measureOf(form.category, form.measureValue, form.measureUnit);
  if (measure && 'error' in measure) throw new ValidationError({ measureUnit: measure.error });
  if (form.measureValue === null && form.measureUnit !== null && !MEASURE_UNITS[form.category])
    throw new ValidationError({ measureValue: 'Indiquez la quantité de cette unité, ou videz l’unité.' });
  return {
    organisationId: form.organisationId,
    type: form.type,
    category: form.category,
    title: form.title,
    description: form.description,
    communeCode: form.communeCode || undefined,
    radiusKm: form.radiusKm,
    poleId: form.poleId,
    availableFrom: form.availableFrom,
    availableUntil: form.availableUntil,
    terms: form.terms,
    measure,
  };
}

const renderCreateForm: FormRenderer = async (c, { values, errors, status }) => {
  const viewer = requireVerifiedUser(c);
  const choices = await publishingChoices(c.get('db'), viewer.id);
  return renderPage(
    c,
    { title: 'Publier une annonce', status },
    <CreateListingPage
      choices={choices}
      values={values}
      errors={errors}
      commune={await pickerOf(c, values)}
    />,
  );
};

/** The edit page (also with a form's errors, or after a conflict with the latest version). */
async function editPage(
  c: AppContext,
  listing: ListingView,
  form: {
    values: FormValues;
    errors: FieldErrors;
    commune: CommunePicker;
    version: number;
    status?: 409 | 422;
    conflict?: string;
  },
) {
  const viewer = requireVerifiedUser(c);
  const choices = await publishingChoices(c.get('db'), viewer.id);
  const own = choices.find((choice) => choice.organisationId === listing.organisationId);
  const poles = own ? uniquePoles([own]) : listing.pole ? [listing.pole] : [];
  return renderPage(
    c,
    { title: `Modifier ${listing.title}`, status: form.status },
    <EditListingPage
      listing={listing}
      values={form.values}
      errors={form.errors}
      commune={form.commune}
      poles={poles}
      version={form.version}
      conflict={form.conflict}
      notice={NOTICES[c.req.query('avis') ?? '']}
      photos={await PhotoManager({ c, listing })}
    />,
  );
}

const renderEditForm: FormRenderer = async (c, { values, errors, status }) => {
  const listing = await getListingView(c.get('db'), (await editable(c, idParam(c))).id);
  if (!listing) throw new NotFound(NOT_FOUND);
  return editPage(c, listing, {
    values,
    errors,
    status,
    commune: await pickerOf(c, values),
    version: Number(formText(values, 'version')) || listing.version,
  });
};

/** The current commune of a listing, as the picker shows it. */
async function pickerFor(c: AppContext, listing: ListingView): Promise<CommunePicker> {
  return { selected: await getCommune(c.get('db'), listing.communeCode), candidates: [] };
}

/** `/annonces/:id` for this viewer, with its photos, answers, reports and related listings. */
async function renderListingPage(
  c: AppContext,
  id: number,
  extra: { notice?: string | undefined; error?: string; status?: 409 | 422 } = {},
) {
  const { access, rights, now } = await visibleListing(c, id);
  const db = c.get('db');
  const viewer = c.get('viewer');
  const manager = access.memberRole !== null || access.onBehalfCoordinator;
  const relatedIds = await relatedListingIds(db, access.listing, now);
  const [views, answered] = await Promise.all([
    loadListingViews(db, [id, ...relatedIds]),
    manager ? hasResponses(db, id) : Promise.resolve(true),
  ]);
  const listing = views.get(id);
  if (!listing) throw new NotFound(NOT_FOUND);
  const actions: ListingActions | null = manager
    ? {
        rights,
        canTakeOver:
          access.memberRole !== null &&
          !!viewer?.emailVerified &&
          access.listing.onBehalfOfPoleId !== null &&
          access.listing.takenOverAt === null,
        deletable: !answered,
      }
    : null;
  return renderPage(
    c,
    { title: listing.title, description: excerpt(listing.description, 160), status: extra.status },
    <ListingPage
      listing={listing}
      now={now}
      notice={extra.notice}
      error={extra.error}
      actions={actions}
      gallery={<ListingPhotoGallery listing={listing} />}
      responses={await ListingResponsePanel({ c, listing })}
      report={await ReportPanel({ c, listing })}
      related={relatedIds.flatMap((relatedId) => views.get(relatedId) ?? [])}
      matches={await ListingMatchesPanel({ c, listing, member: access.memberRole !== null })}
    />,
  );
}

/** A listing action's form in error (a missing reason, a stale version): the listing page again. */
const renderActionError: FormRenderer = (c, { errors, status }) =>
  renderListingPage(c, idParam(c), { status, error: Object.values(errors).join(' ') });

/** Runs a page action; a conflict (stale version, wrong state) shows the listing page with a 409. */
async function pageAction(c: AppContext, id: number, action: () => Promise<unknown>, notice: string) {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    return renderListingPage(c, id, { status: 409, error: error.message });
  }
  return c.redirect(`/annonces/${id}?avis=${notice}`, 303);
}

/** A JSON body that may be absent (publish, close…): `{}` when empty, else a JSON object for `schema`. */
async function optionalJson<T extends z.ZodType>(c: AppContext, schema: T): Promise<z.output<T>> {
  const raw = await c.req.text();
  let value: unknown = {};
  if (raw.trim() !== '') {
    if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
      throw new HTTPException(415);
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ValidationError({ _: 'Le corps de la requête n’est pas du JSON valide.' });
    }
  }
  const result = await schema.safeParseAsync(value);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
}

/** A listing's JSON (any status the viewer may see). */
async function jsonOf(c: AppContext, id: number) {
  const view = await getListingView(c.get('db'), id);
  if (!view) throw new NotFound(NOT_FOUND);
  return listingJson(view);
}

/** Only members of the organisation a pôle published for may take the listing over. */
async function takeOver(c: AppContext, id: number, version: number | undefined) {
  const viewer = requireVerifiedUser(c);
  const access = await getListingAccess(c.get('db'), id, viewer);
  if (!access) throw new NotFound(NOT_FOUND);
  if (access.memberRole === null) {
    if (!listingRights(access, viewer, c.get('deps').clock.now()).canView) throw new NotFound(NOT_FOUND);
    throw new Forbidden(TAKE_OVER_REFUSAL);
  }
  return takeOverListing(c.get('db'), id, version, c.get('deps').clock.now());
}

/** The organisation's commune, for an edit that clears the commune field. */
async function organisationCommune(c: AppContext, organisationId: number) {
  const [row] = await c
    .get('db')
    .select({ communeCode: organisations.communeCode })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return row?.communeCode;
}

/** Listing pages and API: create, edit, publish, close, take over, delete, the listing page. */
export const listingRoutes = new Hono<AppEnv>()
  // ---------------------------------------------------------------------------------------------
  // Pages
  .get('/annonces/nouvelle', async (c) => {
    const viewer = requireVerifiedUser(c);
    const choices = await publishingChoices(c.get('db'), viewer.id);
    const values: FormValues = {
      type: c.req.query('type') === 'need' ? 'need' : c.req.query('type') === 'offer' ? 'offer' : '',
      radiusKm: '30',
      terms: '',
    };
    return renderPage(
      c,
      { title: 'Publier une annonce' },
      <CreateListingPage choices={choices} values={values} errors={{}} commune={{ candidates: [] }} />,
    );
  })
  .post(
    '/annonces',
    verifiedUser,
    validForm(listingFormSchema, renderCreateForm, { fields: FORM_FIELDS, prepare: resolveCommune }),
    async (c) => {
      const form = c.req.valid('form');
      const publish = form.action === 'publish';
      const listing = await createListing(serviceDeps(c), requireVerifiedUser(c), formInput(form), {
        publish,
      });
      return c.redirect(`/annonces/${listing.id}?avis=${publish ? 'publiee' : 'brouillon'}`, 303);
    },
  )
  .get('/annonces/:id{[0-9]+}', (c) =>
    renderListingPage(c, idParam(c), { notice: NOTICES[c.req.query('avis') ?? ''] }),
  )
  .get('/annonces/:id{[0-9]+}/modifier', async (c) => {
    const row = await editable(c, idParam(c));
    const listing = await getListingView(c.get('db'), row.id);
    if (!listing) throw new NotFound(NOT_FOUND);
    return editPage(c, listing, {
      values: listingFormValues(listing),
      errors: {},
      commune: await pickerFor(c, listing),
      version: listing.version,
    });
  })
  .post(
    '/annonces/:id{[0-9]+}/modifier',
    verifiedUser,
    validForm(listingEditFormSchema, renderEditForm, { fields: FORM_FIELDS, prepare: resolveCommune }),
    async (c) => {
      const id = idParam(c);
      const current = await editable(c, id);
      const form = c.req.valid('form');
      const {
        organisationId: _,
        measure,
        communeCode,
        ...fields
      } = formInput({
        ...form,
        organisationId: current.organisationId,
      });
      const db = c.get('db');
      const now = c.get('deps').clock.now();
      try {
        const updated = await updateListing(
          db,
          id,
          {
            ...fields,
            measure,
            communeCode: communeCode ?? (await organisationCommune(c, current.organisationId)),
            version: form.version,
          },
          now,
        );
        if (form.action === 'publish' && updated.status === 'draft')
          await publishListing(db, id, updated.version, now);
        return c.redirect(
          `/annonces/${id}?avis=${form.action === 'publish' && updated.status === 'draft' ? 'publiee' : 'modifiee'}`,
          303,
        );
      } catch (error) {
        if (!(error instanceof Conflict) || error.fields) throw error;
        // Someone saved in between: show the latest version, so the user re-applies their changes.
        const latest = await getListingView(db, id);
        if (!latest) throw new NotFound(NOT_FOUND);
        return editPage(c, latest, {
          values: listingFormValues(latest),
          errors: {},
          commune: await pickerFor(c, latest),
          version: latest.version,
          status: 409,
          conflict: `${error.message} Vos modifications n’ont pas été enregistrées : le formulaire montre la version actuelle.`,
        });
      }
    },
  )
  .post(
    '/annonces/:id{[0-9]+}/publier',
    verifiedUser,
    validForm(listingVersionFormSchema, renderActionError),
    async (c) => {
      const id = idParam(c);
      const current = await editable(c, id);
      const notice = current.status === 'draft' ? 'publiee' : 'renouvelee';
      return pageAction(
        c,
        id,
        () => publishListing(c.get('db'), id, c.req.valid('form').version, c.get('deps').clock.now()),
        notice,
      );
    },
  )
  .post(
    '/annonces/:id{[0-9]+}/cloturer',
    verifiedUser,
    validForm(listingCloseFormSchema, renderActionError),
    async (c) => {
      const id = idParam(c);
      await editable(c, id);
      const { reason, version } = c.req.valid('form');
      return pageAction(
        c,
        id,
        () => closeListing(c.get('db'), id, reason, version, c.get('deps').clock.now()),
        'cloturee',
      );
    },
  )
  .post(
    '/annonces/:id{[0-9]+}/reprendre',
    verifiedUser,
    validForm(listingVersionFormSchema, renderActionError),
    async (c) => {
      const id = idParam(c);
      return pageAction(c, id, () => takeOver(c, id, c.req.valid('form').version), 'reprise');
    },
  )
  .get('/annonces/:id{[0-9]+}/supprimer', async (c) => {
    const row = await editable(c, idParam(c));
    const listing = await getListingView(c.get('db'), row.id);
    if (!listing) throw new NotFound(NOT_FOUND);
    if (await hasResponses(c.get('db'), row.id))
      return renderListingPage(c, row.id, {
        status: 409,
        error: 'Cette annonce a reçu des réponses : clôturez-la plutôt que de la supprimer.',
      });
    return renderPage(c, { title: `Supprimer ${listing.title}` }, <DeleteListingPage listing={listing} />);
  })
  .post('/annonces/:id{[0-9]+}/supprimer', async (c) => {
    const id = idParam(c);
    await editable(c, id);
    try {
      await deleteListing(photoDeps(c), id);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      return renderListingPage(c, id, { status: 409, error: error.message });
    }
    return c.redirect('/mon-espace?avis=annonce-supprimee', 303);
  })
  // ---------------------------------------------------------------------------------------------
  // JSON API (GET /api/v1/listings, the search, is in search-routes.tsx)
  .post('/api/v1/listings', verifiedUser, validBody('json', listingCreateInput), async (c) => {
    const { publish, ...input } = c.req.valid('json');
    const listing = await createListing(
      serviceDeps(c),
      requireVerifiedUser(c),
      { ...input, measure: fixedMeasure(input.category, input.measure) ?? null },
      { publish },
    );
    c.header('Location', `/api/v1/listings/${listing.id}`);
    return c.json(await jsonOf(c, listing.id), 201);
  })
  .get('/api/v1/listings/:id{[0-9]+}', async (c) => {
    const id = idParam(c);
    await visibleListing(c, id);
    return c.json(await jsonOf(c, id));
  })
  .patch('/api/v1/listings/:id{[0-9]+}', verifiedUser, validBody('json', listingPatchInput), async (c) => {
    const id = idParam(c);
    const current = await editable(c, id);
    const patch = c.req.valid('json');
    const measure = fixedMeasure(patch.category ?? current.category, patch.measure);
    await updateListing(c.get('db'), id, { ...patch, measure }, c.get('deps').clock.now());
    return c.json(await jsonOf(c, id));
  })
  .delete('/api/v1/listings/:id{[0-9]+}', async (c) => {
    const id = idParam(c);
    await editable(c, id);
    await deleteListing(photoDeps(c), id);
    return c.body(null, 204);
  })
  .post('/api/v1/listings/:id{[0-9]+}/publish', verifiedUser, async (c) => {
    const id = idParam(c);
    await editable(c, id);
    const { version } = await optionalJson(c, listingPublishInput);
    await publishListing(c.get('db'), id, version, c.get('deps').clock.now());
    return c.json(await jsonOf(c, id));
  })
  .post('/api/v1/listings/:id{[0-9]+}/close', verifiedUser, async (c) => {
    const id = idParam(c);
    await editable(c, id);
    const { reason, version } = await optionalJson(c, listingCloseInput);
    await closeListing(c.get('db'), id, reason, version, c.get('deps').clock.now());
    return c.json(await jsonOf(c, id));
  })
  .post('/api/v1/listings/:id{[0-9]+}/take-over', verifiedUser, async (c) => {
    const id = idParam(c);
    const { version } = await optionalJson(c, listingPublishInput);
    await takeOver(c, id, version);
    return c.json(await jsonOf(c, id));
  });
