const ARTICLE = /^(?:l|le|la|les) /;

/**
 * Normalises a place name or a query for prefix search: lowercase ASCII, accents removed,
 * ligatures expanded, every run of other characters turned into one space.
 * @example normalizeName("L'Île-Saint-Denis") // "l ile saint denis"
 */
export function normalizeName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The normalised name without its leading article (`l ile saint denis` → `ile saint denis`). */
export function withoutArticle(normalized: string): string {
  return normalized.replace(ARTICLE, '');
}

/** Great-circle distance in kilometres between two WGS84 points (haversine, mean Earth radius). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}
