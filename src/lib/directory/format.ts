/** Characters of a description a result card shows (`excerpt`); readers may fetch one more. */
export const EXCERPT_LENGTH = 220;

/** Made once: `toLocaleString` with options builds a new formatter per call (≈ 0.08 ms). */
const KM = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** `12.345` → `12,3 km` (French decimal comma, one decimal at most). */
export function formatKm(value: number): string {
  return `${KM.format(value)} km`;
}

/** The distance of a result from the chosen commune: « à 12,3 km ». */
export function distanceText(km: number): string {
  return `à ${formatKm(km)}`;
}

/** How a directory names what it lists (its agreement in French). */
export interface ResultNoun {
  singular: string;
  plural: string;
  feminine: boolean;
}

/**
 * The results count of a directory: « Aucune organisation ne correspond à ces critères. »,
 * « 1 pôle trouvé », « 42 organisations trouvées », or « Plus de 10 000 organisations trouvées »
 * when the total is only a lower bound (`capped`). `around` adds the commune the results are
 * sorted from (and the radius): « à moins de 20 km de Voiron, des plus proches aux plus éloignées ».
 */
export function resultsCount(
  noun: ResultNoun,
  total: number,
  options: { capped?: boolean | undefined; around?: { name: string; radiusKm?: number | undefined } } = {},
): string {
  const e = noun.feminine ? 'e' : '';
  if (total === 0) return `Aucun${e} ${noun.singular} ne correspond à ces critères.`;
  const many = total > 1 || !!options.capped;
  const found = many ? `${noun.plural} trouvé${e}s` : `${noun.singular} trouvé${e}`;
  const number = total.toLocaleString('fr-FR');
  const head = options.capped ? `Plus de ${number} ${found}` : `${number} ${found}`;
  const { around } = options;
  if (!around) return `${head}.`;
  if (around.radiusKm !== undefined) {
    const order = many ? `, des plus proches aux plus éloigné${e}s` : '';
    return `${head} à moins de ${formatKm(around.radiusKm)} de ${around.name}${order}.`;
  }
  return `${head}, classé${e}${many ? 's' : ''} par distance de ${around.name}.`;
}
