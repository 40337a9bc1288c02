import { afterEach, describe, expect, it } from 'vitest';
import { RULES } from '../../src/features/auth/rate-limit.ts';
import { createTestApp, formPost } from '../support/app.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
afterEach(() => t.client.close());

const signUp = (email: string, ip: string) =>
  t.app.request(
    '/inscription',
    formPost({ name: 'Collègue', email, password: 'une phrase de passe longue' }, { 'x-forwarded-for': ip }),
  );

describe('POST /inscription limits', () => {
  it('lets a whole office sign up from one address (more than 10 in an hour)', async () => {
    t = await createTestApp({ config: { TRUSTED_PROXY: 'x-forwarded-for' } });
    for (let i = 0; i < 25; i++) {
      expect((await signUp(`collegue${i}@bureau${i % 5}.example`, '198.51.100.1')).status).toBe(303);
    }
  });

  it('stops one email domain across many addresses, with a page-level message', async () => {
    t = await createTestApp({ config: { TRUSTED_PROXY: 'x-forwarded-for' } });
    for (let i = 0; i < RULES.signUpDomain.limit; i++) {
      expect((await signUp(`n${i}@spam.example`, `203.0.113.${i}`)).status).toBe(303);
    }
    const refused = await signUp('encore@spam.example', '203.0.113.250');
    expect(refused.status).toBe(429);
    const html = await refused.text();
    expect(html).toContain('fr-alert--error');
    expect(html).toContain('@spam.example');
    // Not on the email field: no field error, and the address is kept in the form.
    expect(html).not.toContain('fr-input-group--error');
    expect(html).toContain('value="encore@spam.example"');
    // Another domain still signs up.
    expect((await signUp('ok@autre.example', '203.0.113.251')).status).toBe(303);
  });

  it('stops one address after its limit, with a page-level message', async () => {
    t = await createTestApp({ config: { TRUSTED_PROXY: 'x-forwarded-for' } });
    for (let i = 0; i < RULES.signUpIp.limit; i++) {
      expect((await signUp(`p${i}@domaine${i}.example`, '198.51.100.2')).status).toBe(303);
    }
    const refused = await signUp('dernier@ailleurs.example', '198.51.100.2');
    expect(refused.status).toBe(429);
    const html = await refused.text();
    expect(html).toContain('depuis votre connexion');
    expect(html).not.toContain('fr-input-group--error');
  });
});
