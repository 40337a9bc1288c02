import * as z from 'zod';
import { safeText } from '../../lib/text.ts';
import { emailAddress } from '../auth/schemas.ts';

const text = (label: string, max: number, multiline = false) =>
  safeText({ multiline, error: `${label} est obligatoire.` })
    .min(1, `${label} est obligatoire.`)
    .max(max, `${label} doit contenir au plus ${max} caractères.`);

/** The contact form: who writes, how to answer, what about. */
export const contactInput = z.object({
  name: text('Le nom', 120),
  email: emailAddress,
  topic: z.enum(['question', 'accessibilite', 'donnees', 'signalement', 'autre'], {
    error: 'Choisissez l’objet du message.',
  }),
  message: text('Le message', 5000, true),
});

export type ContactInput = z.infer<typeof contactInput>;

/** Topics of the contact form, in display order. */
export const CONTACT_TOPICS: Array<[ContactInput['topic'], string]> = [
  ['question', 'Une question sur la plateforme'],
  ['accessibilite', 'Un problème d’accessibilité'],
  ['donnees', 'Mes données personnelles'],
  ['signalement', 'Signaler un contenu'],
  ['autre', 'Autre'],
];
