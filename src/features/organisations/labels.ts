import type { LEGAL_FORMS, ORGANISATION_KINDS } from '../../db/schema.ts';

/** French labels of the codes used in the API (the UI speaks French, the API English codes). */
export const KIND_LABELS: Record<(typeof ORGANISATION_KINDS)[number], string> = {
  ess: 'Structure de l’ESS',
  sme: 'Entreprise (TPE/PME)',
  local_authority: 'Collectivité territoriale',
  research: 'Centre de recherche / université',
  training: 'Organisme de formation',
  network: 'Réseau / fédération',
  other: 'Autre',
};

export const LEGAL_FORM_LABELS: Record<(typeof LEGAL_FORMS)[number], string> = {
  association: 'Association',
  scop: 'SCOP',
  scic: 'SCIC',
  cooperative: 'Autre coopérative',
  mutuelle: 'Mutuelle',
  fondation: 'Fondation',
  esus_company: 'Entreprise agréée ESUS',
  company: 'Société commerciale (SAS, SARL…)',
  public_body: 'Collectivité ou établissement public',
  other: 'Autre',
};
