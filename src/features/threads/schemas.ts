import * as z from 'zod';
import { THREAD_DECLINE_REASONS } from '../../db/schema.ts';
import { safeText } from '../../lib/text.ts';

export const MESSAGE_MAX = 5000;

/** A message: plain text, line breaks kept, ≤ 5,000 characters, no control characters. */
export const messageText = safeText({ multiline: true, error: 'Écrivez votre message.' })
  .min(1, 'Écrivez votre message.')
  .max(MESSAGE_MAX, `Le message est limité à ${MESSAGE_MAX} caractères.`);

const id = z.coerce.number().int().positive();

/** An optional number ≥ 0 with a sane maximum; an empty form field is « not given ». */
const amount = (max: number, label: string, int = false) =>
  z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    (int ? z.coerce.number().int(`${label} : un nombre entier.`) : z.coerce.number())
      .min(0, `${label} : un nombre positif ou nul.`)
      .max(max, `${label} : au plus ${max.toLocaleString('fr-FR')}.`)
      .optional(),
  );

export const outcomeFields = {
  euros: amount(100_000_000, 'Euros économisés ou partagés'),
  fte: amount(10_000, 'ETP partagés'),
  m2: amount(10_000_000, 'm² partagés'),
  tonnes: amount(1_000_000, 'Tonnes réemployées'),
  peopleTrained: amount(1_000_000, 'Personnes formées', true),
};
export const outcomeSchema = z.object(outcomeFields);
export type OutcomeInput = z.output<typeof outcomeSchema>;

export const noteText = safeText({ multiline: true }).max(2000, 'La note est limitée à 2 000 caractères.');

/** The answer form of a listing page (« Je suis intéressé·e »). */
export const responseForm = z.object({
  organisationId: id.optional(),
  message: messageText,
});

export const responseBody = z.object({ organisationId: id, message: messageText });
export const messageBody = z.object({ message: messageText });

export const statusBody = z.object({
  status: z.enum(['accepted', 'declined', 'concluded'], 'Statut inconnu.'),
  reason: z.enum(THREAD_DECLINE_REASONS, 'Choisissez un motif.').optional(),
  note: noteText.optional(),
  outcome: outcomeSchema.optional(),
  version: z.coerce.number().int().positive('Version invalide.'),
});
export type StatusInput = z.output<typeof statusBody>;

export const acceptForm = z.object({ version: id });
export const declineForm = z.object({
  version: id,
  reason: z.enum(THREAD_DECLINE_REASONS, 'Choisissez un motif.'),
  note: noteText.optional(),
});
export const concludeForm = z.object({ version: id, note: noteText.optional(), ...outcomeFields });

export const DECLINE_REASON_LABELS: Record<(typeof THREAD_DECLINE_REASONS)[number], string> = {
  not_available: 'Plus disponible',
  not_suitable: 'Ne correspond pas',
  too_far: 'Trop loin',
  already_found: 'Solution déjà trouvée',
  other: 'Autre motif',
};

export const STATUS_LABELS = {
  open: 'En discussion',
  accepted: 'Coopération convenue',
  declined: 'Déclinée',
  concluded: 'Coopération réalisée',
} as const;
