import type { POLE_STATUSES } from '../../db/schema.ts';

/** French labels of the pôle statuses (the API speaks English codes). */
export const POLE_STATUS_LABELS: Record<(typeof POLE_STATUSES)[number], string> = {
  emerging: 'Émergent',
  established: 'Établi',
  laureate: 'Lauréat',
};
