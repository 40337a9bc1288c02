import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emails } from '../../src/db/schema.ts';
import { httpTransport, sendEmail } from '../../src/features/notifications/mailer.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/** A fresh app (database copy and clock) for every test. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** A stand-in for the email provider's HTTP endpoint (the network edge, not the database). */
function fakeEmailApi(status: number) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(null, { status });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe('email outbox and HTTP transport', () => {
  it('records the email, posts it as JSON with the API key, and marks it sent', async () => {
    const api = fakeEmailApi(202);
    const deps = {
      ...t,
      config: t.config,
      log: () => {},
      mailer: httpTransport('https://mail.example/send', 'key-123', api.fetchImpl),
    };
    await sendEmail(t.db, deps, { to: 'a@example.org', subject: 'Bonjour', text: 'Texte' });
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]!.url).toBe('https://mail.example/send');
    expect(new Headers(api.calls[0]!.init.headers).get('authorization')).toBe('Bearer key-123');
    expect(JSON.parse(String(api.calls[0]!.init.body))).toEqual({
      to: 'a@example.org',
      subject: 'Bonjour',
      text: 'Texte',
      from: t.config.EMAIL_FROM,
    });
    const [row] = await t.db.select().from(emails).where(eq(emails.to, 'a@example.org'));
    expect(row?.sentAt).not.toBeNull();
    expect(row?.error).toBeNull();
  });

  it('keeps a failed delivery in the outbox with its error instead of failing the request', async () => {
    const api = fakeEmailApi(500);
    const logs: Record<string, unknown>[] = [];
    const deps = {
      ...t,
      config: t.config,
      log: (e: Record<string, unknown>) => logs.push(e),
      mailer: httpTransport('https://mail.example/send', 'k', api.fetchImpl),
    };
    await sendEmail(t.db, deps, { to: 'b@example.org', subject: 'S', text: 'T' });
    const [row] = await t.db.select().from(emails).where(eq(emails.to, 'b@example.org'));
    expect(row?.sentAt).toBeNull();
    expect(row?.error).toBe('email API answered 500');
    expect(logs.some((l) => l.msg === 'email delivery failed')).toBe(true);
  });
});
