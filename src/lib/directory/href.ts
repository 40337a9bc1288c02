/** A filter value as it travels in a directory URL; empty values are left out. */
export type FilterValue = string | number | undefined | null;

/**
 * The URL of a directory page with these filters: parameters in the order given, blank ones left
 * out, `page` only past the first. Every link of a directory (pagination, commune choices, « sans
 * commune ») is built here, so a link never drops a filter.
 * @example directoryHref('/poles', { q: 'réemploi', theme: undefined }, 2) // '/poles?q=r%C3%A9emploi&page=2'
 */
export function directoryHref(path: string, filters: Record<string, FilterValue>, page = 1): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}
