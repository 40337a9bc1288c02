import { AMI_SECTIONS, type AMI_STATUSES } from '../../db/schema.ts';
import { Forbidden, InvalidTransition, ValidationError } from '../../lib/errors.ts';

/**
 * The AMI dossier state machine: one table of transitions, each with who may make it and what it
 * requires. Pure: `transitions.ts` applies it to the database (version check, audit event), the
 * pages and the API read it to show only the actions a viewer may take. See docs/decisions/019.
 */

export type AmiStatus = (typeof AMI_STATUSES)[number];
export type AmiSection = (typeof AMI_SECTIONS)[number];
/** Who acts on a dossier: a member (owner/editor) of its lead organisation, or staff. */
export type AmiActor = 'applicant' | 'instructor' | 'admin';

export type AmiAction =
  | 'submit'
  | 'take'
  | 'request_changes'
  | 'resubmit'
  | 'declare_ineligible'
  | 'declare_eligible'
  | 'select'
  | 'reject'
  | 'withdraw';

export interface AmiTransition {
  action: AmiAction;
  from: readonly AmiStatus[];
  to: AmiStatus;
  /** Who may make it (`admin` includes every staff action: an admin is also an instructor). */
  by: readonly AmiActor[];
  /** A reason is required (shown to the applicant when the event is public). */
  reason: 'required' | 'optional' | 'none';
  /** `request_changes`: the sections to reopen and a due date. */
  sections?: true;
  /** `select`: the wave and the amount granted. */
  grant?: true;
  /** Whether the event (and its reason) is shown to the applicant. */
  visibility: 'public' | 'private';
  /** The staff or applicant button label, in French. */
  label: string;
}

/** The states in which the applicant may still withdraw (before any decision). */
export const PRE_DECISION: readonly AmiStatus[] = ['draft', 'submitted', 'under_review', 'changes_requested'];
/** Decisions: the dossier's life ends there (for the median time to decision, the dashboard). */
export const DECISIONS: readonly AmiStatus[] = ['ineligible', 'selected', 'rejected'];

export const AMI_TRANSITIONS: readonly AmiTransition[] = [
  {
    action: 'submit',
    from: ['draft'],
    to: 'submitted',
    by: ['applicant'],
    reason: 'none',
    visibility: 'public',
    label: 'Déposer le dossier',
  },
  {
    action: 'take',
    from: ['submitted'],
    to: 'under_review',
    by: ['instructor', 'admin'],
    reason: 'none',
    visibility: 'public',
    label: 'Prendre en instruction',
  },
  {
    action: 'request_changes',
    from: ['under_review'],
    to: 'changes_requested',
    by: ['instructor', 'admin'],
    reason: 'required',
    sections: true,
    visibility: 'public',
    label: 'Demander des compléments',
  },
  {
    action: 'resubmit',
    from: ['changes_requested'],
    to: 'under_review',
    by: ['applicant'],
    reason: 'optional',
    visibility: 'public',
    label: 'Renvoyer le dossier complété',
  },
  {
    action: 'declare_ineligible',
    from: ['under_review'],
    to: 'ineligible',
    by: ['instructor', 'admin'],
    reason: 'required',
    visibility: 'public',
    label: 'Déclarer irrecevable',
  },
  {
    action: 'declare_eligible',
    from: ['under_review'],
    to: 'eligible',
    by: ['instructor', 'admin'],
    reason: 'optional',
    visibility: 'public',
    label: 'Déclarer éligible',
  },
  {
    action: 'select',
    from: ['eligible'],
    to: 'selected',
    by: ['admin'],
    reason: 'optional',
    grant: true,
    visibility: 'public',
    label: 'Retenir dans une vague',
  },
  {
    action: 'reject',
    from: ['eligible'],
    to: 'rejected',
    by: ['admin'],
    reason: 'required',
    visibility: 'public',
    label: 'Ne pas retenir',
  },
  {
    action: 'withdraw',
    from: PRE_DECISION,
    to: 'withdrawn',
    by: ['applicant'],
    reason: 'optional',
    visibility: 'public',
    label: 'Retirer le dossier',
  },
];

/** The transition from `from` to `to`, if the table has one. */
export function findTransition(from: AmiStatus, to: AmiStatus): AmiTransition | undefined {
  return AMI_TRANSITIONS.find((t) => t.to === to && t.from.includes(from));
}

/** The transition of an action, if `from` allows it. */
export function transitionOf(action: AmiAction, from: AmiStatus): AmiTransition | undefined {
  return AMI_TRANSITIONS.find((t) => t.action === action && t.from.includes(from));
}

/** An actor may make a transition: listed in `by`, or an admin making an instructor's. */
export function mayMake(transition: AmiTransition, actor: AmiActor): boolean {
  return transition.by.includes(actor) || (actor === 'admin' && transition.by.includes('instructor'));
}

/** The transitions `actor` may make from `status` (the buttons a page shows). */
export function availableTransitions(status: AmiStatus, actor: AmiActor): AmiTransition[] {
  return AMI_TRANSITIONS.filter((t) => t.from.includes(status) && mayMake(t, actor));
}

/** What a transition request carries besides its target state (the API body, the staff forms). */
export interface TransitionInput {
  to: AmiStatus;
  reason?: string | undefined;
  sections?: readonly string[] | undefined;
  dueAt?: string | undefined;
  waveId?: number | undefined;
  amountGranted?: number | undefined;
}

export const STATUS_LABELS: Record<AmiStatus, string> = {
  draft: 'Brouillon',
  submitted: 'Déposé',
  under_review: 'En instruction',
  changes_requested: 'Compléments demandés',
  ineligible: 'Irrecevable',
  eligible: 'Éligible',
  selected: 'Lauréat',
  rejected: 'Non retenu',
  withdrawn: 'Retiré',
};

export const SECTION_LABELS: Record<AmiSection, string> = {
  porteur: 'Porteur',
  membres: 'Membres',
  territoire: 'Territoire',
  projet: 'Projet',
  emplois: 'Emplois',
  budget: 'Budget',
  pieces: 'Pièces jointes',
};

/** Default delay for the applicant to answer a request for changes. */
export const CHANGES_DUE_DAYS = 15;

/**
 * Checks a transition request against the table (pure): the transition exists from `from`
 * (else {@link InvalidTransition}, 422), `actor` may make it (else {@link Forbidden}, 403), and it
 * carries what it requires (else {@link ValidationError} naming the fields, 422). Returns the
 * transition and the normalised details. Budget and wave checks need the database: `transitions.ts`.
 */
export function checkTransition(
  from: AmiStatus,
  actor: AmiActor,
  input: TransitionInput,
  now: Date,
): { transition: AmiTransition; sections: AmiSection[]; dueAt: string | null } {
  const transition = findTransition(from, input.to);
  if (!transition) {
    throw new InvalidTransition(
      `Un dossier « ${STATUS_LABELS[from]} » ne peut pas passer à l’état « ${STATUS_LABELS[input.to]} ».`,
      { to: `Changement impossible depuis l’état « ${STATUS_LABELS[from]} ».` },
    );
  }
  if (!mayMake(transition, actor)) {
    throw new Forbidden(
      actor === 'applicant'
        ? 'Seule l’équipe d’instruction peut prendre cette décision.'
        : transition.by.includes('admin')
          ? 'Cette décision est nationale : elle revient à un administrateur.'
          : 'Cette action revient au porteur du dossier.',
    );
  }
  const fields: Record<string, string> = {};
  const reason = input.reason?.trim() ?? '';
  if (transition.reason === 'required' && reason === '')
    fields.reason = 'Indiquez le motif de cette décision.';
  let sections: AmiSection[] = [];
  let dueAt: string | null = null;
  if (transition.sections) {
    sections = [...new Set(input.sections ?? [])].filter((s): s is AmiSection =>
      (AMI_SECTIONS as readonly string[]).includes(s),
    );
    if (sections.length === 0 || sections.length !== new Set(input.sections ?? []).size)
      fields.sections = 'Choisissez la ou les sections à compléter.';
    const due = input.dueAt ? new Date(input.dueAt) : new Date(now.getTime() + CHANGES_DUE_DAYS * 86_400_000);
    if (Number.isNaN(due.getTime())) fields.dueAt = 'Indiquez une date limite valide.';
    else if (due.getTime() <= now.getTime()) fields.dueAt = 'La date limite doit être dans le futur.';
    else dueAt = due.toISOString();
  }
  if (transition.grant) {
    if (!input.waveId) fields.waveId = 'Choisissez la vague.';
    if (
      input.amountGranted === undefined ||
      !Number.isInteger(input.amountGranted) ||
      input.amountGranted <= 0
    )
      fields.amountGranted = 'Indiquez le montant accordé, en euros (nombre entier positif).';
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return { transition, sections, dueAt };
}
