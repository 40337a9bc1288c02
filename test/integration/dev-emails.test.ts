import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { type Config, parseConfig } from '../../src/env.ts';
import { freshDatabase, TestClock } from '../support/app.ts';

let close: () => void = () => {};
afterEach(() => close());

/** The app as an entry builds it, with the socket address the runtime would report. */
async function appFrom(socket: string, config: Partial<Config> = {}) {
  const { client, db } = await freshDatabase();
  close = () => client.close();
  return createApp({
    config: { ...parseConfig({ NODE_ENV: 'development', LOG_REQUESTS: '0' }), ...config },
    db: () => db,
    clock: new TestClock(),
    log: () => {},
    clientIp: () => socket,
  });
}

describe('GET /dev/emails', () => {
  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])(
    'is served to a loopback request (%s)',
    async (socket) => {
      const res = await (await appFrom(socket)).request('/dev/emails');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
    },
  );

  it.each(['192.168.1.20', '203.0.113.5', 'unknown'])('is a 404 for %s', async (socket) => {
    expect((await (await appFrom(socket)).request('/dev/emails')).status).toBe(404);
  });

  it('is a 404 behind a trusted proxy when the real client is remote, though the socket is local', async () => {
    const app = await appFrom('127.0.0.1', { TRUSTED_PROXY: 'x-forwarded-for' });
    const res = await app.request('/dev/emails', { headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(res.status).toBe(404);
  });

  it('ignores a forged X-Forwarded-For when no proxy is trusted', async () => {
    const app = await appFrom('203.0.113.5');
    const res = await app.request('/dev/emails', { headers: { 'x-forwarded-for': '127.0.0.1' } });
    expect(res.status).toBe(404);
  });

  it('does not exist in production, even for loopback', async () => {
    const app = await appFrom('127.0.0.1', {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://ptce.example.gouv.fr',
    });
    expect((await app.request('/dev/emails')).status).toBe(404);
  });
});
