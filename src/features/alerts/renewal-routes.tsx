import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { Container } from '../../lib/dsfr.tsx';
import { renderPage } from '../../lib/render.tsx';
import { checkRenewal, type RenewalCheck, renewWithToken } from './expiry.ts';

const REFUSALS: Record<'invalid' | 'used' | 'expired', string> = {
  invalid: 'Ce lien de renouvellement n’est pas valide.',
  used: 'Ce lien de renouvellement a déjà servi.',
  expired: 'Ce lien de renouvellement a expiré : renouvelez l’annonce depuis sa page.',
};

function listingId(c: AppContext): number {
  const raw = c.req.param('id') ?? '';
  return /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : 0;
}

function refusal(c: AppContext, check: Extract<RenewalCheck, { ok: false }>) {
  return renderPage(
    c,
    { title: 'Lien de renouvellement', status: check.reason === 'invalid' ? 404 : 410 },
    <Container narrow>
      <h1>Lien de renouvellement</h1>
      <div class="fr-alert fr-alert--error">
        <p>{REFUSALS[check.reason]}</p>
      </div>
    </Container>,
  );
}

/** One-click renewal of a listing from the expiry reminder: a GET confirms, the POST renews. */
export const renewalRoutes = new Hono<AppEnv>()
  .get('/annonces/:id/renouveler/:token', async (c) => {
    const check = await checkRenewal(
      c.get('db'),
      listingId(c),
      c.req.param('token'),
      c.get('deps').clock.now(),
    );
    if (!check.ok) return refusal(c, check);
    c.header('Referrer-Policy', 'no-referrer');
    return renderPage(
      c,
      { title: 'Renouveler l’annonce' },
      <Container narrow>
        <h1>Renouveler l’annonce « {check.listing.title} »</h1>
        <p>L’annonce restera publiée 90 jours à partir d’aujourd’hui.</p>
        <form method="post">
          <button type="submit" class="fr-btn fr-icon-refresh-line fr-btn--icon-left">
            Renouveler l’annonce
          </button>
        </form>
      </Container>,
    );
  })
  .post('/annonces/:id/renouveler/:token', async (c) => {
    const id = listingId(c);
    const check = await renewWithToken(c.get('db'), id, c.req.param('token'), c.get('deps').clock.now());
    if (!check.ok) return refusal(c, check);
    return renderPage(
      c,
      { title: 'Annonce renouvelée' },
      <Container narrow>
        <h1>Annonce renouvelée</h1>
        <div class="fr-alert fr-alert--success fr-mb-4w">
          <p>« {check.listing.title} » reste publiée 90 jours de plus.</p>
        </div>
        <a class="fr-link" href={`/annonces/${id}`}>
          Voir l’annonce
        </a>
      </Container>,
    );
  });
