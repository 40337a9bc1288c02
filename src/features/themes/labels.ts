import type { THEMES } from '../../db/schema.ts';

/** French labels of the themes shared by organisations, pôles and (soon) listings. */
export const THEME_LABELS: Record<(typeof THEMES)[number], string> = {
  insertion: 'Insertion',
  early_childhood: 'Petite enfance',
  renewable_energy: 'Énergies renouvelables',
  recycling_reuse: 'Recyclage / réemploi',
  food_agriculture: 'Agriculture / alimentation',
  culture: 'Culture / création',
  digital: 'Numérique',
  mobility: 'Mobilité',
  construction: 'Bâtiment / éco-construction',
  business_services: 'Services aux entreprises',
  tourism: 'Tourisme',
  health_social: 'Santé / social',
  training: 'Formation',
};
