import * as z from 'zod';
import { safeText } from '../../lib/text.ts';
import { amiPatchInput, amiSectionFields } from './dossier.ts';

/**
 * The section forms: their strings turned into the very zod schemas of the JSON API
 * (`amiSectionFields`), so a page and the API accept and refuse the same values with the same
 * French messages. Empty fields are `null` (a draft may be incomplete: completeness is the submit's).
 */

/** `POST /api/v1/ami/applications`: the lead organisation and any fields. */
export const amiCreateInput = amiPatchInput
  .omit({ version: true })
  .extend({ leadOrganisationId: amiSectionFields.porteur.leadOrganisationId })
  .strict()
  .meta({ id: 'AmiApplicationCreate' });

/** `POST /api/v1/ami/applications/:id/submit`: the version read. */
export const amiSubmitInput = z
  .object({
    version: z.int({ error: 'Indiquez la version du dossier (champ « version »).' }).min(1),
    reason: z.string().max(2000).optional(),
  })
  .strict();

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const blank = (v: unknown) => v === undefined || (typeof v === 'string' && v.trim() === '');

/** A number typed in a form (spaces and a decimal comma allowed), `null` when blank. */
function numberField<T extends z.ZodType>(schema: T, message: string) {
  return z.preprocess((raw, ctx) => {
    const v = one(raw);
    if (blank(v)) return null;
    const n = Number(
      String(v)
        .replace(/[\s\u00a0\u202f]/g, '')
        .replace(',', '.'),
    );
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message, input: v });
      return z.NEVER;
    }
    return n;
  }, schema);
}

/** A text field (empty when absent). */
const textField = <T extends z.ZodType>(schema: T) => z.preprocess((v) => one(v) ?? '', schema);
/** A select whose blank choice is `null`. */
const choiceField = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (blank(v) ? null : one(v)), schema);
/** A checkbox: ticked (any value) or not. */
const checkbox = z.preprocess((v) => !blank(v), z.boolean());
/** « oui » / « non » radio buttons, `null` when neither. */
const yesNo = z.preprocess(
  (v) => (one(v) === 'oui' ? true : one(v) === 'non' ? false : null),
  z.boolean().nullable(),
);

export const versionField = z.preprocess(
  (v) => Number(one(v)),
  z
    .int('Version du dossier illisible : rechargez la page.')
    .min(1, 'Version du dossier illisible : rechargez la page.'),
);
/** The button pressed (« enregistrer », « ajouter une ligne »…). */
const actionField = z.preprocess((v) => one(v) ?? 'save', z.string().max(100));

const p = amiSectionFields;

export const porteurForm = z.object({
  version: versionField,
  action: actionField,
  leadOrganisationId: numberField(p.porteur.leadOrganisationId, 'Choisissez l’organisation porteuse.'),
});

export const projetForm = z.object({
  version: versionField,
  action: actionField,
  projectName: textField(p.projet.projectName),
  stage: choiceField(p.projet.stage),
  strategy: textField(p.projet.strategy),
  activities: textField(p.projet.activities),
  governance: textField(p.projet.governance),
  innovation: textField(p.projet.innovation),
});

export const emploisForm = z.object({
  version: versionField,
  action: actionField,
  jobsCurrent: numberField(p.emplois.jobsCurrent, 'Indiquez un nombre d’emplois.'),
  jobsPlanned: numberField(p.emplois.jobsPlanned, 'Indiquez un nombre d’emplois.'),
});

/** The budget form: its co-financing lines are `funder` / `amount` lists (made into lines by the route). */
export const budgetForm = z.object({
  version: versionField,
  action: actionField,
  budgetTotal: numberField(p.budget.budgetTotal, 'Indiquez un montant en euros.'),
  amountRequested: numberField(p.budget.amountRequested, 'Indiquez un montant en euros.'),
  funder: z.array(z.string()).max(100),
  amount: z.array(z.string()).max(100),
  selfFinancingShare: numberField(p.budget.selfFinancingShare, 'Indiquez une part en %.'),
  stateAidReceived: numberField(p.budget.stateAidReceived, 'Indiquez un montant en euros.'),
  previouslyFunded: yesNo,
});

/** The territory form: the communes chosen so far (hidden fields), the one being added, départements as typed. */
export const territoireForm = z.object({
  version: versionField,
  action: actionField,
  communeCodes: z.array(z.string().max(10)).max(400),
  addCommune: z.preprocess((v) => one(v) ?? '', z.string().max(10)),
  departements: z.preprocess((v) => one(v) ?? '', z.string().max(2000, 'Liste de départements trop longue.')),
  qpv: checkbox,
  rural: checkbox,
});

/** The members form: the row to remove, or the member to add (from the directory or typed in). */
export const membresForm = z.object({
  version: versionField,
  action: actionField,
  remove: z.preprocess((v) => one(v) ?? '', z.string().max(20)),
  directoryQuery: z.preprocess((v) => one(v) ?? '', z.string().max(200)),
  organisationId: z.preprocess((v) => one(v) ?? '', z.string().max(20)),
  siret: z.preprocess((v) => one(v) ?? '', z.string().max(100)),
  name: z.preprocess((v) => one(v) ?? '', z.string().max(10_000)),
  kind: z.preprocess((v) => one(v) ?? '', z.string().max(50)),
  communeCode: z.preprocess((v) => one(v) ?? '', z.string().max(10)),
  role: z.preprocess((v) => one(v) ?? '', z.string().max(50)),
});

/** Withdraw / resubmit confirmations: an optional reason. */
export const reasonForm = z.object({
  version: versionField,
  reason: z.preprocess(
    (v) => one(v) ?? '',
    safeText({ multiline: true }).max(2000, 'Le motif est limité à 2 000 caractères.'),
  ),
});

export const createForm = z.object({
  leadOrganisationId: numberField(p.porteur.leadOrganisationId, 'Choisissez l’organisation porteuse.'),
});
