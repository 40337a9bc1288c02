import * as z from 'zod';
import {
  AMI_MEMBER_ROLES,
  AMI_SECTIONS,
  AMI_STAGES,
  type amiApplications,
  type amiWaves,
  ORGANISATION_KINDS,
} from '../../db/schema.ts';
import type { FieldErrors } from '../../lib/errors.ts';
import { safeText } from '../../lib/text.ts';
import { isValidSiret } from '../organisations/siret.ts';
import type { AmiSection } from './workflow.ts';

/**
 * A dossier's content: the fields of each section (shared by the JSON API and the section forms),
 * and the pure rules of completeness and eligibility that gate the submit. See docs/decisions/019.
 */

export type AmiApplicationRow = typeof amiApplications.$inferSelect;
export type AmiWaveRow = typeof amiWaves.$inferSelect;

export const LONG_TEXT_MAX = 10_000;
export const MAX_MEMBERS = 60;
export const MAX_COFUNDING_LINES = 30;
export const MAX_TERRITORY_COMMUNES = 300;
/** Euro amounts are whole euros up to a billion. */
const MAX_EUROS = 1_000_000_000;

const INSEE_COMMUNE = /^(?:\d{5}|2[AB]\d{3})$/;
const DEPARTEMENT = /^(?:\d{2}|2[AB]|97\d)$/;

const euros = (label: string) =>
  z
    .number({ error: `Indiquez ${label}, en euros.` })
    .int(`Indiquez ${label} en euros entiers.`)
    .min(0, `${label[0]?.toUpperCase()}${label.slice(1)} ne peut pas être négatif.`)
    .max(MAX_EUROS, `${label[0]?.toUpperCase()}${label.slice(1)} dépasse un milliard d’euros.`);

const longText = (missing: string) =>
  safeText({ multiline: true, error: missing }).max(
    LONG_TEXT_MAX,
    `Ce texte est limité à ${LONG_TEXT_MAX.toLocaleString('fr-FR')} caractères.`,
  );

export const amiMemberInput = z.object({
  organisationId: z.number().int().positive().nullable().default(null),
  siret: z
    .string({ error: 'Indiquez le SIRET.' })
    .transform((v) => v.replace(/\s/g, ''))
    .refine(isValidSiret, 'SIRET invalide (14 chiffres, clé de contrôle).'),
  name: safeText({ error: 'Indiquez le nom.' })
    .min(1, 'Indiquez le nom.')
    .max(200, 'Le nom est limité à 200 caractères.'),
  kind: z.enum(ORGANISATION_KINDS, { error: 'Choisissez le type de structure.' }),
  communeCode: z
    .string({ error: 'Indiquez la commune.' })
    .trim()
    .toUpperCase()
    .regex(INSEE_COMMUNE, 'Commune inconnue.'),
  role: z.enum(AMI_MEMBER_ROLES, { error: 'Choisissez le rôle dans le consortium.' }),
});
export type AmiMemberInput = z.output<typeof amiMemberInput>;

/** The editable fields, by section (`porteur` is the lead organisation; `pieces` are uploads). */
export const amiSectionFields = {
  porteur: {
    leadOrganisationId: z.number({ error: 'Choisissez l’organisation porteuse.' }).int().positive(),
  },
  membres: {
    members: z
      .array(amiMemberInput)
      .max(MAX_MEMBERS, `Au plus ${MAX_MEMBERS} membres.`)
      .refine(
        (list) => new Set(list.map((m) => m.siret)).size === list.length,
        'Un même SIRET figure deux fois.',
      ),
  },
  territoire: {
    territory: z.object({
      communeCodes: z
        .array(z.string().trim().toUpperCase().regex(INSEE_COMMUNE, 'Commune inconnue.'))
        .max(MAX_TERRITORY_COMMUNES, `Au plus ${MAX_TERRITORY_COMMUNES} communes.`),
      departements: z
        .array(z.string().trim().toUpperCase().regex(DEPARTEMENT, 'Département inconnu.'))
        .max(101, 'Au plus 101 départements.'),
      qpv: z.boolean(),
      rural: z.boolean(),
    }),
  },
  projet: {
    projectName: safeText({ error: 'Indiquez le nom du projet.' }).max(
      200,
      'Le nom du projet est limité à 200 caractères.',
    ),
    stage: z.enum(AMI_STAGES, { error: 'Choisissez le stade du projet.' }).nullable(),
    strategy: longText('Décrivez la stratégie de coopération et de mutualisation.'),
    activities: longText('Décrivez les activités.'),
    governance: longText('Décrivez la gouvernance.'),
    innovation: longText('Décrivez le caractère innovant.'),
  },
  emplois: {
    jobsCurrent: z.number().int('Un nombre entier d’emplois.').min(0).max(1_000_000).nullable(),
    jobsPlanned: z.number().int('Un nombre entier d’emplois.').min(0).max(1_000_000).nullable(),
  },
  budget: {
    budgetTotal: euros('le budget total').nullable(),
    amountRequested: euros('le montant demandé').nullable(),
    cofunding: z
      .array(
        z.object({
          funder: safeText({ error: 'Indiquez le financeur.' })
            .min(1, 'Indiquez le financeur.')
            .max(200, 'Le nom du financeur est limité à 200 caractères.'),
          amount: euros('le montant du cofinancement'),
        }),
      )
      .max(MAX_COFUNDING_LINES, `Au plus ${MAX_COFUNDING_LINES} cofinancements.`),
    selfFinancingShare: z
      .number({ error: 'Indiquez la part d’autofinancement (en %).' })
      .min(0, 'Une part entre 0 et 100 %.')
      .max(100, 'Une part entre 0 et 100 %.')
      .nullable(),
    stateAidReceived: euros('l’aide de l’État déjà reçue').nullable(),
    previouslyFunded: z.boolean().nullable(),
  },
} as const satisfies Partial<Record<AmiSection, z.ZodRawShape>>;

/** `PATCH /api/v1/ami/applications/:id`: any subset of the fields, at the `version` read. */
export const amiPatchInput = z
  .object({
    ...Object.fromEntries(
      Object.values(amiSectionFields).flatMap((shape) =>
        Object.entries(shape).map(([name, schema]) => [name, (schema as z.ZodType).optional()]),
      ),
    ),
    version: z
      .int({ error: 'Indiquez la version modifiée (champ « version » reçu avec le dossier).' })
      .min(1),
  })
  .strict()
  .meta({ id: 'AmiApplicationPatch' });

/** The section each API field belongs to (completeness messages name their section). */
export const FIELD_SECTION: Record<string, AmiSection> = Object.fromEntries(
  Object.entries(amiSectionFields).flatMap(([section, shape]) =>
    Object.keys(shape).map((name) => [name, section as AmiSection]),
  ),
);
FIELD_SECTION.attachments = 'pieces';

/** What completeness and eligibility read of a dossier. */
export interface DossierContent
  extends Pick<
    AmiApplicationRow,
    | 'leadOrganisationId'
    | 'projectName'
    | 'stage'
    | 'strategy'
    | 'activities'
    | 'governance'
    | 'innovation'
    | 'territory'
    | 'jobsCurrent'
    | 'jobsPlanned'
    | 'budgetTotal'
    | 'amountRequested'
    | 'cofunding'
    | 'selfFinancingShare'
    | 'stateAidReceived'
    | 'previouslyFunded'
  > {
  members: readonly Pick<AmiMemberInput, 'kind'>[];
  attachmentCount: number;
}

/**
 * What is missing, per section (pure): every section maps to its fields' French messages (an
 * empty object when complete). The submit is refused until every section is complete.
 */
export function missingBySection(d: DossierContent): Record<AmiSection, FieldErrors> {
  const out = Object.fromEntries(AMI_SECTIONS.map((s) => [s, {}])) as Record<AmiSection, FieldErrors>;
  const need = (section: AmiSection, field: string, message: string, ok: boolean) => {
    if (!ok) out[section][field] = message;
  };
  need('porteur', 'leadOrganisationId', 'Choisissez l’organisation porteuse.', d.leadOrganisationId > 0);
  need('membres', 'members', 'Indiquez au moins trois organisations membres.', d.members.length >= 3);
  need(
    'territoire',
    'territory',
    'Indiquez au moins une commune ou un département couvert.',
    d.territory.communeCodes.length + d.territory.departements.length > 0,
  );
  need('projet', 'projectName', 'Indiquez le nom du projet.', d.projectName.trim() !== '');
  need('projet', 'stage', 'Choisissez le stade du projet.', d.stage !== null);
  need(
    'projet',
    'strategy',
    'Décrivez la stratégie de coopération et de mutualisation.',
    d.strategy.trim() !== '',
  );
  need('projet', 'activities', 'Décrivez les activités.', d.activities.trim() !== '');
  need('projet', 'governance', 'Décrivez la gouvernance.', d.governance.trim() !== '');
  need('projet', 'innovation', 'Décrivez le caractère innovant.', d.innovation.trim() !== '');
  need('emplois', 'jobsCurrent', 'Indiquez le nombre d’emplois actuels.', d.jobsCurrent !== null);
  need('emplois', 'jobsPlanned', 'Indiquez le nombre d’emplois prévus à 3 ans.', d.jobsPlanned !== null);
  need('budget', 'budgetTotal', 'Indiquez le budget total.', d.budgetTotal !== null);
  need('budget', 'amountRequested', 'Indiquez le montant demandé.', d.amountRequested !== null);
  need(
    'budget',
    'selfFinancingShare',
    'Indiquez la part d’autofinancement à 3 ans.',
    d.selfFinancingShare !== null,
  );
  need(
    'budget',
    'stateAidReceived',
    'Indiquez l’aide de l’État déjà reçue (0 si aucune).',
    d.stateAidReceived !== null,
  );
  need(
    'budget',
    'previouslyFunded',
    'Indiquez si le projet a déjà été financé par un précédent appel de l’État.',
    d.previouslyFunded !== null,
  );
  if (d.budgetTotal !== null && d.amountRequested !== null && d.amountRequested > d.budgetTotal)
    out.budget.amountRequested = 'Le montant demandé ne peut pas dépasser le budget total.';
  need(
    'pieces',
    'attachments',
    'Joignez au moins une pièce (statuts, budget prévisionnel…).',
    d.attachmentCount > 0,
  );
  return out;
}

/** Organisation kinds that count as « autre acteur » of the legal definition. */
export const OTHER_ACTOR_KINDS = ['local_authority', 'research', 'training'] as const;

/**
 * The eligibility rules checked at submit (pure), from the legal definition of a PTCE (loi
 * 2014-856 art. 9, décret 2015-431 art. 3) and the call's terms: at least three member
 * organisations including an ESS enterprise, a non-ESS enterprise and a collectivité / research /
 * university / training body; not already funded by a previous State call; the amount requested
 * within the open wave's ceiling. `wave` is the wave open at `now` (none: refused).
 */
export function eligibilityErrors(
  d: DossierContent,
  wave: Pick<AmiWaveRow, 'name' | 'ceiling'> | null,
): FieldErrors {
  const errors: FieldErrors = {};
  const kinds = new Set(d.members.map((m) => m.kind));
  const missing: string[] = [];
  if (!kinds.has('ess')) missing.push('une entreprise de l’ESS');
  if (!kinds.has('sme')) missing.push('une entreprise hors ESS (TPE/PME)');
  if (!OTHER_ACTOR_KINDS.some((k) => kinds.has(k)))
    missing.push('une collectivité, un centre de recherche, une université ou un organisme de formation');
  if (d.members.length >= 3 && missing.length > 0)
    errors.members = `Il manque parmi les membres : ${missing.join(', ')}.`;
  if (d.previouslyFunded === true)
    errors.previouslyFunded =
      'Un projet déjà financé par un précédent appel de l’État pour les PTCE n’est pas éligible.';
  if (!wave) errors.waveId = 'Aucune vague n’est ouverte : le dépôt reprendra à l’ouverture de la prochaine.';
  else if (d.amountRequested !== null && d.amountRequested > wave.ceiling)
    errors.amountRequested = `Le montant demandé dépasse le plafond de la vague « ${wave.name} » (${wave.ceiling.toLocaleString('fr-FR')} €).`;
  return errors;
}

/** Everything that stops a submit, by field (empty: it may be submitted). */
export function submitErrors(
  d: DossierContent,
  wave: Pick<AmiWaveRow, 'name' | 'ceiling'> | null,
): FieldErrors {
  const missing = Object.values(missingBySection(d)).reduce<FieldErrors>(
    (all, s) => Object.assign(all, s),
    {},
  );
  return { ...missing, ...eligibilityErrors(d, wave) };
}

/** The wave open on `now`'s Paris day (`opensOn ≤ day ≤ closesOn`), the latest opened if several. */
export function openWave<W extends Pick<AmiWaveRow, 'opensOn' | 'closesOn'>>(
  waves: readonly W[],
  now: Date,
): W | null {
  const day = parisDay(now);
  return (
    waves
      .filter((w) => w.opensOn <= day && day <= w.closesOn)
      .sort((a, b) => (a.opensOn < b.opensOn ? 1 : -1))[0] ?? null
  );
}

/** `YYYY-MM-DD` of an instant in Europe/Paris. */
export function parisDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(at);
}

/** `AMI-YYYY-NNNN`. */
export function formatReference(year: number, n: number): string {
  return `AMI-${year}-${String(n).padStart(4, '0')}`;
}
