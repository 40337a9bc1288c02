import type { AppContext } from '../../lib/context.ts';
import { TooManyRequests } from '../../lib/errors.ts';
import { overLimit, RULES } from '../auth/rate-limit.ts';
import { clientIp } from '../auth/service.ts';
import { sendEmail } from '../notifications/mailer.ts';
import { CONTACT_TOPICS, type ContactInput } from './schemas.ts';

/**
 * Forwards a contact message to CONTACT_EMAIL (kept in the outbox like every email). A public form:
 * limited per address; the subject is fixed text, so nothing the sender typed reaches a header.
 */
export async function sendContactMessage(c: AppContext, input: ContactInput) {
  const db = c.get('db');
  const deps = c.get('deps');
  if (await overLimit(db, `contact:ip:${clientIp(c)}`, RULES.contactIp, deps.clock.now())) {
    throw new TooManyRequests('Trop de messages envoyés depuis votre connexion : réessayez dans une heure.');
  }
  const topic = CONTACT_TOPICS.find(([code]) => code === input.topic)?.[1] ?? input.topic;
  await sendEmail(db, deps, {
    to: deps.config.CONTACT_EMAIL,
    subject: `Formulaire de contact — ${topic} — ptce-hub`,
    text: `Message reçu par le formulaire de contact de ptce-hub.\n\nDe : ${input.name} <${input.email}>\nObjet : ${topic}\n\n${input.message}\n`,
  });
}
