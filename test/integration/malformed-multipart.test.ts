/**
 * Defect 6: a malformed multipart body (no boundary, a boundary the body does not use, a body cut
 * short) made every form route answer 500. It is the client's fault: 400 with a clear message, on
 * the page (and in the JSON envelope under /api/).
 */
import { describe, expect, it } from 'vitest';
import { MALFORMED_FORM } from '../../src/lib/forms.tsx';
import { createTestApp, ORIGIN } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';

const part = (boundary: string, name: string, value: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

const bodies: Record<string, { contentType: string; body: string }> = {
  'no boundary': { contentType: 'multipart/form-data', body: `${part('x', 'email', 'a@b.fr')}--x--\r\n` },
  'wrong boundary': {
    contentType: 'multipart/form-data; boundary=autre',
    body: `${part('x', 'email', 'a@b.fr')}--x--\r\n`,
  },
  truncated: {
    contentType: 'multipart/form-data; boundary=x',
    body: `${part('x', 'email', 'a@b.fr')}--x\r\nContent-Disposition: form-data; name="pass`,
  },
};

describe.each(Object.entries(bodies))('a multipart body with %s', (_name, { contentType, body }) => {
  it.each(['/inscription', '/connexion', '/mot-de-passe-oublie'])(
    'POST %s answers 400 with a clear message',
    async (path) => {
      const t = await createTestApp();
      const response = await t.app.request(path, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType, origin: ORIGIN },
      });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain('Requête invalide');
      expect(html).toContain(MALFORMED_FORM);
      expect(t.logs.some((entry) => entry.msg === 'unhandled error')).toBe(false);
    },
  );

  it('a signed-in form (organisation creation) answers 400 too', async () => {
    const t = await createTestApp();
    const user = await createSignedInUser(t);
    const response = await t.app.request('/organisations', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, origin: ORIGIN, cookie: user.cookie },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(MALFORMED_FORM);
  });
});
