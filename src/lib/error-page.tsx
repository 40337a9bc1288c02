import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppContext } from './context.ts';
import type { FieldErrors } from './errors.ts';
import { renderPage } from './render.tsx';

const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Connexion requise',
  403: 'Accès refusé',
  404: 'Page non trouvée',
  409: 'Conflit de modification',
  413: 'Contenu trop volumineux',
  422: 'Données invalides',
  429: 'Trop de requêtes',
  500: 'Erreur inattendue',
  503: 'Service indisponible',
};

const HINTS: Record<number, string> = {
  404: 'La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée. Si vous avez tapé l’adresse dans le navigateur, vérifiez qu’elle est correcte. La page n’est peut-être plus disponible.',
  500: 'Désolé, le service rencontre un problème, nous travaillons pour le résoudre le plus rapidement possible. Essayez de rafraîchir la page ou bien réessayez plus tard.',
  503: 'Le service est momentanément indisponible. Réessayez dans quelques instants.',
};

/** The DSFR error page ("page d'erreur") for an HTML request. */
export function renderErrorPage(
  c: AppContext,
  status: ContentfulStatusCode,
  message?: string,
  fields?: FieldErrors,
) {
  const title = TITLES[status] ?? 'Erreur';
  return renderPage(
    c,
    { title, status },
    <div class="fr-container">
      <div class="fr-my-7w fr-mt-md-12w fr-mb-md-10w fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-grid-row--center">
        <div class="fr-py-0 fr-col-12 fr-col-md-6">
          <h1>{title}</h1>
          <p class="fr-text--sm fr-mb-3w">Erreur {status}</p>
          <p class="fr-text--lead fr-mb-3w">{message ?? HINTS[status] ?? title}</p>
          {fields && Object.keys(fields).length > 0 && (
            <ul class="fr-mb-3w">
              {Object.values(fields).map((text) => (
                <li>{text}</li>
              ))}
            </ul>
          )}
          {status === 401 ? (
            <p class="fr-text--sm fr-mb-5w">Connectez-vous pour accéder à cette page.</p>
          ) : (
            <p class="fr-text--sm fr-mb-5w">
              Vous pouvez revenir à l’accueil ou utiliser la navigation du site.
            </p>
          )}
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href="/">
                Page d’accueil
              </a>
            </li>
            {status === 401 && (
              <li>
                <a
                  class="fr-btn fr-btn--secondary"
                  href={`/connexion?retour=${encodeURIComponent(c.req.path)}`}
                >
                  Se connecter
                </a>
              </li>
            )}
          </ul>
        </div>
      </div>
    </div>,
  );
}
