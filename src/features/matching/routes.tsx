import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { Forbidden, NotFound, ValidationError } from '../../lib/errors.ts';
import { type FormRenderer, validForm } from '../../lib/form.ts';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { validQuery } from '../../lib/validation.ts';
import { requireUser, requireVerifiedUser } from '../auth/session.ts';
import { getListingAccess, listingRights } from '../listings/access.ts';
import { getOrganisationAccess, getOrganisationDetails } from '../organisations/queries.ts';
import { dismissMatch, listingMatches, organisationMatches } from './queries.ts';
import { dismissForm, matchPageQuery, matchQuery, weeklyEmailForm } from './schemas.ts';
import { MatchesBlock, PartnersPage, partnersPath } from './views.tsx';
import { setWeeklyEmail, weeklyEmailOn } from './weekly.ts';

const NO_ORGANISATION = 'Organisation introuvable.';
const MEMBERS_ONLY =
  'Seuls les membres de l’organisation voient ses partenaires suggérés : ils révèlent ses projets.';
const NO_LISTING = 'Annonce introuvable.';
const OWNERS_ONLY = 'Seuls les membres de l’organisation de l’annonce voient les suggestions de partenaires.';

/** Suggestions reveal commercial intent: the organisation's members only (404 unknown, 403 others). */
async function memberOf(c: AppContext, organisationId: number) {
  const viewer = requireUser(c);
  const access = await getOrganisationAccess(c.get('db'), organisationId, viewer.id);
  if (!access) throw new NotFound(NO_ORGANISATION);
  if (access.role === null) throw new Forbidden(MEMBERS_ONLY);
  return viewer;
}

/** The listing's organisation members only (404 unknown or invisible, 403 others). */
async function listingOwner(c: AppContext, listingId: number) {
  const viewer = requireUser(c);
  const access = await getListingAccess(c.get('db'), listingId, viewer);
  if (!access) throw new NotFound(NO_LISTING);
  if (!listingRights(access, viewer, c.get('deps').clock.now()).canView) throw new NotFound(NO_LISTING);
  if (access.memberRole === null) throw new Forbidden(OWNERS_ONLY);
  return access.listing;
}

/** A dismissed candidate must exist and be another organisation. */
async function dismiss(c: AppContext, organisationId: number, candidateId: number) {
  const viewer = requireVerifiedUser(c);
  await memberOf(c, organisationId);
  if (candidateId === organisationId)
    throw new ValidationError({ candidateId: 'Une organisation ne peut pas s’écarter elle-même.' });
  const candidate = await getOrganisationAccess(c.get('db'), candidateId, viewer.id);
  if (!candidate) throw new NotFound(NO_ORGANISATION);
  await dismissMatch(c.get('db'), organisationId, candidateId, viewer.id, c.get('deps').clock.now());
}

const NOTICES: Record<string, string> = {
  ecartee: 'Cette organisation ne vous sera plus suggérée.',
  'courriel-oui': 'Vous recevrez chaque semaine les nouvelles suggestions.',
  'courriel-non': 'Vous ne recevrez plus le courriel hebdomadaire des suggestions.',
};

async function renderPartnersPage(c: AppContext, id: number, status?: 422) {
  const viewer = c.get('viewer');
  if (!viewer) return c.redirect(`/connexion?retour=${encodeURIComponent(partnersPath(id))}`, 303);
  await memberOf(c, id);
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const parsed = matchPageQuery.safeParse(c.req.query());
  const filters = parsed.success ? parsed.data : {};
  const [details, items, weekly] = await Promise.all([
    getOrganisationDetails(db, id, now),
    organisationMatches(db, id, { limit: 30, now, ...filters }),
    weeklyEmailOn(db, viewer.id),
  ]);
  if (!details || !items) throw new NotFound(NO_ORGANISATION);
  return renderPage(
    c,
    { title: `Partenaires suggérés — ${details.organisation.name}`, status },
    <PartnersPage
      organisation={details.organisation}
      items={items}
      filters={filters}
      weekly={weekly}
      notice={NOTICES[c.req.query('avis') ?? '']}
    />,
  );
}

const renderPartnersForm: FormRenderer = (c) => renderPartnersPage(c, idParam(c), 422);

/** The block of the organisation page, for its members (null for anyone else). */
export async function OrganisationMatchesPanel({
  c,
  organisationId,
  member,
}: {
  c: AppContext;
  organisationId: number;
  member: boolean;
}): Promise<Child> {
  if (!member) return null;
  const items = await organisationMatches(c.get('db'), organisationId, {
    limit: 3,
    now: c.get('deps').clock.now(),
  });
  if (!items) return null;
  return (
    <MatchesBlock
      title="Partenaires suggérés"
      intro="Visible par les membres de l’organisation seulement."
      items={items}
      organisationId={organisationId}
      returnPath={`/organisations/${organisationId}`}
      more={{ href: partnersPath(organisationId), label: 'Toutes les suggestions' }}
    />
  );
}

/** The block of a listing page, for its organisation's members: listings of others that answer it. */
export async function ListingMatchesPanel({
  c,
  listing,
  member,
}: {
  c: AppContext;
  listing: { id: number; organisationId: number; type: 'offer' | 'need' };
  member: boolean;
}): Promise<Child> {
  if (!member) return null;
  const items = await listingMatches(c.get('db'), listing.id, { limit: 5, now: c.get('deps').clock.now() });
  if (!items) return null;
  return (
    <MatchesBlock
      title={
        listing.type === 'need' ? 'Offres qui répondent à ce besoin' : 'Besoins que cette offre peut servir'
      }
      intro="Visible par les membres de l’organisation seulement."
      items={items}
      organisationId={listing.organisationId}
      returnPath={`/annonces/${listing.id}`}
      more={{ href: partnersPath(listing.organisationId), label: 'Tous les partenaires suggérés' }}
    />
  );
}

/** Partner suggestions: the page, dismissals, the weekly email setting, the API. */
export const matchingRoutes = new Hono<AppEnv>()
  .get('/organisations/:id{[0-9]+}/partenaires', (c) => renderPartnersPage(c, idParam(c)))
  .post(
    '/organisations/:id{[0-9]+}/partenaires/:candidateId{[0-9]+}/ecarter',
    validForm(dismissForm, renderPartnersForm),
    async (c) => {
      const id = idParam(c);
      await dismiss(c, id, idParam(c, 'candidateId'));
      const back = c.req.valid('form').retour ?? partnersPath(id);
      return c.redirect(`${back}${back.includes('?') ? '&' : '?'}avis=ecartee`, 303);
    },
  )
  .post(
    '/organisations/:id{[0-9]+}/partenaires/courriel',
    validForm(weeklyEmailForm, renderPartnersForm),
    async (c) => {
      const id = idParam(c);
      const viewer = await memberOf(c, id);
      const on = c.req.valid('form').hebdo === 'oui';
      await setWeeklyEmail(c.get('db'), viewer.id, on, c.get('deps').clock.now());
      return c.redirect(`${partnersPath(id)}?avis=courriel-${on ? 'oui' : 'non'}`, 303);
    },
  )
  // ---------------------------------------------------------------------------------------------
  // JSON API
  .get('/api/v1/organisations/:id{[0-9]+}/matches', validQuery(matchQuery), async (c) => {
    const id = idParam(c);
    await memberOf(c, id);
    const items = await organisationMatches(c.get('db'), id, {
      ...c.req.valid('query'),
      now: c.get('deps').clock.now(),
    });
    if (!items) throw new NotFound(NO_ORGANISATION);
    return c.json({ items });
  })
  .post('/api/v1/organisations/:id{[0-9]+}/matches/:candidateId{[0-9]+}/dismiss', async (c) => {
    await dismiss(c, idParam(c), idParam(c, 'candidateId'));
    return c.body(null, 204);
  })
  .get('/api/v1/listings/:id{[0-9]+}/matches', validQuery(matchQuery), async (c) => {
    const id = idParam(c);
    await listingOwner(c, id);
    const items = await listingMatches(c.get('db'), id, {
      ...c.req.valid('query'),
      now: c.get('deps').clock.now(),
    });
    if (!items) throw new NotFound(NO_LISTING);
    return c.json({
      items: items.flatMap((item) => (item.listings[0] ? [{ ...item, listing: item.listings[0] }] : [])),
    });
  });
