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
      {/* A small alert has no heading (DSFR), so a notice above the h1 never puts an h2 before it. */}
      {title && (small ? <p>{title}</p> : <h2 class="fr-alert__title">{title}</h2>)}
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

/** The one label of demonstration records (organisations, pôles, members), spelled once. */
export const DEMO_LABEL = 'Donnée de démonstration';

/** The badge marking a demonstration record. */
export function DemoBadge({ small }: { small?: boolean }) {
  return <p class={`fr-badge${small ? ' fr-badge--sm' : ''} fr-badge--warning`}>{DEMO_LABEL}</p>;
}

const URL_IN_TEXT = /(https?:\/\/[^\s<>"«»]+[^\s<>"«».,;:!?)\]])/g;

/** Text with its web addresses as links (sources cited in a description), opening in a new window. */
export function LinkedText({ text }: { text: string }) {
  const parts = text.split(URL_IN_TEXT);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a href={part} target="_blank" rel="noopener noreferrer" title={`${part} — nouvelle fenêtre`}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

/**
 * A confirmation step that works without JavaScript: a page section that says what will happen and
 * a labelled button (with its icon) that POSTs, next to a way back.
 */
export function ConfirmAction({
  title,
  children,
  action,
  label,
  cancelHref,
  fields = {},
}: {
  title: string;
  children?: Child;
  action: string;
  label: string;
  cancelHref: string;
  fields?: Record<string, string>;
}) {
  return (
    <>
      <h1>{title}</h1>
      {typeof children === 'string' ? <p>{children}</p> : children}
      <form method="post" action={action}>
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        {/* `--icon-left` on the group: inside a group, DSFR shows icon buttons as icon-only otherwise. */}
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <button type="submit" class="fr-btn fr-icon-delete-line fr-btn--icon-left">
              {label}
            </button>
          </li>
          <li>
            <a
              class="fr-btn fr-btn--secondary fr-icon-arrow-go-back-line fr-btn--icon-left"
              href={cancelHref}
            >
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </>
  );
}

/**
 * A small button that POSTs (an action on a row: accept, refuse, change a role), with its icon and
 * a label; `hidden` adds the words screen readers need to know which row it acts on.
 */
export function PostButton({
  action,
  label,
  hidden,
  icon,
  secondary,
  title,
  fields = {},
}: {
  action: string;
  label: string;
  hidden?: string;
  /** DSFR icon class, shown left of the label. */
  icon?: string;
  secondary?: boolean;
  title?: string;
  fields?: Record<string, string>;
}) {
  return (
    <form method="post" action={action} class="fr-mb-0">
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        class={`fr-btn fr-btn--sm${secondary ? ' fr-btn--tertiary' : ''}${icon ? ` ${icon} fr-btn--icon-left` : ''}`}
        title={title}
      >
        {label}
        {hidden && <span class="fr-sr-only"> {hidden}</span>}
      </button>
    </form>
  );
}

/**
 * A DSFR table's frame (`fr-table` › wrapper › container › content) around `children`, the
 * `<table>`. `modifiers`: extra classes (`fr-table--no-caption`, `fr-table--sm`). `scroll`: a table
 * that may be wider than a phone gets a focusable container, so it scrolls from the keyboard too;
 * given a label, the container is also a named region (RGAA; axe scrollable-region-focusable).
 */
export function TableFrame({
  modifiers,
  scroll,
  children,
}: {
  modifiers?: string;
  scroll?: boolean | string;
  children: Child;
}) {
  const label = typeof scroll === 'string' ? scroll : undefined;
  return (
    <div class={modifiers ? `fr-table ${modifiers}` : 'fr-table'}>
      <div class="fr-table__wrapper">
        <div
          class="fr-table__container"
          tabindex={scroll ? 0 : undefined}
          role={label ? 'region' : undefined}
          aria-label={label}
        >
          <div class="fr-table__content">{children}</div>
        </div>
      </div>
    </div>
  );
}
