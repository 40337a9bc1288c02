import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { emails } from '../../db/schema.ts';
import type { AppDeps, EmailMessage, EmailTransport, LogSink } from '../../lib/context.ts';

/** Development transport: one log line per email (the full text is in the outbox, see /dev/emails). */
export function logTransport(log: LogSink): EmailTransport {
  return async (message) => log({ level: 'info', msg: 'email', to: message.to, subject: message.subject });
}

/**
 * Production transport: POSTs `{ from, to, subject, text, html?, headers? }` as JSON with a bearer key to an HTTP
 * email API (Brevo, Scaleway TEM, Mailjet… behind a small adapter, or a relay of the operator's).
 */
export function httpTransport(url: string, apiKey: string, fetchImpl: typeof fetch = fetch): EmailTransport {
  return async (message) => {
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(message),
    });
    if (!res.ok) throw new Error(`email API answered ${res.status}`);
  };
}

/** Chooses the transport from the configuration. */
export function transportFromConfig(config: AppDeps['config'], log: LogSink): EmailTransport {
  if (config.EMAIL_TRANSPORT === 'http' && config.EMAIL_API_URL && config.EMAIL_API_KEY) {
    return httpTransport(config.EMAIL_API_URL, config.EMAIL_API_KEY);
  }
  return logTransport(log);
}

/** What a service needs to send email (explicit, so the CLI and cron jobs can call it too). */
export type MailDeps = Pick<AppDeps, 'mailer' | 'clock' | 'log' | 'config'>;

/**
 * Records an email in the outbox, then delivers it. A delivery failure is kept on the outbox row
 * (and logged) instead of failing the user's request.
 */
export async function sendEmail(db: Db, deps: MailDeps, input: EmailMessage) {
  // A subject is one header line: CR/LF (or any control character) from a stored name never
  // reaches it (defect 9: header injection through an organisation or pôle name).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const message = { ...input, subject: input.subject.replace(/[\u0000-\u001F\u007F]+/g, ' ').trim() };
  const [row] = await db
    .insert(emails)
    .values({
      ...message,
      html: message.html ?? null,
      headers: message.headers ?? null,
      createdAt: deps.clock.now().toISOString(),
    })
    .returning({ id: emails.id });
  try {
    await deps.mailer({ ...message, from: deps.config.EMAIL_FROM });
    await db.update(emails).set({ sentAt: deps.clock.now().toISOString() }).where(eq(emails.id, row!.id));
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    deps.log({ level: 'error', msg: 'email delivery failed', to: message.to, error });
    await db.update(emails).set({ error }).where(eq(emails.id, row!.id));
  }
}

/** The most recent emails of the outbox (development page). */
export function listOutbox(db: Db, limit = 50) {
  return db.select().from(emails).orderBy(desc(emails.id)).limit(limit);
}
