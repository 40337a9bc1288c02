import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';

const KEEP_ALIVE_MS = 65_000;

/**
 * Serves a fetch handler over HTTP with @hono/node-server, the way the Node entry does (tests and
 * benchmarks use it too, so they run the same server).
 */
export function serveNode(
  options: { fetch: (request: Request) => Response | Promise<Response>; port: number; hostname?: string },
  onListening?: (info: AddressInfo) => void,
): ServerType {
  const server = serve(options, onListening);
  closeAfterRefusedBody(server);
  // Node closes a keep-alive connection after 5 s without a request; a client (or a proxy) sending
  // its next request at that moment gets a reset. Keep idle connections longer than the usual
  // client and proxy idle timeouts (60 s), so the client closes first.
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = KEEP_ALIVE_MS;
  return server;
}

/**
 * A response that starts before its request's body was read to the end (a 413 from the body limit,
 * a CSRF 403…) ends the connection: the rest of the body is never read, so the socket cannot carry
 * another request. Node would still announce `keep-alive`, and a client reusing the socket would
 * lose its next request; `Connection: close` makes it open a new one instead.
 */
function closeAfterRefusedBody(server: ServerType): void {
  // Before the app's listener, which may answer synchronously.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    // Only requests with a body can be answered before it is read.
    if (!request.headers['content-length'] && !request.headers['transfer-encoding']) return;
    const writeHead = response.writeHead;
    response.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
      if (!request.complete) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as typeof writeHead;
  });
}
