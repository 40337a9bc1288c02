import * as z from 'zod';
import { safeText } from '../../lib/text.ts';

/** An email address as every form asks it: trimmed, at most 254 characters, French messages. */
export const emailAddress = z
  .string({ error: 'L’adresse électronique est obligatoire.' })
  .trim()
  .min(1, 'L’adresse électronique est obligatoire.')
  .max(254, 'L’adresse électronique est trop longue.')
  .pipe(z.email('Saisissez une adresse électronique valide, par exemple nom@exemple.fr.'));

export const newPassword = z
  .string({ error: 'Le mot de passe est obligatoire.' })
  .min(12, 'Le mot de passe doit contenir au moins 12 caractères.')
  .max(200, 'Le mot de passe doit contenir au plus 200 caractères.');

export const signUpInput = z.object({
  name: safeText({ error: 'Le nom est obligatoire.' })
    .min(1, 'Le nom est obligatoire.')
    .max(120, 'Le nom doit contenir au plus 120 caractères.'),
  email: emailAddress,
  password: newPassword,
});

export const signInInput = z.object({
  email: emailAddress,
  password: z
    .string({ error: 'Le mot de passe est obligatoire.' })
    .min(1, 'Le mot de passe est obligatoire.')
    .max(200),
});

export const resetRequestInput = z.object({ email: emailAddress });
export const resetInput = z.object({ password: newPassword });

export const apiTokenInput = z.object({
  name: safeText({ error: 'Le nom du jeton est obligatoire.' })
    .min(1, 'Le nom du jeton est obligatoire.')
    .max(80, 'Le nom du jeton doit contenir au plus 80 caractères.'),
});

export const deleteAccountInput = z.object({
  confirm: z.literal('oui', { error: 'Cochez la case pour confirmer la suppression définitive.' }),
});

export const roleInput = z.object({
  role: z.enum(['member', 'instructor', 'admin'], { error: 'Rôle inconnu.' }),
});

/** An instructor's régions as typed on the users page (« 84, 93 »; blank: national), checked by `parseRegions`. */
export const regionsInput = z.object({
  regions: safeText({ error: 'Indiquez des codes de région, ou rien pour une instruction nationale.' })
    .max(200, 'Vingt régions au plus.')
    .default(''),
});

const BASE = 'http://ptce.invalid';

/**
 * Where to go after signing in: a path of this site only, never an open redirect. Browsers drop
 * tabs and newlines from URLs (`/\t/evil.example` is `//evil.example`, another host) and a CR/LF
 * cannot go in a `Location` header, so any control character, backslash or leading `//` sends the
 * user to `/compte`; so does anything that does not resolve to this origin.
 */
export function safeReturnPath(value: string | undefined | null): string {
  if (!value?.startsWith('/') || value.startsWith('//')) return '/compte';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/compte';
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return '/compte';
  }
  if (url.origin !== BASE) return '/compte';
  return `${url.pathname}${url.search}${url.hash}`;
}
