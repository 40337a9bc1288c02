import { eq } from 'drizzle-orm';
import { apiTokens, sessions, users } from '../../db/schema.ts';
import type { AppContext } from '../../lib/context.ts';
import { Conflict, TooManyRequests, Unauthorized } from '../../lib/errors.ts';
import { sendEmail } from '../notifications/mailer.ts';
import { clientAddress } from './client-address.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './crypto.ts';
import { consumeAuthToken, createUser, findUserByEmail, issueAuthToken } from './queries.ts';
import { clearLimit, countEvent, overLimit, RULES, uncountEvent } from './rate-limit.ts';
import { publicOrigin, startSession } from './session.ts';

/**
 * The requester's address (per-IP rate limits, loopback-only pages): the runtime's socket address,
 * or the proxy header that `TRUSTED_PROXY` trusts.
 */
export function clientIp(c: AppContext): string {
  const deps = c.get('deps');
  return clientAddress({
    socket: deps.clientIp?.(c),
    header: (name) => c.req.header(name),
    trust: deps.config.TRUSTED_PROXY,
  });
}

/** Sends (again) the link that confirms the account's email address. */
export async function sendVerificationEmail(
  c: AppContext,
  user: { id: number; email: string; name: string },
) {
  const db = c.get('db');
  const deps = c.get('deps');
  const token = await issueAuthToken(db, user.id, 'verify_email', deps.clock.now());
  await sendEmail(db, deps, {
    to: user.email,
    subject: 'Confirmez votre adresse électronique — ptce-hub',
    text: `Bonjour ${user.name},\n\nPour confirmer votre adresse et activer votre compte ptce-hub, ouvrez ce lien (valable 48 heures) :\n${publicOrigin(c)}/verification-email/${token}\n\nSi vous n’avez pas créé de compte, ignorez ce message.`,
  });
}

/** Creates an account, signs it in and sends the verification email. Email taken → 409. */
export async function signUp(c: AppContext, input: { name: string; email: string; password: string }) {
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const domain = input.email.trim().toLowerCase().split('@').pop() ?? '';
  const [ipOver, domainOver] = await Promise.all([
    overLimit(db, `signup:ip:${clientIp(c)}`, RULES.signUpIp, now),
    overLimit(db, `signup:domain:${domain}`, RULES.signUpDomain, now),
  ]);
  if (ipOver || domainOver) {
    throw new TooManyRequests(
      ipOver
        ? 'Trop de comptes ont été créés depuis votre connexion dans la dernière heure : réessayez dans une heure.'
        : `Trop de comptes ont été créés avec une adresse en @${domain} dans la dernière heure : réessayez dans une heure.`,
    );
  }
  const id = await createUser(db, input, now);
  if (!id) {
    throw new Conflict('Un compte existe déjà avec cette adresse électronique.', {
      email: 'Un compte existe déjà avec cette adresse : connectez-vous ou réinitialisez le mot de passe.',
    });
  }
  await sendVerificationEmail(c, { id, email: input.email.trim().toLowerCase(), name: input.name });
  await startSession(c, id);
  return id;
}

/**
 * Checks credentials under rate limits (per IP and per account: after 5 failures in 15 minutes the
 * account is locked for the rest of the window) and starts a fresh session.
 *
 * Each attempt is counted (one atomic upsert per key) *before* the password is checked, so parallel
 * attempts cannot all pass a check made before any of them is counted. A successful attempt gives
 * its count back: only failures use up the limits.
 */
export async function signIn(c: AppContext, input: { email: string; password: string }) {
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const email = input.email.trim().toLowerCase();
  const accountKey = `signin:account:${email}`;
  const ipKey = `signin:ip:${clientIp(c)}`;
  const [accountCount, ipCount] = await Promise.all([
    countEvent(db, accountKey, RULES.signInAccount, now),
    countEvent(db, ipKey, RULES.signInIp, now),
  ]);
  if (accountCount > RULES.signInAccount.limit || ipCount > RULES.signInIp.limit) {
    throw new TooManyRequests(
      'Trop de tentatives de connexion échouées : réessayez dans 15 minutes ou réinitialisez votre mot de passe.',
    );
  }
  const user = await findUserByEmail(db, email);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !valid) throw new Unauthorized('Adresse électronique ou mot de passe incorrect.');
  await Promise.all([clearLimit(db, accountKey), uncountEvent(db, ipKey)]);
  await startSession(c, user.id);
  return user;
}

/** Confirms an email address from its emailed link; false when the link is invalid, used or expired. */
export async function verifyEmail(c: AppContext, token: string): Promise<boolean> {
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const userId = await consumeAuthToken(db, token, 'verify_email', now);
  if (!userId) return false;
  await db
    .update(users)
    .set({ emailVerifiedAt: now.toISOString(), updatedAt: now.toISOString() })
    .where(eq(users.id, userId));
  return true;
}

/**
 * Sends a reset link when an account has this address. Always looks the same from outside, so the
 * form never tells whether an address has an account.
 */
export async function requestPasswordReset(c: AppContext, email: string) {
  const db = c.get('db');
  const deps = c.get('deps');
  const now = deps.clock.now();
  const normalized = email.trim().toLowerCase();
  if (await overLimit(db, `reset:ip:${clientIp(c)}`, RULES.resetIp, now)) {
    throw new TooManyRequests('Trop de demandes depuis cette adresse : réessayez dans une heure.');
  }
  if (await overLimit(db, `reset:account:${normalized}`, RULES.resetAccount, now)) return;
  const user = await findUserByEmail(db, normalized);
  if (!user) return;
  const token = await issueAuthToken(db, user.id, 'reset_password', now);
  await sendEmail(db, deps, {
    to: user.email,
    subject: 'Réinitialisation de votre mot de passe — ptce-hub',
    text: `Bonjour ${user.name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure, utilisable une seule fois) :\n${publicOrigin(c)}/reinitialisation/${token}\n\nSi vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.`,
  });
}

/**
 * Sets a new password from a reset link: every session and every personal API token of the account
 * ends (neither a stolen session nor a token survives a reset), the address counts as verified (the link proved it), a new session starts.
 */
export async function resetPassword(c: AppContext, token: string, password: string): Promise<boolean> {
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const userId = await consumeAuthToken(db, token, 'reset_password', now);
  if (!userId) return false;
  const [user] = await db
    .select({ verified: users.emailVerifiedAt, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  await db.batch([
    db
      .update(users)
      .set({
        passwordHash: await hashPassword(password),
        emailVerifiedAt: user?.verified ?? now.toISOString(),
        updatedAt: now.toISOString(),
      })
      .where(eq(users.id, userId)),
    db.delete(sessions).where(eq(sessions.userId, userId)),
    db.delete(apiTokens).where(eq(apiTokens.userId, userId)),
  ]);
  if (user) await clearLimit(db, `signin:account:${user.email}`);
  await startSession(c, userId);
  return true;
}
