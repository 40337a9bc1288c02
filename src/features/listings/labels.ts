import type {
  LISTING_CATEGORIES,
  LISTING_CLOSE_REASONS,
  LISTING_STATUSES,
  LISTING_TERMS,
  LISTING_TYPES,
} from '../../db/schema.ts';

export type ListingType = (typeof LISTING_TYPES)[number];
export type ListingCategory = (typeof LISTING_CATEGORIES)[number];
export type ListingTerms = (typeof LISTING_TERMS)[number];
export type ListingStatus = (typeof LISTING_STATUSES)[number];
export type ListingCloseReason = (typeof LISTING_CLOSE_REASONS)[number];

export const LISTING_TYPE_LABELS: Record<ListingType, string> = { offer: 'Offre', need: 'Besoin' };

export const LISTING_CATEGORY_LABELS: Record<ListingCategory, string> = {
  premises: 'Locaux',
  equipment: 'Matériel et véhicules',
  skills: 'Compétences',
  shared_jobs: 'Emploi partagé, groupement d’employeurs',
  services: 'Services mutualisés',
  purchasing: 'Achats groupés, débouchés',
  training: 'Formation',
  logistics: 'Logistique',
  energy_resources: 'Énergie et ressources',
  other: 'Autre',
};

export const LISTING_TERMS_LABELS: Record<ListingTerms, string> = {
  free: 'Gratuit',
  cost_sharing: 'Partage des coûts',
  paid: 'Payant',
  exchange: 'Échange',
};

export const LISTING_STATUS_LABELS: Record<ListingStatus, string> = {
  draft: 'Brouillon',
  published: 'Publiée',
  closed: 'Clôturée',
  unpublished: 'Retirée par la modération',
};

export const LISTING_CLOSE_REASON_LABELS: Record<ListingCloseReason, string> = {
  fulfilled: 'Besoin satisfait ou offre pourvue',
  withdrawn: 'Retirée',
  expired: 'Expirée',
};
