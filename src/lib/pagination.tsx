import * as z from 'zod';

/** `page` and `perPage` query parameters, bounded. */
export const paginationQuery = {
  page: z.coerce
    .number()
    .int('La page doit être un nombre entier.')
    .min(1, 'La page commence à 1.')
    .max(10_000)
    .default(1),
  perPage: z.coerce.number().int().min(1).max(100, '100 résultats par page au plus.').default(20),
};

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
  /** Set when `total` is a lower bound (a bounded count stopped there): « plus de N résultats ». */
  totalCapped?: boolean;
}

/**
 * DSFR pagination. `hrefFor(page)` builds each page's URL (keeping the current filters), so the
 * links work without JavaScript; htmx-boosted or live-search containers enhance them.
 */
export function Pagination({
  page,
  perPage,
  total,
  hrefFor,
  capped,
}: Omit<Page<unknown>, 'items'> & {
  hrefFor: (page: number) => string;
  /** `total` is only a lower bound: the last page is unknown, so it is not offered. */
  capped?: boolean | undefined;
}) {
  const last = Math.max(1, Math.ceil(total / perPage));
  if (last <= 1) return null;
  const pages = [...new Set([1, page - 1, page, page + 1, capped ? page + 1 : last])]
    .filter((p) => p >= 1 && p <= last)
    .sort((a, b) => a - b);
  return (
    <nav role="navigation" class="fr-pagination fr-mt-4w" aria-label="Pagination">
      <ul class="fr-pagination__list">
        <li>
          {page > 1 ? (
            <a class="fr-pagination__link fr-pagination__link--first" href={hrefFor(1)}>
              Première page
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--first" aria-disabled="true" role="link">
              Première page
            </a>
          )}
        </li>
        <li>
          {page > 1 ? (
            <a
              class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
              href={hrefFor(page - 1)}
            >
              Page précédente
            </a>
          ) : (
            <a
              class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
              aria-disabled="true"
              role="link"
            >
              Page précédente
            </a>
          )}
        </li>
        {pages.map((p, index) => (
          <>
            {index > 0 && p - pages[index - 1]! > 1 && (
              <li>
                <span class="fr-pagination__link fr-displayed-lg">…</span>
              </li>
            )}
            <li>
              <a
                class="fr-pagination__link"
                href={hrefFor(p)}
                aria-current={p === page ? 'page' : undefined}
                title={`Page ${p}`}
              >
                {p}
              </a>
            </li>
          </>
        ))}
        <li>
          {page < last ? (
            <a
              class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              href={hrefFor(page + 1)}
            >
              Page suivante
            </a>
          ) : (
            <a
              class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              aria-disabled="true"
              role="link"
            >
              Page suivante
            </a>
          )}
        </li>
        <li>
          {page < last && !capped ? (
            <a class="fr-pagination__link fr-pagination__link--last" href={hrefFor(last)}>
              Dernière page
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--last" aria-disabled="true" role="link">
              Dernière page
            </a>
          )}
        </li>
      </ul>
    </nav>
  );
}
