/**
 * The app as the benchmarks run it: production configuration, no request log, errors to stderr,
 * requests from the loopback address. `bench/server.ts` adds the static files and the compression
 * of `npm start`; `bench:matching` calls the API in-process with a fixed clock.
 */

import type { MiddlewareHandler } from 'hono';
import { createApp, type StaticFiles } from '../src/app.ts';
import type { Db } from '../src/db/client.ts';
import { parseConfig } from '../src/env.ts';
import { type Clock, systemClock } from '../src/lib/context.ts';

export function benchApp(
  db: Db,
  options: { assets?: StaticFiles; compress?: MiddlewareHandler; clock?: Clock } = {},
) {
  const { clock = systemClock, ...rest } = options;
  return createApp({
    config: parseConfig({
      NODE_ENV: 'production',
      LOG_REQUESTS: '0',
      DEMO_DATA: '0',
      PUBLIC_URL: 'http://127.0.0.1',
    }),
    db: () => db,
    clock,
    log: (entry) => {
      if (entry.level === 'error') console.error(JSON.stringify(entry));
    },
    clientIp: () => '127.0.0.1',
    ...rest,
  });
}
