import type { Child } from 'hono/jsx';

/** A DSFR alert. `title` is required by DSFR for the medium size. */
export function Alert({
  type,
  title,
  children,
  small,
}: {
  type: 'error' | 'success' | 'info' | 'warning';
  title?: string;
  children?: Child;
  small?: boolean;
}) {
  return (
    <div
      class={`fr-alert fr-alert--${type}${small ? ' fr-alert--sm' : ''} fr-mb-3w`}
      role={type === 'error' ? 'alert' : 'status'}
    >
      {title && <h2 class="fr-alert__title">{title}</h2>}
      {typeof children === 'string' ? <p>{children}</p> : children}
    </div>
  );
}

/** DSFR breadcrumb; the last item is the current page. */
export function Breadcrumb({ items }: { items: Array<{ label: string; href?: string }> }) {
  return (
    <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
      <button type="button" class="fr-breadcrumb__button" aria-expanded="false" aria-controls="fil-ariane">
        Voir le fil d’Ariane
      </button>
      <div class="fr-collapse" id="fil-ariane">
        <ol class="fr-breadcrumb__list">
          <li>
            <a class="fr-breadcrumb__link" href="/">
              Accueil
            </a>
          </li>
          {items.map((item, index) => (
            <li>
              {index === items.length - 1 || !item.href ? (
                <a class="fr-breadcrumb__link" aria-current="page">
                  {item.label}
                </a>
              ) : (
                <a class="fr-breadcrumb__link" href={item.href}>
                  {item.label}
                </a>
              )}
            </li>
          ))}
        </ol>
      </div>
    </nav>
  );
}

/** A page's main column inside the DSFR container. */
export function Container({ children, narrow }: { children?: Child; narrow?: boolean }) {
  return (
    <div class="fr-container fr-my-6w">
      {narrow ? (
        <div class="fr-grid-row fr-grid-row--center">
          <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">{children}</div>
        </div>
      ) : (
        children
      )}
    </div>
  );
}
