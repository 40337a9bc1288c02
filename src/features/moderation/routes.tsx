import { Hono } from 'hono';
import type { AppContext, AppEnv, SessionUser } from '../../lib/context.ts';
import { Conflict, Forbidden, NotFound, TooManyRequests } from '../../lib/errors.ts';
import { type FormRenderer, validForm } from '../../lib/form.ts';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { validBody, validQuery } from '../../lib/validation.ts';
import { overLimit } from '../auth/rate-limit.ts';
import { requireVerifiedUser } from '../auth/session.ts';
import { getListingAccess, listingRights } from '../listings/access.ts';
import { serviceDeps } from '../notifications/deps.ts';
import { sendEmail } from '../notifications/mailer.ts';
import {
  createReport,
  dismissReport,
  listOpenReportGroups,
  REPORT_RULE,
  type ReportReason,
  unpublishListing,
} from './queries.ts';
import { moderationQuery, reportInput, unpublishInput } from './schemas.ts';
import { ModerationPage, ReportPage, UnpublishPage } from './views.tsx';

function requireStaff(c: AppContext): SessionUser {
  const viewer = requireVerifiedUser(c);
  if (viewer.role !== 'instructor' && viewer.role !== 'admin')
    throw new Forbidden('La modération est réservée à l’équipe d’instruction et aux administrateurs.');
  return viewer;
}

/** The listing a viewer may report: one they can see, published. */
async function reportableListing(c: AppContext, id: number, viewer: SessionUser) {
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const access = await getListingAccess(db, id, viewer);
  if (!access || !listingRights(access, viewer, now).canView)
    throw new NotFound('Cette annonce n’existe pas.');
  if (access.listing.status !== 'published')
    throw new Conflict('Seule une annonce publiée peut être signalée.');
  return access.listing;
}

async function report(
  c: AppContext,
  listingId: number,
  input: { reason: ReportReason; note?: string | undefined },
) {
  const viewer = requireVerifiedUser(c);
  await reportableListing(c, listingId, viewer);
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  if (await overLimit(db, `report:user:${viewer.id}`, REPORT_RULE, now))
    throw new TooManyRequests('Trop de signalements envoyés : réessayez dans une heure.');
  return createReport(db, { listingId, reporterId: viewer.id, ...input }, now);
}

async function unpublish(c: AppContext, listingId: number, reason: string) {
  const viewer = requireStaff(c);
  const deps = serviceDeps(c);
  const now = deps.clock.now();
  const result = await unpublishListing(deps.db, listingId, viewer.id, reason, now);
  for (const to of result.ownerEmails) {
    await sendEmail(deps.db, deps, {
      to,
      subject: `Votre annonce « ${result.title} » a été dépubliée`,
      text: [
        'Bonjour,',
        '',
        `L’équipe de modération a dépublié votre annonce « ${result.title} » :`,
        `${deps.origin}/annonces/${listingId}`,
        '',
        'Motif :',
        reason,
        '',
        'Pour toute question, répondez à ce message ou écrivez-nous depuis la page de contact.',
      ].join('\n'),
    });
  }
}

const renderReportForm: FormRenderer = async (c, { values, errors, status }) => {
  const viewer = requireVerifiedUser(c);
  const listing = await reportableListing(c, idParam(c), viewer);
  return renderPage(
    c,
    { title: 'Signaler l’annonce', status },
    <ReportPage listing={listing} values={values} errors={errors} />,
  );
};

async function unpublishPage(
  c: AppContext,
  values: Record<string, string | string[]>,
  errors: Record<string, string>,
  status?: 409 | 422,
) {
  requireStaff(c);
  const access = await getListingAccess(c.get('db'), idParam(c), null);
  if (!access) throw new NotFound('Cette annonce n’existe pas.');
  return renderPage(
    c,
    { title: 'Dépublier l’annonce', status },
    <UnpublishPage listing={access.listing} values={values} errors={errors} />,
  );
}

const renderUnpublishForm: FormRenderer = (c, { values, errors, status }) =>
  unpublishPage(c, values, errors, status);

/** Reports of listings and the staff moderation queue (/moderation). */
export const moderationRoutes = new Hono<AppEnv>()
  .get('/annonces/:id/signaler', async (c) => {
    const viewer = requireVerifiedUser(c);
    const listing = await reportableListing(c, idParam(c), viewer);
    return renderPage(c, { title: 'Signaler l’annonce' }, <ReportPage listing={listing} />);
  })
  .post('/annonces/:id/signaler', validForm(reportInput, renderReportForm), async (c) => {
    const id = idParam(c);
    const row = await report(c, id, c.req.valid('form'));
    return renderPage(
      c,
      { title: 'Signalement envoyé' },
      <ReportPage
        listing={{ id, title: (await getListingAccess(c.get('db'), row.listingId, null))!.listing.title }}
        done
      />,
    );
  })
  .post('/api/v1/listings/:id/reports', validBody('json', reportInput), async (c) => {
    const row = await report(c, idParam(c), c.req.valid('json'));
    return c.json(
      {
        id: row.id,
        listingId: row.listingId,
        reason: row.reason,
        note: row.note,
        status: row.status,
        createdAt: row.createdAt,
      },
      201,
    );
  })
  .get('/moderation', validQuery(moderationQuery), async (c) => {
    requireStaff(c);
    const { page, perPage } = c.req.valid('query');
    const { groups, total } = await listOpenReportGroups(c.get('db'), page, perPage);
    return renderPage(
      c,
      { title: 'Modération' },
      <ModerationPage groups={groups} total={total} page={page} perPage={perPage} />,
    );
  })
  .post('/moderation/signalements/:id/rejeter', async (c) => {
    const viewer = requireStaff(c);
    await dismissReport(c.get('db'), idParam(c), viewer.id, c.get('deps').clock.now());
    return c.redirect('/moderation', 303);
  })
  .get('/annonces/:id/depublier', (c) => unpublishPage(c, {}, {}))
  .post('/annonces/:id/depublier', validForm(unpublishInput, renderUnpublishForm), async (c) => {
    await unpublish(c, idParam(c), c.req.valid('form').reason);
    return c.redirect('/moderation', 303);
  })
  .get('/api/v1/moderation/reports', validQuery(moderationQuery), async (c) => {
    requireStaff(c);
    const { page, perPage } = c.req.valid('query');
    const { groups, total } = await listOpenReportGroups(c.get('db'), page, perPage);
    return c.json({ items: groups, total, page, perPage });
  })
  .post('/api/v1/moderation/reports/:id/dismiss', async (c) => {
    const viewer = requireStaff(c);
    const row = await dismissReport(c.get('db'), idParam(c), viewer.id, c.get('deps').clock.now());
    return c.json(
      {
        id: row.id,
        listingId: row.listingId,
        reason: row.reason,
        note: row.note,
        status: row.status,
        createdAt: row.createdAt,
      },
      200,
    );
  })
  .post('/api/v1/listings/:id/unpublish', validBody('json', unpublishInput), async (c) => {
    await unpublish(c, idParam(c), c.req.valid('json').reason);
    return c.body(null, 204);
  });
