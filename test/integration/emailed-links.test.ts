import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { emails } from '../../src/db/schema.ts';
import { parseConfig } from '../../src/env.ts';
import { createTestApp, formPost } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
afterEach(() => t.client.close());

async function resetLinkFor(email: string, host: string) {
  const res = await t.app.request(
    `http://${host}/mot-de-passe-oublie`,
    formPost({ email }, { origin: `http://${host}` }),
  );
  expect(res.status).toBe(200);
  const [mail] = await t.db.select().from(emails).where(eq(emails.to, email));
  return /https?:\/\/[^/\s]+/.exec(mail!.text)![0];
}

describe('emailed links', () => {
  it('use PUBLIC_URL, never the Host header of the request', async () => {
    t = await createTestApp({ config: { PUBLIC_URL: 'https://ptce.example.gouv.fr' } });
    const user = await createSignedInUser(t);
    expect(await resetLinkFor(user.email, 'evil.example')).toBe('https://ptce.example.gouv.fr');
  });

  it('use the listening address by default outside production, whatever the Host', async () => {
    // PUBLIC_URL unset: the configuration's own default, as `npm start` has it.
    t = await createTestApp({ config: { PUBLIC_URL: parseConfig({ PORT: '8787' }).PUBLIC_URL } });
    const user = await createSignedInUser(t);
    expect(await resetLinkFor(user.email, 'evil.example')).toBe('http://localhost:8787');
  });
});
