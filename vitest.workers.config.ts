/**
 * workerd smoke test of the Cloudflare Workers entry (`npm test` runs it last):
 * `WRANGLER_SEND_METRICS=false vitest run --config vitest.workers.config.ts`.
 *
 * The Worker is configured from wrangler.toml (main, compatibility date, assets, vars); the bindings
 * below override what a test needs: the database is the Hrana test server started by the global setup,
 * and the `PDF` service binding (the ptce-hub-pdf Worker, wrangler.pdf.toml) is that Worker's handler
 * run in Node — the pool runs no second TypeScript Worker without a build; test/workers/pdf.test.ts
 * runs the same handler inside workerd.
 */
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { handlePdfRequest } from './src/entry/pdf-worker.ts';

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          // Production mode as deployed, with the secret a deployment sets by `wrangler secret put`.
          NODE_ENV: 'production',
          LIBSQL_URL: inject('libsqlUrl'),
          LIBSQL_AUTH_TOKEN: inject('libsqlAuthToken'),
          LOG_REQUESTS: '0',
        },
        serviceBindings: {
          PDF: (request: Request) => handlePdfRequest(request),
        },
      },
    })),
  ],
  test: {
    name: 'workers',
    include: ['test/workers/**/*.test.ts'],
    globalSetup: ['test/workers/global-setup.ts'],
    testTimeout: 20_000,
    sequence: { shuffle: true },
  },
});
