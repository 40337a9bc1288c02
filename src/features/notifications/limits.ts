import type { Db } from '../../db/client.ts';
import { TooManyRequests } from '../../lib/errors.ts';
import { countEvent, type RateLimitRule } from '../auth/rate-limit.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Limits on the emails a user can make the platform send to others (defect 9: invitations were an
 * unlimited relay of attacker text), per sender and per organisation concerned.
 */
export const EMAIL_RULES = {
  /** Organisation invitations sent by one user. */
  invitationsPerUser: { limit: 20, windowMs: HOUR },
  /** Organisation invitations sent for one organisation. */
  invitationsPerOrganisation: { limit: 30, windowMs: DAY },
  /** Pôle membership emails (invite, request, accept…) caused by one user. */
  membershipPerUser: { limit: 30, windowMs: HOUR },
  /** Pôle membership emails about one organisation (invited, asking). */
  membershipPerOrganisation: { limit: 20, windowMs: DAY },
  /** Access requests (SIRET already registered) made by one user. */
  accessRequestsPerUser: { limit: 5, windowMs: DAY },
  /** Access requests received by one organisation. */
  accessRequestsPerOrganisation: { limit: 10, windowMs: DAY },
} satisfies Record<string, RateLimitRule>;

export type EmailRule = keyof typeof EMAIL_RULES;

const MESSAGES: Partial<Record<EmailRule, string>> = {
  invitationsPerUser: 'Vous avez envoyé beaucoup d’invitations : réessayez dans une heure.',
  invitationsPerOrganisation:
    'Cette organisation a envoyé beaucoup d’invitations aujourd’hui : réessayez demain.',
  accessRequestsPerUser: 'Vous avez fait beaucoup de demandes d’accès aujourd’hui : réessayez demain.',
  accessRequestsPerOrganisation:
    'Cette organisation a reçu beaucoup de demandes d’accès aujourd’hui : réessayez demain.',
};

/**
 * Counts one email-sending action under each `[rule, subject id]` (atomically, before the action)
 * and throws {@link TooManyRequests} when any is over its limit.
 */
export async function countEmailAction(
  db: Db,
  now: Date,
  checks: ReadonlyArray<readonly [EmailRule, number]>,
): Promise<void> {
  for (const [rule, id] of checks) {
    const count = await countEvent(db, `email:${rule}:${id}`, EMAIL_RULES[rule], now);
    if (count > EMAIL_RULES[rule].limit)
      throw new TooManyRequests(
        MESSAGES[rule] ?? 'Trop d’envois pour le moment : réessayez plus tard (limite anti-abus).',
      );
  }
}
