/**
 * Cloudflare Workers entry. Static files under public/ are served by the Workers static-assets
 * binding (see wrangler.toml) before this code runs; everything else reaches the app.
 *
 * The database is remote libSQL over HTTP (`@libsql/client/web`): one client per request, built
 * from the LIBSQL_URL / LIBSQL_AUTH_TOKEN bindings. Migrations are never run here: apply them with
 * `npm run db:migrate` against the same database.
 *
 * Imports only runtime-agnostic modules: never src/db/local.ts or src/db/migrate.ts (Node-only).
 */
import { createClient } from '@libsql/client/web';
import type { ExecutionContext } from 'hono';
import { type App, createApp } from '../app.ts';
import { createDb } from '../db/client.ts';
import { parseConfig } from '../env.ts';
import { dailyRun } from '../features/alerts/daily-run.ts';
import { jsonLog, systemClock } from '../lib/context.ts';
import { type ServiceBinding, servicePdf } from './pdf-service.ts';
import { type R2BucketBinding, r2Storage } from './r2-storage.ts';

/** The Worker bindings this entry reads (vars and secrets from wrangler.toml, plus the assets binding). */
export interface WorkerEnv {
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
  ASSETS?: { fetch(request: Request): Promise<Response> };
  /** Uploaded files (listing photos): the R2 bucket of wrangler.toml's `[[r2_buckets]]`. */
  FILES?: R2BucketBinding;
  /** The `ptce-hub-pdf` Worker (wrangler.toml `[[services]]`): draws the PDF récépissé. */
  PDF?: ServiceBinding;
  [binding: string]: unknown;
}

function requestDb(bindings: unknown) {
  const env = bindings as WorkerEnv;
  if (!env.LIBSQL_URL) throw new Error('LIBSQL_URL binding is not set');
  return createDb(createClient({ url: env.LIBSQL_URL, authToken: env.LIBSQL_AUTH_TOKEN || undefined }));
}

/** Built on the first request of an isolate (bindings are only known then), then reused. */
let app: App | undefined;

function getApp(env: WorkerEnv): App {
  app ??= createApp({
    config: parseConfig(env),
    db: requestDb,
    clock: systemClock,
    log: jsonLog,
    // Bindings are the same for every request of an isolate: the bucket is bound once, with the app.
    ...(env.FILES ? { storage: r2Storage(env.FILES) } : {}),
    // Without the binding the PDF routes answer 503 (deploy wrangler.pdf.toml first: README).
    ...(env.PDF ? { pdf: servicePdf(env.PDF, jsonLog) } : {}),
    // Cloudflare's edge sets this header itself (a client's own value is overwritten).
    clientIp: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
  });
  return app;
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    let instance: App;
    try {
      instance = getApp(env);
    } catch (err) {
      // Invalid configuration (e.g. EMAIL_TRANSPORT=http without EMAIL_API_URL): say so in the logs, not to visitors.
      jsonLog({
        level: 'error',
        msg: 'worker configuration invalid',
        error: err instanceof Error ? err.message : String(err),
      });
      return new Response('Service indisponible : configuration invalide.', {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    return instance.fetch(request, env, ctx);
  },

  /** The Cron Trigger (wrangler.toml `[triggers] crons`): the daily jobs, as `npm run cli -- send-digests`. */
  async scheduled(_controller: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const run = dailyRun(requestDb(env), parseConfig(env)).then((report) =>
      jsonLog({ level: 'info', msg: 'daily jobs', report }),
    );
    ctx.waitUntil(run);
    await run;
  },
};
