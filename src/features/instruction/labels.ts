/** Labels of the instruction side (the stage as the queue, the exports and the API docs show it). */
export const STAGE_LABELS = { emerging: 'Émergent', consolidating: 'En consolidation' } as const;

/** The scoring grid's criteria, in French. */
export const CRITERION_LABELS = {
  cooperation: 'Coopération ESS / hors ESS',
  pooling: 'Mutualisation',
  anchoring: 'Ancrage territorial',
  innovation: 'Innovation',
  jobs: 'Emplois',
  economicModel: 'Modèle économique',
} as const;
