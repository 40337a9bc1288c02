/**
 * Defect 5: after a 413 the Node server announced `keep-alive` and closed the socket, so a client
 * reusing the connection lost its next request. Over real HTTP on loopback, one socket (a keep-alive
 * agent limited to one connection): an oversized POST, then a GET that must succeed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/app.ts';
import { serveNode } from '../../src/entry/node-server.ts';
import { createTestApp } from '../support/app.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function startServer() {
  const t = await createTestApp();
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { port, agent };
}

interface Answer {
  status?: number;
  connection?: string;
  body?: string;
  error?: string;
}

function send(
  target: { port: number; agent: http.Agent },
  method: string,
  path: string,
  body?: string,
  chunked = false,
): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = {
      origin: `http://127.0.0.1:${target.port}`,
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (body !== undefined && !chunked) headers['content-length'] = Buffer.byteLength(body);
    const request = http.request(
      { host: '127.0.0.1', port: target.port, agent: target.agent, method, path, headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode, connection: response.headers.connection, body: text }),
        );
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end(body);
  });
}

const oversized = `name=${'a'.repeat(MAX_BODY_BYTES + 1024)}`;

describe('a refused body (413) over a keep-alive connection', () => {
  it.each([
    ['Content-Length', false],
    ['chunked', true],
  ])('with %s: answers 413 with Connection: close, and the next request succeeds', async (_name, chunked) => {
    const target = await startServer();
    const refused = await send(target, 'POST', '/inscription', oversized, chunked);
    expect(refused.status).toBe(413);
    expect(refused.connection).toBe('close');
    expect(refused.body).toContain('dépasse la taille maximale (1 Mo)');

    const next = await send(target, 'GET', '/healthz');
    expect(next).toMatchObject({ status: 200, body: '{"status":"ok"}' });
  });

  it('keeps the connection alive after a body that was read', async () => {
    const target = await startServer();
    const small = await send(target, 'POST', '/inscription', 'name=x');
    expect(small.status).toBe(422);
    expect(small.connection).toBe('keep-alive');
    expect((await send(target, 'GET', '/healthz')).status).toBe(200);
  });
});
