import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { assets } from '../generated/assets.ts';

/** Who is looking at the page, as the layout needs it (header links). */
export interface Viewer {
  name: string;
  role: 'member' | 'instructor' | 'admin';
}

export interface LayoutProps {
  title: string;
  /** Path of the current page, to mark the active navigation entry. */
  path: string;
  viewer?: Viewer | null;
  children?: Child;
  description?: string;
}

export const SITE_NAME = 'ptce-hub';
const TAGLINE = 'La plateforme des Pôles territoriaux de coopération économique';

const NAV = [
  { href: '/annonces', label: 'Annonces' },
  { href: '/organisations', label: 'Organisations' },
  { href: '/poles', label: 'Pôles' },
  { href: '/ami', label: 'AMI' },
] as const;
/** Shown to staff (instructors, admins) only: their instruction space (issue 9). */
const STAFF_NAV = { href: '/instruction', label: 'Instruction' } as const;

function isCurrent(path: string, href: string) {
  return path === href || path.startsWith(`${href}/`);
}

/** The DSFR page shell: skip links, header with navigation, main content, footer with mandatory links. */
export function Layout({ title, path, viewer, children, description }: LayoutProps) {
  return (
    <html lang="fr" data-fr-scheme="system">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
        <meta name="format-detection" content="telephone=no" />
        <meta name="description" content={description ?? TAGLINE} />
        <title>{`${title} — ${SITE_NAME}`}</title>
        {/* DSFR (the components the pages use), its icons in use and app.css, in one hashed file. */}
        <link rel="stylesheet" href={assets.css} />
        <link rel="apple-touch-icon" href={assets.appleTouchIcon} />
        <link rel="icon" href={assets.faviconSvg} type="image/svg+xml" />
        <link rel="shortcut icon" href={assets.faviconIco} type="image/x-icon" />
        <script src={assets.htmx} defer />
        <script src={assets.app} defer />
      </head>
      <body hx-boost:inherited="true">
        <div class="fr-skiplinks">
          <nav class="fr-container" role="navigation" aria-label="Accès rapide">
            <ul class="fr-skiplinks__list">
              <li>
                <a class="fr-link" href="#contenu">
                  Contenu
                </a>
              </li>
              <li>
                <a class="fr-link" href="#navigation-principale">
                  Menu
                </a>
              </li>
              <li>
                <a class="fr-link" href="#pied-de-page">
                  Pied de page
                </a>
              </li>
            </ul>
          </nav>
        </div>
        {viewer ? <Header path={path} viewer={viewer} /> : anonymousHeader(path)}
        <main id="contenu" tabindex={-1} role="main">
          {children}
        </main>
        {footer()}
        <script type="module" src={assets.dsfrModule} />
        <script nomodule src={assets.dsfrNomodule} />
      </body>
    </html>
  );
}

/**
 * The parts of the shell that depend on no request, rendered to HTML once per process instead of on
 * every page (≈ 0.1 ms of the ≈ 0.8 ms an organisation page costs): the footer, and the header of a
 * visitor who is not signed in, one per active navigation entry. Signed-in headers carry the
 * viewer's name and are rendered per request.
 */
let footerHtml: ReturnType<typeof raw> | undefined;
const footer = () => {
  footerHtml ??= raw(String(<Footer />));
  return footerHtml;
};
const anonymousHeaders = new Map<string, ReturnType<typeof raw>>();
function anonymousHeader(path: string) {
  const current = NAV.find((item) => isCurrent(path, item.href))?.href ?? '';
  let html = anonymousHeaders.get(current);
  if (!html) {
    html = raw(String(<Header path={current} viewer={null} />));
    anonymousHeaders.set(current, html);
  }
  return html;
}

function ToolLinks({ viewer }: { viewer?: Viewer | null | undefined }) {
  if (!viewer) {
    return (
      <ul class="fr-btns-group">
        <li>
          <a class="fr-btn fr-icon-lock-line" href="/connexion">
            Se connecter
          </a>
        </li>
        <li>
          <a class="fr-btn fr-icon-account-circle-line" href="/inscription">
            Créer un compte
          </a>
        </li>
      </ul>
    );
  }
  return (
    <ul class="fr-btns-group">
      {viewer.role === 'admin' && (
        <li>
          <a class="fr-btn fr-icon-settings-5-line" href="/admin/utilisateurs">
            Administration
          </a>
        </li>
      )}
      <li>
        <a class="fr-btn fr-icon-account-circle-line" href="/compte">
          {viewer.name}
        </a>
      </li>
      <li>
        <form method="post" action="/deconnexion" class="fr-mb-0">
          <button type="submit" class="fr-btn fr-icon-logout-box-r-line">
            Se déconnecter
          </button>
        </form>
      </li>
    </ul>
  );
}

function Header({ path, viewer }: { path: string; viewer?: Viewer | null | undefined }) {
  return (
    <header role="banner" class="fr-header">
      <div class="fr-header__body">
        <div class="fr-container">
          <div class="fr-header__body-row">
            <div class="fr-header__brand fr-enlarge-link">
              <div class="fr-header__brand-top">
                <div class="fr-header__logo">
                  <p class="fr-logo">
                    République
                    <br />
                    Française
                  </p>
                </div>
                <div class="fr-header__navbar">
                  <button
                    type="button"
                    class="fr-btn--menu fr-btn"
                    data-fr-opened="false"
                    aria-controls="menu-principal"
                    id="bouton-menu"
                    title="Menu"
                  >
                    Menu
                  </button>
                </div>
              </div>
              <div class="fr-header__service">
                <a href="/" title={`Accueil — ${SITE_NAME}`}>
                  <p class="fr-header__service-title">{SITE_NAME}</p>
                </a>
                <p class="fr-header__service-tagline">{TAGLINE}</p>
              </div>
            </div>
            <div class="fr-header__tools">
              <div class="fr-header__tools-links">
                <ToolLinks viewer={viewer} />
              </div>
            </div>
          </div>
        </div>
      </div>
      <div class="fr-header__menu fr-modal" id="menu-principal" aria-labelledby="bouton-menu">
        <div class="fr-container">
          <button type="button" class="fr-btn--close fr-btn" aria-controls="menu-principal" title="Fermer">
            Fermer
          </button>
          <div class="fr-header__menu-links">
            <ToolLinks viewer={viewer} />
          </div>
          <nav class="fr-nav" id="navigation-principale" role="navigation" aria-label="Menu principal">
            <ul class="fr-nav__list">
              {[
                ...NAV,
                ...(viewer?.role === 'instructor' || viewer?.role === 'admin' ? [STAFF_NAV] : []),
              ].map((item) => (
                <li class="fr-nav__item">
                  <a
                    class="fr-nav__link"
                    href={item.href}
                    aria-current={isCurrent(path, item.href) ? 'page' : undefined}
                  >
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </div>
    </header>
  );
}

function Footer() {
  const external = [
    ['https://www.tresor.economie.gouv.fr', 'tresor.economie.gouv.fr'],
    ['https://www.economie.gouv.fr/ess', 'economie.gouv.fr/ess'],
    ['https://www.legifrance.gouv.fr', 'legifrance.gouv.fr'],
    ['https://www.data.gouv.fr', 'data.gouv.fr'],
  ] as const;
  return (
    <footer class="fr-footer" role="contentinfo" id="pied-de-page">
      <div class="fr-container">
        <div class="fr-footer__body">
          <div class="fr-footer__brand fr-enlarge-link">
            <a href="/" title={`Retour à l’accueil du site — ${SITE_NAME} — République Française`}>
              <p class="fr-logo">
                République
                <br />
                Française
              </p>
            </a>
          </div>
          <div class="fr-footer__content">
            <p class="fr-footer__content-desc">
              {SITE_NAME} met en relation les membres des Pôles territoriaux de coopération économique, les
              entreprises et les collectivités, et accueille l’appel à manifestation d’intérêt permanent
              piloté par la Direction générale du Trésor.
            </p>
            <ul class="fr-footer__content-list">
              {external.map(([href, label]) => (
                <li class="fr-footer__content-item">
                  <a
                    class="fr-footer__content-link"
                    target="_blank"
                    rel="noopener"
                    title={`${label} — nouvelle fenêtre`}
                    href={href}
                  >
                    {label}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <div class="fr-footer__bottom">
          <ul class="fr-footer__bottom-list">
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/accessibilite">
                Accessibilité : non conforme
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/mentions-legales">
                Mentions légales
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/donnees-personnelles">
                Données personnelles
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/contact">
                Contact
              </a>
            </li>
          </ul>
          <div class="fr-footer__bottom-copy">
            <p>
              Sauf mention contraire, les contenus de ce site sont proposés sous{' '}
              <a
                href="https://github.com/etalab/licence-ouverte/blob/master/LO.md"
                target="_blank"
                rel="noopener"
                title="licence etalab-2.0 — nouvelle fenêtre"
              >
                licence etalab-2.0
              </a>
              . Référentiel des communes : INSEE, La Poste.
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}
