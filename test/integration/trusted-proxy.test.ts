import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, formPost } from '../support/app.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
afterEach(() => t.client.close());

const signUp = (i: number, headers: Record<string, string>) =>
  t.app.request(
    '/inscription',
    formPost(
      { name: `P ${i}`, email: `p${i}@entreprise${i}.example`, password: 'une phrase de passe longue' },
      headers,
    ),
  );

/** Signs up until the per-address limit answers; returns how many accounts got through. */
async function untilLimited(headers: (i: number) => Record<string, string>, max = 70) {
  for (let i = 0; i < max; i++) {
    if ((await signUp(i, headers(i))).status === 429) return i;
  }
  return max;
}

describe('TRUSTED_PROXY decides which address the per-IP limits count', () => {
  it('x-forwarded-for: clients behind the same proxy are counted apart', async () => {
    t = await createTestApp({ config: { TRUSTED_PROXY: 'x-forwarded-for' } });
    // Every request from a different client: nobody is limited, though all share the proxy's socket.
    expect(await untilLimited((i) => ({ 'x-forwarded-for': `198.51.100.${i}` }), 65)).toBe(65);
  });

  it('none: a forged X-Forwarded-For does not escape the limit', async () => {
    t = await createTestApp({ config: { TRUSTED_PROXY: 'none' } });
    expect(await untilLimited((i) => ({ 'x-forwarded-for': `198.51.100.${i}` }))).toBe(60);
  });

  it('cf-connecting-ip: a forged CF-Connecting-IP is ignored unless trusted', async () => {
    t = await createTestApp({ config: { TRUSTED_PROXY: 'none' } });
    expect(await untilLimited((i) => ({ 'cf-connecting-ip': `198.51.100.${i}` }))).toBe(60);
  });
});
